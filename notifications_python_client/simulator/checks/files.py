"""Files sent by email: personalisation values that are objects with a ``file`` key.

Behaviour: Sending files by email.

Three stages, as on the real service: the file object's schema (``file_object_errors``), the
service's file-download contact details (``send_files_not_set_up_message``), then the upload
to the document store (``upload_document``), which may refuse the content.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import secrets
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DOCUMENT_DOWNLOAD_ROOT = "https://documents.service.gov.uk"
MAX_DOCUMENT_SIZE_BYTES = 2 * 1024 * 1024 + 1024
MAX_FILENAME_LENGTH_CHARS = 100
MAX_RETENTION_PERIOD_WEEKS = 78
DEFAULT_RETENTION_PERIOD_WEEKS = 26
DOCUMENT_KEY_BYTES = 32

ALLOWED_EXTENSIONS = (
    "csv", "doc", "docx", "jpeg", "jpg", "json", "odt", "pdf", "png", "rtf", "txt", "xlsx",
)  # fmt: skip
ALLOWED_MIME_TYPES = frozenset(
    {
        "application/json",
        "application/msword",
        "application/pdf",
        "application/rtf",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/jpeg",
        "image/png",
        "text/csv",
        "text/plain",
        "text/rtf",
    }
)
_SUPPORTED_TYPES_TEXT = ", ".join(f"'.{extension}'" for extension in ALLOWED_EXTENSIONS)
_FILE_OBJECT_KEYS = ("file", "filename", "confirm_email_before_download", "retention_period")
_LEGACY_KEYS = ("is_csv",)
_RETENTION_PERIOD = re.compile(r"([0-9]+) weeks?")
# The anti-virus test file, split so that scanners do not flag this module itself.
EICAR_SIGNATURE = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

SEND_FILES_NOT_SET_UP_MESSAGE = (
    "Send files by email has not been set up - add contact details for your service at "
    "https://www.notifications.service.gov.uk/services/{service_id}/service-settings/"
    "send-files-by-email"
)


class UploadRefused(Exception):
    """The document store refused a file; ``message`` is the 400 ``BadRequestError`` text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def file_keys(personalisation: Mapping[str, Any]) -> list[str]:
    """The personalisation keys whose values are file uploads, in personalisation order."""
    return [
        key for key, value in personalisation.items() if isinstance(value, dict) and "file" in value
    ]


def file_object_errors(obj: Mapping[str, Any]) -> list[str]:
    """The ``ValidationError`` messages for one file object, in the order Notify lists them.

    Type errors print the value as the schema validator does (``repr``); Notify's own wordings
    print it with ``str``. Both drop ASCII apostrophes. They differ only for strings holding
    quotes, backslashes or control characters, where the real server was not observed.
    """
    errors: list[str] = []
    if not isinstance(obj.get("file"), str):
        errors.append(f"file {_python_repr(obj.get('file'))} is not of type string")
    filename = obj.get("filename")
    if filename is not None and not (isinstance(filename, str) and "." in filename):
        errors.append(
            "filename `filename` must end with a file extension. For example, filename.csv"
        )
    errors += _boolean_option_errors(obj, "confirm_email_before_download")
    retention_period = obj.get("retention_period")
    if retention_period is not None and _retention_weeks(retention_period) is None:
        errors.append(
            "retention_period Unsupported value for retention_period: "
            f"{_message_value(retention_period)}. Supported periods are from 1 to "
            f"{MAX_RETENTION_PERIOD_WEEKS} weeks."
        )
    errors += _boolean_option_errors(obj, "is_csv")
    if "is_csv" in obj and "filename" in obj:
        errors.append("Do not set a value for `is_csv` if `filename` is set.")
    unexpected = sorted(key for key in obj if key not in _FILE_OBJECT_KEYS + _LEGACY_KEYS)
    if unexpected:
        verb = "was" if len(unexpected) == 1 else "were"
        errors.append(
            f"Additional properties are not allowed ({', '.join(unexpected)} {verb} unexpected)"
        )
    return errors


def send_files_not_set_up_message(service_id: str) -> str:
    """The 400 message for a service without file-download contact details."""
    return SEND_FILES_NOT_SET_UP_MESSAGE.format(service_id=service_id)


def smoke_test_document_link(service_id: str) -> str:
    """The link a smoke-test recipient gets instead of an uploaded file.

    Behaviour: Smoke-test recipients.

    Notify names only a "download host" for this; the simulator uses the public host of
    the download links, ``https://documents.service.gov.uk``.
    """
    return f"{DOCUMENT_DOWNLOAD_ROOT}/services/{service_id}/documents/test-document"


@dataclass(frozen=True)
class UploadedDocument:
    """A file the document store took: its link, and what its download page needs."""

    link: str
    document_id: str
    key: str
    content: bytes
    filename: str | None
    confirm_email_before_download: bool
    retention_weeks: int


