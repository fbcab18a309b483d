"""Files sent by email: file-object validation, upload refusals and links.

Behaviour: Sending files by email.
"""

from __future__ import annotations

import base64
import io
import re
import uuid
import zipfile
from typing import Any

import pytest

from notifications_python_client.simulator.checks.files import (
    MAX_DOCUMENT_SIZE_BYTES,
    UploadRefused,
    detect_mime_type,
    file_keys,
    file_object_errors,
    send_files_not_set_up_message,
    smoke_test_document_link,
    upload_document,
)

SERVICE_ID = "5e4f1cbd-4c3b-4d7e-9a6a-0c1d2e3f4a5b"
SUPPORTED = (
    "Supported types are: '.csv', '.doc', '.docx', '.jpeg', '.jpg', '.json', '.odt', '.pdf', "
    "'.png', '.rtf', '.txt', '.xlsx'"
)
# Written in two halves so that nothing scans this test file as a test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def zipped(*names: str, mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def client_file(content: bytes, **options: Any) -> dict[str, Any]:
    """A file object as the Python client sends it: all three options, null when unset."""
    obj: dict[str, Any] = {
        "file": b64(content),
        "filename": None,
        "confirm_email_before_download": None,
        "retention_period": None,
    }
    obj.update(options)
    return obj


def test_file_keys_are_objects_with_a_file_key_in_order() -> None:
    personalisation = {
        "b_doc": {"file": "QQ=="},
        "name": "Amala",
        "plain_object": {"filename": "x.pdf"},
        "a_doc": {"file": 5},
        "listed": ["file"],
    }
    assert file_keys(personalisation) == ["b_doc", "a_doc"]


@pytest.mark.parametrize(
    "obj",
    [
        {"file": "QQ=="},
        client_file(b"A"),
        client_file(
            b"A", filename="a.csv", confirm_email_before_download=False, retention_period="1 week"
        ),
        {"file": "QQ==", "is_csv": True},
        {"file": "QQ==", "retention_period": " 78 WEEKS "},
        {"file": "QQ==", "retention_period": "026 weeks", "confirm_email_before_download": True},
    ],
)
def test_valid_file_objects(obj: dict[str, Any]) -> None:
    assert file_object_errors(obj) == []


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"file": 5}, "file 5 is not of type string"),
        ({"file": None}, "file None is not of type string"),
        ({"file": True}, "file True is not of type string"),
        ({"file": ["a", "b"]}, "file [a, b] is not of type string"),
        ({"file": {"k": 1}}, "file {k: 1} is not of type string"),
        (
            {"file": "QQ==", "filename": "report"},
            "filename `filename` must end with a file extension. For example, filename.csv",
        ),
        (
            {"file": "QQ==", "filename": 12},
            "filename `filename` must end with a file extension. For example, filename.csv",
        ),
        (
            {"file": "QQ==", "confirm_email_before_download": "yes"},
            "confirm_email_before_download Unsupported value for confirm_email_before_download: "
            "yes. Use a boolean true or false value.",
        ),
        (
            {"file": "QQ==", "confirm_email_before_download": 1},
            "confirm_email_before_download Unsupported value for confirm_email_before_download: "
            "1. Use a boolean true or false value.",
        ),
        (
            {"file": "QQ==", "retention_period": "79 weeks"},
            "retention_period Unsupported value for retention_period: 79 weeks. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        (
            {"file": "QQ==", "retention_period": "0 weeks"},
            "retention_period Unsupported value for retention_period: 0 weeks. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        (
            {"file": "QQ==", "retention_period": "six months"},
            "retention_period Unsupported value for retention_period: six months. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        (
            {"file": "QQ==", "retention_period": 26},
            "retention_period Unsupported value for retention_period: 26. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        (
            {"file": "QQ==", "retention_period": "it's 2 weeks"},
            "retention_period Unsupported value for retention_period: its 2 weeks. "
            "Supported periods are from 1 to 78 weeks.",
        ),
        (
            {"file": "QQ==", "is_csv": "true"},
            "is_csv Unsupported value for is_csv: true. Use a boolean true or false value.",
        ),
        (
            {"file": "QQ==", "is_csv": None, "filename": None},
            "Do not set a value for `is_csv` if `filename` is set.",
        ),
        (
            {"file": "QQ==", "is_csv": False, "filename": "a.csv"},
            "Do not set a value for `is_csv` if `filename` is set.",
        ),
        (
            {"file": "QQ==", "foo": 1},
            "Additional properties are not allowed (foo was unexpected)",
        ),
        (
            {"file": "QQ==", "foo": 1, "bar": None},
            "Additional properties are not allowed (bar, foo were unexpected)",
        ),
    ],
)
def test_each_file_object_rule(obj: dict[str, Any], message: str) -> None:
    assert file_object_errors(obj) == [message]


