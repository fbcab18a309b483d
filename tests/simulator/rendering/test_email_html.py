"""Email preview HTML: the Markdown subset, inline styles, escaping and typography.

Behaviour: Email preview HTML.
"""

from __future__ import annotations

import re

import pytest

from notifications_python_client.simulator.rendering.email_html import (
    HEADING_HTML,
    INSET_HTML,
    LINK_HTML,
    LIST_HTML,
    LIST_ITEM_HTML,
    PARAGRAPH_HTML,
    RULE_HTML,
    parse_blocks,
    render_email_html,
    render_inline,
)

P = '<p style="Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;">'
ZWSP = "\u200b"


def _unstyled(html: str) -> str:
    """The markup without its style attributes, so structure tests stay readable."""
    return re.sub(r' style="[^"]*"', "", html)


def test_the_documented_paragraph_example_exactly() -> None:
    assert render_email_html("Some content", {}) == f"{P}Some content</p>"


def test_the_documented_styles_exactly() -> None:
    assert PARAGRAPH_HTML.format("x") == f"{P}x</p>"
    assert HEADING_HTML.format("x") == (
        '<h2 style="Margin: 0 0 15px 0; padding: 10px 0 0 0; font-size: 27px; line-height: 35px;'
        ' font-weight: bold; color: #0B0C0C;">x</h2>'
    )
    assert RULE_HTML == (
        '<hr style="border: 0; height: 1px; background: #B1B4B6; Margin: 30px 0 30px 0;">'
    )
    assert LIST_HTML.startswith('<table role="presentation" style="padding: 0 0 20px 0;">')
    assert '<ul style="Margin: 0 0 0 20px; padding: 0; list-style-type: disc;">{}</ul>' in (
        LIST_HTML
    )
    assert LIST_ITEM_HTML.format("x") == (
        '<li style="Margin: 5px 0 5px; padding: 0 0 0 5px; font-size: 19px;line-height: 25px;'
        ' color: #0B0C0C;">x</li>'
    )
    assert LINK_HTML.format("u", "t") == (
        '<a style="word-wrap: break-word; color: #1D70B8;" href="u">t</a>'
    )


def test_empty_body_gives_empty_html() -> None:
    assert render_email_html("", {}) == ""
    assert render_email_html(" \r\n ", {}) == ""


def test_paragraphs_and_line_breaks() -> None:
    html = render_email_html("  line  one \r\nline two\r\n\r\n\r\npara 2  ", {})
    assert html == f"{P}line one<br>line two</p>{P}para 2</p>"


def test_the_documented_email_body_example_with_a_list() -> None:
    body = "Dear ((first_name))\r\n\r\nPlease bring:\r\n\n\n((required_documents))"
    personalisation = {"first_name": "Amala", "required_documents": ["passport", "utility bill"]}
    html = render_email_html(body, personalisation)
    items = LIST_ITEM_HTML.format("passport") + LIST_ITEM_HTML.format("utility bill")
    assert html == f"{P}Dear Amala</p>{P}Please bring:</p>" + LIST_HTML.format(items)


def test_headings_rules_and_deeper_headings() -> None:
    html = render_email_html("# Heading\n## Sub\n---\ntext\n* * *\n#hashtag", {})
    assert _unstyled(html) == "<h2>Heading</h2><p>Sub</p><hr><p>text</p><hr><p>#hashtag</p>"


def test_bullet_lists_with_both_markers_blank_lines_and_continuations() -> None:
    html = render_email_html("* a\n- b\n\n* c\ncontinued\n\nafter\n- d", {})
    assert _unstyled(html) == (
        '<table role="presentation"><tr><td><ul><li>a</li><li>b</li><li>c<br>continued</li>'
        "</ul></td></tr></table><p>after</p>"
        '<table role="presentation"><tr><td><ul><li>d</li></ul></td></tr></table>'
    )


def test_inset_text() -> None:
    html = render_email_html("^ inset line\n^second\n^\n^ third\nlazy\n\n^ new", {})
    assert html == (
        INSET_HTML.format(f"{P}inset line<br>second</p>{P}third<br>lazy</p>")
        + INSET_HTML.format(f"{P}new</p>")
    )


def test_markdown_links_and_bare_urls() -> None:
    html = render_email_html(
        'See [the form](https://x.com/?a=1&b="2"). Or https://example.com/a_b, (https://x.y/z)',
        {},
    )
    assert _unstyled(html) == (
        '<p>See <a href="https://x.com/?a=1&amp;b=%222%22">the form</a>. Or '
        '<a href="https://example.com/a_b">https://example.com/a_b</a>, '
        '(<a href="https://x.y/z">https://x.y/z</a>)</p>'
    )


def test_link_markup_is_styled() -> None:
    expected = LINK_HTML.format("https://a.b", "https://a.b")
    assert render_email_html("https://a.b", {}) == f"{P}{expected}</p>"


def test_a_scheme_alone_is_not_a_link() -> None:
    assert render_inline("see https://. now") == "see https://. now"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Visit GOV.UK.", f"Visit GOV.{ZWSP}UK."),
        ("gov.uk today", f"gov.{ZWSP}uk today"),
        ("www.gov.uk", "www.gov.uk"),
        ("GOV.UK/apply", "GOV.UK/apply"),
        ("GOV.UK.net", "GOV.UK.net"),
    ],
)
def test_govuk_is_kept_from_becoming_a_link(text: str, expected: str) -> None:
    assert render_inline(text) == expected


def test_govuk_inside_a_link_address_is_untouched() -> None:
    assert render_inline("https://gov.uk/x") == LINK_HTML.format(
        "https://gov.uk/x", "https://gov.uk/x"
    )


def test_template_text_and_values_are_escaped_once() -> None:
    html = render_email_html("<b>bold</b> & &amp; ((v)) ((w))", {"v": "<i>", "w": ["1 < 2"]})
    assert html == (
        f"{P}&lt;b&gt;bold&lt;/b&gt; &amp; &amp; &lt;i&gt;</p>"
        + LIST_HTML.format(LIST_ITEM_HTML.format("1 &lt; 2"))
    )


def test_values_are_not_expanded_but_are_markdown() -> None:
    html = render_email_html("((a))", {"a": "# ((b))", "b": "no"})
    assert html == HEADING_HTML.format("((b))")


def test_text_is_typeset_like_a_subject() -> None:
    html = render_email_html("He said \"hi\" , ok - it's me@x.com's\n'quoted'", {})
    assert html == f"{P}He said “hi”, ok – it’s me@x.com's<br>‘quoted’</p>"


def test_link_text_is_typeset_but_addresses_are_not() -> None:
    html = render_inline("[it's \"here\"](https://x.com/it's)")
    assert html == LINK_HTML.format("https://x.com/it's", "it’s “here”")


def test_quote_after_a_link_closes() -> None:
    assert (
        render_inline('"https://a.b"') == "“" + LINK_HTML.format("https://a.b", "https://a.b") + "”"
    )


def test_parse_blocks_kinds() -> None:
    blocks = parse_blocks("p\n\n# h\n---\n* a\n^ q")
    assert [(block.kind, block.lines) for block in blocks] == [
        ("paragraph", ["p"]),
        ("heading", ["h"]),
        ("rule", []),
        ("list", ["a"]),
        ("inset", ["q"]),
    ]
