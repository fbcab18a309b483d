"""Sending through a requests ``Session`` with less work per request, when nothing is lost by it.

``Session.request`` builds a ``Request``, prepares it (merging the session's cookies, auth,
params, headers and hooks, and looking in ``~/.netrc``), reads the environment's proxy and CA
settings (walking ``os.environ`` several times) and sends it. For a plain session, the one the
client makes by default, most of that is the same for every request, so ``SessionSender``:

- keeps the environment settings until one of the variables they are read from changes, so a
  proxy set after the first request is still honoured;
- keeps the prepared URL per method, URL and query, and builds each request's headers (the
  session's, then the client's) and body afresh.

Anything else takes the published client's path, ``Session.request``: a ``Session`` subclass or
a stand-in (a mocked ``requests`` module), session-level auth, params, cookies or hooks, a URL
with credentials, a ``.netrc`` entry for the host, ``Session`` methods patched on the class or
the instance. Either way the request leaves through ``Session.send``, so mounted adapters,
requests-mock and responses see every request, and the session's proxies, ``verify``, ``cert``
and headers apply.
"""

from __future__ import annotations

import os
import threading
import urllib.parse
from collections.abc import Mapping
from typing import Any

import requests
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_auth_from_url, get_netrc_auth

__all__ = ["SessionSender"]

# What Session.merge_environment_settings and get_netrc_auth read from the environment for an
# http or https URL.
ENVIRONMENT_VARIABLES = (
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "REQUEST_METHOD",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NETRC",
    "HOME",
)
NETRC_POSITION = ENVIRONMENT_VARIABLES.index("NETRC")
HOME_POSITION = ENVIRONMENT_VARIABLES.index("HOME")
# Methods whose replacement (by a test double or a subclass) must be respected.
SESSION_METHODS = ("request", "prepare_request", "merge_environment_settings", "send")
_ORIGINAL_METHODS = {name: getattr(requests.Session, name) for name in SESSION_METHODS}
# Where requests looks for a netrc file when NETRC is not set.
NETRC_CANDIDATES = ("~/.netrc", "~/_netrc")
# Enough for every URL a client asks for (one per template and list query); beyond it, prepared
# URLs are not kept.
MAX_CACHED_URLS = 512


def _is_plain(session: Any) -> bool:
    """Whether the session is an unchanged ``requests.Session`` with nothing of its own to merge
    into a request but headers, proxies, ``verify``, ``cert`` and ``stream``."""
    if type(session) is not requests.Session:
        return False
    if any(
        getattr(requests.Session, name) is not _ORIGINAL_METHODS[name] for name in SESSION_METHODS
    ):
        return False
    if any(name in vars(session) for name in SESSION_METHODS):
        return False
    return (
        session.auth is None
        and not session.params
        and not session.cookies
        and session.hooks == {"response": []}
    )