def test_several_errors_come_in_schema_order() -> None:
    obj = {
        "zeta": 1,
        "is_csv": "no",
        "retention_period": "100 weeks",
        "confirm_email_before_download": "no",
        "filename": "noextension",
        "file": 1.5,
    }
    assert file_object_errors(obj) == [
        "file 1.5 is not of type string",
        "filename `filename` must end with a file extension. For example, filename.csv",
        "confirm_email_before_download Unsupported value for confirm_email_before_download: no. "
        "Use a boolean true or false value.",
        "retention_period Unsupported value for retention_period: 100 weeks. "
        "Supported periods are from 1 to 78 weeks.",
        "is_csv Unsupported value for is_csv: no. Use a boolean true or false value.",
        "Do not set a value for `is_csv` if `filename` is set.",
        "Additional properties are not allowed (zeta was unexpected)",
    ]


def test_send_files_not_set_up_message() -> None:
    assert send_files_not_set_up_message(SERVICE_ID) == (
        "Send files by email has not been set up - add contact details for your service at "
        f"https://www.notifications.service.gov.uk/services/{SERVICE_ID}/service-settings/"
        "send-files-by-email"
    )


def test_smoke_test_document_link() -> None:
    assert smoke_test_document_link(SERVICE_ID) == (
        f"https://documents.service.gov.uk/services/{SERVICE_ID}/documents/test-document"
    )


