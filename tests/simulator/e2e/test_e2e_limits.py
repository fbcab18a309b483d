"""Rate limits and daily limits through the real client (behaviour: Limits), on the simulated clock.

The "Rate six" service allows 6 requests a minute: a bucket of ceil(6 / 3) + 1 = 3 tokens, so a
burst of 2 from a full bucket, refilled at one token every 10 seconds.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import requests
from e2e_support import (
    DAY_SECONDS,
    NOT_FOUND_BODY,
    OUTSIDER_PHONE,
    SMS_TEMPLATE_ID,
    TEAM_PHONE,
    TRIAL_EMAIL_TEMPLATE_ID,
    TRIAL_SERVICE_ID,
    TRIAL_SMS_TEMPLATE_ID,
    TRIAL_TEAM_EMAIL,
    TRIAL_TEAM_PHONE,
    UK_ADDRESS,
    ClientFactory,
    bearer,
    blank_pdf,
    derived_id,
    expect_error,
    expect_schema_errors,
    key_string,
    raw,
    service,
    v2_entries,
    with_default_services,
)

from notifications_python_client.errors import AuthError, RateLimitError, TooManyRequestsError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

RATE_SIX = service("Rate six", limits={"rate_limit_per_minute": 6})
BOTH = service("Both", limits={"rate_limit_per_minute": 6, "daily": {"sms": 1}})
DAILY = service(
    "Daily",
    limits={"daily": {"sms": 2, "email": 1, "letter": 1, "international_sms": 1}},
)


@pytest.fixture(scope="module")
def simulator_data() -> Mapping[str, Any]:
    return with_default_services(RATE_SIX, DAILY, BOTH)


def _rate_limited(key_label: str) -> tuple[str, str]:
    return (
        "RateLimitError",
        f"Exceeded rate limit for key type {key_label} of 6 requests per 60 seconds",
    )


def _over_daily(name: str, limit: int) -> tuple[str, str]:
    return ("TooManyRequestsError", f"Exceeded send limits ({name}: {limit}) for today")


class Sender:
    """Sends through one key of a made-up service, with the service's own template ids."""

    def __init__(self, notify: NotificationsAPIClient, name: str) -> None:
        self.notify = notify
        self.name = name

    def sms(self, phone: str = TEAM_PHONE) -> Any:
        return self.notify.send_sms_notification(phone, derived_id(self.name, "sms"), {"name": "A"})

    def email(self) -> Any:
        return self.notify.send_email_notification(
            "pigeon.keeper@example.gov.uk", derived_id(self.name, "email"), {"name": "A"}
        )

    def letter(self) -> Any:
        return self.notify.send_letter_notification(derived_id(self.name, "letter"), UK_ADDRESS)

    def precompiled(self) -> Any:
        return self.notify.send_precompiled_letter_notification("ref", io.BytesIO(blank_pdf()))

    def two_sms(self) -> Sender:
        """Two text messages: the burst of a full "Rate six" bucket, or "Daily"'s sms limit."""
        self.sms()
        self.sms()
        return self


def _raw_send(
    sim: NotifySimulator, route: str, key_type: str, service_id: str, body: bytes
) -> requests.Response:
    """POST ``body`` as it is to ``/v2/notifications/<route>`` with a valid token of the key."""
    authorization = bearer(sim, key_type, service_id)
    return raw(sim, "POST", f"/v2/notifications/{route}", authorization=authorization, data=body)


@pytest.fixture
def rate(sim: NotifySimulator, clients: ClientFactory) -> Callable[[str], Sender]:
    return lambda key_type: Sender(clients(key_type, RATE_SIX["id"]), "Rate six")


@pytest.fixture
def daily(sim: NotifySimulator, clients: ClientFactory) -> Callable[[str], Sender]:
    return lambda key_type: Sender(clients(key_type, DAILY["id"]), "Daily")


# Per-minute rate limit (behaviour: Rate limit)


