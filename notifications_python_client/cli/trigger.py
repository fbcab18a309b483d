"""`notify trigger`: move a message sent to the local Notify to a status, and fire its receipt.

What a developer needs to see their service handle a ``permanent-failure`` or a
``temporary-failure``: the local Notify's admin API sets the status as a provider's update
would and sends the delivery receipt to the service's callback URL. Against the real Notify
there is no such thing, and the command says so.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from notifications_python_client.cli.commands import Context

__all__ = ["EXIT_NOT_A_SIMULATOR", "on_trigger"]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_NOT_A_SIMULATOR = 2
EXIT_UNREACHABLE = 3
STATUS_PATH = "/_simulator/api/notifications/{id}/status"


def on_trigger(ctx: Context) -> int:
    """Set a notification's status on the local Notify; its receipt is sent."""
    notification_id = ctx.args["<notification_id>"]
    path = STATUS_PATH.format(id=urllib.parse.quote(notification_id, safe=""))
    url = urllib.parse.urljoin(ctx.base_url, path)
    timeout = float(ctx.args["--timeout"] or 30)
    try:
        answer = requests.post(url, json={"status": ctx.args["<status>"]}, timeout=timeout)
    except requests.RequestException as error:
        ctx.output.error(f"cannot reach the local Notify at {ctx.base_url}: {type(error).__name__}")
        return EXIT_UNREACHABLE
    body = _json(answer)
    if answer.status_code == 200 and isinstance(body, dict):
        ctx.output.result(body)
        return EXIT_OK
    errors = body.get("errors") if isinstance(body, dict) else None
    if answer.status_code in (400, 404) and isinstance(errors, list) and errors:
        for entry in errors:
            message = entry.get("message") if isinstance(entry, dict) else entry
            ctx.output.error(f"{answer.status_code} {message}")
        return EXIT_REFUSED
    ctx.output.error(
        f"{ctx.base_url} is not a local Notify (it answered {answer.status_code}): trigger works "
        "only against the simulator; set --base-url or NOTIFY_API_URL to its address"
    )
    return EXIT_NOT_A_SIMULATOR


def _json(answer: requests.Response) -> Any:
    try:
        return answer.json()
    except (ValueError, RecursionError):
        return None
