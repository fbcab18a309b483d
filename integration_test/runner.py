"""Runs the integration test's steps one by one, printing a line per step.

The first failure stops the run; its report names the request that was sent, the status that came
back and Notify's error list, but never the API key or the token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

import requests

from notifications_python_client.errors import APIError

Step = tuple[str, Callable[[], None]]


class StepFailed(AssertionError):
    """A step's check did not hold."""


def check(condition: bool, message: str) -> None:
    """Fail the current step with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(message)


@dataclass
class RequestRecorder:
    """A ``requests`` response hook that remembers the last exchange, for failure reports."""

    last: requests.Response | None = None
    count: int = 0

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.last = response
        self.count += 1

    def attach(self, session: requests.Session) -> requests.Session:
        session.hooks["response"].append(self)
        return session


@dataclass
class Runner:
    """Runs steps in order and stops at the first failure."""

    recorder: RequestRecorder
    out: TextIO
    clock: Callable[[], float] = time.perf_counter
    passed: list[str] = field(default_factory=list)

    def run(self, steps: Iterable[Step]) -> bool:
        """Run every step; True when all passed."""
        for name, step in steps:
            started = self.clock()
            try:
                step()
            except Exception as error:
                self._report(name, self.clock() - started, error)
                return False
            self.out.write(f"{name:<58} PASS  {self.clock() - started:6.3f}s\n")
            self.passed.append(name)
        self.out.write(f"{len(self.passed)} passed, 0 failed\n")
        return True

    def _report(self, name: str, elapsed: float, error: BaseException) -> None:
        self.out.write(f"{name:<58} FAIL  {elapsed:6.3f}s\n")
        self.out.write(f"  {type(error).__name__}: {error}\n")
        response = error.response if isinstance(error, APIError) else self.recorder.last
        if response is not None:
            for line in describe_exchange(response):
                self.out.write(f"  {line}\n")
        self.out.write(f"{len(self.passed)} passed, 1 failed\n")


def describe_exchange(response: requests.Response) -> list[str]:
    """The request line, its body, the status and Notify's errors, without any credentials."""
    request = response.request
    lines = [f"request: {request.method} {request.url}"]
    body = request.body
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        lines.append(f"request body: {shorten(text)}")
    lines.append(f"status: {response.status_code}")
    try:
        payload = response.json()
    except ValueError:
        lines.append(f"response body: {shorten(response.text)}")
    else:
        errors = payload.get("errors") if isinstance(payload, dict) else None
        shown = errors if errors is not None else payload
        lines.append(f"response: {shorten(json.dumps(shown, ensure_ascii=False))}")
    return lines


def shorten(text: str, limit: int = 600) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"