def test_burst_of_two_then_rate_limited(rate: Callable[[str], Sender]) -> None:
    test = rate("test")
    test.sms()
    test.sms()

    expect_error(test.sms, RateLimitError, 429, _rate_limited("TEST"))


def test_each_key_type_has_its_own_bucket(rate: Callable[[str], Sender]) -> None:
    for key_type, label in (("test", "TEST"), ("normal", "LIVE"), ("team", "TEAM")):
        sender = rate(key_type)
        sender.sms()
        sender.email()
        expect_error(sender.sms, RateLimitError, 429, _rate_limited(label))


def test_bucket_is_shared_by_every_send_route(rate: Callable[[str], Sender]) -> None:
    test = rate("test")
    test.sms()
    test.precompiled()

    expect_error(test.email, RateLimitError, 429, _rate_limited("TEST"))


def test_templated_letter_costs_two_tokens(rate: Callable[[str], Sender]) -> None:
    test = rate("test")
    test.letter()

    expect_error(test.sms, RateLimitError, 429, _rate_limited("TEST"))


def test_refused_and_invalid_requests_spend_tokens_too(
    sim: NotifySimulator, rate: Callable[[str], Sender]
) -> None:
    test = rate("test")
    expect_schema_errors(
        lambda: test.notify.post("/v2/notifications/sms", {}),
        "phone_number is a required property",
        "template_id is a required property",
    )
    expect_schema_errors(
        lambda: test.sms("abc"),
        "phone_number Must not contain letters or symbols",
    )

    expect_error(test.sms, RateLimitError, 429, _rate_limited("TEST"))


def test_limit_is_checked_before_the_body_is_read(
    sim: NotifySimulator, rate: Callable[[str], Sender]
) -> None:
    rate("test").two_sms()

    response = _raw_send(sim, "sms", "test", RATE_SIX["id"], b"{nope")

    assert (response.status_code, v2_entries(response)) == (429, [_rate_limited("TEST")])


def test_authentication_is_checked_before_the_limit(
    sim: NotifySimulator, rate: Callable[[str], Sender]
) -> None:
    rate("test").two_sms()
    key = key_string(RATE_SIX["id"], derived_id("nobody"))

    with requests.Session() as session:
        stranger = NotificationsAPIClient(key, base_url=sim.url, request_session=session)
        expect_error(
            lambda: stranger.send_sms_notification(TEAM_PHONE, SMS_TEMPLATE_ID),
            AuthError,
            403,
            ("AuthError", "Invalid token: API key not found"),
        )


def test_tokens_come_back_with_simulated_time(
    sim: NotifySimulator, rate: Callable[[str], Sender]
) -> None:
    test = rate("test").two_sms()
    expect_error(test.sms, RateLimitError, 429, _rate_limited("TEST"))

    sim.advance_clock(20)
    test.sms()
    expect_error(test.sms, RateLimitError, 429, _rate_limited("TEST"))


def test_reads_and_previews_are_not_limited(rate: Callable[[str], Sender]) -> None:
    test = rate("test").two_sms()

    for _ in range(5):
        assert test.notify.get_all_notifications()["notifications"]
        assert (
            test.notify.post_template_preview(derived_id("Rate six", "sms"), {"name": "A"})["body"]
            == "Hi A"
        )


# Daily limits (behaviour: Daily limits)


def test_live_key_stops_at_the_daily_limit(daily: Callable[[str], Sender]) -> None:
    live = daily("normal").two_sms()

    expect_error(live.sms, TooManyRequestsError, 429, _over_daily("sms", 2))
    live.email()
    expect_error(live.email, TooManyRequestsError, 429, _over_daily("email", 1))
    live.letter()
    expect_error(live.letter, TooManyRequestsError, 429, _over_daily("letter", 1))


