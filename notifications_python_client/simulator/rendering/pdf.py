"""Letter PDFs for the simulator: a small PDF 1.4 writer, and page counting for any PDF.

Letters use the built-in Helvetica fonts with WinAnsiEncoding, so nothing is embedded; text is
measured with the fonts' standard glyph widths so that lines wrap inside the margins and long
bodies flow onto further A4 pages.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

PAGE_WIDTH_PT = 595.28
PAGE_HEIGHT_PT = 841.89
MARGIN_LEFT_PT = 70.0
MARGIN_RIGHT_PT = 56.0
MARGIN_TOP_PT = 56.0
MARGIN_BOTTOM_PT = 70.0
CONTACT_BLOCK_LEFT_PT = 370.0
ADDRESS_TOP_PT = 130.0  # from the top edge: where an envelope window shows the address
COLUMN_GAP_PT = 20.0
TEXT_SIZE_PT = 11.0
SUBJECT_SIZE_PT = 14.0
HEADING_SIZE_PT = 12.0
LINE_HEIGHT_FACTOR = 1.35
BULLET_INDENT_PT = 16.0
_REGULAR, _BOLD = "F1", "F2"
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_BULLET = re.compile(r"\s*[*•-]\s+(.*)")
_HEADING = re.compile(r"#\s+(.*)")
_OBJECT = re.compile(rb"(?<![0-9])([0-9]+)\s+[0-9]+\s+obj\b(.*?)\bendobj", re.DOTALL)
_PAGE_TYPE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_STREAM = re.compile(rb"stream\r?\n(.*)\bendstream", re.DOTALL)


def _widths(table: str) -> tuple[int, ...]:
    """Glyph widths (1/1000 em) for WinAnsi codes 32-255; 0 marks codes with no glyph."""
    widths = tuple(int(number) for number in table.split())
    if len(widths) != 224:
        raise ValueError("a width table needs one entry per code from 32 to 255")
    return widths


# Adobe's standard metrics for Helvetica and Helvetica-Bold, in WinAnsi code order from 32.
_HELVETICA_WIDTHS = _widths("""
    278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278
    556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556
    1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556
    333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556
    556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 0
    556 0 222 556 333 1000 556 556 333 1000 667 333 1000 0 611 0
    0 222 222 333 333 350 556 1000 333 1000 500 333 944 0 500 667
    278 333 556 556 556 556 260 556 333 737 370 556 584 333 737 333
    400 584 333 333 333 556 537 278 333 333 365 556 834 834 834 611
    667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278
    722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611
    556 556 556 556 556 556 889 500 556 556 556 556 278 278 278 278
    556 556 556 556 556 556 556 584 611 556 556 556 556 500 556 500
""")
_HELVETICA_BOLD_WIDTHS = _widths("""
    278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278
    556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611
    975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556
    333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611
    611 611 389 556 333 611 556 778 556 556 500 389 280 389 584 0
    556 0 278 556 500 1000 556 556 333 1000 667 333 1000 0 611 0
    0 278 278 500 500 350 556 1000 333 1000 556 333 944 0 500 667
    278 333 556 556 556 556 280 556 333 737 370 556 584 333 737 333
    400 584 333 333 333 611 556 278 333 333 365 556 834 834 834 611
    722 722 722 722 722 722 1000 722 667 667 667 667 278 278 278 278
    722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611
    556 556 556 556 556 556 889 556 556 556 556 556 278 278 278 278
    611 611 611 611 611 611 611 584 611 611 611 611 611 556 611 556
