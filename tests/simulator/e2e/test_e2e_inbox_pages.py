"""The inbox's pages over real sockets, without a browser: what each shows, and every form
checked, a mistake answered with a 400 page naming the field (browser tests: tests/browser/)."""

from __future__ import annotations

import re

import pytest
import requests
from e2e_support import EMAIL_TEMPLATE_ID, LETTER_TEMPLATE_ID, SMS_TEMPLATE_ID, form_token

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

ADDRESS = {"address_line_1": "A Person", "address_line_2": "1 Street", "address_line_3": "SW1A 1AA"}


def page(sim: NotifySimulator, path: str = "", **options: object) -> requests.Response:
    return requests.get(f"{sim.url}/_simulator/{path}", **options)  # type: ignore[arg-type]


def post(sim: NotifySimulator, path: str, data: dict[str, str]) -> requests.Response:
    """A form sent as the inbox's pages send it, with their token."""
    token = form_token(f"{sim.url}/_simulator/settings")
    return requests.post(
        f"{sim.url}/_simulator/{path}", data={**data, "form_token": token}, allow_redirects=False
    )


def test_the_list_shows_what_was_sent_and_filters(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"})
    test_key_client.send_email_notification("bo@example.com", EMAIL_TEMPLATE_ID, {"name": "Bo"})

    everything = page(sim)
    emails = page(sim, params={"type": "email"})

    assert everything.status_code == 200
    assert "07700900123" in everything.text and "bo@example.com" in everything.text
    assert "bo@example.com" in emails.text and "07700900123" not in emails.text
    assert page(sim, params={"type": "fax"}).status_code == 400


def test_each_kind_of_message_is_shown_as_its_recipient_sees_it(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sms = test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"})
    email = test_key_client.send_email_notification(
        "bo@example.com", EMAIL_TEMPLATE_ID, {"name": "Bo"}
    )
    letter = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, ADDRESS)

    text_page = page(sim, f"notifications/{sms['id']}")
    email_page = page(sim, f"notifications/{email['id']}")
    frame = page(sim, f"notifications/{email['id']}/email.html")
    letter_page = page(sim, f"notifications/{letter['id']}")

    assert "Hello Amala" in text_page.text and "Fragments" in text_page.text
    assert 'sandbox src="' in email_page.text and "pigeon.replies@example.gov.uk" in email_page.text
    assert frame.headers["Content-Security-Policy"].startswith("sandbox")
    assert "Dear Bo" in frame.text
    assert f"/_simulator/notifications/{letter['id']}/letter.pdf" in letter_page.text
    assert page(sim, "notifications/nope").status_code == 404


def test_the_status_form_moves_a_message_on(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sms = test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"})

    moved = post(sim, f"notifications/{sms['id']}/status", {"status": "permanent-failure"})
    refused = post(sim, f"notifications/{sms['id']}/status", {"status": "lost"})

    assert moved.status_code == 303
    assert test_key_client.get_notification_by_id(sms["id"])["status"] == "permanent-failure"
    assert refused.status_code == 400 and "status:" in refused.text


def test_the_received_text_form_checks_each_field(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    service_id = sim.store.services()[0].id

    added = post(sim, "received-texts", {"service_id": service_id, "user_number": "07700900111",
                                         "content": "Hello from the form"})  # fmt: skip
    no_content = post(
        sim, "received-texts", {"service_id": service_id, "user_number": "1", "content": " "}
    )
    no_number = post(sim, "received-texts", {"service_id": service_id, "content": "x"})
    no_service = post(
        sim, "received-texts", {"service_id": "x", "user_number": "1", "content": "x"}
    )

    assert added.status_code == 303
    texts = test_key_client.get_received_texts()["received_text_messages"]
    assert texts[0]["content"] == "Hello from the form"
    assert (no_content.status_code, no_number.status_code, no_service.status_code) == (
        400,
        400,
        400,
    )
    assert "content:" in no_content.text and "user_number:" in no_number.text
    assert "service_id:" in no_service.text


def test_a_template_can_be_previewed(sim: NotifySimulator) -> None:
    listing = page(sim, "templates")
    preview = post(sim, f"templates/{SMS_TEMPLATE_ID}", {"name": "Chidi"})

    assert "Pigeon registration reminder" in listing.text
    assert preview.status_code == 200 and "Hello Chidi" in preview.text
    assert page(sim, "templates/00000000-0000-4000-8000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("path", "data", "problem"),
    [("settings/clock", {"advance_seconds": "soon"}, "advance_seconds:"),
     ("settings/clock", {"advance_seconds": "-1"}, "advance_seconds:"),
     ("settings/faults", {"error_rate": "2"}, "error_rate"),
     ("settings/faults", {"seed": "1.5"}, "seed must be a number"),
     ("settings/faults", {"error_statuses": "500,x"}, "error_statuses must be a list")],
)  # fmt: skip
def test_the_settings_forms_check_what_they_are_given(
    sim: NotifySimulator, path: str, data: dict[str, str], problem: str
) -> None:
    response = post(sim, path, data)

    assert response.status_code == 400 and problem in response.text


def test_the_clock_faults_and_reset_forms_work(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "Amala"})

    assert post(sim, "settings/clock", {"advance_seconds": "90"}).status_code == 303
    assert sim.clock.offset_seconds == 90
    assert post(sim, "settings/faults", {"latency_ms": "5", "seed": "3"}).status_code == 303
    assert sim.faults.latency_ms == 5 and sim.faults.seed == 3
    assert "latency ms" in page(sim, "settings").text
    assert post(sim, "settings/reset", {}).status_code == 303
    assert sim.notifications == [] and sim.clock.offset_seconds == 0
    sim.set_faults()


def test_the_stylesheet_and_script_are_ours_and_nothing_else_is_served(
    sim: NotifySimulator,
) -> None:
    assert page(sim, "static/inbox.css").headers["Content-Type"].startswith("text/css")
    assert "fetch(" in page(sim, "static/inbox.js").text
    assert page(sim, "static/../app.py").status_code == 404
    assert page(sim, "static/jquery.js").status_code == 404


def test_the_faults_form_shows_unset_settings_empty_and_takes_itself_back(
    sim: NotifySimulator,
) -> None:
    form = page(sim, "settings").text

    assert 'name="seed" value=""' in form
    sent_back = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
    assert post(sim, "settings/faults", sent_back).status_code == 303
    assert sim.faults.seed is None


def test_a_letters_history_shows_each_status_once(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, ADDRESS)
    sim.advance_clock(3 * 86400)

    history = sim.rendered_notification(sent["id"])["status_history"]

    assert [step["status"] for step in history] == ["accepted", "received"]


def test_an_archived_template_is_marked(sim: NotifySimulator) -> None:
    archived = "a13ea3f5-6002-4479-8126-7e275628fcc4"

    listing = page(sim, "templates").text
    one = page(sim, f"templates/{archived}").text

    row = listing[listing.index("Loft inspection notice") :].split("</tr>")[0]
    assert 'class="tag tag-grey">archived' in row
    assert "This template is archived" in one
    assert (
        "archived" not in listing[listing.index("Pigeon registration reminder") :].split("</tr>")[0]
    )


def test_the_faults_page_says_when_faults_are_off_and_gives_units(sim: NotifySimulator) -> None:
    sim.set_faults()
    off = page(sim, "settings").text
    sim.set_faults(error_rate=0.5, seed=1)
    try:
        on = page(sim, "settings").text
    finally:
        sim.set_faults()

    assert "Faults are off" in off and "Injected so far" not in off and "requests 0" not in off
    assert "milliseconds added to every v2 request" in off and "(0 to 1)" in off
    assert "Faults are on. Since they were set:" in on


def test_a_letters_pages_are_images_rendered_from_its_pdf(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    import io

    from PIL import Image

    sent = test_key_client.send_letter_notification(LETTER_TEMPLATE_ID, ADDRESS)
    sms = test_key_client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})

    view = sim.rendered_notification(sent["id"])["letter"]
    first = requests.get(view["page_images"][0], timeout=5)
    shown = page(sim, f"notifications/{sent['id']}").text

    assert view["page_images"] == [f"{sim.url}/_simulator/notifications/{sent['id']}/letter/1.png"]
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(first.content)).size == (893, 1263)
    assert 'class="letter-page"' in shown and "<object" not in shown
    assert page(sim, f"notifications/{sent['id']}/letter/2.png").status_code == 404
    assert page(sim, f"notifications/{sms['id']}/letter/1.png").status_code == 404


def test_an_email_is_shown_in_notifys_layout_under_the_govuk_banner(
    sim: NotifySimulator, test_key_client: NotificationsAPIClient
) -> None:
    sent = test_key_client.send_email_notification(
        "bo@example.com", EMAIL_TEMPLATE_ID, {"name": "Bo"}
    )

    frame = page(sim, f"notifications/{sent['id']}/email.html").text

    banner = frame.index('id="govuk-banner"')
    assert "<span>GOV.UK</span>" in frame[banner:] and 'class="rule"' in frame
    assert frame.index("Dear Bo") > banner
