"""Email HTML for template previews: Notify's small Markdown subset with inline styles.

Behaviour: Email preview HTML.

Supported: paragraphs (single line breaks become ``<br>``), ``[text](url)`` links and bare
``http(s)://`` URLs, ``#`` headings, ``---`` rules, ``*``/``-`` bullet lists and ``^`` inset
text. Emphasis and raw HTML are not Markdown here: they come out as the literal (escaped) text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .placeholders import Personalisation, substitute
from .typography import escape_html, typeset

PARAGRAPH_HTML = (
    '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">{}</p>'
)
HEADING_HTML = (
    '<h2 style="Margin: 0 0 15px 0; padding: 10px 0 0 0; font-size: 27px; line-height: 35px;'
    ' font-weight: bold; color: #0B0C0C;">{}</h2>'
)
RULE_HTML = '<hr style="border: 0; height: 1px; background: #B1B4B6; Margin: 30px 0 30px 0;">'
LIST_HTML = (
    '<table role="presentation" style="padding: 0 0 20px 0;"><tr>'
    '<td style="font-family: Helvetica, Arial, sans-serif;">'
    '<ul style="Margin: 0 0 0 20px; padding: 0; list-style-type: disc;">{}</ul>'
    "</td></tr></table>"
)
LIST_ITEM_HTML = (
    '<li style="Margin: 5px 0 5px; padding: 0 0 0 5px; font-size: 19px;line-height: 25px;'
    ' color: #0B0C0C;">{}</li>'
)
INSET_HTML = (
    '<blockquote style="Margin: 0 0 20px 0; border-left: 10px solid #B1B4B6;'
    ' padding: 15px 0 0.1px 15px; font-size: 19px; line-height: 25px;">{}</blockquote>'
)
LINK_HTML = '<a style="word-wrap: break-word; color: #1D70B8;" href="{}">{}</a>'
LINE_BREAK_HTML = "<br>"

_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(\S.*)")
_BULLET = re.compile(r" {0,3}[*-][ \t]+(\S.*)")
_INSET = re.compile(r" {0,3}\^[ \t]*(.*)")
# A Markdown link, or a bare web address (the text is already HTML-escaped, hence no ``<``).
_INLINE_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)|(https?://[^\s\"]+)")
_ESCAPED_ANGLE = re.compile(r"&[lg]t;")
_SCHEME_ONLY = re.compile(r"https?://")
_TRAILING_URL_PUNCTUATION = ".,:;!?'\")]"
_ENTITY_END = re.compile(r"&\w+$")
# Mail clients link "GOV.UK" themselves; a zero-width space after the dot stops them. Dotted
# names and addresses that merely contain gov.uk (www.gov.uk, https://gov.uk/x) are left alone.
_GOVUK = re.compile(r"(?i)(?<![\w./])(gov\.)(uk)(?![\w/#?-]|\.\w)")
ZERO_WIDTH_SPACE = "\u200b"

BlockKind = Literal["paragraph", "heading", "rule", "list", "inset"]


@dataclass
class Block:
    """One block of the body; ``lines`` holds text lines, or list items for a list."""

    kind: BlockKind
    lines: list[str] = field(default_factory=list)


def render_email_html(body: str, personalisation: Personalisation) -> str:
    """The preview ``html`` of an email body: values escaped, Markdown rendered, typeset."""
    text = substitute(body, personalisation, lists="bullets", escape=escape_html)
    text = re.sub(r"\r\n?", "\n", text).strip()
    return "".join(_render_block(block) for block in parse_blocks(text))


def parse_blocks(text: str) -> list[Block]:
    """Split Markdown text into blocks; a list survives blank lines between its items."""
    blocks: list[Block] = []
    open_block: Block | None = None
    after_blank = False
    for line in text.split("\n"):
        if not line.strip():
            after_blank = True
            if open_block is not None and open_block.kind != "list":
                open_block = None
            continue
        if _RULE.fullmatch(line):
            blocks.append(Block("rule"))
            open_block = None
        elif heading := _HEADING.fullmatch(line):
            # Only top-level headings are headings in Notify emails; deeper ones are paragraphs.
            kind: BlockKind = "heading" if len(heading.group(1)) == 1 else "paragraph"
            blocks.append(Block(kind, [heading.group(2)]))
            open_block = None
        elif bullet := _BULLET.fullmatch(line):
            if open_block is None or open_block.kind != "list":
                open_block = Block("list")
                blocks.append(open_block)
            open_block.lines.append(bullet.group(1))
        elif inset := _INSET.fullmatch(line):
            if open_block is None or open_block.kind != "inset" or after_blank:
                open_block = Block("inset")
                blocks.append(open_block)
            open_block.lines.append(inset.group(1))
        elif open_block is not None and not after_blank:
            # A plain line right after a list item, inset or paragraph line continues it.
            if open_block.kind == "list":
                open_block.lines[-1] += "\n" + line
            else:
                open_block.lines.append(line)
        else:
            open_block = Block("paragraph", [line])
            blocks.append(open_block)
        after_blank = False
    return blocks


def _render_block(block: Block) -> str:
    if block.kind == "rule":
        return RULE_HTML
    if block.kind == "heading":
        return HEADING_HTML.format(render_inline(block.lines[0]))
    if block.kind == "list":
        items = "".join(LIST_ITEM_HTML.format(render_inline(item)) for item in block.lines)
        return LIST_HTML.format(items)
    if block.kind == "inset":
        return INSET_HTML.format("".join(_paragraphs(block.lines)))
    return PARAGRAPH_HTML.format(render_inline("\n".join(block.lines)))


def _paragraphs(lines: list[str]) -> list[str]:
    """Inset text: empty ``^`` lines separate its paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [PARAGRAPH_HTML.format(render_inline("\n".join(p))) for p in paragraphs if p]


def render_inline(text: str) -> str:
    """Links and typeset text of one block; its line breaks become ``<br>``."""
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    output: list[str] = []
    position = 0
    while match := _INLINE_LINK.search(text, position):
        start, end = match.span()
        if match.group(3) is None:
            label, url = typeset_text(match.group(1)), match.group(2)
        else:
            label = url = _trim_bare_url(match.group(3))
            if _SCHEME_ONLY.fullmatch(url):
                # Nothing left to link once trailing punctuation is taken off: plain text.
                output.append(_typeset_slice(text, position, end))
                position = end
                continue
            end = start + len(url)
        output.append(_typeset_slice(text, position, start))
        output.append(LINK_HTML.format(url.replace('"', "%22"), label))
        position = end
    output.append(_typeset_slice(text, position, len(text)))
    return "".join(output).replace("\n", LINE_BREAK_HTML)


def typeset_text(text: str, before: str = "", after: str = "") -> str:
    """Body text typeset like a subject, with GOV.UK kept from becoming a link."""
    return typeset(_GOVUK.sub(rf"\1{ZERO_WIDTH_SPACE}\2", text), before, after)


def _typeset_slice(text: str, start: int, end: int) -> str:
    """A stretch of text between links, its quotes judged with the neighbouring characters."""
    return typeset_text(text[start:end], text[start - 1 : start], text[end : end + 1])


def _trim_bare_url(url: str) -> str:
    """A bare URL stops before escaped angle brackets and sheds trailing punctuation."""
    angle = _ESCAPED_ANGLE.search(url)
    if angle:
        url = url[: angle.start()]
    while url and url[-1] in _TRAILING_URL_PUNCTUATION:
        if url[-1] == ";" and _ENTITY_END.search(url[:-1]):
            break
        url = url[:-1]
    return url
