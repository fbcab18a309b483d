"""The inbox in a real browser: live updates, each message as its recipient sees it, a letter's
pages, search and delete, and the received-text form. The screenshots in docs/simulator.md (the
inbox, an email, a letter) are taken here, into the docs only when ``NOTIFY_UPDATE_SCREENSHOTS``
is set (``make screenshots``), so that ``make test`` leaves the checkout as it was."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
# The requirement: a message sent shows in the open inbox within 2 s, without a reload.
APPEARS_WITHIN_MILLISECONDS = 2000
ADDRESS = {"address_line_1": "Amala Bird", "address_line_2": "123 High Street",
           "address_line_3": "SW14 6BF", "name": "Amala"}  # fmt: skip


def client_of(sim: NotifySimulator) -> NotificationsAPIClient:
    return NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)


def test_a_message_sent_appears_in_the_open_inbox_without_a_reload(
    sim: NotifySimulator, page: Page
) -> None:
    page.goto(sim.inbox_url)
    expect(page.locator("#empty")).to_be_visible()
    page.evaluate("window.notReloaded = true")

    sent = client_of(sim).send_sms_notification(
        "07700900123", sim.env()["SMS_TEMPLATE_ID"], {"name": "Amala"}, reference="appointment-1"
    )

    row = page.locator(f'tr[data-id="{sent["id"]}"]')
    expect(row).to_be_visible(timeout=APPEARS_WITHIN_MILLISECONDS)
    expect(row).to_contain_text("07700900123")
    expect(page.locator("#live")).to_have_text("1 new message.")
    assert page.evaluate("window.notReloaded") is True


def test_a_text_messages_page_shows_the_personalised_text(sim: NotifySimulator, page: Page) -> None:
    sent = client_of(sim).send_sms_notification(
        "07700900123", sim.env()["SMS_TEMPLATE_ID"], {"name": "Amala"}
    )
    page.goto(sim.inbox_url)

    page.locator(f'tr[data-id="{sent["id"]}"] a').click()

    expect(page.locator("h1")).to_have_text("Text message to 07700900123")
    expect(page.locator("#message")).to_contain_text("Hello Amala, your pigeon registration is due")
    expect(page.locator("#status")).to_have_text("delivered")


def test_an_email_is_shown_in_a_sandboxed_frame(sim: NotifySimulator, page: Page) -> None:
    sent = client_of(sim).send_email_notification(
        "amala@example.com", sim.env()["EMAIL_TEMPLATE_ID"], {"name": "Amala"}
    )
    page.goto(f"{sim.url}/_simulator/notifications/{sent['id']}")

    frame = page.frame_locator("iframe#message")
    expect(frame.locator("body")).to_contain_text("Dear Amala")
    assert page.locator("iframe#message").get_attribute("sandbox") == ""
    expect(page.locator("#subject")).to_have_text("Pigeon registration for Amala")


def test_a_letter_shows_its_pages_as_images_and_links_its_pdf(
    sim: NotifySimulator, page: Page
) -> None:
    sent = client_of(sim).send_letter_notification(sim.env()["LETTER_TEMPLATE_ID"], ADDRESS)
    page.goto(f"{sim.url}/_simulator/notifications/{sent['id']}")

    image = page.locator("#message img.letter-page")
    expect(image).to_have_count(1)
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('img.letter-page').complete"
        " && document.querySelector('img.letter-page').naturalWidth > 0"
    )
    assert page.evaluate("document.querySelector('img.letter-page').naturalWidth") == 893
    pdf_url = page.get_by_role("link", name="Open the letter as a PDF").get_attribute("href")
    assert pdf_url is not None and pdf_url.endswith("/letter.pdf")
    fetched = page.evaluate(
        """async url => {
            const answer = await fetch(url);
            const start = new Uint8Array(await answer.arrayBuffer()).slice(0, 5);
            return [answer.headers.get("content-type"), String.fromCharCode(...start)];
        }""",
        pdf_url,
    )
    assert fetched == ["application/pdf", "%PDF-"]


def test_a_text_added_through_the_form_comes_back_from_the_client(
    sim: NotifySimulator, page: Page
) -> None:
    page.goto(f"{sim.url}/_simulator/received-texts")

    page.get_by_label("From").fill("07700900222")
    page.get_by_label("Message").fill("Has my loft been inspected?")
    page.get_by_role("button", name="Add the text").click()

    expect(page.locator("td.message").first).to_have_text("Has my loft been inspected?")
    texts = client_of(sim).get_received_texts()["received_text_messages"]
    assert texts[0]["content"] == "Has my loft been inspected?"
    assert texts[0]["user_number"] == "447700900222"


def test_search_finds_a_message_by_a_word_and_it_can_be_deleted(
    sim: NotifySimulator, page: Page
) -> None:
    client = client_of(sim)
    template = sim.env()["SMS_TEMPLATE_ID"]
    client.send_sms_notification("07700900123", template, {"name": "Amala"}, reference="keep-me")
    gone = client.send_sms_notification("07700900456", template, {"name": "Chidi"})
    page.goto(sim.inbox_url)

    page.fill('input[name="q"]', "chidi")
    page.press('input[name="q"]', "Enter")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Hello Chidi")
    page.locator(f'tr[data-id="{gone["id"]}"] a').click()
    page.get_by_role("button", name="Delete this message").click()

    expect(page.locator("h1")).to_have_text("Sent messages")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("keep-me")
    assert [n.reference for n in sim.notifications] == ["keep-me"]


def test_the_inbox_screenshot_for_the_docs(
    sim: NotifySimulator, page: Page, tmp_path: Path
) -> None:
    client = client_of(sim)
    env = sim.env()
    client.send_sms_notification("07700900123", env["SMS_TEMPLATE_ID"], {"name": "Amala"},
                                 reference="reminder-1")  # fmt: skip
    client.send_email_notification("bo@example.com", env["EMAIL_TEMPLATE_ID"], {"name": "Bo"},
                                   reference="welcome-2")  # fmt: skip
    client.send_letter_notification(env["LETTER_TEMPLATE_ID"], ADDRESS, reference="licence-3")
    page.goto(sim.inbox_url)
    expect(page.locator("tbody tr")).to_have_count(3)

    folder = DOCS_IMAGES if os.environ.get("NOTIFY_UPDATE_SCREENSHOTS") else tmp_path
    screenshot = folder / "inbox.png"
    page.screenshot(path=str(screenshot), full_page=True)

    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_an_email_and_a_letter_screenshot_for_the_docs(
    sim: NotifySimulator, page: Page, tmp_path: Path
) -> None:
    client = client_of(sim)
    env = sim.env()
    email = client.send_email_notification("bo@example.com", env["EMAIL_TEMPLATE_ID"],
                                           {"name": "Bo"}, reference="welcome-2")  # fmt: skip
    letter = client.send_letter_notification(env["LETTER_TEMPLATE_ID"], ADDRESS,
                                             reference="licence-3")  # fmt: skip
    folder = DOCS_IMAGES if os.environ.get("NOTIFY_UPDATE_SCREENSHOTS") else tmp_path

    page.goto(f"{sim.url}/_simulator/notifications/{email['id']}")
    expect(page.frame_locator("iframe#message").locator("body")).to_contain_text("Dear Bo")
    page.screenshot(path=str(folder / "email.png"), full_page=True)
    page.goto(f"{sim.url}/_simulator/notifications/{letter['id']}")
    page.wait_for_function("() => document.querySelector('img.letter-page').complete")
    page.screenshot(path=str(folder / "letter.png"), full_page=True)

    for name in ("email.png", "letter.png"):
        assert (folder / name).read_bytes().startswith(b"\x89PNG")