def test_upload_link_is_built_from_service_document_and_key() -> None:
    document_id = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
    link = upload_document(
        client_file(b"%PDF-1.4 a letter", filename="letter.pdf"),
        service_id=SERVICE_ID,
        new_document_id=lambda: document_id,
        random_bytes=lambda size: bytes(range(size)),
    )
    service_part = base64.urlsafe_b64encode(uuid.UUID(SERVICE_ID).bytes).rstrip(b"=").decode()
    assert link == (
        f"https://documents.service.gov.uk/d/{service_part}/ABEiM0RVZneImaq7zN3u_w"
        "?key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    )


def test_upload_links_are_random_and_well_formed() -> None:
    obj = client_file(b"name,age\nA,1\n", filename="people.csv")
    links = {upload_document(obj, service_id=SERVICE_ID) for _ in range(3)}
    assert len(links) == 3
    pattern = re.compile(
        r"https://documents\.service\.gov\.uk/d/[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}"
        r"\?key=[A-Za-z0-9_-]{43}"
    )
    assert all(pattern.fullmatch(link) for link in links)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"file": "not base64!"}, "Document is not base64 encoded"),
        ({"file": "QUJD\nREVG"}, "Document is not base64 encoded"),
        ({"file": "QUJ"}, "Document is not base64 encoded"),
        ({"file": ""}, "Document must not be empty"),
        (
            client_file(b"a" * (MAX_DOCUMENT_SIZE_BYTES + 1), filename="big.txt"),
            "Uploaded file exceeds file size limit",
        ),
        (
            client_file(b"text", filename="a" * 97 + ".txt"),
            "`filename` cannot be longer than 100 characters",
        ),
        (
            client_file(b"MZ", filename="setup.exe"),
            f"Unsupported file type '.exe'. {SUPPORTED}",
        ),
        (
            client_file(b"GIF89a...", filename="Picture.GIF"),
            f"Unsupported file type '.gif'. {SUPPORTED}",
        ),
        (
            client_file(zipped("notes.txt")),
            f"Unsupported file type 'application/zip'. {SUPPORTED}",
        ),
        (
            client_file(b"GIF89a\x01\x00\x01\x00"),
            f"Unsupported file type 'image/gif'. {SUPPORTED}",
        ),
        (
            client_file(b"\x00\x01\x02binary"),
            f"Unsupported file type 'application/octet-stream'. {SUPPORTED}",
        ),
        (client_file(EICAR), "File did not pass the virus scan"),
        (client_file(b"before " + EICAR, filename="a.txt"), "File did not pass the virus scan"),
    ],
)
def test_upload_refusals(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(UploadRefused) as refusal:
        upload_document(obj, service_id=SERVICE_ID)
    assert refusal.value.message == message
    assert str(refusal.value) == message


@pytest.mark.parametrize(
    "obj",
    [
        client_file(b"a" * MAX_DOCUMENT_SIZE_BYTES, filename="exactly-the-limit.txt"),
        client_file(b"text", filename="a" * 96 + ".txt"),
        client_file(b"anything at all", filename="Report.PDF"),
        client_file(b"%PDF-1.7\n"),
        client_file(b"Hello, world\n"),
        {"file": b64(b"a,b\n1,2\n"), "is_csv": True},
    ],
)
def test_accepted_uploads(obj: dict[str, Any]) -> None:
    assert upload_document(obj, service_id=SERVICE_ID).startswith("https://documents.service")


@pytest.mark.parametrize(
    ("content", "is_csv", "mime_type"),
    [
        (b"%PDF-1.4\n", False, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", False, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", False, "image/jpeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", False, "application/msword"),
        (b"{\\rtf1\\ansi hello}", False, "text/rtf"),
        (
            zipped("[Content_Types].xml", "word/document.xml"),
            False,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            zipped("[Content_Types].xml", "xl/workbook.xml"),
            False,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            zipped("content.xml", mimetype=b"application/vnd.oasis.opendocument.text"),
            False,
            "application/vnd.oasis.opendocument.text",
        ),
        (
            zipped("content.xml", mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
            False,
            "application/zip",
        ),
        (b"PK\x03\x04 damaged", False, "application/zip"),
        (b"plain words\n", False, "text/plain"),
        (b"\xef\xbb\xbfwith a byte order mark", False, "text/plain"),
        (b"a,b\r\n1,2\r\n", True, "text/csv"),
        (b'{"a": [1, 2]}', False, "application/json"),
        (b"[1, 2]", False, "application/json"),
        (b"42", False, "text/plain"),
        (b"\xff\xfe not utf-8", False, "application/octet-stream"),
        (b"bell\x07", False, "application/octet-stream"),
    ],
)
def test_detect_mime_type(content: bytes, is_csv: bool, mime_type: str) -> None:
    assert detect_mime_type(content, is_csv=is_csv) == mime_type


@pytest.mark.parametrize(
    "content",
    [
        zipped("[Content_Types].xml", "word/document.xml"),
        zipped("[Content_Types].xml", "xl/workbook.xml"),
        zipped("content.xml", mimetype=b"application/vnd.oasis.opendocument.text"),
        b"{\\rtf1 x}",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff\xdb",
        b'{"json": true}',
    ],
)
def test_detected_allowed_types_upload_without_a_filename(content: bytes) -> None:
    assert upload_document(client_file(content), service_id=SERVICE_ID).startswith("https://")
