"""``/_simulator/api/faults``: read and set the faults being injected, from any language.

Not part of Notify's API, so no token is needed: the simulator listens on loopback by default.
``GET`` answers ``{"settings": {...}, "counts": {...}}``; ``PUT`` takes the settings (missing ones
get their defaults, ``{}`` turns every fault off), starts the counts again and answers as ``GET``.
A setting that is not valid gets Notify's 400 body naming it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from notifications_python_client.simulator.api.context import json_object_body
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.domain.errors import validation_error
from notifications_python_client.simulator.domain.faults import FaultSettings, FaultSettingsError

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store


def on_get_faults(store: Store, request: Request) -> Response:
    """The settings and what has been injected so far."""
    return json_response(
        200, {"settings": store.faults.settings.to_mapping(), "counts": store.faults.counts()}
    )


def on_put_faults(store: Store, request: Request) -> Response:
    """Replace the settings.

    :raises NotifyApiError: 400 for a body that is not a JSON object or a setting not valid.
    """
    values = json_object_body(
        request,
        not_json="Invalid JSON supplied in PUT data",
        not_an_object="The faults must be a JSON object",
    )
    try:
        settings = FaultSettings.from_mapping(values)
    except (FaultSettingsError, TypeError) as error:
        raise validation_error([str(error)]) from None
    store.faults.configure(settings)
    return on_get_faults(store, request)
