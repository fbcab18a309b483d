"""``/_simulator/api/callbacks``: where each service's callbacks go, and every attempt made.

- ``GET callbacks``: ``{"settings": [...], "attempts": [...]}``: each service's callback URLs
  (never their tokens), and every POST made with its answer, how long it took and when the next
  try is due on the simulator's clock.
- ``PUT callbacks/<kind>`` ``{"url": ..., "bearer_token": ..., "service_id": ...}``: send that
  kind (``delivery_status`` or ``received_text``) there from now on (the first service unless
  ``service_id`` says).
- ``DELETE callbacks/<kind>`` (``{"service_id": ...}`` optional): send that kind nowhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from notifications_python_client.simulator.api.admin import json_object_with
from notifications_python_client.simulator.api.admin_views import attempt_view
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.domain.callback_settings import (
    CALLBACK_KINDS,
    callback_config,
)
from notifications_python_client.simulator.domain.errors import no_result_found, validation_error
from notifications_python_client.simulator.state.store import CALLBACK_ATTRIBUTES

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

__all__ = ["on_admin_delete_callback", "on_admin_list_callbacks", "on_admin_set_callback"]


def on_admin_list_callbacks(store: Store, request: Request) -> Response:
    """Each service's callback URLs, and every attempt made so far, oldest first."""
    settings = [
        {"service_id": service.id, "kind": kind, "url": config.url}
        for service in store.services()
        for kind, attribute in CALLBACK_ATTRIBUTES.items()
        if (config := getattr(service, attribute)) is not None
    ]
    attempts = [attempt_view(attempt) for attempt in store.callback_attempts()]
    return json_response(200, {"settings": settings, "attempts": attempts})


def on_admin_set_callback(store: Store, request: Request, kind: str) -> Response:
    """Send a kind of callback to a URL with a bearer token from now on."""
    body = json_object_with(request, ("url", "bearer_token", "service_id"))
    try:
        config = callback_config(body.get("url"), body.get("bearer_token"))
    except ValueError as error:
        raise validation_error([str(error)]) from None
    service_id = _set(store, body, _kind(kind), config)
    return json_response(200, {"service_id": service_id, "kind": kind, "url": config.url})


def on_admin_delete_callback(store: Store, request: Request, kind: str) -> Response:
    """Send a kind of callback nowhere from now on."""
    body = json_object_with(request, ("service_id",))
    service_id = _set(store, body, _kind(kind), None)
    return json_response(200, {"service_id": service_id, "kind": kind, "url": None})


def _kind(kind: str) -> str:
    if kind not in CALLBACK_KINDS:
        raise no_result_found()
    return kind


def _set(store: Store, body: dict[str, Any], kind: str, config: Any) -> str:
    service_id = body.get("service_id", store.services()[0].id)
    if not isinstance(service_id, str) or store.service(service_id) is None:
        raise validation_error([f"service_id {service_id} is not a service of this simulator"])
    store.set_callback(service_id, kind, config)
    return service_id.lower()
