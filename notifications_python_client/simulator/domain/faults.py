"""Faults on demand: how often the simulator misbehaves, and how, so clients can be tested.

Off by default. Each v2 request first waits ``latency_ms`` plus up to ``latency_jitter_ms``;
then one draw of the seeded random numbers decides whether it is answered with an error
(``error_rate``, a status from ``error_statuses``: 500 and 503 with Notify's JSON body, 502 with
an HTML page as a proxy sends), has its connection dropped before it is processed
(``drop_before_rate``) or after it was processed and stored (``drop_after_rate``), or is held for
``stall_seconds`` first (``stall_rate``). ``rate_limit_burst`` sends answer with the per-minute
rate-limit error, as if another process had emptied the bucket.

The same names are used on the command line (``--fault-error-rate``), in the data file (a
``faults`` object), over ``/_simulator/api/faults`` and by ``NotifySimulator(faults=...)``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ERROR_STATUSES", "FAULT_DESCRIPTIONS", "FaultSettings", "FaultSettingsError"]

ERROR_STATUSES = (500, 502, 503)
MAX_DELAY_SECONDS = 600.0
RATES = ("error_rate", "drop_before_rate", "drop_after_rate", "stall_rate")
# What each setting does, with its unit: the command line's help and the inbox's form.
FAULT_DESCRIPTIONS = {
    "latency_ms": "milliseconds added to every v2 request",
    "latency_jitter_ms": "up to this many more milliseconds, at random",
    "error_rate": "share of v2 requests answered with an error instead (0 to 1)",
    "error_statuses": "the error statuses to choose from, e.g. 500,502,503 (default 500,503)",
    "drop_before_rate": "share of connections dropped before the request is processed (0 to 1)",
    "drop_after_rate": "share of connections dropped after it was processed and stored (0 to 1)",
    "stall_rate": "share of requests held for the stall's seconds first (0 to 1)",
    "stall_seconds": "how long a stalled request is held, in seconds",
    "rate_limit_burst": "this many sends answered with the per-minute rate-limit error",
    "seed": "seed of the random choices, so a run can be repeated",
}


class FaultSettingsError(ValueError):
    """A fault setting is not valid; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class FaultSettings:
    """What to inject; every share is from 0 to 1 and together they are at most 1."""

    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 503)
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    stall_rate: float = 0.0
    stall_seconds: float = 0.0
    rate_limit_burst: int = 0
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("latency_ms", "latency_jitter_ms"):
            _check_number(name, getattr(self, name), 0, MAX_DELAY_SECONDS * 1000)
        _check_number("stall_seconds", self.stall_seconds, 0, MAX_DELAY_SECONDS)
        for name in RATES:
            _check_number(name, getattr(self, name), 0, 1)
        if sum(getattr(self, name) for name in RATES) > 1:
            raise FaultSettingsError("error_rate", "and the other rates must add up to 1 at most")
        statuses = self.error_statuses
        if not isinstance(statuses, tuple) or not statuses:
            raise FaultSettingsError("error_statuses", "must list at least one status")
        for status in statuses:
            if status not in ERROR_STATUSES or isinstance(status, bool):
                raise FaultSettingsError("error_statuses", f"must be among {list(ERROR_STATUSES)}")
        _check_whole("rate_limit_burst", self.rate_limit_burst)
        if self.seed is not None:
            _check_whole("seed", self.seed)

    @property
    def active(self) -> bool:
        """Whether anything is injected at all."""
        return self != FaultSettings(seed=self.seed)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> FaultSettings:
        """Settings from JSON-like values; missing names keep their defaults.

        :raises FaultSettingsError: naming the first unknown or invalid setting.
        """
        if not isinstance(values, Mapping):
            raise FaultSettingsError("faults", "must be an object")
        known = {field.name for field in dataclasses.fields(cls)}
        for name in values:
            if name not in known:
                raise FaultSettingsError(str(name), "is not a fault setting")
        arguments = dict(values)
        if "error_statuses" in arguments:
            statuses = arguments["error_statuses"]
            if not isinstance(statuses, list | tuple):
                raise FaultSettingsError("error_statuses", "must be a list of statuses")
            arguments["error_statuses"] = tuple(statuses)
        return cls(**arguments)

    def to_mapping(self) -> dict[str, Any]:
        """The settings as JSON-ready values."""
        values = dataclasses.asdict(self)
        values["error_statuses"] = list(self.error_statuses)
        return values


def _check_number(name: str, value: Any, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FaultSettingsError(name, "must be a number")
    if math.isnan(value) or not low <= value <= high:
        raise FaultSettingsError(name, f"must be from {low:g} to {high:g}")


def _check_whole(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FaultSettingsError(name, "must be a whole number, 0 or more")


WHOLE_NUMBER_SETTINGS = frozenset({"rate_limit_burst", "seed"})


def setting_from_text(name: str, text: str) -> Any:
    """A setting's value as typed on a command line or in a form: a whole number, a number, or
    for ``error_statuses`` a list of statuses such as ``500,503``.

    :raises FaultSettingsError: naming the setting, when the text is not of its kind.
    """
    try:
        if name == "error_statuses":
            return tuple(int(part) for part in text.split(",") if part.strip())
        if name in WHOLE_NUMBER_SETTINGS:
            return int(text)
        return float(text)
    except ValueError:
        kind = "a list of statuses" if name == "error_statuses" else "a number"
        raise FaultSettingsError(name, f"must be {kind}, not {text!r}") from None
