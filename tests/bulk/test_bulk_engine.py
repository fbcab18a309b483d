"""The worker pool: each row sent once with a reference, failures sorted by what they mean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import requests_mock as rm
from bulk_support import SMS_TEMPLATE_ID, template_response

from notifications_python_client.bulk import RowResult, SendRateLimiter, send_batch
from notifications_python_client.bulk.engine import BatchEngine
from notifications_python_client.bulk.results_file import PreviousRun, ResultsJournal, RunIdentity
from notifications_python_client.bulk.row_checks import Message
from notifications_python_client.bulk.template_fields import BatchTemplate
from notifications_python_client.errors import RateLimitError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
KEY = f"bulk_key-{SERVICE_ID}-3d844edf-8d35-48ac-975b-e847b4f122b0"
API = "https://api.notify.test"
SMS_URL = f"{API}/v2/notifications/sms"
LIST_URL = f"{API}/v2/notifications"


class Waits:
    """The retry policy's sleep: recorded, never slept."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def client(requests_mock: rm.Mocker, waits: Waits) -> NotificationsAPIClient:
    requests_mock.get(f"{API}/v2/template/{SMS_TEMPLATE_ID}", json=template_response())
    policy = RetryPolicy(sleep=waits, random=lambda: 0.5)
    return NotificationsAPIClient(KEY, base_url=API, retry=policy)


def accept_all(requests_mock: rm.Mocker) -> None:
    """Every send is taken; each answer's id is made from the row's reference."""

    def created(request: Any, context: Any) -> dict[str, Any]:
        context.status_code = 201
        return {"id": f"id-{request.json()['reference']}"}

    requests_mock.post(SMS_URL, json=created)


def rows(count: int) -> list[dict[str, str]]:
    return [{"Phone Number": f"07700 9{10_000 + n:05d}", "name": f"P{n}"} for n in range(count)]


def sends(requests_mock: rm.Mocker) -> list[dict[str, Any]]:
    return [r.json() for r in requests_mock.request_history if r.method == "POST"]


def by_row(results: Iterator[RowResult]) -> dict[int, RowResult]:
    return {result.row: result for result in results}


def test_every_row_is_sent_once_with_a_reference_of_its_own(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    accept_all(requests_mock)

    results = by_row(send_batch(client, SMS_TEMPLATE_ID, rows(3), batch_id="b1", workers=2))

    assert {row: (r.status, r.reference, r.notification_id) for row, r in results.items()} == {
        2: ("sent", "batch-b1-row-2", "id-batch-b1-row-2"),
        3: ("sent", "batch-b1-row-3", "id-batch-b1-row-3"),
        4: ("sent", "batch-b1-row-4", "id-batch-b1-row-4"),
    }
    assert sorted(sends(requests_mock), key=lambda body: body["reference"])[0] == {
        "phone_number": "07700 910000",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"name": "P0"},
        "reference": "batch-b1-row-2",
    }


def test_a_rows_own_reference_is_used_and_batch_ids_differ_between_runs(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    accept_all(requests_mock)
    own = [{"phone number": "07700900123", "name": "A", "reference": "invoice-17"}]

    first = list(send_batch(client, SMS_TEMPLATE_ID, own))
    second = list(send_batch(client, SMS_TEMPLATE_ID, rows(1)))
    third = list(send_batch(client, SMS_TEMPLATE_ID, rows(1)))

    assert first[0].reference == "invoice-17"
    assert second[0].reference != third[0].reference


def test_a_row_notify_refuses_is_failed_with_its_message_and_the_run_goes_on(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    def answer(request: Any, context: Any) -> dict[str, Any]:
        if request.json()["reference"].endswith("row-3"):
            context.status_code = 400
            message = "Cannot send to international mobile numbers"
            return {"status_code": 400,
                    "errors": [{"error": "BadRequestError", "message": message}]}  # fmt: skip
        context.status_code = 201
        return {"id": "ok"}

    requests_mock.post(SMS_URL, json=answer)

    results = by_row(send_batch(client, SMS_TEMPLATE_ID, rows(3), batch_id="b", workers=1))

    assert [results[row].status for row in (2, 3, 4)] == ["sent", "failed", "sent"]
    assert results[3].error == "400 BadRequestError: Cannot send to international mobile numbers"
    assert results[3].exception is not None and results[3].exception.status_code == 400


def daily_limit(context: Any) -> dict[str, Any]:
    context.status_code = 429
    return {"status_code": 429, "errors": [
        {"error": "TooManyRequestsError", "message": "Exceeded send limits (sms: 3) for today"}
    ]}  # fmt: skip


def test_the_daily_limit_stops_the_run_and_reports_the_rest_as_not_sent(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    answers = iter([201, 201, 429])

    def answer(request: Any, context: Any) -> dict[str, Any]:
        if next(answers, 429) == 429:
            return daily_limit(context)
        context.status_code = 201
        return {"id": "ok"}

    requests_mock.post(SMS_URL, json=answer)

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(6), batch_id="b", workers=1))

    ordered = sorted(results, key=lambda r: r.row)
    statuses = [r.status for r in ordered]
    assert statuses == ["sent", "sent", "not sent", "not sent", "not sent", "not sent"]
    assert len(sends(requests_mock)) == 3
    assert ordered[2].error == "429 TooManyRequestsError: Exceeded send limits (sms: 3) for today"
    assert ordered[-1].error == (
        "not sent: the run stopped after 429 TooManyRequestsError: "
        "Exceeded send limits (sms: 3) for today"
    )


def test_a_refused_key_stops_the_run(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(SMS_URL, status_code=403, json={"status_code": 403, "errors": [
        {"error": "AuthError", "message": "Invalid token: API key not found"}
    ]})  # fmt: skip

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(4), workers=1))

    assert [r.status for r in results] == ["not sent"] * 4
    assert len(sends(requests_mock)) == 1


