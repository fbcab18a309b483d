"""Templates added and edited while the simulator runs, from Python and over the admin API."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from e2e_support import SMS_TEMPLATE_ID

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

NEW_ID = "0a6a4a3e-5f69-4b69-9c61-6b3f1a2e9d10"


def api(sim: NotifySimulator, path: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{sim.url}/_simulator/api/{path}", json=body, timeout=5)


def test_a_template_added_from_python_can_be_sent_and_read(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    template_id = sim.add_template(type="sms", body="Your order ((number)) has shipped.")

    test_key_client.send_sms_notification("07700900123", template_id, {"number": "A-1234"})

    assert sim.wait_for(template_id=template_id, timeout=0).body == (
        "Your order A-1234 has shipped."
    )
    template = test_key_client.get_template(template_id)
    assert (template["type"], template["version"], template["name"]) == (
        "sms", 1, "Untitled sms template",
    )  # fmt: skip


def test_an_email_template_keeps_its_subject_name_and_chosen_id(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    template_id = sim.add_template(
        type="email", subject="Hi ((name))", body="Welcome, ((name)).", name="Welcome",
        template_id=NEW_ID,
    )  # fmt: skip

    template = test_key_client.get_template(NEW_ID)

    assert template_id == NEW_ID
    assert (template["subject"], template["body"], template["name"]) == (
        "Hi ((name))", "Welcome, ((name)).", "Welcome",
    )  # fmt: skip


def test_an_edit_makes_a_new_version_and_keeps_the_old_one(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    template_id = sim.add_template(type="sms", body="First ((x))", name="Original")

    version = sim.edit_template(template_id, body="Second ((x))", name="Renamed")

    assert version == 2
    latest = test_key_client.get_template(template_id)
    first = test_key_client.get_template_version(template_id, 1)
    assert (latest["body"], latest["version"], latest["name"]) == ("Second ((x))", 2, "Renamed")
    assert (first["body"], first["name"]) == ("First ((x))", "Original")
    sent = test_key_client.send_sms_notification("07700900123", template_id, {"x": "go"})
    assert sent["content"]["body"] == "Second go"


def test_an_edit_of_a_built_in_template_changes_only_what_is_given(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    email_id = sim.env()["EMAIL_TEMPLATE_ID"]
    before = test_key_client.get_template(email_id)

    sim.edit_template(email_id, subject="New subject for ((name))")

    after = test_key_client.get_template(email_id)
    assert after["subject"] == "New subject for ((name))"
    assert (after["body"], after["name"]) == (before["body"], before["name"])
    assert after["version"] == before["version"] + 1


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"type": "fax", "body": "x"}, "template.type: must be one of"),
        ({"type": "sms", "body": "x", "subject": "s"}, "template.subject: sms templates have no"),
        ({"type": "email", "body": "x"}, "template.subject: is required"),
        ({"type": "sms", "body": "Hello ((name"}, "template.body: has a (( that is never closed"),
        ({"type": "email", "body": "x", "subject": "Hi ((name)"}, "template.subject: has a (("),
        ({"type": "sms", "body": "x", "template_id": "not-a-uuid"}, "template.id"),
    ],
)  # fmt: skip
def test_bad_templates_get_the_data_files_clear_errors(
    sim: NotifySimulator, arguments: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        sim.add_template(**arguments)


def test_an_id_that_exists_or_an_unknown_service_is_refused(sim: NotifySimulator) -> None:
    with pytest.raises(ValueError, match=f"a template with id {SMS_TEMPLATE_ID} exists"):
        sim.add_template(type="sms", body="x", template_id=SMS_TEMPLATE_ID)
    with pytest.raises(LookupError, match="no service"):
        sim.add_template(type="sms", body="x", service_id=NEW_ID)
    with pytest.raises(LookupError, match="no template"):
        sim.edit_template(NEW_ID, body="x")
    with pytest.raises(ValueError, match="never closed"):
        sim.edit_template(SMS_TEMPLATE_ID, body="((broken")


def test_templates_added_last_until_reset(sim: NotifySimulator) -> None:
    template_id = sim.add_template(type="sms", body="x")
    sim.reset()

    assert sim.store.services()[0].template(template_id) is None


def test_the_admin_api_adds_and_edits_templates(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    added = api(sim, "templates", {"type": "sms", "body": "Code ((code))", "name": "Codes"})
    template_id = added.json()["id"]
    edited = api(sim, f"templates/{template_id}", {"body": "Your code: ((code))"})

    assert added.status_code == 201
    assert (added.json()["name"], added.json()["version"]) == ("Codes", 1)
    assert edited.status_code == 200
    assert (edited.json()["body"], edited.json()["version"]) == ("Your code: ((code))", 2)
    assert test_key_client.get_template(template_id)["body"] == "Your code: ((code))"


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("templates", {"type": "sms", "body": "((x"}, 400, "template.body: has a (( that"),
        ("templates", {"type": "fax", "body": "x"}, 400, "template.type: must be one of"),
        ("templates", {"type": "sms", "body": "x", "colour": "red"}, 400, "colour is not allowed"),
        ("templates", {"type": "sms", "body": "x", "service_id": NEW_ID}, 400, "service_id:"),
        ("templates", {"type": "sms", "body": "x", "template_id": SMS_TEMPLATE_ID}, 400, "exists"),
        (f"templates/{NEW_ID}", {"body": "x"}, 404, "No result found"),
        (f"templates/{SMS_TEMPLATE_ID}", {"type": "email"}, 400, "type is not allowed here"),
    ],
)  # fmt: skip
def test_the_admin_api_refuses_bad_templates_naming_the_field(
    sim: NotifySimulator, path: str, body: dict[str, Any], status: int, message: str
) -> None:
    answer = api(sim, path, body)

    assert answer.status_code == status
    assert message in answer.json()["errors"][0]["message"]


def form(sim: NotifySimulator, path: str, fields: dict[str, str]) -> requests.Response:
    from e2e_support import form_token

    token = form_token(f"{sim.url}/_simulator/templates")
    return requests.post(f"{sim.url}/_simulator/{path}", data={**fields, "form_token": token},
                         allow_redirects=False, timeout=5)  # fmt: skip


def test_the_pages_add_a_template_and_edit_it_into_a_new_version(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    added = form(sim, "templates", {"type": "email", "name": "Welcome", "subject": "Hi ((name))",
                                    "body": "Welcome,\r\n((name))", "service_id": ""})  # fmt: skip
    template_id = added.headers["Location"].rsplit("/", 1)[-1]
    changes = {"name": "Welcome", "subject": "Hello ((name))", "body": "Welcome ((name))"}
    edited = form(sim, f"templates/{template_id}/edit", changes)

    assert added.status_code == 303 and edited.status_code == 303
    latest = test_key_client.get_template(template_id)
    first = test_key_client.get_template_version(template_id, 1)
    assert (latest["version"], latest["subject"]) == (2, "Hello ((name))")
    assert first["body"] == "Welcome,\n((name))"
    page = requests.get(f"{sim.url}/_simulator/templates/{template_id}", timeout=5).text
    assert "Save as a new version" in page and "makes version 3" in page


@pytest.mark.parametrize(
    ("path", "fields", "status", "problem"),
    [
        ("templates", {"type": "sms", "body": "Hello ((name"}, 400, "never closed"),
        ("templates", {"type": "fax", "body": "x"}, 400, "template.type: must be one of"),
        ("templates", {"type": "sms", "body": "x", "subject": "s"}, 400, "have no subject"),
        (f"templates/{NEW_ID}/edit", {"body": "x"}, 404, "has no template"),
        (f"templates/{SMS_TEMPLATE_ID}/edit", {"body": "((x"}, 400, "never closed"),
    ],
)
def test_the_pages_refuse_bad_templates_naming_the_field(
    sim: NotifySimulator, path: str, fields: dict[str, str], status: int, problem: str
) -> None:
    answer = form(sim, path, fields)

    assert answer.status_code == status and problem in answer.text
