"""Carrying out injected faults on v2 requests: waits, error answers and dropped connections.

Which request gets which fault is decided by ``state.faults.FaultInjector``; the settings are in
``domain.faults``. Requests outside ``/v2/`` (the simulator's own pages and admin API) are never
touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from notifications_python_client.simulator.api.responses import EXTRA_HEADERS, encode_json
from notifications_python_client.simulator.state.faults import (
    DROP_AFTER,
    DROP_BEFORE,
    ERROR,
    FaultInjector,
)
from notifications_python_client.simulator.web.serving import ConnectionDropped
from notifications_python_client.simulator.web.wsgi import StartResponse, WsgiApp, run_to_the_end

V2_PREFIX = "/v2/"
ERROR_NAME = "SimulatedFault"
JSON_ERRORS = {
    500: ("500 Internal Server Error", "Internal server error"),
    503: ("503 Service Unavailable", "Service temporarily unavailable"),
}
# What a proxy in front of Notify sends when Notify does not answer it: HTML, not JSON.
PROXY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>Bad Gateway</h1><p>No valid answer from the service behind this proxy "
    b"(a fault injected by the Notify simulator).</p></body></html>\n"
)


def with_faults(
    app: WsgiApp, injector: FaultInjector, sleep: Callable[[float], None] = time.sleep
) -> WsgiApp:
    """``app`` with the injector's faults applied to each v2 request."""

    def faulty_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("PATH_INFO", "")).startswith(V2_PREFIX):
            return app(environ, start_response)
        plan = injector.plan()
        if plan.delay_seconds:
            sleep(plan.delay_seconds)
        if plan.action == ERROR and plan.status is not None:
            return _error_answer(plan.status, start_response)
        if plan.action == DROP_BEFORE:
            raise ConnectionDropped("dropped before processing (injected fault)")
        if plan.action == DROP_AFTER:
            run_to_the_end(app, environ)  # it stores what it stores; the answer is dropped
            raise ConnectionDropped("dropped after processing (injected fault)")
        return app(environ, start_response)

    return faulty_app


def _error_answer(status: int, start_response: StartResponse) -> list[bytes]:
    if status in JSON_ERRORS:
        status_line, message = JSON_ERRORS[status]
        body = encode_json(
            {"status_code": status, "errors": [{"error": ERROR_NAME, "message": message}]}
        )
        headers = [("Content-Type", "application/json"), *EXTRA_HEADERS]
    else:
        status_line, body = "502 Bad Gateway", PROXY_PAGE
        headers = [("Content-Type", "text/html; charset=utf-8")]
    start_response(status_line, [*headers, ("Content-Length", str(len(body)))])
    return [body]
