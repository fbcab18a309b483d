"""``make demo``: start the local Notify, send a text, an email and a letter, show what happened.

Prints each response and each notification's final status, then stops the simulator. Exits 0 only
when every send succeeded and every notification reached a final status.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from notifications_python_client.notifications import NotificationsAPIClient

FINAL_STATUSES = {
    "delivered",
    "permanent-failure",
    "temporary-failure",
    "technical-failure",
    "sent",
    "received",
    "validation-failed",
}
STATUS_WAIT_SECONDS = 10.0
STATUS_POLL_SECONDS = 0.2
LETTER_ADDRESS = {
    "address_line_1": "Amala Bird",
    "address_line_2": "123 High Street",
    "address_line_3": "Richmond upon Thames",
    "address_line_4": "SW14 6BF",
}


def show(out: TextIO, title: str, payload: Any) -> None:
    out.write(f"\n== {title}\n{json.dumps(payload, indent=2, ensure_ascii=False)}\n")


def wait_for_final_status(
    client: NotificationsAPIClient,
    notification_id: str,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """The notification once its status is final, or as it is when the wait runs out."""
    deadline = time.monotonic() + STATUS_WAIT_SECONDS
    while True:
        notification: dict[str, Any] = client.get_notification_by_id(notification_id)
        if notification["status"] in FINAL_STATUSES or time.monotonic() > deadline:
            return notification
        sleep(STATUS_POLL_SECONDS)


def send_everything(client: NotificationsAPIClient, env: dict[str, str], out: TextIO) -> bool:
    """Send one of each kind of message, print the responses and the final statuses."""
    sent = {
        "text message": client.send_sms_notification(
            phone_number=env["FUNCTIONAL_TEST_NUMBER"],
            template_id=env["SMS_TEMPLATE_ID"],
            personalisation={"name": "Amala"},
            reference="demo-sms",
        ),
        "email": client.send_email_notification(
            email_address=env["FUNCTIONAL_TEST_EMAIL"],
            template_id=env["EMAIL_TEMPLATE_ID"],
            personalisation={"name": "Amala"},
            reference="demo-email",
        ),
        "letter": client.send_letter_notification(
            template_id=env["LETTER_TEMPLATE_ID"],
            personalisation={**LETTER_ADDRESS, "name": "Amala"},
            reference="demo-letter",
        ),
    }
    all_final = True
    for kind, response in sent.items():
        show(out, f"sent: {kind}", response)
    out.write("\n== final statuses\n")
    for kind, response in sent.items():
        status = wait_for_final_status(client, response["id"])["status"]
        all_final = all_final and status in FINAL_STATUSES
        out.write(f"{kind:<14} {response['id']}  {status}\n")
    return all_final


def main(out: TextIO = sys.stdout) -> int:
    from notifications_python_client.simulator import NotifySimulator

    with NotifySimulator() as simulator:
        env = simulator.env()
        out.write(f"Local Notify simulator running at {simulator.url}\n")
        client = NotificationsAPIClient(env["API_KEY"], base_url=env["NOTIFY_API_URL"])
        try:
            succeeded = send_everything(client, env, out)
        except Exception as error:  # the demo reports any failure as one line, never a traceback
            out.write(f"\ndemo failed: {type(error).__name__}: {error}\n")
            return 1
    out.write("\nSimulator stopped. " + ("All done.\n" if succeeded else "Not all final.\n"))
    return 0 if succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
