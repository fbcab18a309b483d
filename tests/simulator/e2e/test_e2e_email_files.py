"""POST /v2/notifications/email with files: links, options and every refusal.

Behaviour: Sending files by email.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest
from e2e_support import (
    EICAR,
    EMAIL_TEMPLATE_ID,
    OUTSIDER_EMAIL,
    SERVICE_ID,
    TEAM_KEY_RECIPIENT,
    ClientFactory,
    derived_id,
    expect_bad_request,
    expect_schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.utils import prepare_upload

SUPPORTED = (
    "Supported types are: '.csv', '.doc', '.docx', '.jpeg', '.jpg', '.json', '.odt', '.pdf', "
    "'.png', '.rtf', '.txt', '.xlsx'"
)
DOWNLOAD_LINK = re.compile(
    # The simulator's own download pages, at the address the client used.
    r"http://127\.0\.0\.1:\d+/_simulator/d/[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}"
    r"\?key=[A-Za-z0-9_-]{43}"
)
NO_FILES = service("No file contacts", file_download_contact_details=False)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(NO_FILES)


def _upload(content: bytes, **options: Any) -> dict[str, Any]:
    return dict(prepare_upload(io.BytesIO(content), **options))


def _send_file(notify: NotificationsAPIClient, file_object: Mapping[str, Any]) -> Any:
    return notify.send_email_notification(OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": file_object})


def test_file_becomes_a_download_link(test_key_client: NotificationsAPIClient) -> None:
    upload = _upload(b"a,b\n1,2\n", filename="birds.csv", retention_period="4 weeks")

    body = _send_file(test_key_client, upload)["content"]["body"]

    link = body.removeprefix("Dear ").split(",\n")[0]
    assert DOWNLOAD_LINK.fullmatch(link), body


def test_smoke_test_address_validates_files_but_stores_nothing(
    sim: NotifySimulator, live_client: NotificationsAPIClient
) -> None:
    response = live_client.send_email_notification(
        "Simulate-Delivered@notifications.service.gov.uk",
        EMAIL_TEMPLATE_ID,
        {"name": _upload(b"hello", filename="a.txt")},
    )

    assert sim.notifications == []
    assert f"/services/{SERVICE_ID}/documents/test-document," in response["content"]["body"]


@pytest.mark.parametrize(
    ("file_object", "messages"),
    [
        ({"file": 5}, ["file 5 is not of type string"]),
        (
            {"file": "YQ==", "filename": "noextension"},
            ["filename `filename` must end with a file extension. For example, filename.csv"],
        ),
        (
            {"file": "YQ==", "confirm_email_before_download": "yes"},
            [
                "confirm_email_before_download Unsupported value for "
                "confirm_email_before_download: yes. Use a boolean true or false value."
            ],
        ),
        (
            {"file": "YQ==", "retention_period": "79 weeks"},
            [
                "retention_period Unsupported value for retention_period: 79 weeks. "
                "Supported periods are from 1 to 78 weeks."
            ],
        ),
        (
            {"file": "YQ==", "retention_period": "it's long"},
            [
                "retention_period Unsupported value for retention_period: its long. "
                "Supported periods are from 1 to 78 weeks."
            ],
        ),
        (
            {"file": "YQ==", "is_csv": "no"},
            ["is_csv Unsupported value for is_csv: no. Use a boolean true or false value."],
        ),
        (
            {"file": "YQ==", "is_csv": None, "filename": None},
            ["Do not set a value for `is_csv` if `filename` is set."],
        ),
        (
            {"file": "YQ==", "colour": "red"},
            ["Additional properties are not allowed (colour was unexpected)"],
        ),
    ],
)
def test_file_object_errors(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any], messages: list[str]
) -> None:
    expect_schema_errors(
        lambda: _send_file(test_key_client, file_object),
        *messages,
    )


def test_files_need_the_services_contact_details(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    notify = clients("test", NO_FILES["id"])
    service_id = NO_FILES["id"]

    expect_bad_request(
        lambda: notify.send_email_notification(
            OUTSIDER_EMAIL,
            derived_id("No file contacts", "email"),
            {"name": _upload(b"hi", filename="a.txt")},
        ),
        "Send files by email has not been set up - add contact details for your service at "
        f"https://www.notifications.service.gov.uk/services/{service_id}/service-settings/"
        "send-files-by-email",
    )


def _zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("a.txt", "hello")
    return output.getvalue()


@pytest.mark.parametrize(
    ("file_object", "message"),
    [
        ({"file": "a", "filename": "a.txt"}, "Document is not base64 encoded"),
        ({"file": "", "filename": "a.txt"}, "Document must not be empty"),
        (
            {
                "file": base64.b64encode(b"a" * (2 * 1024 * 1024 + 1025)).decode(),
                "filename": "a.txt",
            },
            "Uploaded file exceeds file size limit",
        ),
        (
            {"file": "YQ==", "filename": "a" * 97 + ".txt"},
            "`filename` cannot be longer than 100 characters",
        ),
        ({"file": "YQ==", "filename": "a.exe"}, f"Unsupported file type '.exe'. {SUPPORTED}"),
        (
            {"file": base64.b64encode(_zip_bytes()).decode()},
            f"Unsupported file type 'application/zip'. {SUPPORTED}",
        ),
        (
            {"file": base64.b64encode(EICAR).decode(), "filename": "a.txt"},
            "File did not pass the virus scan",
        ),
    ],
)
def test_upload_refusals(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any], message: str
) -> None:
    expect_bad_request(
        lambda: _send_file(test_key_client, file_object),
        message,
    )


def test_recipient_is_checked_before_files(team_client: NotificationsAPIClient) -> None:
    expect_bad_request(
        lambda: _send_file(team_client, {"file": 5}),
        TEAM_KEY_RECIPIENT,
    )


@pytest.mark.parametrize(
    "file_object",
    [
        _upload(b"hello", filename="a.txt", confirm_email_before_download=False),
        _upload(b"hello", filename="a.txt", retention_period="1 week"),
        _upload(b"hello", filename="a.TXT", retention_period=" 78 Weeks "),
        {"file": base64.b64encode(b"a,b\n1,2\n").decode(), "is_csv": True},
        {"file": base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()},
    ],
)
def test_accepted_file_options(
    test_key_client: NotificationsAPIClient, file_object: dict[str, Any]
) -> None:
    body = _send_file(test_key_client, file_object)["content"]["body"]

    assert DOWNLOAD_LINK.search(body), body
