"""The simulator's WSGI app: Notify's URL map, authentication, dispatch and error bodies.

``create_app(store)`` returns a WSGI callable. Each request is matched against ``URL_MAP`` (a
Werkzeug ``Map``, compiled once); a v2 route authenticates first and then calls its
``on_<endpoint>`` handler from ``HANDLERS``. Failures become Notify's bodies: the v2 envelope for
``NotifyApiError``, the app-level ``{"message": ..., "result": "error"}`` body for unknown routes
and wrong methods, and a 500 v2 body naming the exception class (never a traceback) for anything
unexpected. See docs/simulator-behaviour.md, "Routing and edge cases".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, MapAdapter, Rule
from werkzeug.wrappers import Request, Response

from notifications_python_client.authentication import (
    TokenDecodeError,
    TokenIssuerError,
    get_token_issuer,
)
from notifications_python_client.simulator.api import (
    admin,
    admin_callbacks,
    letters,
    notifications,
    openapi,
    received_texts,
    simulator_faults,
    sms_and_email,
    templates,
)
from notifications_python_client.simulator.api.auth import MESSAGE_INVALID_TOKEN, authenticate
from notifications_python_client.simulator.api.context import ApiRequest, Context
from notifications_python_client.simulator.api.responses import json_response
from notifications_python_client.simulator.domain.errors import NotifyApiError, NotifyFailsHereToo
from notifications_python_client.simulator.web.documents import DOCUMENT_HANDLERS
from notifications_python_client.simulator.web.faults import with_faults
from notifications_python_client.simulator.web.guard import (
    ADMIN_API_PREFIX,
    FORM_TOKEN_ENVIRON,
    CrossSiteRequest,
    check_state_change,
    extra_headers_for,
    new_form_token,
)
from notifications_python_client.simulator.web.pages import PAGE_HANDLERS, PageError, error_page
from notifications_python_client.simulator.web.serving import KEY_NAME_ENVIRON
from notifications_python_client.simulator.web.wsgi import StartResponse, WsgiApp

if TYPE_CHECKING:
    from notifications_python_client.simulator.state.store import Store

LOGGER = logging.getLogger(__name__)

Handler = Callable[..., Response]

NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again."
)
METHOD_NOT_ALLOWED_MESSAGE = "The method is not allowed for the requested URL."
# Flask answers 405 and automatic OPTIONS with its default HTML type whatever the body is.
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


class AppLevelError(Exception):
    """A failure outside the v2 handlers, answered with ``{"message": ..., "result": "error"}``."""

    def __init__(
        self,
        status: int,
        message: object,
        content_type: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.content_type = content_type
        self.headers = list(headers)

    def response(self) -> Response:
        response = json_response(self.status, {"message": self.message, "result": "error"})
        if self.content_type is not None:
            response.content_type = self.content_type
        response.headers.extend(self.headers)
        return response


class DigitsConverter(BaseConverter):
    """A run of ASCII digits, passed on as text (Werkzeug's ``int`` also takes other digits)."""

    regex = "[0-9]+"


def on_post_unknown_type(ctx: Context, notification_type: str) -> Response:
    """``POST /v2/notifications/<anything else>``: authenticated, then not found."""
    raise AppLevelError(404, NOT_FOUND_MESSAGE)


# The simulator's admin API (api.admin): JSON, no token, for tests in any language.
ADMIN_RULES = [
    Rule("/_simulator/api/notifications", endpoint="admin_list", methods=["GET"]),
    Rule("/_simulator/api/notifications", endpoint="admin_delete_all", methods=["DELETE"]),
    Rule(
        "/_simulator/api/notifications/<notification_id>",
        endpoint="admin_delete",
        methods=["DELETE"],
    ),
    Rule("/_simulator/api/notifications/<notification_id>", endpoint="admin_get", methods=["GET"]),
    Rule(
        "/_simulator/api/notifications/<notification_id>/status",
        endpoint="admin_set_status",
        methods=["POST"],
    ),
    Rule("/_simulator/api/received-texts", endpoint="admin_texts", methods=["GET"]),
    Rule("/_simulator/api/received-texts", endpoint="admin_add_text", methods=["POST"]),
    Rule("/_simulator/api/clock", endpoint="admin_clock", methods=["GET"]),
    Rule("/_simulator/api/clock", endpoint="admin_move_clock", methods=["POST"]),
    Rule("/_simulator/api/templates", endpoint="admin_add_template", methods=["POST"]),
    Rule(
        "/_simulator/api/templates/<template_id>",
        endpoint="admin_edit_template",
        methods=["POST"],
    ),
    Rule("/_simulator/api/callbacks", endpoint="admin_callbacks", methods=["GET"]),
    Rule("/_simulator/api/callbacks/<kind>", endpoint="admin_set_callback", methods=["PUT"]),
    Rule("/_simulator/api/callbacks/<kind>", endpoint="admin_delete_callback", methods=["DELETE"]),
    Rule("/_simulator/api/reset", endpoint="admin_reset", methods=["POST"]),
    Rule("/_simulator/api/openapi.json", endpoint="admin_openapi", methods=["GET"]),
]
# The inbox's pages (web.pages) and the download pages of files sent by email (web.documents).
PAGE_RULES = [
    Rule("/_simulator/", endpoint="page_inbox", methods=["GET"]),
    Rule("/_simulator/notifications/<notification_id>", endpoint="page_notification"),
    Rule(
        "/_simulator/notifications/<notification_id>/status",
        endpoint="page_set_status",
        methods=["POST"],
    ),
    Rule(
        "/_simulator/notifications/<notification_id>/delete",
        endpoint="page_delete",
        methods=["POST"],
    ),
    Rule("/_simulator/delete", endpoint="page_delete_matching", methods=["POST"]),
    Rule("/_simulator/notifications/<notification_id>/email.html", endpoint="page_email_frame"),
    Rule("/_simulator/notifications/<notification_id>/letter.pdf", endpoint="page_letter_pdf"),
    Rule(
        "/_simulator/notifications/<notification_id>/letter/<digits:page_number>.png",
        endpoint="page_letter_image",
    ),
    Rule("/_simulator/received-texts", endpoint="page_received_texts", methods=["GET"]),
    Rule("/_simulator/received-texts", endpoint="page_add_received_text", methods=["POST"]),
    Rule("/_simulator/templates", endpoint="page_templates", methods=["GET"]),
    Rule("/_simulator/templates", endpoint="page_add_template", methods=["POST"]),
    Rule(
        "/_simulator/templates/<template_id>/edit",
        endpoint="page_edit_template",
        methods=["POST"],
    ),
    Rule("/_simulator/templates/<template_id>", endpoint="page_template", methods=["GET", "POST"]),
    Rule("/_simulator/settings", endpoint="page_settings"),
    Rule("/_simulator/settings/clock", endpoint="page_move_clock", methods=["POST"]),
    Rule("/_simulator/settings/faults", endpoint="page_faults", methods=["POST"]),
    Rule("/_simulator/settings/reset", endpoint="page_reset", methods=["POST"]),
    Rule("/_simulator/static/<filename>", endpoint="page_static"),
    Rule("/_simulator/d/<service_part>/<document_part>", endpoint="page_document", methods=["GET"]),
    Rule(
        "/_simulator/d/<service_part>/<document_part>",
        endpoint="page_document_confirm",
        methods=["POST"],
    ),
]

# The admin route has no handler: its admin-only authentication refuses every service API key,
# so no request ever gets further (see ``_refuse_admin``).
ADMIN_ENDPOINTS = frozenset({"get_template_versions"})

URL_MAP = Map(
    [
        Rule("/v2/notifications/sms", endpoint="post_sms", methods=["POST"]),
        Rule("/v2/notifications/email", endpoint="post_email", methods=["POST"]),
        Rule("/v2/notifications/letter", endpoint="post_letter", methods=["POST"]),
        Rule(
            "/v2/notifications/<notification_type>",
            endpoint="post_unknown_type",
            methods=["POST"],
        ),
        Rule("/v2/notifications", endpoint="get_notifications", methods=["GET"]),
        Rule("/v2/notifications/<notification_id>", endpoint="get_notification", methods=["GET"]),
        Rule("/v2/notifications/<notification_id>/pdf", endpoint="get_pdf", methods=["GET"]),
        Rule("/v2/template/<template_id>", endpoint="get_template", methods=["GET"]),
        Rule(
            "/v2/template/<template_id>/version/<digits:version>",
            endpoint="get_template_version",
            methods=["GET"],
        ),
        Rule(
            "/v2/template/<template_id>/preview",
            endpoint="post_template_preview",
            methods=["POST"],
        ),
        Rule("/v2/templates", endpoint="get_templates", methods=["GET"]),
        Rule("/v2/received-text-messages", endpoint="get_received_texts", methods=["GET"]),
        Rule(
            "/service/<uuid:service_id>/template/<uuid:template_id>/versions",
            endpoint="get_template_versions",
            methods=["GET"],
        ),
        Rule("/_simulator/api/faults", endpoint="simulator_get_faults", methods=["GET"]),
        Rule("/_simulator/api/faults", endpoint="simulator_put_faults", methods=["PUT"]),
        *ADMIN_RULES,
        *PAGE_RULES,
    ],
    converters={"digits": DigitsConverter},
    # Notify's paths never hold empty segments; a doubled slash matches no route.
    merge_slashes=False,
)

HANDLERS: dict[str, Handler] = {
    "post_sms": sms_and_email.on_post_sms,
    "post_email": sms_and_email.on_post_email,
    "post_letter": letters.on_post_letter,
    "post_unknown_type": on_post_unknown_type,
    "get_notifications": notifications.on_get_notifications,
    "get_notification": notifications.on_get_notification,
    "get_pdf": notifications.on_get_pdf,
    "get_template": templates.on_get_template,
    "get_template_version": templates.on_get_template_version,
    "post_template_preview": templates.on_post_template_preview,
    "get_templates": templates.on_get_templates,
    "get_received_texts": received_texts.on_get_received_texts,
}


# The simulator's own routes: no Notify authentication, given the store, the request and the
# path's parts.
SIMULATOR_HANDLERS: dict[str, Callable[..., Response]] = {
    "simulator_get_faults": simulator_faults.on_get_faults,
    "simulator_put_faults": simulator_faults.on_put_faults,
    "admin_list": admin.on_admin_list_notifications,
    "admin_get": admin.on_admin_get_notification,
    "admin_delete_all": admin.on_admin_delete_notifications,
    "admin_delete": admin.on_admin_delete_notification,
    "admin_set_status": admin.on_admin_set_status,
    "admin_texts": admin.on_admin_list_received_texts,
    "admin_add_text": admin.on_admin_add_received_text,
    "admin_clock": admin.on_admin_get_clock,
    "admin_move_clock": admin.on_admin_move_clock,
    "admin_add_template": admin.on_admin_add_template,
    "admin_edit_template": admin.on_admin_edit_template,
    "admin_reset": admin.on_admin_reset,
    "admin_openapi": openapi.on_openapi,
    "admin_callbacks": admin_callbacks.on_admin_list_callbacks,
    "admin_set_callback": admin_callbacks.on_admin_set_callback,
    "admin_delete_callback": admin_callbacks.on_admin_delete_callback,
    **PAGE_HANDLERS,
    **DOCUMENT_HANDLERS,
}


def _refuse_admin(authorization: str | None) -> NoReturn:
    """Notify's admin-only authentication, which no service API key can pass."""
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


def _authenticate(store: Store, request: Request, endpoint: str) -> Context:
    """Authenticate as the endpoint demands: admin routes refuse, v2 routes check the token."""
    authorization = request.headers.get("Authorization")
    if endpoint in ADMIN_ENDPOINTS:
        _refuse_admin(authorization)
    authenticated = authenticate(store, authorization)
    request.environ[KEY_NAME_ENVIRON] = authenticated.api_key.name
    return Context(store, request, authenticated.service, authenticated.api_key)


def _allow_header(methods: Iterable[str]) -> tuple[str, str]:
    """Flask's ``Allow`` header: the route's methods with its automatic OPTIONS, sorted."""
    return ("Allow", ", ".join(sorted({*methods, "OPTIONS"})))


def _options(store: Store, request: Request, adapter: MapAdapter, path: str) -> Response:
    """Flask's automatic OPTIONS answer, after the authentication the route would run."""
    methods = adapter.allowed_methods(path)
    if not methods:
        raise AppLevelError(404, NOT_FOUND_MESSAGE)
    endpoint, _ = adapter.match(path, method=min(methods))
    if endpoint not in SIMULATOR_HANDLERS:
        _authenticate(store, request, str(endpoint))
    response = Response(b"", status=200, content_type=HTML_CONTENT_TYPE)
    response.headers.extend([_allow_header(methods)])
    return response


def _dispatch(store: Store, request: Request, adapter: MapAdapter) -> Response:
    """Find the route, authenticate, and call its handler (or answer OPTIONS)."""
    if request.method == "OPTIONS":
        return _options(store, request, adapter, request.path)
    try:
        endpoint, arguments = adapter.match(request.path, request.method)
    except NotFound:
        raise AppLevelError(404, NOT_FOUND_MESSAGE) from None
    except MethodNotAllowed as error:
        allowed = _allow_header(error.valid_methods or ())
        raise AppLevelError(405, METHOD_NOT_ALLOWED_MESSAGE, HTML_CONTENT_TYPE, [allowed]) from None
    simulator_handler = SIMULATOR_HANDLERS.get(str(endpoint))
    if simulator_handler is not None:
        check_state_change(request)
        return simulator_handler(store, request, **arguments)
    context = _authenticate(store, request, str(endpoint))
    return HANDLERS[str(endpoint)](context, **arguments)


def _respond(store: Store, request: Request, adapter: MapAdapter) -> Response:
    """The response for a request, whatever goes wrong on the way."""
    try:
        return _dispatch(store, request, adapter)
    except NotifyApiError as error:
        if isinstance(error, NotifyFailsHereToo):
            LOGGER.warning("%s %s answered 500, as Notify does: %s", request.method,
                           request.path, error.why)  # fmt: skip
        return json_response(error.status_code, error.body())
    except AppLevelError as error:
        return error.response()
    except PageError as error:
        return error_page(request, error)
    except CrossSiteRequest as error:
        if request.path.startswith(ADMIN_API_PREFIX):
            name = "Forbidden" if error.status == 403 else "UnsupportedMediaType"
            refused = NotifyApiError.single(error.status, name, error.message)
            return json_response(refused.status_code, refused.body())
        return error_page(request, PageError(error.status, error.message))
    except Exception as error:
        LOGGER.exception("Unexpected failure answering %s %s", request.method, request.path)
        body = {
            "status_code": 500,
            "errors": [{"error": type(error).__name__, "message": "Internal server error"}],
        }
        return json_response(500, body)


def create_app(
    store: Store,
    *,
    sleep: Callable[[float], None] = time.sleep,
    form_token: str | None = None,
) -> WsgiApp:
    """A WSGI app serving Notify's v2 API from ``store``, with the store's faults applied.

    :param sleep: how injected latency and stalls wait.
    :param form_token: the secret the inbox's forms carry (see ``web.guard``); a new random one
        when omitted.
    """

    # Bound once: no route depends on the host, and matching reads nothing else of the adapter.
    adapter = URL_MAP.bind("simulator")
    token = form_token or new_form_token()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        environ[FORM_TOKEN_ENVIRON] = token
        response = _respond(store, ApiRequest(environ), adapter)
        extra_headers = extra_headers_for(environ.get("PATH_INFO", ""))

        def start_with_notify_headers(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            return start_response(status, [*headers, *extra_headers], exc_info)

        return response(environ, start_with_notify_headers)

    return with_faults(app, store.faults, sleep)
