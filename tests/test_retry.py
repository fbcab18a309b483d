"""Retries with requests-mock: what is retried, what never is, and sends resolved by reference.

Sleep, clock and jitter are injected, so every wait is known and no test sleeps.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import pytest
import requests
import requests_mock as requests_mock_module
from freezegun import freeze_time

from notifications_python_client.errors import (
    AuthError,
    BadRequestError,
    MaybeSentError,
    NotSentError,
    RateLimitError,
    ServerError,
    TooManyRequestsError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy

BASE_URL = "https://notify.test"
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"my_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFICATION_ID = "740e5834-3a29-46b4-9a6f-16142fde533a"
SMS_URL = f"{BASE_URL}/v2/notifications/sms"
LIST_URL = f"{BASE_URL}/v2/notifications"
TEMPLATE_URL = f"{BASE_URL}/v2/template/{TEMPLATE_ID}"
SENT = {
    "id": NOTIFICATION_ID,
    "reference": "ref-1",
    "content": {"body": "Hi", "from_number": "GOVUK"},
    "uri": f"{BASE_URL}/v2/notifications/{NOTIFICATION_ID}",
    "template": {"id": TEMPLATE_ID, "version": 1, "uri": "x"},
    "scheduled_for": None,
}
RATE_LIMITED = {"errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}]}
DAILY_LIMIT = {"errors": [{"error": "TooManyRequestsError", "message": "Exceeded send limits"}]}


class FakeTime:
    """A clock that moves only when slept on, and a fixed jitter."""

    def __init__(self, jitter: float = 0.5) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.jitter = jitter

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def random(self) -> float:
        return self.jitter


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def client_with(fake_time: FakeTime, **policy: Any) -> NotificationsAPIClient:
    retry = RetryPolicy(
        sleep=fake_time.sleep, clock=fake_time.clock, random=fake_time.random, **policy
    )
    return NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=retry)


def send(client: NotificationsAPIClient, reference: str | None = "ref-1") -> Any:
    return client.send_sms_notification("07700900123", TEMPLATE_ID, reference=reference)


def listed(*notifications: dict[str, Any]) -> dict[str, Any]:
    return {"notifications": list(notifications), "links": {}}


def stored(reference: str = "ref-1", **changes: Any) -> dict[str, Any]:
    """The notification as GET lists it."""
    return {
        "id": NOTIFICATION_ID,
        "reference": reference,
        "type": "sms",
        "phone_number": "07700900123",
        "template": {"id": TEMPLATE_ID, "version": 3, "uri": "u"},
        "body": "Hi Amala",
        "subject": None,
        **changes,
    }


def test_without_a_policy_nothing_is_retried(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(TEMPLATE_URL, status_code=503, json={"errors": []})
    client = NotificationsAPIClient(API_KEY, base_url=BASE_URL)

    with pytest.raises(ServerError):
        client.get_template(TEMPLATE_ID)

    assert requests_mock.call_count == 1


def test_a_read_is_retried_after_5xx_answers_with_backoff(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.get(
        TEMPLATE_URL,
        [
            {"status_code": 503, "json": {}},
            {"status_code": 502, "text": "<html>"},
            {"json": {"id": "t"}},
        ],
    )

    assert client_with(fake_time).get_template(TEMPLATE_ID) == {"id": "t"}
    assert fake_time.sleeps == [0.25, 0.5]  # jitter 0.5 of ceilings 0.5 and 1.0


def test_every_attempt_sends_a_token_of_its_own_second(
    requests_mock: requests_mock_module.Mocker,
) -> None:
    requests_mock.get(TEMPLATE_URL, [{"status_code": 500, "json": {}}, {"json": {"id": "t"}}])
    with freeze_time("2026-01-01 09:00:00") as frozen:
        policy = RetryPolicy(sleep=lambda seconds: frozen.tick(2.0), random=lambda: 0.5)
        NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=policy).get_template(TEMPLATE_ID)

    sent = [
        r.headers["Authorization"].removeprefix("Bearer ") for r in requests_mock.request_history
    ]
    issued = [
        jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})["iat"]
        for token in sent
    ]
    assert issued == [1767258000, 1767258002]


def test_a_request_that_never_left_is_sent_again(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(
        SMS_URL, [{"exc": requests.exceptions.ConnectTimeout}, {"json": SENT, "status_code": 201}]
    )

    assert send(client_with(fake_time)) == SENT
    assert requests_mock.call_count == 2


def test_the_per_minute_limit_is_waited_out_honouring_retry_after(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(
        SMS_URL,
        [
            {"status_code": 429, "json": RATE_LIMITED, "headers": {"Retry-After": "7"}},
            {"status_code": 201, "json": SENT},
        ],
    )

    assert send(client_with(fake_time)) == SENT
    assert fake_time.sleeps == [7.0]


def test_on_retry_hears_each_retry_before_its_wait(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(
        SMS_URL,
        [
            {"status_code": 429, "json": RATE_LIMITED, "headers": {"Retry-After": "7"}},
            {"status_code": 429, "json": RATE_LIMITED},
            {"status_code": 201, "json": SENT},
        ],
    )
    heard: list[tuple[str, float, int]] = []

    def on_retry(error: Any, delay: float) -> None:
        heard.append((type(error).__name__, delay, len(fake_time.sleeps)))

    assert send(client_with(fake_time, on_retry=on_retry)) == SENT
    assert heard == [("RateLimitError", 7.0, 0), ("RateLimitError", 0.5, 1)]


@pytest.mark.parametrize(
    ("answer", "error_class"),
    [
        ({"status_code": 429, "json": DAILY_LIMIT}, TooManyRequestsError),
        (
            {
                "status_code": 400,
                "json": {"errors": [{"error": "BadRequestError", "message": "m"}]},
            },
            BadRequestError,
        ),
        (
            {"status_code": 403, "json": {"errors": [{"error": "AuthError", "message": "m"}]}},
            AuthError,
        ),
    ],
    ids=["daily limit", "400", "403"],
)
def test_the_daily_limit_and_other_4xx_are_never_retried(
    requests_mock: requests_mock_module.Mocker,
    fake_time: FakeTime,
    answer: dict[str, Any],
    error_class: type[Exception],
) -> None:
    requests_mock.post(SMS_URL, **answer)

    with pytest.raises(error_class):
        send(client_with(fake_time))

    assert requests_mock.call_count == 1 and fake_time.sleeps == []


def test_a_send_without_an_answer_is_looked_up_and_found_not_sent_again(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, exc=requests.exceptions.ReadTimeout)
    requests_mock.get(LIST_URL, json=listed(stored()))

    response = send(client_with(fake_time))

    posts = [r for r in requests_mock.request_history if r.method == "POST"]
    assert len(posts) == 1
    assert requests_mock.last_request.qs == {"reference": ["ref-1"], "template_type": ["sms"]}
    assert response == {
        "id": NOTIFICATION_ID,
        "reference": "ref-1",
        "content": {"body": "Hi Amala", "from_number": None},
        "uri": f"{BASE_URL}/v2/notifications/{NOTIFICATION_ID}",
        "template": {
            "id": TEMPLATE_ID,
            "version": 3,
            "uri": f"{BASE_URL}/services/{SERVICE_ID}/templates/{TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def test_a_5xx_answer_to_a_send_is_looked_up_too(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, status_code=500, json={"errors": []})
    requests_mock.get(LIST_URL, json=listed(stored()))

    assert send(client_with(fake_time))["id"] == NOTIFICATION_ID
    assert [r.method for r in requests_mock.request_history] == ["POST", "GET"]


def test_a_send_not_found_goes_again(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(
        SMS_URL, [{"exc": requests.ConnectionError}, {"status_code": 201, "json": SENT}]
    )
    requests_mock.get(LIST_URL, json=listed())

    assert send(client_with(fake_time)) == SENT
    assert [r.method for r in requests_mock.request_history] == ["POST", "GET", "POST"]


@pytest.mark.parametrize(
    "other",
    [
        stored(reference="ref-2"),
        stored(phone_number="07700900999"),
        stored(template={"id": "0d0f8a76-8f4e-4b7f-9d3c-2f3e4a5b6c7d", "version": 1}),
        stored(type="email"),
    ],
    ids=["other reference", "other recipient", "other template", "other type"],
)
def test_a_listed_notification_that_is_not_the_send_does_not_count(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime, other: dict[str, Any]
) -> None:
    requests_mock.post(
        SMS_URL, [{"exc": requests.ConnectionError}, {"status_code": 201, "json": SENT}]
    )
    requests_mock.get(LIST_URL, json=listed(other))

    assert send(client_with(fake_time)) == SENT


def test_a_send_without_a_reference_is_never_sent_again_blind(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, exc=requests.exceptions.ReadTimeout)

    with pytest.raises(MaybeSentError) as caught:
        send(client_with(fake_time), reference=None)

    assert requests_mock.call_count == 1
    assert caught.value.reference is None
    assert "may have acted on it; check before sending it again" in caught.value.message


def test_a_5xx_to_a_send_without_a_reference_is_raised_saying_it_may_have_gone(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, status_code=502, text="<html>Bad gateway</html>")

    with pytest.raises(ServerError) as caught:
        send(client_with(fake_time), reference=None)

    assert caught.value.may_have_been_sent
    assert "may have been sent" in caught.value.__notes__[-1]
    assert requests_mock.call_count == 1


def test_a_failed_look_up_keeps_the_outcome_unknown_until_retries_run_out(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, exc=requests.exceptions.ReadTimeout)
    requests_mock.get(LIST_URL, status_code=503, json={})

    with pytest.raises(MaybeSentError) as caught:
        send(client_with(fake_time, max_retries=3))

    assert [r.method for r in requests_mock.request_history] == ["POST", "GET", "GET", "GET"]
    assert caught.value.reference == "ref-1"
    assert "look it up by its reference 'ref-1'" in caught.value.message


def test_retries_stop_when_spent(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.get(TEMPLATE_URL, status_code=503, json={})

    with pytest.raises(ServerError):
        client_with(fake_time, max_retries=2).get_template(TEMPLATE_ID)

    assert requests_mock.call_count == 3


def test_no_attempt_starts_after_the_deadline(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, status_code=429, json=RATE_LIMITED, headers={"Retry-After": "40"})

    with pytest.raises(RateLimitError):
        send(client_with(fake_time, deadline_seconds=100))

    assert fake_time.sleeps == [40.0, 40.0]
    assert requests_mock.call_count == 3


def test_timeouts_are_cut_to_the_time_left(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.get(TEMPLATE_URL, [{"exc": requests.exceptions.ConnectTimeout}, {"json": {}}])
    client = client_with(fake_time, deadline_seconds=10, base_delay_seconds=16)
    client.timeout = (30, 60)

    client.get_template(TEMPLATE_ID)

    assert [r.timeout for r in requests_mock.request_history] == [(10, 10), (2.0, 2.0)]


def test_one_log_line_per_retry_without_a_token_or_key(
    requests_mock: requests_mock_module.Mocker,
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    requests_mock.post(
        SMS_URL, [{"status_code": 429, "json": RATE_LIMITED}, {"status_code": 201, "json": SENT}]
    )

    with caplog.at_level(logging.DEBUG):
        send(client_with(fake_time))

    retries = [
        r.getMessage() for r in caplog.records if r.name == "notifications_python_client.retry"
    ]
    assert retries == [
        "Retrying POST /v2/notifications/sms after 429 RateLimitError (retry 1 of 5) in 0.25 s"
    ]
    token = requests_mock.request_history[0].headers["Authorization"]
    for record in caplog.records:
        assert SECRET not in record.getMessage() and token not in record.getMessage()


@pytest.mark.parametrize(
    ("retry", "max_retries"), [(None, None), (0, None), (3, 3), (RetryPolicy(max_retries=2), 2)]
)
def test_the_retry_argument(retry: Any, max_retries: int | None) -> None:
    client = NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=retry)

    assert (client.retry_policy and client.retry_policy.max_retries) == max_retries


@pytest.mark.parametrize(
    ("retry", "error"),
    [(-1, ValueError), (True, TypeError), ("5", TypeError), (2.5, TypeError)],
)
def test_a_bad_retry_argument_is_refused_clearly(retry: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="retr"):
        NotificationsAPIClient(API_KEY, base_url=BASE_URL, retry=retry)


@pytest.mark.parametrize(
    "settings",
    [
        {"max_retries": -1},
        {"base_delay_seconds": -1},
        {"max_delay_seconds": float("inf")},
        {"deadline_seconds": 0},
        {"max_retries": 1.5},
    ],
)
def test_a_bad_policy_is_refused(settings: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        RetryPolicy(**settings)


def test_full_jitter_under_a_doubling_capped_ceiling() -> None:
    policy = RetryPolicy(base_delay_seconds=1, max_delay_seconds=5, random=lambda: 0.999)

    delays = [round(policy.delay_seconds(n), 3) for n in range(5)]

    assert delays == [0.999, 1.998, 3.996, 4.995, 4.995]
    assert policy.delay_seconds(10_000) == pytest.approx(4.995)
    assert RetryPolicy(random=lambda: 0.0).delay_seconds(3, retry_after_seconds=2) == 2


def test_a_not_sent_invalid_request_is_not_retried(
    requests_mock: requests_mock_module.Mocker, fake_time: FakeTime
) -> None:
    requests_mock.post(SMS_URL, exc=requests.exceptions.InvalidURL)

    with pytest.raises(NotSentError):
        send(client_with(fake_time))

    assert requests_mock.call_count == 1