""")
_FONTS = {
    _REGULAR: ("Helvetica", _HELVETICA_WIDTHS),
    _BOLD: ("Helvetica-Bold", _HELVETICA_BOLD_WIDTHS),
}
# Control characters have no glyph in WinAnsi; they print as '?' like any unknown character.
_CONTROLS_TO_QUESTION_MARK = bytes.maketrans(bytes([*range(32), 127]), b"?" * 33)


def render_letter_pdf(
    *,
    address_lines: Sequence[str],
    contact_block: str | None,
    subject: str,
    body: str,
    date: dt.date,
) -> bytes:
    """A printable A4 letter: contact block, address, date, subject heading, then the body.

    ``subject`` may be the HTML-escaped heading Notify stores (behaviour: Letter body and
    subject); it is unescaped for print.
    In the body, ``* item`` lines become bullets and ``# text`` lines bold headings. Characters
    outside WinAnsi print as ``?``.
    """
    layout = _Layout()
    column_width = CONTACT_BLOCK_LEFT_PT - COLUMN_GAP_PT - MARGIN_LEFT_PT
    right_width = PAGE_WIDTH_PT - MARGIN_RIGHT_PT - CONTACT_BLOCK_LEFT_PT
    contact_lines = contact_block.splitlines() if contact_block else []
    date_lines = [*contact_lines, "", _format_date(date)] if contact_lines else [_format_date(date)]
    right = layout.column(date_lines, CONTACT_BLOCK_LEFT_PT, MARGIN_TOP_PT, right_width)
    left = layout.column(address_lines, MARGIN_LEFT_PT, ADDRESS_TOP_PT, column_width)
    layout.top_pt = max(left, right) + 2 * _line_height(TEXT_SIZE_PT)
    layout.paragraph(html.unescape(subject), _BOLD, SUBJECT_SIZE_PT)
    layout.gap(_line_height(TEXT_SIZE_PT) / 2)
    for line in body.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n"):
        layout.body_line(line)
    return _serialise(layout.pages)


def count_pdf_pages(data: bytes) -> int | None:
    """Best-effort page count of any PDF, or ``None`` if it does not look like a PDF.

    Counts page objects (``/Type /Page``) by object number, so that objects rewritten by
    incremental updates count once, including pages kept in compressed object streams.
    A file that starts with ``%PDF-`` but has no page objects also gives ``None``.
    """
    if not data.startswith(b"%PDF-"):
        return None
    page_objects: set[int] = set()
    pages_in_object_streams = 0
    for match in _OBJECT.finditer(data):
        number, content = int(match.group(1)), match.group(2)
        dictionary = content.split(b"stream", 1)[0]
        if _PAGE_TYPE.search(dictionary):
            page_objects.add(number)
        elif b"/ObjStm" in dictionary and b"/FlateDecode" in dictionary:
            pages_in_object_streams += len(_PAGE_TYPE.findall(_inflate(content)))
    return (len(page_objects) + pages_in_object_streams) or None


def billable_sheets(pages: int) -> int:
    """Sheets of paper for ``pages`` printed pages: letters are printed double-sided."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    return math.ceil(pages / 2)


def _inflate(content: bytes) -> bytes:
    """The decompressed data of an object's Flate stream, or nothing if it does not inflate."""
    match = _STREAM.search(content)
    if match is None:
        return b""
    try:
        return zlib.decompressobj().decompress(match.group(1))
    except zlib.error:
        return b""


@dataclass(frozen=True)
class _Run:
    """One line of text placed on a page; ``y_pt`` is the baseline measured from the bottom."""

    font: str
    size_pt: float
    x_pt: float
    y_pt: float
    text: bytes


@dataclass
class _Layout:
    """Text flowing down A4 pages; ``top_pt`` is the next line's top, measured from the top."""

    pages: list[list[_Run]] = field(default_factory=lambda: [[]])
    top_pt: float = MARGIN_TOP_PT

    def column(self, lines: Sequence[str], x_pt: float, top_pt: float, width_pt: float) -> float:
        """Place lines in a column of the first page; returns the column's bottom.

        Lines that would reach the bottom margin are left out: address and contact blocks
        belong on the first page, and real ones are a handful of lines.
        """
        pieces = [
            piece
            for line in lines
            for piece in _wrap(_encode(line), _REGULAR, TEXT_SIZE_PT, width_pt)
        ]
        for piece in pieces:
            top_pt += _line_height(TEXT_SIZE_PT)
            if top_pt > PAGE_HEIGHT_PT - MARGIN_BOTTOM_PT:
                break
            self._place(_REGULAR, TEXT_SIZE_PT, x_pt, top_pt, piece, page=0)
        return top_pt

    def body_line(self, line: str) -> None:
        """One line of the body: blank lines separate paragraphs; bullets and headings stand out."""
        bullet, heading = _BULLET.fullmatch(line), _HEADING.fullmatch(line)
        if not line.strip():
            self.gap(_line_height(TEXT_SIZE_PT) / 2)
        elif heading:
            self.gap(_line_height(TEXT_SIZE_PT) / 2)
            self.paragraph(heading.group(1), _BOLD, HEADING_SIZE_PT)
        elif bullet:
            self.paragraph(bullet.group(1), _REGULAR, TEXT_SIZE_PT, indent_pt=BULLET_INDENT_PT)
        else:
            self.paragraph(line, _REGULAR, TEXT_SIZE_PT)

    def paragraph(self, text: str, font: str, size_pt: float, indent_pt: float = 0.0) -> None:
        """Wrapped text at the left margin, with a bullet in the indent when there is one."""
        width_pt = PAGE_WIDTH_PT - MARGIN_RIGHT_PT - MARGIN_LEFT_PT - indent_pt
        for index, piece in enumerate(_wrap(_encode(text), font, size_pt, width_pt)):
            self._next_line(size_pt)
            if indent_pt and index == 0:
                self._place(font, size_pt, MARGIN_LEFT_PT + 4.0, self.top_pt, b"\x95")
            self._place(font, size_pt, MARGIN_LEFT_PT + indent_pt, self.top_pt, piece)

    def gap(self, height_pt: float) -> None:
        self.top_pt += height_pt

    def _next_line(self, size_pt: float) -> None:
        """Move down one line, starting a new page when the line would cross the bottom margin."""
        self.top_pt += _line_height(size_pt)
        if self.top_pt > PAGE_HEIGHT_PT - MARGIN_BOTTOM_PT:
            self.pages.append([])
            self.top_pt = MARGIN_TOP_PT + _line_height(size_pt)

    def _place(
        self, font: str, size_pt: float, x_pt: float, top_pt: float, text: bytes, page: int = -1
    ) -> None:
        # The baseline sits a little above the line's bottom, leaving room for descenders.
        if not text:
            return
        baseline_pt = PAGE_HEIGHT_PT - top_pt + (_line_height(size_pt) - size_pt)
        self.pages[page].append(_Run(font, size_pt, x_pt, baseline_pt, text))


