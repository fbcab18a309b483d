"""Fault settings and the injector: validation, seeded choices, counts and the 429 burst."""

from __future__ import annotations

from typing import Any

import pytest

from notifications_python_client.simulator.domain.faults import FaultSettings, FaultSettingsError
from notifications_python_client.simulator.state.faults import FaultInjector, FaultPlan


def test_no_faults_by_default() -> None:
    injector = FaultInjector()

    assert not injector.settings.active
    assert [injector.plan() for _ in range(100)] == [FaultPlan()] * 100
    assert injector.counts() == {"requests": 100}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"error_rate": 1.5}, "error_rate"),
        ({"error_rate": -0.1}, "error_rate"),
        ({"error_rate": "0.1"}, "error_rate"),
        ({"error_rate": True}, "error_rate"),
        ({"error_rate": float("nan")}, "error_rate"),
        ({"error_rate": 0.6, "drop_after_rate": 0.6}, "error_rate"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"stall_seconds": 10_000}, "stall_seconds"),
        ({"error_statuses": [404]}, "error_statuses"),
        ({"error_statuses": []}, "error_statuses"),
        ({"error_statuses": "500"}, "error_statuses"),
        ({"rate_limit_burst": 1.5}, "rate_limit_burst"),
        ({"rate_limit_burst": -1}, "rate_limit_burst"),
        ({"seed": "x"}, "seed"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_settings_that_are_not_valid_name_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(FaultSettingsError) as caught:
        FaultSettings.from_mapping(values)

    assert caught.value.field == field
    assert str(caught.value).startswith(field)


def test_settings_round_trip_through_json_values() -> None:
    settings = FaultSettings(error_rate=0.1, error_statuses=(502,), rate_limit_burst=3, seed=7)

    assert FaultSettings.from_mapping(settings.to_mapping()) == settings
    assert settings.to_mapping()["error_statuses"] == [502]


def test_the_same_seed_gives_the_same_faults() -> None:
    settings = FaultSettings(error_rate=0.3, drop_before_rate=0.1, latency_jitter_ms=5, seed=42)
    first, second = FaultInjector(settings), FaultInjector(settings)

    assert [first.plan() for _ in range(200)] == [second.plan() for _ in range(200)]


def test_the_shares_are_close_to_the_rates() -> None:
    injector = FaultInjector(
        FaultSettings(error_rate=0.1, drop_before_rate=0.05, drop_after_rate=0.05, seed=1)
    )
    for _ in range(10_000):
        injector.plan()

    counts = injector.counts()
    assert counts["requests"] == 10_000
    assert 900 < counts["errors"] < 1100
    assert counts["errors"] == counts["errors_500"] + counts["errors_503"]
    assert 400 < counts["dropped_before_processing"] < 600
    assert 400 < counts["dropped_after_processing"] < 600


def test_latency_and_stalls_are_waits() -> None:
    injector = FaultInjector(
        FaultSettings(latency_ms=20, latency_jitter_ms=10, stall_rate=1, stall_seconds=3, seed=2)
    )

    plan = injector.plan()

    assert plan.action == "stall"
    assert 3.02 <= plan.delay_seconds <= 3.03
    assert injector.counts() == {"requests": 1, "delayed": 1, "stalled": 1}


def test_the_rate_limit_burst_is_used_up() -> None:
    injector = FaultInjector(FaultSettings(rate_limit_burst=2))

    assert [injector.take_rate_limit_burst() for _ in range(4)] == [True, True, False, False]
    assert injector.counts() == {"rate_limited": 2}


def test_configuring_again_starts_the_numbers_and_counts_again() -> None:
    settings = FaultSettings(error_rate=0.5, seed=3)
    injector = FaultInjector(settings)
    first = [injector.plan() for _ in range(20)]

    injector.configure(settings)

    assert [injector.plan() for _ in range(20)] == first
    assert injector.counts()["requests"] == 20
