"""The WSGI types the web layer passes around (PEP 3333), and running an app to the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

Started = tuple[str, list[tuple[str, str]], Any]


def run_to_the_end(app: WsgiApp, environ: dict[str, Any]) -> tuple[Started | None, int]:
    """Call ``app`` and read its whole answer without sending any of it.

    :returns: the last status, headers and ``exc_info`` it passed to ``start_response`` (None if
        it never called it) and the length of its body. Its result is closed, as a server must.
    """
    started: list[Started] = []

    def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, list(headers), exc_info))
        return lambda data: None

    result = app(environ, hold)
    try:
        length = sum(len(chunk) for chunk in result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return (started[-1] if started else None), length
