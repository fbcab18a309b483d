"""A local Notify with a store file: what it acknowledged is there after a restart, and after
a ``kill -9``; a reset clears the file; memory holds only what is being worked on."""

from __future__ import annotations

import collections
import io
import signal
import subprocess
import sys
from pathlib import Path

import requests
from e2e_support import FILE_EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator
from notifications_python_client.utils import prepare_upload

BANNER = "Notify simulator running at "


def test_everything_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "notify.sqlite"
    with NotifySimulator(store=store) as first:
        client = NotificationsAPIClient(first.api_key("test"), base_url=first.url)
        sent = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"}, "r-1")
        first.set_status(sent["id"], "permanent-failure")
        first.add_received_text("Is my loft registered?")
        template_id = first.add_template(type="sms", body="Code ((code))", name="Codes")
        first.edit_template(template_id, body="Your code: ((code))")
        first.set_callback("delivery_status", "http://127.0.0.1:9/cb", "a-callback-token")
        first.advance_clock(3600)
        upload = prepare_upload(io.BytesIO(b"%PDF-1.4 a licence"), filename="licence.pdf",
                                confirm_email_before_download=False)  # fmt: skip
        emailed = client.send_email_notification(
            "amala@example.com", FILE_EMAIL_TEMPLATE_ID, {"name": "A", "link_to_file": upload}
        )
        link = next(word for word in emailed["content"]["body"].split() if "/_simulator/d/" in word)
        client.request_session.close()

    with NotifySimulator(store=store) as again:
        client = NotificationsAPIClient(again.api_key("test"), base_url=again.url)
        found = client.get_notification_by_id(sent["id"])
        texts = client.get_received_texts()["received_text_messages"]
        template = client.get_template(template_id)
        client.request_session.close()

        assert (found["status"], found["reference"]) == ("permanent-failure", "r-1")
        # The data's own received texts once, not again at each start, and the new one.
        assert texts[0]["content"] == "Is my loft registered?"
        assert len(texts) == 1 + len(again.store.services()[0].received_texts)
        assert (template["version"], template["body"]) == (2, "Your code: ((code))")
        service = again.store.services()[0]
        assert service.delivery_status_callback is not None
        assert again.clock.offset_seconds >= 3600
        assert again.wait_for(reference="r-1", timeout=0).status == "permanent-failure"
        moved_link = link.replace(first.url, again.url)
        downloaded = requests.get(moved_link + "&download=yes", timeout=5)
        assert downloaded.content == b"%PDF-1.4 a licence"

        again.reset()
    with NotifySimulator(store=store) as after_reset:
        assert after_reset.notifications == [] and after_reset.clock.offset_seconds < 60
        assert after_reset.store.services()[0].template(template_id) is None


def test_callbacks_made_are_kept_across_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "notify.sqlite"
    with NotifySimulator(store=store) as first:
        # Nothing listens on the discard port: the attempt fails, and is kept with its error.
        first.set_callback("delivery_status", "http://127.0.0.1:9/cb", "a-callback-token")
        client = NotificationsAPIClient(first.api_key("test"), base_url=first.url)
        sent = client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": "A"})
        client.request_session.close()
        first.set_status(sent["id"], "delivered")
        assert first.wait_for_callbacks()
        made = first.callbacks

    with NotifySimulator(store=store) as again:
        listed = requests.get(f"{again.url}/_simulator/api/callbacks", timeout=5).json()

        assert made and {(a.payload["id"], a.status_code) for a in made} == {(sent["id"], None)}
        assert made[-1].payload["status"] == "delivered" and made[-1].error
        assert again.callbacks == made
        assert [(a["id"], a["error"]) for a in listed["attempts"]] == [
            (a.payload["id"], a.error) for a in made
        ]
        assert "a-callback-token" not in str(listed)
        shown = again.rendered_notification(sent["id"])
        assert [a["status"] for a in shown["callbacks"]] == [a.payload["status"] for a in made]


def start(store: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "notifications_python_client.simulator", "--port", "0",
               "--quiet", "--store", str(store)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith(BANNER), first
    return process, first.removeprefix(BANNER).strip()


def test_what_was_acknowledged_survives_kill_9(tmp_path: Path) -> None:
    store = tmp_path / "notify.sqlite"
    process, url = start(store)
    try:
        with NotifySimulator() as keys:
            api_key = keys.api_key("test")
        client = NotificationsAPIClient(api_key, base_url=url)
        ids = [client.send_sms_notification("07700900123", SMS_TEMPLATE_ID, {"name": str(n)},
                                            f"kill-{n}")["id"] for n in range(300)]  # fmt: skip
        admin = f"{url}/_simulator/api"
        requests.post(f"{admin}/received-texts", json={"content": "Still here?"}, timeout=5)
        requests.post(f"{admin}/notifications/{ids[7]}/status",
                      json={"status": "temporary-failure"}, timeout=5)  # fmt: skip
        client.request_session.close()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)

    process, url = start(store)
    try:
        client = NotificationsAPIClient(api_key, base_url=url)
        stored = list(client.get_all_notifications_iterator())
        seventh = client.get_notification_by_id(ids[7])
        texts = client.get_received_texts()["received_text_messages"]
        found = requests.get(f"{url}/_simulator/api/notifications", params={"q": "Hello 299"},
                             timeout=5).json()["notifications"]  # fmt: skip
        client.request_session.close()
    finally:
        process.terminate()
        process.communicate(timeout=10)

    references = collections.Counter(n["reference"] for n in stored)
    assert len(references) == 300 and set(references.values()) == {1}
    assert seventh["status"] == "temporary-failure"
    assert texts[0]["content"] == "Still here?" and len({t["id"] for t in texts}) == len(texts)
    assert [n["reference"] for n in found] == ["kill-299"]
