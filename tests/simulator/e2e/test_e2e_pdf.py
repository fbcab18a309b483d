"""GET /v2/notifications/{id}/pdf through the real client: every case (behaviour: Letter PDFs)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import partial
from typing import Any

import pypdf
import pytest
from e2e_support import (
    EICAR,
    EMAIL_TEMPLATE_ID,
    LETTER_TEMPLATE_ID,
    NO_RESULT,
    OUTSIDER_EMAIL,
    OUTSIDER_PHONE,
    SMS_TEMPLATE_ID,
    TRIAL_LETTER_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    UK_ADDRESS,
    UNKNOWN_ID,
    ClientFactory,
    bearer,
    blank_pdf,
    derived_id,
    expect_bad_request,
    expect_error,
    expect_schema_errors,
    raw,
    service,
    with_default_services,
)

from notifications_python_client.errors import BadRequestError, NotFoundError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

NOT_READY = ("PDFNotReadyError", "PDF not available yet, try again later")
SLOW_LETTERS = service(
    "Slow letters", timings={"sending_after_seconds": 60, "letter_pdf_ready_after_seconds": 30}
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(SLOW_LETTERS)


@pytest.fixture
def slow(sim: NotifySimulator, clients: ClientFactory) -> NotificationsAPIClient:
    return clients("test", SLOW_LETTERS["id"])


def _letter(notify: NotificationsAPIClient, template_id: str = LETTER_TEMPLATE_ID) -> str:
    return notify.send_letter_notification(template_id, UK_ADDRESS)["id"]


def test_templated_letter_pdf_is_served_as_pdf_to_any_key(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    letter = _letter(clients("test"))

    for key_type in ("test", "team", "normal"):
        pdf = clients(key_type).get_pdf_for_letter(letter).read()
        assert pdf.startswith(b"%PDF-")
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 1
    response = raw(sim, "GET", f"/v2/notifications/{letter}/pdf", authorization=bearer(sim))
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/pdf")


def test_precompiled_letter_pdf_is_the_uploaded_file(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    content = blank_pdf(pages=2)
    letter = test_key_client.send_precompiled_letter_notification("ref", io.BytesIO(content))["id"]

    assert test_key_client.get_pdf_for_letter(letter).read() == content


def test_templated_letter_pdf_is_not_ready_until_generated(
    sim: NotifySimulator, slow: NotificationsAPIClient
) -> None:
    letter = _letter(slow, derived_id("Slow letters", "letter"))

    expect_error(lambda: slow.get_pdf_for_letter(letter), BadRequestError, 400, NOT_READY)
    sim.advance_clock(30)
    assert slow.get_pdf_for_letter(letter).read().startswith(b"%PDF-")


def test_precompiled_letter_pdf_is_not_ready_while_pending_virus_check(
    sim: NotifySimulator, slow: NotificationsAPIClient
) -> None:
    content = blank_pdf()
    letter = slow.send_precompiled_letter_notification("ref", io.BytesIO(content))["id"]

    assert slow.get_notification_by_id(letter)["status"] == "pending-virus-check"
    expect_error(lambda: slow.get_pdf_for_letter(letter), BadRequestError, 400, NOT_READY)
    sim.advance_clock(60)
    assert slow.get_pdf_for_letter(letter).read() == content


def test_letter_that_failed_the_virus_scan_has_no_pdf(
    test_key_client: NotificationsAPIClient,
) -> None:
    letter = test_key_client.send_precompiled_letter_notification(
        "ref", io.BytesIO(blank_pdf() + EICAR)
    )["id"]

    expect_bad_request(
        lambda: test_key_client.get_pdf_for_letter(letter),
        "File did not pass the virus scan",
    )


def test_sms_and_email_are_not_letters(test_key_client: NotificationsAPIClient) -> None:
    sms = test_key_client.send_sms_notification(OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": "A"})
    email = test_key_client.send_email_notification(
        OUTSIDER_EMAIL, EMAIL_TEMPLATE_ID, {"name": "A"}
    )

    for notification in (sms, email):
        expect_bad_request(
            partial(test_key_client.get_pdf_for_letter, notification["id"]),
            "Notification is not a letter",
        )


@pytest.mark.parametrize("bad_id", ["abc", "1234"])
def test_invalid_id_is_a_validation_error(
    test_key_client: NotificationsAPIClient, bad_id: str
) -> None:
    expect_schema_errors(
        lambda: test_key_client.get_pdf_for_letter(bad_id),
        "notification_id is not a valid UUID",
    )


def test_unknown_and_foreign_letters_are_not_found(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    foreign = _letter(clients("test", TRIAL_SERVICE_ID), TRIAL_LETTER_TEMPLATE_ID)

    for letter in (UNKNOWN_ID, foreign):
        expect_error(
            partial(clients("test").get_pdf_for_letter, letter), NotFoundError, 404, NO_RESULT
        )