def test_a_per_minute_429_is_retried_and_slows_the_limiter(
    client: NotificationsAPIClient, requests_mock: rm.Mocker, waits: Waits
) -> None:
    message = "Exceeded rate limit for key type TEST of 3000 requests per 60 seconds"
    rate_limited = {"status_code": 429,
                    "errors": [{"error": "RateLimitError", "message": message}]}  # fmt: skip
    requests_mock.post(SMS_URL, [{"status_code": 429, "json": rate_limited},
                                 {"status_code": 201, "json": {"id": "n-1"}}])  # fmt: skip
    template = BatchTemplate.from_response(template_response())
    limiter = SendRateLimiter(pulse_seconds=0)
    engine = BatchEngine(client, template, limiter=limiter, batch_id="b", workers=1)

    results = list(engine.run([Message(2, {"phone_number": "07700900123"}, {"name": "A"})]))

    assert [(r.status, r.notification_id) for r in results] == [("sent", "n-1")]
    assert len(waits.seconds) == 1
    assert limiter.rate_per_second < limiter.max_rate_per_second
    assert client.retry_policy is not None and client.retry_policy.on_retry is None


def test_a_send_whose_answer_was_lost_is_found_by_its_reference_not_sent_again(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(SMS_URL, exc=requests.exceptions.ReadTimeout("no answer"))
    requests_mock.get(LIST_URL, json={"notifications": [{
        "id": "found-1", "reference": "batch-b-row-2", "type": "sms",
        "template": {"id": SMS_TEMPLATE_ID, "version": 3}, "phone_number": "07700 910000",
    }], "links": {}})  # fmt: skip

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(1), batch_id="b"))

    assert [(r.status, r.notification_id) for r in results] == [("sent", "found-1")]
    assert len(sends(requests_mock)) == 1


def test_a_send_whose_outcome_stays_unknown_is_unknown(
    requests_mock: rm.Mocker, waits: Waits
) -> None:
    requests_mock.get(f"{API}/v2/template/{SMS_TEMPLATE_ID}", json=template_response())
    requests_mock.post(SMS_URL, exc=requests.exceptions.ReadTimeout("no answer"))
    client = NotificationsAPIClient(KEY, base_url=API, retry=RetryPolicy(max_retries=0))

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(1), batch_id="b"))

    assert [r.status for r in results] == ["unknown"]
    assert results[0].exception is not None
    assert results[0].exception.may_have_been_sent


def test_an_answer_that_is_not_json_after_a_send_is_unknown(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(SMS_URL, status_code=201, text="<html>proxy</html>")

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(1)))

    assert [r.status for r in results] == ["unknown"]
    assert len(sends(requests_mock)) == 1


