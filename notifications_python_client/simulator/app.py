"""The simulator's WSGI app: Notify's routes table, authentication, dispatch and error bodies.

``create_app(store)`` returns a WSGI callable. Each request is matched against ``ROUTES``
(compiled once); a v2 route authenticates first and then calls its ``on_<route>`` handler.
Failures become Notify's bodies: the v2 envelope for ``NotifyApiError``, the app-level
``{"message": ..., "result": "error"}`` body for unknown routes and wrong methods, and a 500 v2
body naming the exception class (never a traceback) for anything unexpected.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

from notifications_python_client.authentication import (
    TokenDecodeError,
    TokenIssuerError,
    get_token_issuer,
)
from notifications_python_client.simulator import (
    handlers_letters,
    handlers_read,
    handlers_received,
    handlers_send,
    handlers_templates,
)
from notifications_python_client.simulator.auth import MESSAGE_INVALID_TOKEN, authenticate
from notifications_python_client.simulator.errors import NotifyApiError
from notifications_python_client.simulator.web import (
    Context,
    Request,
    Response,
    StartResponse,
    WsgiApp,
    encode_json,
    json_response,
)

if TYPE_CHECKING:
    from notifications_python_client.simulator.store import Store

LOGGER = logging.getLogger(__name__)

Handler = Callable[..., Response]

NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)
METHOD_NOT_ALLOWED_MESSAGE = "The method is not allowed for the requested URL."
# Flask answers 405 and automatic OPTIONS with its default HTML type whatever the body is.
HTML_CONTENT_TYPE = "text/html; charset=utf-8"

# Added to every response by Notify's after-request hook (contract 2.2).
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


class AppLevelError(Exception):
    """A failure outside the v2 handlers, answered with ``{"message": ..., "result": "error"}``."""

    def __init__(self, status: int, message: object, content_type: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.content_type = content_type
        self.headers: list[tuple[str, str]] = []

    def response(self) -> Response:
        response = json_response(self.status, {"message": self.message, "result": "error"})
        if self.content_type is not None:
            response.content_type = self.content_type
        response.headers.extend(self.headers)
        return response


def on_post_unknown_type(ctx: Context, notification_type: str) -> Response:
    """``POST /v2/notifications/<anything else>``: authenticated, then not found."""
    raise AppLevelError(404, NOT_FOUND_MESSAGE)


# Path parameter syntax as in Flask: <name> is one non-empty segment, <int:name> a run of ASCII
# digits, <uuid:name> a hyphenated UUID of either case.
_CONVERTERS = {
    "": r"[^/]+",
    "int": r"[0-9]+",
    "uuid": r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _compile(path: str) -> re.Pattern[str]:
    """A Flask-style rule such as ``/v2/template/<template_id>`` as a full-match pattern."""
    pattern = ""
    position = 0
    for match in _PARAMETER.finditer(path):
        converter = _CONVERTERS[match.group("converter") or ""]
        pattern += re.escape(path[position : match.start()])
        pattern += f"(?P<{match.group('name')}>{converter})"
        position = match.end()
    return re.compile(pattern + re.escape(path[position:]))


@dataclass(frozen=True)
class Route:
    """One rule: a name, a method, a compiled path pattern and its handler.

    A rule without a handler is one of Notify's admin routes: its admin-only authentication
    refuses every service API key, so no request ever gets further (see ``_refuse_admin``).
    """

    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Handler | None

    @property
    def methods(self) -> frozenset[str]:
        """The methods this rule answers, with Flask's automatic HEAD and OPTIONS."""
        extra = {"HEAD", "OPTIONS"} if self.method == "GET" else {"OPTIONS"}
        return frozenset({self.method, *extra})


def _route(name: str, method: str, path: str, handler: Handler | None) -> Route:
    return Route(name, method, _compile(path), handler)


