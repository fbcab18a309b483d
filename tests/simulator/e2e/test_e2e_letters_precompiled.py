"""POST /v2/notifications/letter with a PDF: answer, statuses, refusals.

Behaviour: Precompiled letters.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from functools import partial
from typing import Any

import pytest
from e2e_support import (
    EICAR,
    LETTER_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    ClientFactory,
    blank_pdf,
    expect_error,
    schema_errors,
    service,
    with_default_services,
)

from notifications_python_client.errors import AuthError, BadRequestError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

SEND = "/v2/notifications/letter"
NO_LETTERS = service("No letters", permissions=["email", "sms"])


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(NO_LETTERS)


def _pdf_file(content: bytes | None = None) -> io.BytesIO:
    return io.BytesIO(blank_pdf() if content is None else content)


@pytest.mark.parametrize(
    ("postage", "expected"), [(None, "second"), ("first", "first"), ("economy", "economy")]
)
def test_precompiled_letter_answers_three_keys(
    test_key_client: NotificationsAPIClient, postage: str | None, expected: str
) -> None:
    response = test_key_client.send_precompiled_letter_notification("my ref", _pdf_file(), postage)

    assert response == {"id": response["id"], "reference": "my ref", "postage": expected}


def test_precompiled_letter_as_get_shows_it(test_key_client: NotificationsAPIClient) -> None:
    sent = test_key_client.send_precompiled_letter_notification("ref", _pdf_file())

    shown = test_key_client.get_notification_by_id(sent["id"])

    assert (shown["line_1"], shown["line_2"], shown["postcode"]) == ("Provided as PDF", None, None)
    assert (shown["body"], shown["subject"], shown["type"]) == ("", "Pre-compiled PDF", "letter")


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"not a pdf at all", "validation-failed"), (blank_pdf() + EICAR, "virus-scan-failed")],
)
def test_bad_files_are_accepted_then_fail(
    test_key_client: NotificationsAPIClient, content: bytes, status: str
) -> None:
    sent = test_key_client.send_precompiled_letter_notification("ref", _pdf_file(content))

    assert test_key_client.get_notification_by_id(sent["id"])["status"] == status


def test_base64_decoding_is_lenient_about_stray_characters(
    test_key_client: NotificationsAPIClient,
) -> None:
    content = base64.b64encode(blank_pdf()).decode()
    spaced = " ".join(content[i : i + 60] for i in range(0, len(content), 60))

    assert test_key_client.post(SEND, {"reference": "r", "content": spaced})["postage"] == "second"


@pytest.mark.parametrize(
    ("body", "entries"),
    [
        ({"content": "YQ=="}, schema_errors("reference is a required property")),
        ({"content": None, "reference": "r"}, schema_errors("content None is not of type string")),
        (
            {"content": "YQ==", "reference": "r", "template_id": LETTER_TEMPLATE_ID},
            schema_errors("Additional properties are not allowed (template_id was unexpected)"),
        ),
        *[
            (
                {"content": "YQ==", "reference": "r", "postage": postage},
                schema_errors("postage invalid. It must be either first, second or economy."),
            )
            for postage in ("europe", "rest-of-world", "third", "")
        ],
        (
            {"content": "YWJ", "reference": "r"},
            (("BadRequestError", "Cannot decode letter content (invalid base64 encoding)"),),
        ),
    ],
)
def test_precompiled_errors(
    test_key_client: NotificationsAPIClient,
    body: dict[str, Any],
    entries: tuple[tuple[str, str], ...],
) -> None:
    expect_error(lambda: test_key_client.post(SEND, body), BadRequestError, 400, *entries)


def test_precompiled_letter_refusals_by_key_and_service(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    refusals: list[tuple[NotificationsAPIClient, type[HTTPError], int, str]] = [
        (
            clients("test", NO_LETTERS["id"]),
            BadRequestError,
            400,
            "Service is not allowed to send letters",
        ),
        (clients("team"), AuthError, 403, "Cannot send letters with a team api key"),
        (
            clients("team", TRIAL_SERVICE_ID),
            AuthError,
            403,
            "Cannot send letters with a team api key",
        ),
        (
            clients("normal", TRIAL_SERVICE_ID),
            AuthError,
            403,
            "Cannot send letters when service is in trial mode",
        ),
    ]
    for notify, error_class, status, message in refusals:
        expect_error(
            partial(notify.send_precompiled_letter_notification, "r", _pdf_file()),
            error_class,
            status,
            ("BadRequestError", message),
        )


@pytest.mark.parametrize(
    ("content", "status", "completed"),
    [(b"not a pdf", "validation-failed", True), (blank_pdf() + EICAR, "virus-scan-failed", False)],
)
def test_letters_never_sent_cost_nothing(
    test_key_client: NotificationsAPIClient, content: bytes, status: str, completed: bool
) -> None:
    sent = test_key_client.send_precompiled_letter_notification("r", _pdf_file(content), "first")

    shown = test_key_client.get_notification_by_id(sent["id"])

    assert (shown["status"], shown["completed_at"] is not None) == (status, completed)
    assert (shown["is_cost_data_ready"], shown["cost_in_pounds"], shown["cost_details"]) == (
        True,
        0.0,
        {"billable_sheets_of_paper": 0, "postage": "first"},
    )
