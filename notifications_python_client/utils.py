"""Helpers for users' payloads: files to upload, and recognising Notify's UUIDs."""

from __future__ import annotations

import base64
import re
from typing import Protocol

from notifications_python_client.types import FileUpload

DOCUMENT_UPLOAD_SIZE_LIMIT = 2 * 1024 * 1024

UUID_PATTERN = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)


class BinaryReadable(Protocol):
    """Anything with a ``read()`` that returns the whole content as bytes."""

    def read(self) -> bytes | bytearray | memoryview:
        """The remaining content."""
        ...


def looks_like_uuid(text: str) -> bool:
    """Whether ``text`` is exactly one UUID in its usual 8-4-4-4-12 hex form."""
    return UUID_PATTERN.fullmatch(text) is not None


def read_binary(f: BinaryReadable, argument: str = "f") -> bytes:
    """Read all of a binary file-like object, refusing text clearly.

    :param f: an object whose ``read()`` returns bytes, bytearray or memoryview.
    :param argument: the caller's parameter name, for the error message.
    :raises TypeError: ``f`` has no ``read()`` (a str or bytes was passed), or it returned text
        (the file was opened in text mode).
    """
    binary_hint = 'open the file in binary mode ("rb")'
    read = getattr(f, "read", None)
    if not callable(read):
        raise TypeError(
            f"{argument} must be a file object to read from, not {type(f).__name__}: {binary_hint}"
        )
    contents = read()
    if isinstance(contents, str):
        raise TypeError(
            f"{argument} was opened in text mode and read() returned str: {binary_hint}"
        )
    if not isinstance(contents, bytes | bytearray | memoryview):
        raise TypeError(
            f"{argument}.read() returned {type(contents).__name__}, not bytes: {binary_hint}"
        )
    return bytes(contents)


def prepare_upload(
    f: BinaryReadable,
    filename: str | None = None,
    confirm_email_before_download: bool | None = None,
    retention_period: str | None = None,
) -> FileUpload:
    """Turn a file into the personalisation value that sends it by email as a download link.

    The three options are passed through as given, None included: Notify validates them.

    :param f: a file-like object opened in binary mode (``open(path, "rb")``, ``io.BytesIO``).
    :param filename: the name recipients see; it must end with a file extension.
    :param confirm_email_before_download: False lets recipients download without confirming
        their email address.
    :param retention_period: how long the file stays available, e.g. ``"4 weeks"``.
    :raises ValueError: the content is larger than 2 MiB.
    :raises TypeError: ``f`` is not a binary file-like object.
    """
    contents = read_binary(f)
    if len(contents) > DOCUMENT_UPLOAD_SIZE_LIMIT:
        raise ValueError("File is larger than 2MB")
    return {
        "file": base64.b64encode(contents).decode("ascii"),
        "filename": filename,
        "confirm_email_before_download": confirm_email_before_download,
        "retention_period": retention_period,
    }
