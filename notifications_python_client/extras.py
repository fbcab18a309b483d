"""The install line for an extra of this package, as the error of a missing extra gives it.

This package has the published client's name, so installing an extra by that name alone would
fetch the published 13.0.0 from the index, which has no such extra. The line names where this
copy came from instead: the checkout or the git URL it was installed from (PEP 610's
``direct_url.json``), or the README's form when that is unknown.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from importlib import metadata

__all__ = ["DISTRIBUTION", "install_command"]

DISTRIBUTION = "notifications-python-client"
GIT_FORM = f"{DISTRIBUTION}[{{extra}}] @ git+https://github.com/OWNER/{DISTRIBUTION}.git"


def install_command(extra: str) -> str:
    """``pip install ...`` that adds ``extra`` to this very package, never the index's."""
    return f"pip install '{_requirement(extra)}'"


def _requirement(extra: str) -> str:
    origin = _installed_from()
    if origin is None:
        return GIT_FORM.format(extra=extra)
    url, vcs = origin
    if url.startswith("file://") and vcs is None:
        path = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
        return f"{path}[{extra}]"
    return f"{DISTRIBUTION}[{extra}] @ {vcs + '+' if vcs else ''}{url}"


def _installed_from() -> tuple[str, str | None] | None:
    """The URL this package was installed from, and its version control system; None when it
    came from an index or cannot be told."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        recorded = json.loads(text or "null")
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("url"), str):
        return None
    vcs_info = recorded.get("vcs_info")
    vcs = vcs_info.get("vcs") if isinstance(vcs_info, dict) else None
    return recorded["url"], vcs if isinstance(vcs, str) else None
