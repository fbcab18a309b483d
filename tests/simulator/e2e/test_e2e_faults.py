"""Faults over real sockets with the real client: what each does, and retries that survive them.

The runs of a thousand sends are seeded, so each is the same every time.

Behaviour: Limits.
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from e2e_support import OUTSIDER_PHONE, SMS_TEMPLATE_ID

from notifications_python_client.errors import (
    REQUEST_ERROR_MESSAGE,
    APIError,
    MaybeSentError,
    RateLimitError,
    ServerError,
)
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.retry import RetryPolicy
from notifications_python_client.simulator import NotifySimulator
from notifications_python_client.simulator.data import load_data
from notifications_python_client.simulator.domain.faults import FaultSettings

UNLIMITED_RATE_PER_MINUTE = 10_000_000
# The proxy: 10% answered 503, 2% of connections dropped (half before, half after storing).
FLAKY = {
    "error_rate": 0.10,
    "error_statuses": [503],
    "drop_before_rate": 0.01,
    "drop_after_rate": 0.01,
}


def unlimited_data() -> dict[str, Any]:
    """The built-in data with the rate limit out of reach, so a thousand sends are not refused."""
    from importlib import resources

    text = resources.files("notifications_python_client.simulator.data").joinpath(
        "default_data.json"
    )
    data: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    for service in data["services"]:
        service.setdefault("limits", {})["rate_limit_per_minute"] = UNLIMITED_RATE_PER_MINUTE
    return data


@pytest.fixture(scope="module")
def unlimited() -> Iterator[NotifySimulator]:
    with NotifySimulator(unlimited_data()) as simulator:
        yield simulator


@pytest.fixture
def sim(unlimited: NotifySimulator) -> Iterator[NotifySimulator]:
    unlimited.reset()
    unlimited.set_faults()
    yield unlimited
    unlimited.set_faults()


def no_wait_policy(max_retries: int = 5) -> RetryPolicy:
    return RetryPolicy(max_retries=max_retries, sleep=lambda seconds: None, random=lambda: 0.0)


def client_of(sim: NotifySimulator, retry: Any = None) -> NotificationsAPIClient:
    return NotificationsAPIClient(sim.api_key("test"), base_url=sim.url, retry=retry, timeout=10)


def sms(client: NotificationsAPIClient, number: int, reference: str | None) -> Any:
    return client.send_sms_notification(
        OUTSIDER_PHONE, SMS_TEMPLATE_ID, {"name": f"person {number}"}, reference=reference
    )


def stored_bodies(sim: NotifySimulator) -> collections.Counter[str]:
    return collections.Counter(notification.body for notification in sim.notifications)


def test_a_connection_dropped_before_processing_may_have_sent_nothing(sim: NotifySimulator) -> None:
    sim.set_faults(drop_before_rate=1)

    with pytest.raises(MaybeSentError) as caught:
        sms(client_of(sim), 1, "r-1")

    assert caught.value.message == REQUEST_ERROR_MESSAGE
    assert sim.notifications == []
    assert sim.fault_counts["dropped_before_processing"] == 1


def test_a_connection_dropped_after_storing_may_have_sent_it(sim: NotifySimulator) -> None:
    sim.set_faults(drop_after_rate=1)

    with pytest.raises(MaybeSentError):
        sms(client_of(sim), 1, "r-1")

    assert [n.reference for n in sim.notifications] == ["r-1"]


def test_a_stored_send_whose_answer_was_lost_is_found_not_sent_again(sim: NotifySimulator) -> None:
    sim.set_faults(drop_after_rate=1)

    def network_mended_while_waiting(seconds: float) -> None:
        sim.set_faults()

    policy = RetryPolicy(sleep=network_mended_while_waiting, random=lambda: 0.0)
    response = sms(client_of(sim, retry=policy), 1, "r-1")

    assert [n.id for n in sim.notifications] == [response["id"]]
    assert response["reference"] == "r-1"


def test_a_rate_limit_burst_is_waited_out(sim: NotifySimulator) -> None:
    sim.set_faults(rate_limit_burst=2)

    response = sms(client_of(sim, retry=no_wait_policy()), 1, "r-1")

    assert response["reference"] == "r-1"
    assert sim.fault_counts["rate_limited"] == 2
    with pytest.raises(RateLimitError):
        sim.set_faults(rate_limit_burst=1)
        sms(client_of(sim), 2, "r-2")


def test_a_thousand_sends_with_references_through_a_flaky_network(sim: NotifySimulator) -> None:
    sim.set_faults(**FLAKY, seed=2024)
    client = client_of(sim, retry=no_wait_policy())

    responses = [sms(client, number, f"batch-7-row-{number}") for number in range(1000)]

    references = collections.Counter(n.reference for n in sim.notifications)
    assert len(sim.notifications) == 1000
    assert set(references.values()) == {1}
    assert [r["reference"] for r in responses] == [f"batch-7-row-{n}" for n in range(1000)]
    counts = sim.fault_counts
    assert counts["errors_503"] > 50 and counts["dropped_before_processing"] > 3
    assert counts["dropped_after_processing"] > 3


def test_a_thousand_sends_without_references_never_send_twice_and_say_what_failed(
    sim: NotifySimulator,
) -> None:
    sim.set_faults(**FLAKY, seed=99)
    client = client_of(sim, retry=no_wait_policy())
    sent, failed = 0, []

    for number in range(1000):
        try:
            sms(client, number, None)
            sent += 1
        except APIError as error:
            failed.append(error)

    bodies = stored_bodies(sim)
    assert set(bodies.values()) == {1}
    assert sent <= len(bodies) <= sent + len(failed)
    assert failed and all(error.may_have_been_sent for error in failed)
    assert all(isinstance(error, MaybeSentError | ServerError) for error in failed)
    assert all("may" in str(error) + " ".join(error.__notes__) for error in failed)


def test_one_client_with_retries_shared_by_eight_threads(sim: NotifySimulator) -> None:
    sim.set_faults(error_rate=0.05, error_statuses=[500, 502, 503], seed=8)
    client = client_of(sim, retry=no_wait_policy(max_retries=10))

    def send(number: int) -> tuple[str, Any]:
        reference = f"thread-run-{number}"
        return reference, sms(client, number, reference)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(2000)))

    assert all(response["reference"] == reference for reference, response in results)
    assert len({response["id"] for _, response in results}) == 2000
    assert len(sim.notifications) == 2000


def test_faults_from_the_data_file(tmp_path: Any) -> None:
    data = {**unlimited_data(), "faults": {"error_rate": 1, "error_statuses": [502]}}
    with NotifySimulator(data) as simulator, pytest.raises(ServerError) as caught:
        sms(client_of(simulator), 1, "r")

    assert caught.value.status_code == 502
    assert caught.value.message == REQUEST_ERROR_MESSAGE


def test_faults_given_in_python_change_only_what_they_name() -> None:
    data = {**unlimited_data(), "faults": {"error_rate": 0.5, "seed": 3}}
    simulator = NotifySimulator(data, faults={"latency_ms": 1})

    assert (simulator.faults.error_rate, simulator.faults.latency_ms) == (0.5, 1)
    assert load_data(data)[0].name


def test_the_admin_endpoint_over_http(sim: NotifySimulator) -> None:
    url = f"{sim.url}/_simulator/api/faults"

    put = requests.put(url, json={"drop_before_rate": 1}, timeout=5)
    with pytest.raises(MaybeSentError):
        sms(client_of(sim), 1, "r")
    got = requests.get(url, timeout=5).json()
    refused = requests.put(
        url, data="{not json", headers={"Content-Type": "application/json"}, timeout=5
    )

    assert put.status_code == 200 and put.json()["settings"]["drop_before_rate"] == 1
    assert got["counts"]["dropped_before_processing"] == 1
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["error"] == "BadRequestError"


def test_set_faults_takes_settings_or_values_and_nothing_turns_them_off(
    sim: NotifySimulator,
) -> None:
    sim.set_faults(FaultSettings(error_rate=0.5, seed=1))
    assert sim.faults == FaultSettings(error_rate=0.5, seed=1)

    sim.set_faults(latency_ms=5)
    assert sim.faults == FaultSettings(latency_ms=5)

    sim.set_faults()
    assert not sim.faults.active
    with pytest.raises(TypeError, match="not both"):
        sim.set_faults(FaultSettings(), error_rate=0.1)
    with pytest.raises(ValueError, match="error_rate must be from 0 to 1"):
        sim.set_faults(error_rate=3)