def test_a_row_a_crashed_run_left_unsettled_is_looked_up_before_sending(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    accept_all(requests_mock)
    requests_mock.get(LIST_URL, [
        {"json": {"notifications": [{"id": "earlier", "reference": "batch-old-row-2",
            "type": "sms", "template": {"id": SMS_TEMPLATE_ID}, "phone_number": "07700900123"}]}},
        {"json": {"notifications": []}},
    ])  # fmt: skip
    messages = [
        Message(row, {"phone_number": "07700900123"}, {"name": "A"}) for row in (2, 3, 4, 5)
    ]
    digest = bytes.fromhex(messages[0].digest)
    previous = PreviousRun("old", SMS_TEMPLATE_ID)
    previous.mark(2, "sending", "batch-old-row-2", digest)
    previous.mark(3, "unknown", "batch-old-row-3", digest)
    previous.mark(4, "sent", "batch-old-row-4", digest)
    template = BatchTemplate.from_response(template_response())
    engine = BatchEngine(client, template, limiter=SendRateLimiter(), batch_id="old", workers=1)

    results = by_row(engine.run(messages, previous=previous))

    assert {row: (r.status, r.notification_id) for row, r in results.items()} == {
        2: ("sent", "earlier"),
        3: ("sent", "id-batch-old-row-3"),
        4: ("skipped", None),
        5: ("sent", "id-batch-old-row-5"),
    }
    assert [body["reference"] for body in sends(requests_mock)] == [
        "batch-old-row-3", "batch-old-row-5",
    ]  # fmt: skip


def test_rows_that_fail_the_checks_are_invalid_and_the_rest_go(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    accept_all(requests_mock)
    batch = [{"phone number": "12", "name": ""}, {"phone number": "07700900123", "name": "B"}]

    results = by_row(send_batch(client, SMS_TEMPLATE_ID, batch, batch_id="b"))

    assert results[2].status == "invalid"
    assert results[2].error == "phone number: Not enough digits; no value for ((name))"
    assert results[3].status == "sent"
    assert len(sends(requests_mock)) == 1


def test_no_rows_send_nothing(client: NotificationsAPIClient, requests_mock: rm.Mocker) -> None:
    assert list(send_batch(client, SMS_TEMPLATE_ID, [])) == []


def test_stopping_early_still_records_what_was_in_flight(
    client: NotificationsAPIClient, requests_mock: rm.Mocker, tmp_path: Path
) -> None:
    accept_all(requests_mock)
    template = BatchTemplate.from_response(template_response())
    engine = BatchEngine(client, template, limiter=SendRateLimiter(), batch_id="b", workers=3)
    messages = [
        Message(row, {"phone_number": "07700900123"}, {"name": "A"}) for row in range(2, 40)
    ]
    path = tmp_path / "results.jsonl"

    identity = RunIdentity("sha256:input", SMS_TEMPLATE_ID)
    with ResultsJournal(path, identity, lambda: "b") as journal:
        results = engine.run(messages, journal=journal)
        next(results)
        results.close()

    entries = [json.loads(line) for line in path.read_text().splitlines()[1:]]
    started = {e["row"] for e in entries if e["status"] == "sending"}
    outcomes = {e["row"]: e["status"] for e in entries if e["status"] != "sending"}
    assert started and started == set(outcomes)
    sent = {row for row, outcome in outcomes.items() if outcome == "sent"}
    assert set(outcomes.values()) <= {"sent", "not sent"}
    assert len(sends(requests_mock)) == len(sent)
    assert len(started) <= 6  # at most two per worker were ever under way


def test_a_fault_of_ours_during_a_send_is_unknown_not_a_crash(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(SMS_URL, exc=RecursionError("deep"))

    results = list(send_batch(client, SMS_TEMPLATE_ID, rows(1)))

    assert [(r.status, r.error) for r in results] == [
        ("unknown", "unexpected error: RecursionError: deep")
    ]


@pytest.mark.parametrize("workers", [0, -1, True, 2.5])
def test_the_number_of_workers_is_checked(client: NotificationsAPIClient, workers: Any) -> None:
    template = BatchTemplate.from_response(template_response())

    with pytest.raises(ValueError, match="workers must be a whole number"):
        BatchEngine(client, template, limiter=SendRateLimiter(), batch_id="b", workers=workers)


def test_the_rate_limit_error_is_the_one_retried(client: NotificationsAPIClient) -> None:
    assert RateLimitError.retryable


def test_values_that_are_not_text_are_sent_as_text(
    client: NotificationsAPIClient, requests_mock: rm.Mocker
) -> None:
    accept_all(requests_mock)

    list(send_batch(client, SMS_TEMPLATE_ID, [{"phone number": "07700900123", "name": 0}]))

    assert sends(requests_mock)[0]["personalisation"] == {"name": "0"}