def _hashable(params: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    """The query as a cache key, or None when a value cannot be one."""
    if not params:
        return ()
    key = []
    for name, value in params.items():
        value = tuple(value) if isinstance(value, list) else value
        try:
            hash(value)
        except TypeError:
            return None
        key.append((name, value))
    return tuple(key)


class SessionSender:
    """Sends a client's requests through its session; see the module docstring."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._urls: dict[tuple[Any, ...], str | None] = {}
        self._settings: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._headers: tuple[tuple[Any, ...], CaseInsensitiveDict[Any]] | None = None
        self._netrc: dict[tuple[Any, ...], bool] = {}

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        data: str | None,
        params: Mapping[str, Any] | None,
        timeout: Any,
    ) -> requests.Response:
        """Send one request and return the response, as ``Session.request`` would."""
        session = self.session
        prepared_url = self._prepared_url(method, url, params) if _is_plain(session) else None
        if prepared_url is not None:
            parts = urllib.parse.urlsplit(prepared_url)
            environment = tuple(os.environ.get(name) for name in ENVIRONMENT_VARIABLES)
            if self._netrc_applies(parts.netloc, prepared_url, environment):
                prepared_url = None
        if prepared_url is None:
            kwargs: dict[str, Any] = {"headers": headers, "timeout": timeout}
            if data is not None:
                kwargs["data"] = data
            if params is not None:
                kwargs["params"] = params
            return session.request(method, url, **kwargs)
        request = requests.PreparedRequest()
        request.method = method.upper()
        request.url = prepared_url
        merged = self._session_headers().copy()
        merged.update(headers)
        for name in [name for name, value in merged.items() if value is None]:
            del merged[name]  # as Session.request drops headers set to None
        request.headers = merged
        # Redirects carry the request's own cookies on; Session.prepare_request gives it a jar.
        request._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
        request.prepare_body(data, None)
        settings = self._environment(prepared_url, parts, environment)
        return session.send(request, timeout=timeout, allow_redirects=True, **settings)

    def _prepared_url(self, method: str, url: str, params: Mapping[str, Any] | None) -> str | None:
        """The request's URL with its query, prepared once; None when it must take the slow
        path (credentials in the URL, a query that cannot be a key)."""
        query = _hashable(params)
        if query is None:
            return None
        key = (method, url, query)
        with self._lock:
            known = key in self._urls
            prepared = self._urls.get(key)
        if not known:
            probe = requests.PreparedRequest()
            probe.prepare_url(url, params)
            has_credentials = any(get_auth_from_url(probe.url or ""))
            prepared = None if has_credentials else probe.url
            with self._lock:
                if len(self._urls) < MAX_CACHED_URLS:
                    self._urls[key] = prepared
        return prepared

    def _session_headers(self) -> CaseInsensitiveDict[Any]:
        """The session's headers as a request starts from them; rebuilt when they change."""
        current = tuple(self.session.headers.items())
        cached = self._headers
        if cached is None or cached[0] != current:
            cached = self._headers = (current, CaseInsensitiveDict(self.session.headers))
        return cached[1]

    def _netrc_applies(self, netloc: str, url: str, environment: tuple[str | None, ...]) -> bool:
        """Whether ``Session.request`` would take credentials for this URL from ``.netrc``.

        Asked again only when the host, ``NETRC``, ``HOME`` or a netrc file's time changes.
        """
        if not self.session.trust_env:
            return False
        key = (netloc, *_netrc_files_state(environment))
        cached = self._netrc.get(key)
        if cached is None:
            cached = self._netrc[key] = bool(get_netrc_auth(url))
        return cached

    def _environment(
        self, url: str, parts: urllib.parse.SplitResult, environment: tuple[str | None, ...]
    ) -> dict[str, Any]:
        """``merge_environment_settings`` for this URL, read again only when its inputs (the
        ``environment`` variables' values among them) change."""
        session = self.session
        key = (
            parts.scheme,
            parts.netloc,
            session.trust_env,
            tuple(sorted(session.proxies.items())),
            _freeze(session.verify),
            _freeze(session.cert),
            session.stream,
            environment,
        )
        with self._lock:
            settings = self._settings.get(key)
        if settings is None:
            settings = dict(session.merge_environment_settings(url, {}, None, None, None))
            with self._lock:
                if len(self._settings) >= MAX_CACHED_URLS:
                    self._settings.clear()
                self._settings[key] = settings
        return {**settings, "proxies": dict(settings["proxies"])}


def _netrc_files_state(environment: tuple[str | None, ...]) -> tuple[Any, ...]:
    """Where requests looks for a netrc file, and when each candidate last changed."""
    netrc, home = environment[NETRC_POSITION], environment[HOME_POSITION]
    candidates = (netrc,) if netrc is not None else NETRC_CANDIDATES
    times: list[int | None] = []
    for candidate in candidates:
        try:
            times.append(os.stat(os.path.expanduser(candidate)).st_mtime_ns)
        except (OSError, ValueError):
            times.append(None)
    return (netrc, home, *times)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
