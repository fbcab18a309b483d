"""Notify's test for UUID-typed inputs (ids in bodies, paths and query strings).

Notify accepts more spellings than the canonical hyphenated form: ``urn:``/``uuid:`` prefixes,
surrounding braces, missing or misplaced hyphens and either letter case all pass.
"""

from __future__ import annotations

import re

_HEX_32 = re.compile(r"[0-9a-fA-F]{32}")


def is_valid_uuid(value: object) -> bool:
    """Whether Notify would take ``value`` as a UUID; anything but a string never is."""
    if not isinstance(value, str):
        return False
    digits = value.replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    return _HEX_32.fullmatch(digits) is not None
