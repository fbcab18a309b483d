"""Receiving Notify's callbacks: delivery receipts and received text messages.

Notify POSTs JSON to a service's callback URL with the bearer token set up beside it. This
package checks the token (``verify_bearer_token``), reads the body into typed records
(``parse_callback`` and the two ``parse_*``), and offers ready endpoints for WSGI and ASGI
(``wsgi_receiver``, ``asgi_receiver``). It needs nothing beyond the standard library.

- ``auth``: the token check, in constant time.
- ``records``: ``DeliveryReceipt`` and ``ReceivedText``, and reading them from any bytes.
- ``receivers``: the WSGI and ASGI apps.
- ``latest``: keeping the latest status when receipts repeat or cross.
"""

from notifications_python_client.callbacks.auth import verify_bearer_token
from notifications_python_client.callbacks.errors import (
    CallbackAuthError,
    CallbackError,
    CallbackPayloadError,
)
from notifications_python_client.callbacks.latest import LatestReceipts, is_newer
from notifications_python_client.callbacks.receivers import asgi_receiver, wsgi_receiver
from notifications_python_client.callbacks.records import (
    MAX_CALLBACK_BODY_BYTES,
    DeliveryReceipt,
    ReceivedText,
    parse_callback,
    parse_delivery_receipt,
    parse_received_text,
)

__all__ = [
    "MAX_CALLBACK_BODY_BYTES",
    "CallbackAuthError",
    "CallbackError",
    "CallbackPayloadError",
    "DeliveryReceipt",
    "LatestReceipts",
    "ReceivedText",
    "asgi_receiver",
    "is_newer",
    "parse_callback",
    "parse_delivery_receipt",
    "parse_received_text",
    "verify_bearer_token",
    "wsgi_receiver",
]