def _line_height(size_pt: float) -> float:
    return size_pt * LINE_HEIGHT_FACTOR


def _format_date(date: dt.date) -> str:
    """Dates as Notify prints them on letters: ``1 June 2000``, whatever the locale."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def _encode(text: str) -> bytes:
    """Text in WinAnsi (Windows-1252) bytes, with '?' for anything the fonts cannot show."""
    encoded = text.replace("\t", " ").encode("cp1252", errors="replace")
    return encoded.translate(_CONTROLS_TO_QUESTION_MARK)


def _text_width_pt(text: bytes, font: str, size_pt: float) -> float:
    widths = _FONTS[font][1]
    return sum(widths[code - 32] for code in text) * size_pt / 1000


def _wrap(text: bytes, font: str, size_pt: float, width_pt: float) -> list[bytes]:
    """Lines of at most ``width_pt``, broken at spaces; over-long words are split."""
    lines: list[bytes] = []
    current = b""
    for word in text.split():
        candidate = current + b" " + word if current else word
        if _text_width_pt(candidate, font, size_pt) <= width_pt:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _split_word(word, font, size_pt, width_pt)
        lines.extend(full)
    return [*lines, current] if current else lines or [b""]


def _split_word(word: bytes, font: str, size_pt: float, width_pt: float) -> list[bytes]:
    """``word`` in pieces of at most ``width_pt`` (at least a character each), in one pass: a
    word of thousands of characters must not be measured again for every cut."""
    widths = _FONTS[font][1]
    pieces: list[bytes] = []
    start, width = 0, 0.0
    for index, code in enumerate(word):
        glyph_pt = widths[code - 32] * size_pt / 1000
        if width + glyph_pt > width_pt and index > start:
            pieces.append(word[start:index])
            start, width = index, 0.0
        width += glyph_pt
    pieces.append(word[start:])
    return pieces


def _escape(text: bytes) -> bytes:
    """A PDF literal string's contents: backslashes and parentheses escaped."""
    return text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content_stream(runs: Sequence[_Run]) -> bytes:
    commands = [b"BT"]
    for run in runs:
        commands.append(
            b"/%s %.1f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj"
            % (run.font.encode(), run.size_pt, run.x_pt, run.y_pt, _escape(run.text))
        )
    commands.append(b"ET")
    return b"\n".join(commands)


def _serialise(pages: Sequence[Sequence[_Run]]) -> bytes:
    """The whole file: objects, then a cross-reference table with each object's byte offset."""
    first_page = 5  # after the catalog, the page tree and the two fonts
    kids = " ".join(f"{first_page + 2 * index} 0 R" for index in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
    ]
    for base_font, _widths_table in _FONTS.values():
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{base_font} "
            "/Encoding /WinAnsiEncoding >>".encode()
        )
    for index, runs in enumerate(pages):
        contents = _content_stream(runs)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH_PT} {PAGE_HEIGHT_PT}] "
            f"/Resources << /Font << /{_REGULAR} 3 0 R /{_BOLD} 4 0 R >> >> "
            f"/Contents {first_page + 2 * index + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents), contents))
    # The binary comment tells transfer tools that the file is not plain text.
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_offset = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_offset,
    )
    return bytes(output)
