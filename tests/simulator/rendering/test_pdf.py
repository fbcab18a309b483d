"""Letter PDFs: the writer's output opens in pypdf with the right text, pages and offsets."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from typing import Any

import pypdf
import pytest

from notifications_python_client.simulator.rendering.pdf import (
    MARGIN_BOTTOM_PT,
    PAGE_HEIGHT_PT,
    PAGE_WIDTH_PT,
    billable_sheets,
    count_pdf_pages,
    render_letter_pdf,
)

ADDRESS = ["Amala Bird", "123 High Street", "Southwark", "London", "SE1 1AA"]
CONTACT = "Pigeon Affairs Bureau\n10 Whitechapel High Street\nLondon\nE1 8QS"
DATE = dt.date(2000, 6, 1)


def letter(body: str = "Dear Amala\n\nYour appointment is confirmed.", **changes: object) -> bytes:
    arguments: dict[str, object] = {
        "address_lines": ADDRESS,
        "contact_block": CONTACT,
        "subject": "Your pigeon registration",
        "body": body,
        "date": DATE,
    }
    arguments.update(changes)
    return render_letter_pdf(**arguments)  # type: ignore[arg-type]


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data), strict=True)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(data).pages)


def test_a_letter_is_a_one_page_a4_pdf_1_4() -> None:
    data = letter()
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    reader = read(data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((PAGE_WIDTH_PT, PAGE_HEIGHT_PT))
    page: Any = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    assert {fonts[name]["/BaseFont"] for name in fonts} == {"/Helvetica", "/Helvetica-Bold"}
    assert {fonts[name]["/Encoding"] for name in fonts} == {"/WinAnsiEncoding"}


def test_cross_reference_offsets_point_at_their_objects() -> None:
    data = letter()
    xref_offset = int(re.search(rb"startxref\n(\d+)\n%%EOF", data).group(1))  # type: ignore[union-attr]
    assert data[xref_offset:].startswith(b"xref\n0 ")
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf]) \n", data[xref_offset:])
    assert entries[0] == (b"0000000000", b"65535", b"f")
    for number, (offset, _generation, _kind) in enumerate(entries[1:], start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)
    size = int(re.search(rb"/Size (\d+)", data).group(1))  # type: ignore[union-attr]
    assert size == len(entries)


def test_stream_lengths_are_exact() -> None:
    data = letter()
    for length, rest in re.findall(rb"/Length (\d+) >>\nstream\n(.*?)\nendstream", data, re.S):
        assert int(length) == len(rest)


def test_the_letter_shows_contact_block_address_date_subject_and_body() -> None:
    text = text_of(letter())
    for expected in [*ADDRESS, *CONTACT.split("\n"), "1 June 2000"]:
        assert expected in text
    assert "Your pigeon registration" in text
    assert "Dear Amala" in text
    assert "Your appointment is confirmed." in text


def test_layout_contact_block_top_right_address_top_left_subject_in_bold() -> None:
    placed: list[tuple[str, float, float, str]] = []

    def visit(text: str, _cm: object, tm: list[float], font: object, _size: float) -> None:
        if text.strip():
            base_font = font["/BaseFont"] if font else ""  # type: ignore[index]
            placed.append((text.strip(), tm[4], tm[5], str(base_font)))

    read(letter()).pages[0].extract_text(visitor_text=visit)
    where = {text: (x, y, font) for text, x, y, font in placed}
    contact_x, contact_y, _ = where["Pigeon Affairs Bureau"]
    address_x, address_y, _ = where["Amala Bird"]
    date_x, date_y, _ = where["1 June 2000"]
    subject_x, subject_y, subject_font = where["Your pigeon registration"]
    body_x, body_y, body_font = where["Dear Amala"]
    assert contact_x > PAGE_WIDTH_PT / 2 > address_x
    assert contact_y > address_y
    assert date_x == contact_x and date_y < contact_y
    assert min(address_y, date_y) > subject_y > body_y
    assert subject_x == address_x == body_x
    assert (subject_font, body_font) == ("/Helvetica-Bold", "/Helvetica")


def test_special_characters_are_escaped_and_winansi_is_kept() -> None:
    subject = "Fees (2000) \\ £5 – café “ok” & more"
    text = text_of(letter(subject=subject, body="Paid: £5 (cash) \\ no ‘receipt’"))
    assert subject in text
    assert "Paid: £5 (cash) \\ no ‘receipt’" in text


def test_characters_outside_winansi_become_question_marks() -> None:
    text = text_of(letter(body="Łódź 😀 Привет\ttab\x07bell"))
    assert "?ód? ? ?????? tab?bell" in text


def test_html_escaped_subjects_print_as_text() -> None:
    assert "A & B <C>" in text_of(letter(subject="A &amp; B &lt;C&gt;"))


def test_bullets_are_drawn_with_a_bullet_and_indented() -> None:
    text = text_of(letter(body="Bring:\n\n* your pigeon\n* its passport\n\nThanks"))
    assert re.search(r"•\s*your pigeon", text)
    assert re.search(r"•\s*its passport", text)
    assert "* your pigeon" not in text


def test_headings_are_bold() -> None:
    fonts: dict[str, str] = {}

    def visit(text: str, _cm: object, _tm: object, font: object, _size: float) -> None:
        if text.strip() and font:
            fonts[text.strip()] = str(font["/BaseFont"])  # type: ignore[index]

    read(letter(body="# What happens next\nWe will write.")).pages[0].extract_text(
        visitor_text=visit
    )
    assert fonts["What happens next"] == "/Helvetica-Bold"
    assert fonts["We will write."] == "/Helvetica"


def drawn_lines(data: bytes) -> list[bytes]:
    """The text of every line drawn, straight from the content streams."""
    return re.findall(rb"Tm \((.*?)\) Tj", data)


def test_long_lines_are_wrapped_at_spaces() -> None:
    words = " ".join(f"word{number}" for number in range(200))
    lines = [line for line in drawn_lines(letter(body=words)) if line.startswith(b"word")]
    assert b" ".join(lines) == words.encode()
    # About 85 average glyphs fit the 469 pt text width at 11 pt; lines are filled, not short.
    assert all(70 < len(line) < 90 for line in lines[:-1])


def test_words_longer_than_a_line_are_split_at_the_margin() -> None:
    # Helvetica "x" is 500/1000 em: 5.5 pt at 11 pt, so 85 fit in 469.28 pt.
    pieces = [line for line in drawn_lines(letter(body="x" * 300)) if line.startswith(b"x")]
    assert [len(piece) for piece in pieces] == [85, 85, 85, 45]


def test_address_lines_wrap_inside_the_left_column() -> None:
    # "A" is 667/1000 em: 7.337 pt, so 38 fit in the 280 pt between margin and contact block.
    data = letter(address_lines=["A" * 120, "Street", "SE1 1AA"])
    assert [len(line) for line in drawn_lines(data) if line.startswith(b"AAA")] == [38, 38, 38, 6]


def test_long_bodies_flow_onto_more_pages() -> None:
    body = "\n".join(f"Paragraph {number} of the letter." for number in range(1, 151))
    data = letter(body=body)
    reader = read(data)
    assert len(reader.pages) > 2
    assert count_pdf_pages(data) == len(reader.pages)
    text = text_of(data)
    assert "Paragraph 1 of the letter." in text
    assert "Paragraph 150 of the letter." in text
    last_page = reader.pages[-1].extract_text()
    assert "Paragraph 150 of the letter." in last_page
    assert "Amala Bird" not in last_page
    # Nothing is drawn in the bottom margin or beyond the top of the page.
    baselines = [float(y) for y in re.findall(rb" ([\d.]+) Tm \(", data)]
    assert min(baselines) >= MARGIN_BOTTOM_PT and max(baselines) < PAGE_HEIGHT_PT


def test_an_absurdly_long_contact_block_stays_on_the_first_page() -> None:
    contact = "\n".join(f"Contact line {number}" for number in range(100))
    data = letter(contact_block=contact)
    reader = read(data)
    first_page = reader.pages[0].extract_text()
    assert "Contact line 0" in first_page
    assert "Contact line 99" not in text_of(data)
    assert "Your pigeon registration" in reader.pages[1].extract_text()
    baselines = [float(y) for y in re.findall(rb" ([\d.]+) Tm \(", data)]
    assert min(baselines) >= MARGIN_BOTTOM_PT


def test_no_contact_block() -> None:
    text = text_of(letter(contact_block=None))
    assert "1 June 2000" in text
    assert "Amala Bird" in text


def test_rendering_is_deterministic() -> None:
    assert letter() == letter()


def test_count_pages_of_our_own_pdfs() -> None:
    assert count_pdf_pages(letter()) == 1


def test_count_pages_of_a_pdf_written_by_pypdf() -> None:
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=PAGE_WIDTH_PT, height=PAGE_HEIGHT_PT)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert count_pdf_pages(buffer.getvalue()) == 3


def test_count_pages_after_an_incremental_update_counts_each_page_once() -> None:
    original = letter()
    # An update appends a new version of page object 5; the page count must not change.
    page = re.search(rb"\n5 0 obj\n.*?endobj\n", original, re.S).group(0)  # type: ignore[union-attr]
    updated = original + page.lstrip(b"\n") + b"%%EOF\n"
    assert count_pdf_pages(updated) == 1


def test_count_pages_inside_compressed_object_streams() -> None:
    page_objects = b"<< /Type /Page /Parent 2 0 R >> << /Type /Page /Parent 2 0 R >>"
    packed = zlib.compress(b"3 0 4 32 " + page_objects)
    data = (
        b"%%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>\nendobj\n"
        b"5 0 obj\n<< /Type /ObjStm /N 2 /First 9 /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n" % (len(packed), packed)
    )
    assert count_pdf_pages(data) == 2


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"PK\x03\x04", b" %PDF-1.4", b"%PDF-1.4\nno pages here\n%%EOF"],
)
def test_count_pages_of_things_that_are_not_pdfs(data: bytes) -> None:
    assert count_pdf_pages(data) is None


@pytest.mark.parametrize(("pages", "sheets"), [(0, 0), (1, 1), (2, 1), (3, 2), (10, 5), (11, 6)])
def test_billable_sheets(pages: int, sheets: int) -> None:
    assert billable_sheets(pages) == sheets


def test_billable_sheets_refuses_negative_pages() -> None:
    with pytest.raises(ValueError, match="negative"):
        billable_sheets(-1)


@pytest.mark.parametrize("place", ["address", "body"])
def test_a_word_of_ten_thousand_characters_is_split_whole_and_in_order(place: str) -> None:
    word = "Ab" * 5000
    if place == "address":
        data = letter(address_lines=[word, "Street", "SE1 1AA"])
    else:
        data = letter(body=word)

    pieces = [line for line in drawn_lines(data) if re.fullmatch(rb"[Ab]{2,}", line)]
    drawn = b"".join(pieces)
    if place == "body":
        assert drawn == word.encode()
    else:
        # An address column stops at the first page's bottom margin.
        assert word.encode().startswith(drawn) and len(pieces) > 40
