"""Which values Notify takes as UUIDs (behaviour: UUIDs)."""

from __future__ import annotations

import pytest

from notifications_python_client.simulator.checks.uuids import is_valid_uuid

CANONICAL = "3d1ce039-5476-414c-99b2-fac1e6add62c"
BARE = "3d1ce0395476414c99b2fac1e6add62c"


@pytest.mark.parametrize(
    "value",
    [
        CANONICAL,
        CANONICAL.upper(),
        BARE,
        "3D1CE039-5476-414c-99B2-fac1e6add62c",
        f"{{{CANONICAL}}}",
        f"urn:uuid:{CANONICAL}",
        f"uuid:{CANONICAL}",
        f"urn:{BARE}",
        f"{{urn:uuid:{CANONICAL}}}",
        "3d1c-e039-5476-414c99b2fac1e6-add62c",
        f"-{BARE}-",
        f"{{{{{BARE}}}",
    ],
)
def test_accepted_spellings(value: str) -> None:
    assert is_valid_uuid(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not-a-uuid",
        CANONICAL[:-1],
        CANONICAL + "0",
        CANONICAL.replace("d", "g", 1),
        f" {CANONICAL}",
        f"{CANONICAL} ",
        f"{CANONICAL}\n",
        f"URN:UUID:{CANONICAL}",
        f"0x{BARE[2:]}",
        f"+{BARE[1:]}",
        f"{BARE[:16]}_{BARE[17:]}",
        f"({CANONICAL})",
        f"[{CANONICAL}]",
    ],
)
def test_refused_strings(value: str) -> None:
    assert is_valid_uuid(value) is False


@pytest.mark.parametrize("value", [None, 1, 1.5, True, [CANONICAL], {"id": CANONICAL}])
def test_non_strings_are_never_uuids(value: object) -> None:
    assert is_valid_uuid(value) is False