def upload_document(
    obj: Mapping[str, Any],
    *,
    service_id: str,
    new_document_id: Callable[[], uuid.UUID] = uuid.uuid4,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> str:
    """Check a schema-valid file object as the document store does; return its download link.

    Raises ``UploadRefused`` with the document store's message when the file is refused.
    ``new_document_id`` and ``random_bytes`` make the link predictable in tests.
    """
    return accept_document(
        obj, service_id=service_id, new_document_id=new_document_id, random_bytes=random_bytes
    ).link


def accept_document(
    obj: Mapping[str, Any],
    *,
    service_id: str,
    download_root: str = DOCUMENT_DOWNLOAD_ROOT,
    new_document_id: Callable[[], uuid.UUID] = uuid.uuid4,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> UploadedDocument:
    """Check a file object as ``upload_document`` does, and keep what serving it needs.

    ``download_root`` is where the links point: Notify's document download host, or the
    simulator's own download pages.

    :raises UploadRefused: with the document store's message.
    """
    content = _decode(obj.get("file"))
    if not content:
        raise UploadRefused("Document must not be empty")
    if len(content) > MAX_DOCUMENT_SIZE_BYTES:
        raise UploadRefused("Uploaded file exceeds file size limit")
    filename = obj.get("filename")
    if isinstance(filename, str):
        _check_filename(filename)
    else:
        mime_type = detect_mime_type(content, is_csv=obj.get("is_csv") is True)
        if mime_type not in ALLOWED_MIME_TYPES:
            raise UploadRefused(_unsupported(mime_type))
    if EICAR_SIGNATURE in content:
        raise UploadRefused("File did not pass the virus scan")
    service_part = _url_safe(uuid.UUID(service_id).bytes)
    document_part = _url_safe(new_document_id().bytes)
    key = _url_safe(random_bytes(DOCUMENT_KEY_BYTES))
    confirm = obj.get("confirm_email_before_download")
    return UploadedDocument(
        link=f"{download_root}/d/{service_part}/{document_part}?key={key}",
        document_id=document_part,
        key=key,
        content=content,
        filename=filename if isinstance(filename, str) else None,
        confirm_email_before_download=confirm is not False,
        retention_weeks=_retention_weeks(obj.get("retention_period"))
        or DEFAULT_RETENTION_PERIOD_WEEKS,
    )


def detect_mime_type(content: bytes, *, is_csv: bool = False) -> str:
    """The content type read from the file's first bytes, as the document store sniffs it."""
    signatures = (
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
        (b"{\\rtf", "text/rtf"),
    )
    for signature, mime_type in signatures:
        if content.startswith(signature):
            return mime_type
    if content.startswith(b"PK\x03\x04"):
        return _zip_mime_type(content)
    text = _as_text(content)
    if text is None:
        return "application/octet-stream"
    if is_csv:
        return "text/csv"
    return "application/json" if _is_json_document(text) else "text/plain"


def _decode(value: object) -> bytes:
    """Strict base64 decoding, as the document store insists on."""
    try:
        if not isinstance(value, str):
            raise ValueError("not a string")
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise UploadRefused("Document is not base64 encoded") from error


def _check_filename(filename: str) -> None:
    if len(filename) > MAX_FILENAME_LENGTH_CHARS:
        raise UploadRefused(
            f"`filename` cannot be longer than {MAX_FILENAME_LENGTH_CHARS} characters"
        )
    extension = filename.rsplit(".", 1)[-1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise UploadRefused(_unsupported(f".{extension}"))


def _unsupported(file_type: str) -> str:
    return f"Unsupported file type '{file_type}'. Supported types are: {_SUPPORTED_TYPES_TEXT}"


def _zip_mime_type(content: bytes) -> str:
    """Office documents are zip files told apart by the names inside them."""
    odt = "application/vnd.oasis.opendocument.text"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == odt.encode():
                return odt
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        # A damaged archive (or one needing a password) is still recognisably a zip file.
        return "application/zip"
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/zip"


def _as_text(content: bytes) -> str | None:
    """The content as text, or ``None`` when it is binary (not UTF-8, or control characters)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    allowed_controls = {"\t", "\n", "\r", "\f"}
    if any((char < " " and char not in allowed_controls) or char == "\x7f" for char in text):
        return None
    return text


def _is_json_document(text: str) -> bool:
    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False


def _boolean_option_errors(obj: Mapping[str, Any], key: str) -> list[str]:
    """The error for an option that must be ``true``, ``false`` or ``null``, if it is not."""
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return []
    return [
        f"{key} Unsupported value for {key}: {_message_value(value)}. "
        "Use a boolean true or false value."
    ]


def _retention_weeks(value: object) -> int | None:
    """The retention period in weeks, or ``None`` when the value is not a supported period."""
    if not isinstance(value, str):
        return None
    match = _RETENTION_PERIOD.fullmatch(value.strip().lower())
    if match is None:
        return None
    digits = match.group(1).lstrip("0")
    # Very long numbers are out of range anyway; checking the length keeps int() cheap.
    if not digits or len(digits) > 2:
        return None
    weeks = int(digits)
    return weeks if weeks <= MAX_RETENTION_PERIOD_WEEKS else None


def _python_repr(value: object) -> str:
    """A JSON value as the schema validator prints it: Python ``repr`` without apostrophes."""
    return repr(value).replace("'", "")


def _message_value(value: object) -> str:
    """A JSON value as Notify's own wordings print it: Python ``str`` without apostrophes."""
    return str(value).replace("'", "")


def _url_safe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
