"""The pages behind the links to files sent by email: the email address asked for and checked,
the file under its name, and nothing once its retention period has passed."""

from __future__ import annotations

import io
import re

import requests
from e2e_support import FILE_EMAIL_TEMPLATE_ID, form_token

from notifications_python_client import prepare_upload
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

LINK = re.compile(r"http://\S+/_simulator/d/\S+\?key=[A-Za-z0-9_-]+")
CONTENT = b"%PDF-1.4 the licence"
WEEK_SECONDS = 7 * 24 * 60 * 60


def send_file(client: NotificationsAPIClient, **options: object) -> str:
    upload = prepare_upload(io.BytesIO(CONTENT), filename="licence.pdf", **options)  # type: ignore[arg-type]
    response = client.send_email_notification(
        "amala@example.com", FILE_EMAIL_TEMPLATE_ID, {"name": "Amala", "link_to_file": upload}
    )
    found = LINK.search(response["content"]["body"])
    assert found, response["content"]["body"]
    return found.group(0)


def test_the_page_asks_for_the_email_address_and_refuses_any_other(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    link = send_file(test_key_client)

    landing = requests.get(link)
    token = form_token(link)
    wrong = requests.post(
        link, data={"email_address": "someone.else@example.com", "form_token": token}
    )
    right = requests.post(link, data={"email_address": " AMALA@example.com ", "form_token": token})

    assert landing.status_code == 200 and 'name="email_address"' in landing.text
    assert wrong.status_code == 400 and "not the email address" in wrong.text
    assert right.status_code == 200
    assert right.content == CONTENT
    assert right.headers["Content-Type"] == "application/pdf"
    assert right.headers["Content-Disposition"] == "attachment; filename=licence.pdf"


def test_without_confirmation_the_page_links_to_the_file(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    link = send_file(test_key_client, confirm_email_before_download=False)

    landing = requests.get(link)
    file = requests.get(link + "&download=yes")

    assert 'id="download"' in landing.text and 'name="email_address"' not in landing.text
    assert file.content == CONTENT


def test_the_file_is_gone_after_its_retention_period(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    link = send_file(test_key_client, retention_period="2 weeks")

    sim.advance_clock(2 * WEEK_SECONDS - 60)
    still_there = requests.get(link)
    sim.advance_clock(120)
    gone = requests.get(link)

    assert still_there.status_code == 200
    assert gone.status_code == 410 and "no longer available" in gone.text


def test_a_link_with_a_wrong_key_finds_nothing(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    link = send_file(test_key_client)

    assert requests.get(link[:-3] + "xyz").status_code == 404
    assert requests.get(link.split("?")[0]).status_code == 404
    assert (
        requests.post(
            link[:-3] + "xyz",
            data={"email_address": "amala@example.com", "form_token": form_token(link)},
        ).status_code
        == 404
    )


def test_the_inbox_lists_the_files_of_an_email(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    link = send_file(test_key_client, retention_period="4 weeks")
    email = sim.inbox(type="email")[0]

    files = sim.rendered_notification(email["id"])["email"]["files"]

    assert [(f["url"], f["filename"], f["confirm_email_before_download"]) for f in files] == [
        (link, "licence.pdf", True)
    ]
