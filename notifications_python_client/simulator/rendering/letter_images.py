"""A letter's pages as PNG images, rendered from its PDF, for the inbox to show as the
recipient would see the paper: a browser's own PDF viewer shows nothing in many set-ups
(headless browsers, some sandboxes), an image everywhere.

Rendered with pdfium (``pypdfium2``) and encoded with Pillow, both of the ``simulator`` extra;
the images of the last few letters shown are kept, by the PDF's digest and the page.
"""

from __future__ import annotations

import collections
import hashlib
import io
import threading

import pypdfium2

__all__ = ["PAGE_SCALE", "LetterImageError", "page_count", "page_image"]

# 1.5 × 72 dpi: an A4 page 893 pixels wide, readable at a glance, about 40 KB as PNG.
PAGE_SCALE = 1.5
KEPT_PAGE_IMAGES = 64


class LetterImageError(ValueError):
    """The PDF cannot be read, or has no such page."""


def page_count(pdf: bytes) -> int:
    """How many pages the letter's PDF has.

    :raises LetterImageError: it is not a PDF pdfium can read.
    """
    return len(_document(pdf))


_kept: collections.OrderedDict[tuple[str, int], bytes] = collections.OrderedDict()
_kept_lock = threading.Lock()


def page_image(pdf: bytes, page: int) -> bytes:
    """Page ``page`` (from 1) of the PDF as PNG bytes.

    :raises LetterImageError: the PDF cannot be read, or has no such page.
    """
    key = (hashlib.sha256(pdf).hexdigest(), page)
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    image = _render(pdf, page)
    with _kept_lock:
        _kept[key] = image
        while len(_kept) > KEPT_PAGE_IMAGES:
            _kept.popitem(last=False)
    return image


def _render(pdf: bytes, page: int) -> bytes:
    document = _document(pdf)
    if not 1 <= page <= len(document):
        raise LetterImageError(f"the letter has {len(document)} pages, not {page}")
    image = document[page - 1].render(scale=PAGE_SCALE).to_pil()
    encoded = io.BytesIO()
    image.save(encoded, format="PNG", optimize=False)
    return encoded.getvalue()


def _document(pdf: bytes) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise LetterImageError(f"the letter's PDF cannot be read: {error}") from None
