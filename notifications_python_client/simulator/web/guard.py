"""Keeping other web pages out of the local Notify.

Any page a developer opens in their browser can send requests to ``127.0.0.1``; these rules
make sure it can neither read the simulator nor change it:

- **Host names** (against DNS rebinding, where a page's own name is made to point at
  loopback): only requests whose ``Host`` is the address the simulator listens on, a loopback
  name, or a name given with ``--allowed-host`` are answered (``host_guard``).
- **Who may change state**: a ``POST``/``PUT``/``DELETE`` under ``/_simulator/`` is refused
  when it comes from another origin (a foreign ``Origin``, or ``Sec-Fetch-Site`` saying
  another site); the admin API takes only ``application/json``, which no HTML form can send;
  the inbox's forms carry a token that only the simulator's own pages know
  (``check_state_change``).
- **No CORS on the simulator's own routes**: Notify's CORS headers are sent from the v2 API
  alone (``extra_headers_for``), so no other page can read the inbox, the admin API or a file.
"""

from __future__ import annotations

import hmac
import secrets
import urllib.parse
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request

from notifications_python_client.simulator.api.responses import EXTRA_HEADERS, json_response
from notifications_python_client.simulator.web.wsgi import StartResponse, WsgiApp

__all__ = [
    "FORM_TOKEN_ENVIRON",
    "FORM_TOKEN_FIELD",
    "LOOPBACK_HOST_NAMES",
    "CrossSiteRequest",
    "allowed_host_names",
    "check_state_change",
    "extra_headers_for",
    "host_guard",
    "new_form_token",
]

SIMULATOR_PREFIX = "/_simulator/"
ADMIN_API_PREFIX = "/_simulator/api/"
LOOPBACK_HOST_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
# Listening on one of these means every interface: its name says nothing about the Host used.
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})
ANY_HOST = "*"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sec-Fetch-Site values a browser sends for requests of the simulator's own pages, or typed in.
OWN_FETCH_SITES = frozenset({"same-origin", "none"})
JSON_MIMETYPE = "application/json"
FORM_TOKEN_FIELD = "form_token"
FORM_TOKEN_ENVIRON = "notify_simulator.form_token"
FORM_TOKEN_BYTES = 32
CORS_HEADER_PREFIX = "access-control-"
SIMULATOR_EXTRA_HEADERS = tuple(
    (name, value)
    for name, value in EXTRA_HEADERS
    if not name.lower().startswith(CORS_HEADER_PREFIX)
)


class CrossSiteRequest(Exception):
    """A request that would change the simulator's state and did not come from its own pages
    or a program: answered 403 (or 415 for a body that is not JSON) naming the rule."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def new_form_token() -> str:
    """A secret for the forms of one app: pages of other origins can never read it."""
    return secrets.token_urlsafe(FORM_TOKEN_BYTES)


def allowed_host_names(listen_host: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """The ``Host`` names to answer: loopback, the listening address and ``extra`` (lower
    case, without brackets or ports); None when ``extra`` holds ``*``, to answer any."""
    names = set(LOOPBACK_HOST_NAMES)
    if listen_host not in WILDCARD_ADDRESSES:
        names.add(_bare_host(listen_host))
    for name in extra:
        if name.strip() == ANY_HOST:
            return None
        names.add(_bare_host(name))
    return frozenset(names)


def host_guard(app: WsgiApp, allowed: frozenset[str] | None) -> WsgiApp:
    """``app``, answering a request whose ``Host`` is not ``allowed`` with a 400 instead.

    A request without a ``Host`` (HTTP/1.0 from a script) comes from no browser, so is served.
    """
    if allowed is None:
        return app

    def guarded(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host is None or _host_name(host) in allowed:
            return app(environ, start_response)
        message = (
            f"This simulator does not answer to the host name {_host_name(host)!r}, which "
            "protects it from other web pages. To reach it by that name (a container's service "
            "name, say), start it with --allowed-host=NAME."
        )
        response = json_response(400, {"message": message, "result": "error"})
        response.headers.extend(SIMULATOR_EXTRA_HEADERS)
        return response(environ, start_response)

    return guarded


def check_state_change(request: Request) -> None:
    """Refuse a request that would change state unless it comes from the simulator's own pages
    (with their form token) or from a program (JSON to the admin API, with no foreign origin).

    :raises CrossSiteRequest: naming the rule it breaks.
    """
    if request.method in SAFE_METHODS or not request.path.startswith(SIMULATOR_PREFIX):
        return
    origin = request.headers.get("Origin")
    if origin is not None and not _same_origin(origin, request):
        raise CrossSiteRequest(
            403, f"Refused: this request comes from another web page ({origin})."
        )
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in OWN_FETCH_SITES:
        raise CrossSiteRequest(403, f"Refused: this request comes from a {fetch_site} page.")
    if request.path.startswith(ADMIN_API_PREFIX):
        if request.mimetype != JSON_MIMETYPE:
            raise CrossSiteRequest(
                415, "Send the admin API a JSON body, with Content-Type: application/json."
            )
        return
    expected = request.environ.get(FORM_TOKEN_ENVIRON, "")
    given = request.form.get(FORM_TOKEN_FIELD, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CrossSiteRequest(
            403,
            "Refused: this form did not come from the pages of this simulator. Reload the page.",
        )


def extra_headers_for(path: str) -> tuple[tuple[str, str], ...]:
    """Notify's extra response headers: all of them on the v2 API, none of its CORS headers on
    the simulator's own routes."""
    if path.startswith(SIMULATOR_PREFIX):
        return SIMULATOR_EXTRA_HEADERS
    return EXTRA_HEADERS


def _same_origin(origin: str, request: Request) -> bool:
    """Whether ``origin`` is the scheme, host and port the request was sent to."""
    try:
        parts = urllib.parse.urlsplit(origin)
    except ValueError:
        return False
    host = request.headers.get("Host", "")
    return parts.scheme == request.scheme and parts.netloc.lower() == host.lower()


def _host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port, brackets or case."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def _bare_host(name: str) -> str:
    """A host name or address as ``_host_name`` gives it, for comparing."""
    name = name.strip().lower()
    return name[1:-1] if name.startswith("[") and name.endswith("]") else name
