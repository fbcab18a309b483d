"""The pages behind the links to files sent by email (``/_simulator/d/...``).

As Notify's document download service does it: the link holds the document's id and a key. When
the sender asked for it (the default), the page asks for the recipient's email address and
refuses any other; then the file comes under its filename. Once its retention period has passed
on the simulator's clock, the file is gone.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from werkzeug.utils import send_file
from werkzeug.wrappers import Request, Response

from notifications_python_client.simulator.checks.files import detect_mime_type
from notifications_python_client.simulator.state.documents import Document
from notifications_python_client.simulator.state.serialise import timestamp
from notifications_python_client.simulator.web.pages import PageError, page

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["DOCUMENT_HANDLERS"]

DEFAULT_DOWNLOAD_NAME = "document"


def on_document_page(
    store: Store, request: Request, service_part: str, document_part: str
) -> Response:
    """The landing page of a link: the form asking for the email address, or the download."""
    document = _document(store, request, document_part)
    if (
        request.args.get("download") == "yes"
        and not document.uploaded.confirm_email_before_download
    ):
        return _file(request, document)
    return page(
        request,
        "document.html",
        document=document,
        key=request.args.get("key", ""),
        available_until=timestamp(document.available_until),
        problem=None,
    )


def on_document_confirm(
    store: Store, request: Request, service_part: str, document_part: str
) -> Response:
    """The email address given on the page: the file if it is the recipient's."""
    document = _document(store, request, document_part)
    address = request.form.get("email_address", "")
    if not document.uploaded.confirm_email_before_download or document.is_for(address):
        return _file(request, document)
    return page(
        request,
        "document.html",
        status=400,
        document=document,
        key=request.args.get("key", ""),
        available_until=timestamp(document.available_until),
        problem="This is not the email address the file was sent to.",
    )


def _document(store: Store, request: Request, document_part: str) -> Document:
    document = store.documents.find(document_part, request.args.get("key", ""))
    if document is None:
        raise PageError(404, "This link is not valid: check that you copied all of it.")
    if not document.is_available(store.clock.now()):
        raise PageError(410, "This file is no longer available: it was kept for a limited time.")
    return document


def _file(request: Request, document: Document) -> Response:
    content = document.uploaded.content
    return send_file(
        io.BytesIO(content),
        request.environ,
        mimetype=detect_mime_type(content),
        as_attachment=True,
        download_name=document.uploaded.filename or DEFAULT_DOWNLOAD_NAME,
    )


DOCUMENT_HANDLERS = {
    "page_document": on_document_page,
    "page_document_confirm": on_document_confirm,
}
