"""Loading and checking the simulator's data file, and the built-in data.

Behaviour: Built-in data.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notifications_python_client.simulator.data import (
    DataFileError,
    key_name,
    load_data,
    load_simulation,
)
from notifications_python_client.simulator.domain.faults import FaultSettings

NOW = dt.datetime(2024, 5, 17, 12, 0, tzinfo=dt.timezone.utc)
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SMS_TEMPLATE = {
    "id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "name": "Reminder",
    "type": "sms",
    "body": "Hi ((name))",
}
EMAIL_TEMPLATE = {
    "id": "a9c9f5a4-7b1b-4a0e-8a0d-7c1c0f0c2d11",
    "name": "Confirmation",
    "type": "email",
    "subject": "Hello",
    "body": "Dear ((name))",
}
MINIMAL: dict[str, Any] = {
    "services": [
        {
            "id": SERVICE_ID,
            "name": "Pigeon Affairs Bureau",
            "api_keys": [
                {"name": "test", "type": "test", "secret": "3d844edf-8d35-48ac-975b-e847b4f122b0"}
            ],
            "templates": [SMS_TEMPLATE, EMAIL_TEMPLATE],
        }
    ]
}


def edited(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """A copy of the minimal data with ``change`` applied to its first service."""
    data = copy.deepcopy(MINIMAL)
    change(data["services"][0])
    return data


def test_the_built_in_data_has_a_live_and_a_trial_service() -> None:
    live, trial = load_data(None, now=NOW)

    assert (live.id, live.name, live.restricted) == (
        "9024e73a-6d91-4afb-9b68-7b3dba010425",
        "Pigeon Affairs Bureau",
        False,
    )
    assert trial.restricted is True
    for service in (live, trial):
        assert {key.type for key in service.api_keys} == {"normal", "team", "test"}
        assert {template.type for template in service.templates} == {"sms", "email", "letter"}
    assert live.limits.daily == {
        "email": 250_000,
        "sms": 250_000,
        "letter": 20_000,
        "international_sms": 100,
    }
    assert trial.limits.daily == {"email": 50, "sms": 50, "letter": 50, "international_sms": 100}


def test_the_built_in_live_service_has_what_tests_need() -> None:
    live = load_data(None, now=NOW)[0]

    assert live.team_phone_numbers[0].startswith("077009")
    assert live.team_email_addresses
    assert live.inbound_number == "07700900456"
    assert [sender.sms_sender for sender in live.sms_senders] == ["GOVUK", "07700900789"]
    assert live.sms_senders[0].default is True
    assert live.email_reply_to[0].default is True and len(live.email_reply_to) == 2
    assert any(template.archived for template in live.templates)
    assert any(len(template.versions) == 2 for template in live.templates)
    letter = next(template for template in live.templates if template.type == "letter")
    assert "((address_line_1))" in letter.latest.body
    assert letter.latest.letter_contact_block
    bodies = " ".join(t.latest.body for t in live.templates if t.type == "email")
    assert "??" in bodies
    assert len(live.received_texts) == 3
    revoked = [key for key in live.api_keys if key.revoked_at is not None]
    assert [key.type for key in revoked] == ["normal"]


def test_ids_and_keys_are_the_same_every_time() -> None:
    first = load_data(None, now=NOW)
    second = load_data(None, now=NOW + dt.timedelta(days=3))

    def identity(services: list[Any]) -> list[Any]:
        return [
            (
                s.id,
                [k.combined(s.id) for k in s.api_keys],
                [t.id for t in s.templates],
                [r.id for r in s.received_texts],
            )
            for s in services
        ]

    assert identity(first) == identity(second)


def test_a_file_loads_like_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")

    from_file = load_data(path, now=NOW)
    from_text_path = load_data(str(path), now=NOW)

    assert from_file == from_text_path == load_data(MINIMAL, now=NOW)


def test_defaults_fill_in_optional_fields() -> None:
    (service,) = load_data(MINIMAL, now=NOW)

    assert service.restricted is False and service.active is True
    assert service.permissions == {"email", "sms", "letter", "international_sms"}
    assert service.file_download_contact_details is True
    assert service.limits.rate_limit_per_minute == 3000
    assert service.timings.delivered_after_seconds == 0.0
    assert service.delivery_status_callback is None
    assert service.templates[0].postage is None
    assert service.templates[0].versions[0].created_by


def test_a_restricted_service_gets_trial_limits_unless_told_otherwise() -> None:
    trial = edited(lambda s: s.update(restricted=True, limits={"daily": {"sms": 7}}))

    (service,) = load_data(trial, now=NOW)

    assert service.limits.daily == {"email": 50, "sms": 7, "letter": 50, "international_sms": 100}


def test_template_versions_count_up_to_the_template_itself() -> None:
    data = edited(
        lambda s: s["templates"][1].update(
            previous_versions=[{"subject": "One", "body": "1"}, {"subject": "Two", "body": "2"}],
            created_by="author@example.com",
        )
    )

    template = load_data(data, now=NOW)[0].templates[1]

    assert [(v.version, v.subject, v.body) for v in template.versions] == [
        (1, "One", "1"),
        (2, "Two", "2"),
        (3, "Hello", "Dear ((name))"),
    ]
    assert [v.created_at for v in template.versions] == [
        NOW - dt.timedelta(hours=3),
        NOW - dt.timedelta(hours=2),
        NOW - dt.timedelta(hours=1),
    ]
    assert {v.created_by for v in template.versions} == {"author@example.com"}


def test_a_previous_version_may_carry_its_own_name() -> None:
    data = edited(
        lambda s: s["templates"][1].update(
            previous_versions=[{"name": "Old name", "subject": "One", "body": "1"},
                               {"subject": "Two", "body": "2"}]
        )
    )  # fmt: skip

    template = load_data(data, now=NOW)[0].templates[1]

    assert [v.name for v in template.versions] == ["Old name", None, None]


def test_letters_get_second_class_postage_and_a_contact_block() -> None:
    letter = {
        "id": "0b0e4f44-97c4-4d4c-bc3d-3d1b4e9c2f10",
        "name": "Letter",
        "type": "letter",
        "subject": "Heading",
        "body": "Dear ((address_line_1))",
        "letter_contact_block": "Loft Lane",
    }
    template = load_data(edited(lambda s: s["templates"].append(letter)), now=NOW)[0].templates[2]

    assert template.postage == "second"
    assert template.latest.letter_contact_block == "Loft Lane"


def test_revoked_keys_and_received_texts_are_dated_back_from_loading() -> None:
    def change(service: dict[str, Any]) -> None:
        service["api_keys"][0]["revoked_days_ago"] = 8
        service["inbound_number"] = "07700900456"
        service["received_texts"] = [
            {"user_number": "447700900111", "content": "first"},
            {"user_number": "447700900222", "content": "second"},
            {"user_number": "447700900333", "content": "old", "minutes_ago": 90},
        ]

    (service,) = load_data(edited(change), now=NOW)

    assert service.api_keys[0].revoked_at == NOW - dt.timedelta(days=8)
    assert [(t.content, t.created_at) for t in service.received_texts] == [
        ("first", NOW - dt.timedelta(minutes=3)),
        ("second", NOW - dt.timedelta(minutes=2)),
        ("old", NOW - dt.timedelta(minutes=90)),
    ]
    assert {t.notify_number for t in service.received_texts} == {"07700900456"}
    assert len({t.id for t in service.received_texts}) == 3


def test_ids_are_stored_in_canonical_form() -> None:
    data = edited(lambda s: s.update(id="{26785A09AB164EB08407A37497A57506}"))
    assert load_data(data, now=NOW)[0].id == SERVICE_ID


@pytest.mark.parametrize(
    ("name", "expected"),
    [("My Test Key!", "my_test_key"), ("integration  live", "integration_live"), ("k", "k")],
)
def test_key_names_are_written_as_in_the_key_string(name: str, expected: str) -> None:
    assert key_name(name) == expected


def test_callbacks_are_read() -> None:
    callbacks = {
        "delivery_status": {"url": "https://example.com/status", "bearer_token": "s3cr3t-t0ken"},
        "received_text": {"url": "https://example.com/inbound", "bearer_token": "an0ther-one"},
    }
    (service,) = load_data(edited(lambda s: s.update(callbacks=callbacks)), now=NOW)

    assert service.delivery_status_callback is not None
    assert service.delivery_status_callback.url == "https://example.com/status"
    assert service.received_text_callback is not None
    assert service.received_text_callback.bearer_token == "an0ther-one"


def test_timings_can_be_slowed_down() -> None:
    timings = {"sending_after_seconds": 2, "callback_max_retries": 1}
    (service,) = load_data(edited(lambda s: s.update(timings=timings)), now=NOW)

    assert service.timings.sending_after_seconds == 2.0
    assert service.timings.callback_max_retries == 1


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets a dotted path (numbers index lists) in the first service."""

    def change(service: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = service
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(service: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = service
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set("templates.1.type", "push"),
            "services[0].templates[1].type: must be one of sms, email, letter",
        ),
        (_delete("id"), "services[0].id: is required"),
        (_set("id", "not-a-uuid"), "services[0].id: must be a UUID"),
        (_set("name", ""), "services[0].name: must be a non-empty string"),
        (_set("tempaltes", []), "services[0].tempaltes: unknown field"),
        (_set("restricted", "yes"), "services[0].restricted: must be true or false"),
        (_set("permissions", ["sms", "fax"]), "services[0].permissions[1]: must be one of"),
        (_set("api_keys.0.type", "live"), "services[0].api_keys[0].type: must be one of"),
        (_set("api_keys.0.secret", "abc"), "services[0].api_keys[0].secret: must be a UUID"),
        (_set("api_keys", {}), "services[0].api_keys: must be a list"),
        (_set("templates.0.subject", "Hi"), "services[0].templates[0].subject: sms templates"),
        (_delete("templates.1.subject"), "services[0].templates[1].subject: is required"),
        (_set("templates.0.postage", "first"), "services[0].templates[0].postage: only letter"),
        (
            _set("templates.0.previous_versions", [{"body": 1}]),
            "services[0].templates[0].previous_versions[0].body: must be a non-empty string",
        ),
        (
            _set("templates.0.previous_versions", [{"body": "b", "name": ""}]),
            "services[0].templates[0].previous_versions[0].name: must be a non-empty string",
        ),
        (
            _set("limits", {"daily": {"sms": -1}}),
            "services[0].limits.daily.sms: must be a whole number, 0 or more",
        ),
        (
            _set("limits", {"daily": {"push": 1}}),
            "services[0].limits.daily.push: unknown field",
        ),
        (
            _set("limits", {"retention_days": 0}),
            "services[0].limits.retention_days: must be at least 1",
        ),
        (
            _set("timings", {"delivered_after_seconds": "soon"}),
            "services[0].timings.delivered_after_seconds: must be a number, 0 or more",
        ),
        (
            _set("received_texts", [{"user_number": "447700900111", "content": "Hi"}]),
            "services[0].received_texts: needs the service's inbound_number",
        ),
        (
            _set("callbacks", {"delivery_status": {"url": "https://example.com"}}),
            "services[0].callbacks.delivery_status.bearer_token: is required",
        ),
        (
            _set("templates.1.id", SMS_TEMPLATE["id"]),
            "services[0].templates[1].id: duplicate id",
        ),
        (
            lambda s: s["api_keys"].append({**s["api_keys"][0], "type": "team"}),
            "services[0].api_keys[1].secret: duplicate secret",
        ),
        (_set("team", {"phone_numbers": [7700900111]}), "services[0].team.phone_numbers[0]"),
    ],
)
def test_mistakes_name_the_field(change: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_data(edited(change), now=NOW)

    assert str(error.value).startswith(message)


def test_a_repeated_service_id_is_refused() -> None:
    data = copy.deepcopy(MINIMAL)
    data["services"].append({"id": SERVICE_ID, "name": "Again"})

    with pytest.raises(DataFileError, match=r"^services\[1\]\.id: duplicate id$"):
        load_data(data, now=NOW)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "services: is required"),
        ({"services": []}, "services: must list at least one service"),
        ({"services": [], "extra": 1}, "extra: unknown field"),
        ({"services": ["x"]}, "services[0]: must be an object"),
    ],
)
def test_the_top_level_is_checked(data: dict[str, Any], message: str) -> None:
    with pytest.raises(DataFileError) as error:
        load_data(data, now=NOW)

    assert str(error.value).startswith(message)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(DataFileError, match=r"missing\.json: cannot be read"):
        load_data(missing)


def test_a_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"services": [', encoding="utf-8")

    with pytest.raises(DataFileError, match=r"broken.json: not valid JSON: .*line 1"):
        load_data(path)


def test_a_data_file_error_is_a_value_error() -> None:
    assert issubclass(DataFileError, ValueError)


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"seed": -1}, "faults.seed: must be a whole number, 0 or more"),
        ({"error_rate": 1.5}, "faults.error_rate: must be from 0 to 1"),
        ({"colour": "red"}, "faults.colour: unknown field"),
        ("often", "faults: must be an object"),
    ],
)
def test_a_faults_object_that_is_not_valid_names_the_field(faults: object, message: str) -> None:
    data = {
        "services": [{"id": "9024e73a-6d91-4afb-9b68-7b3dba010425", "name": "P"}],
        "faults": faults,
    }

    with pytest.raises(DataFileError, match=re.escape(message)):
        load_simulation(data)


def test_the_faults_object_is_read() -> None:
    data = {
        "services": [{"id": "9024e73a-6d91-4afb-9b68-7b3dba010425", "name": "P"}],
        "faults": {"error_rate": 0.5, "seed": 3},
    }

    assert load_simulation(data)[1] == FaultSettings(error_rate=0.5, seed=3)