# Order matters only among rules matching the same path and method: the more specific first.
ROUTES: tuple[Route, ...] = (
    _route("post_sms", "POST", "/v2/notifications/sms", handlers_send.on_post_sms),
    _route("post_email", "POST", "/v2/notifications/email", handlers_send.on_post_email),
    _route("post_letter", "POST", "/v2/notifications/letter", handlers_letters.on_post_letter),
    _route(
        "post_unknown_type", "POST", "/v2/notifications/<notification_type>", on_post_unknown_type
    ),
    _route("get_notifications", "GET", "/v2/notifications", handlers_read.on_get_notifications),
    _route(
        "get_notification",
        "GET",
        "/v2/notifications/<notification_id>",
        handlers_read.on_get_notification,
    ),
    _route("get_pdf", "GET", "/v2/notifications/<notification_id>/pdf", handlers_read.on_get_pdf),
    _route("get_template", "GET", "/v2/template/<template_id>", handlers_templates.on_get_template),
    _route(
        "get_template_version",
        "GET",
        "/v2/template/<template_id>/version/<int:version>",
        handlers_templates.on_get_template_version,
    ),
    _route(
        "post_template_preview",
        "POST",
        "/v2/template/<template_id>/preview",
        handlers_templates.on_post_template_preview,
    ),
    _route("get_templates", "GET", "/v2/templates", handlers_templates.on_get_templates),
    _route(
        "get_received_texts",
        "GET",
        "/v2/received-text-messages",
        handlers_received.on_get_received_texts,
    ),
    _route(
        "get_template_versions",
        "GET",
        "/service/<uuid:service_id>/template/<uuid:template_id>/versions",
        None,
    ),
)


def _refuse_admin(authorization: str | None) -> NoReturn:
    """Notify's admin-only authentication, which no service API key can pass (contract 21)."""
    if not authorization:
        raise AppLevelError(401, {"token": ["Unauthorized: authentication token must be provided"]})
    if authorization[:7].lower() != "bearer ":
        raise AppLevelError(
            401, {"token": ["Unauthorized: authentication bearer scheme must be used"]}
        )
    try:
        get_token_issuer(authorization[7:])
    except TokenIssuerError:
        raise AppLevelError(403, {"token": ["Invalid token: iss field not provided"]}) from None
    except TokenDecodeError:
        raise AppLevelError(403, {"token": [MESSAGE_INVALID_TOKEN]}) from None
    raise AppLevelError(401, {"token": ["Unauthorized: not allowed to perform this action"]})


def _authenticate(store: Store, request: Request, route: Route) -> Context:
    """Authenticate the request as the route demands: admin routes refuse, v2 routes check."""
    if route.handler is None:
        _refuse_admin(request.authorization)
    authenticated = authenticate(store, request.authorization)
    return Context(store, request, authenticated.service, authenticated.api_key)


def _dispatch(store: Store, request: Request) -> Response:
    """Find the route, authenticate, and call its handler (or answer OPTIONS)."""
    matches = [(route, m) for route in ROUTES if (m := route.pattern.fullmatch(request.path))]
    if not matches:
        raise AppLevelError(404, NOT_FOUND_MESSAGE)
    allowed = ", ".join(sorted(set().union(*(route.methods for route, _ in matches))))
    if request.method == "OPTIONS":
        _authenticate(store, request, matches[0][0])
        return Response(200, b"", HTML_CONTENT_TYPE, [("Allow", allowed)])
    method = "GET" if request.method == "HEAD" else request.method
    for route, match in matches:
        if route.method != method:
            continue
        if route.handler is None:
            _refuse_admin(request.authorization)
        return route.handler(_authenticate(store, request, route), **match.groupdict())
    error = AppLevelError(405, METHOD_NOT_ALLOWED_MESSAGE, HTML_CONTENT_TYPE)
    error.headers.append(("Allow", allowed))
    raise error


def _respond(store: Store, request: Request) -> Response:
    """The response for a request, whatever goes wrong on the way."""
    try:
        return _dispatch(store, request)
    except NotifyApiError as error:
        return json_response(error.status_code, error.body())
    except AppLevelError as error:
        return error.response()
    except Exception as error:
        LOGGER.exception("Unexpected failure answering %s %s", request.method, request.path)
        body = {
            "status_code": 500,
            "errors": [{"error": type(error).__name__, "message": "Internal server error"}],
        }
        return Response(500, encode_json(body))


def create_app(store: Store) -> WsgiApp:
    """A WSGI app serving Notify's v2 API from ``store``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        response = _respond(store, request)
        request.discard_unread_body()
        body = b"" if request.method == "HEAD" else response.body
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            *response.headers,
            *EXTRA_HEADERS,
        ]
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        return [body]

    return app
