"""Notify's JSON responses: the encoding its server uses, as Werkzeug responses."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

JSON_CONTENT_TYPE = "application/json"
# Added to every response by Notify's after-request hook (behaviour: Responses).
EXTRA_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "Content-Type,Authorization"),
    ("Access-Control-Allow-Methods", "GET,PUT,POST,DELETE"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Permitted-Cross-Domain-Policies", "none"),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
    ("Cache-Control", "no-store, no-cache, private, must-revalidate"),
)


def encode_json(value: object) -> bytes:
    """JSON as Notify's server writes it: sorted keys, ASCII escapes, compact, newline-ended."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return (text + "\n").encode("ascii")


def json_response(status: int, value: object) -> Response:
    """A response of ``value`` in Notify's JSON encoding."""
    return Response(encode_json(value), status=status, content_type=JSON_CONTENT_TYPE)


def bytes_response(status: int, body: bytes, content_type: str) -> Response:
    """A response of raw bytes, such as a letter's PDF."""
    return Response(body, status=status, content_type=content_type)