def test_live_and_team_keys_share_one_counter(daily: Callable[[str], Sender]) -> None:
    daily("normal").sms()
    daily("team").sms()

    expect_error(daily("team").sms, TooManyRequestsError, 429, _over_daily("sms", 2))
    expect_error(daily("normal").sms, TooManyRequestsError, 429, _over_daily("sms", 2))


def test_test_key_is_never_limited_and_never_counted(daily: Callable[[str], Sender]) -> None:
    for _ in range(4):
        daily("test").sms()
    live = daily("normal").two_sms()

    expect_error(live.sms, TooManyRequestsError, 429, _over_daily("sms", 2))
    assert daily("test").sms()["id"]


def test_smoke_tests_and_refused_sends_are_not_counted(daily: Callable[[str], Sender]) -> None:
    live = daily("normal")
    for _ in range(3):
        live.sms("07700900000")
    expect_schema_errors(
        lambda: live.sms("abc"),
        "phone_number Must not contain letters or symbols",
    )
    live.sms()
    live.sms()

    expect_error(live.sms, TooManyRequestsError, 429, _over_daily("sms", 2))


def test_daily_limit_is_checked_before_the_body_is_read(
    sim: NotifySimulator, daily: Callable[[str], Sender]
) -> None:
    daily("normal").email()

    response = _raw_send(sim, "email", "normal", DAILY["id"], b"{nope")

    assert (response.status_code, v2_entries(response)) == (429, [_over_daily("email", 1)])


def test_international_sms_have_their_own_limit_too(daily: Callable[[str], Sender]) -> None:
    live = daily("normal")
    live.sms("+33612345678")

    expect_error(
        lambda: live.sms("+33612345679"),
        TooManyRequestsError,
        429,
        _over_daily("international_sms", 1),
    )
    live.sms(OUTSIDER_PHONE)
    expect_error(live.sms, TooManyRequestsError, 429, _over_daily("sms", 2))


def test_counters_start_again_the_next_day(
    sim: NotifySimulator, daily: Callable[[str], Sender]
) -> None:
    live = daily("normal").two_sms()
    expect_error(live.sms, TooManyRequestsError, 429, _over_daily("sms", 2))

    sim.advance_clock(DAY_SECONDS)

    assert live.sms()["id"]


def test_trial_service_gets_fifty_a_day(sim: NotifySimulator, clients: ClientFactory) -> None:
    trial = clients("normal", TRIAL_SERVICE_ID)
    for _ in range(50):
        trial.send_sms_notification(TRIAL_TEAM_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"})

    expect_error(
        lambda: trial.send_sms_notification(TRIAL_TEAM_PHONE, TRIAL_SMS_TEMPLATE_ID, {"name": "A"}),
        TooManyRequestsError,
        429,
        _over_daily("sms", 50),
    )
    # Each type has its own counter.
    assert trial.send_email_notification(TRIAL_TEAM_EMAIL, TRIAL_EMAIL_TEMPLATE_ID, {"name": "A"})


def test_rate_limit_is_checked_before_the_daily_limit(
    sim: NotifySimulator, clients: ClientFactory
) -> None:
    both = Sender(clients("normal", BOTH["id"]), "Both")
    both.sms()

    expect_error(both.sms, TooManyRequestsError, 429, _over_daily("sms", 1))
    expect_error(both.sms, RateLimitError, 429, _rate_limited("LIVE"))


def test_smoke_test_sends_spend_tokens(rate: Callable[[str], Sender]) -> None:
    test = rate("test")
    test.sms("07700900000")
    test.sms("07700900111")

    expect_error(lambda: test.sms("07700900222"), RateLimitError, 429, _rate_limited("TEST"))


def test_only_the_three_send_routes_are_limited(
    sim: NotifySimulator, rate: Callable[[str], Sender]
) -> None:
    rate("test").two_sms()

    response = _raw_send(sim, "push", "test", RATE_SIX["id"], b"{}")

    assert (response.status_code, response.json()) == (404, NOT_FOUND_BODY)
