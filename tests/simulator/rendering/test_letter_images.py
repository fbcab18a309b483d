"""A letter's pages as PNG images, rendered from its PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from notifications_python_client.simulator.rendering.letter_images import (
    LetterImageError,
    page_count,
    page_image,
)
from notifications_python_client.simulator.rendering.pdf import render_letter_pdf


def a_letter(pages: int) -> bytes:
    body = "\n\n".join(f"Paragraph {n} of a long letter." for n in range(pages * 40))
    return render_letter_pdf(
        address_lines=["Amala Bird", "1 High Street", "SW1A 1AA"],
        contact_block=None,
        subject="A letter",
        body=body,
        date=dt.date(2026, 12, 7),
    )


def test_each_page_is_an_a4_image() -> None:
    pdf = a_letter(2)

    pages = page_count(pdf)
    images = [Image.open(io.BytesIO(page_image(pdf, n))) for n in range(1, pages + 1)]

    assert pages >= 2
    assert {image.size for image in images} == {(893, 1263)}
    assert page_image(pdf, 1) is page_image(pdf, 1)  # kept, not rendered again


@pytest.mark.parametrize("page", [0, 99])
def test_a_page_the_letter_has_not_is_refused(page: int) -> None:
    with pytest.raises(LetterImageError, match="the letter has"):
        page_image(a_letter(1), page)


@pytest.mark.parametrize("pdf", [b"", b"not a pdf", b"%PDF-1.4 cut"])
def test_a_pdf_that_cannot_be_read_is_refused_clearly(pdf: bytes) -> None:
    with pytest.raises(LetterImageError, match="cannot be read"):
        page_count(pdf)
