"""Steps that send: text messages, emails (with a file), letters and precompiled letters."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from integration_test.clients import Clients
from integration_test.config import Config
from integration_test.personalisation import file_placeholder, unrendered, values_for
from integration_test.runner import Step, check
from integration_test.schema_check import validate_response
from notifications_python_client import prepare_upload

PRECOMPILED_LETTER = Path(__file__).parent / "data" / "precompiled_letter.pdf"
UNSUBSCRIBE_URL = "https://example.com/unsubscribe.html?opaque=integration"
SANITISED_VALUE = "Amala, please [click this link](https://evil.link)"


@dataclass
class RunState:
    """What the steps learn as they go: templates fetched and notifications sent."""

    config: Config
    clients: Clients
    run_reference: str
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)

    def template(self, template_type: str) -> dict[str, Any]:
        """The configured template of this type (fetched by the first step that needs it)."""
        if template_type not in self.templates:
            template_id = {
                "sms": self.config.sms_template_id,
                "email": self.config.email_template_id,
                "letter": self.config.letter_template_id,
            }[template_type]
            template = self.clients.test.get_template(template_id)
            self.templates[template_type] = validate_response("get_template_response", template)
        return self.templates[template_type]

    def reference(self, label: str) -> str:
        return f"{self.run_reference}-{label}"


def check_rendered(response: dict[str, Any], personalisation: dict[str, Any]) -> None:
    """Placeholders replaced, and at least one personalisation value shows in the content."""
    content = response["content"]
    check(not unrendered(content["body"]), f"placeholder left in body: {content['body']!r}")
    check(not unrendered(content.get("subject")), "placeholder left in subject")
    shown = " ".join(str(value) for value in content.values() if isinstance(value, str))
    values = [v for v in personalisation.values() if isinstance(v, str)]
    check(not values or any(v in shown for v in values), "no personalisation value in the content")


def send_sms(state: RunState) -> None:
    personalisation = values_for(state.template("sms"), state.run_reference)
    reference = state.reference("sms")
    response = state.clients.test.send_sms_notification(
        phone_number=state.config.functional_test_number,
        template_id=state.config.sms_template_id,
        personalisation=personalisation,
        reference=reference,
    )
    validate_response("post_sms_response", response)
    check(response["reference"] == reference, "reference not echoed")
    check(response["template"]["id"] == state.config.sms_template_id, "wrong template id")
    check_rendered(response, personalisation)
    state.sent["sms"] = response


def send_sms_with_team_key_and_sender(state: RunState) -> None:
    personalisation = values_for(state.template("sms"), state.run_reference)
    response = state.clients.team.send_sms_notification(
        phone_number=state.config.functional_test_number,
        template_id=state.config.sms_template_id,
        personalisation=personalisation,
        reference=state.reference("sms-team"),
        sms_sender_id=state.config.sms_sender_id,
    )
    validate_response("post_sms_response", response)
    check(bool(response["content"]["from_number"]), "no sender in the response")
    state.sent["sms-team"] = response


def send_email(state: RunState) -> None:
    template = state.template("email")
    personalisation: dict[str, Any] = values_for(template, state.run_reference)
    link_placeholder = file_placeholder(template) or "link_to_file"
    upload = prepare_upload(
        io.BytesIO(b"name,reference\nAmala,integration\n"),
        filename="integration.csv",
        confirm_email_before_download=True,
        retention_period="4 weeks",
    )
    personalisation[link_placeholder] = upload
    sanitised_key = next(iter(template["personalisation"]), "sanitised")
    personalisation[sanitised_key] = SANITISED_VALUE
    reference = state.reference("email")
    response = state.clients.test.send_email_notification(
        email_address=state.config.functional_test_email,
        template_id=state.config.email_template_id,
        personalisation=personalisation,
        reference=reference,
        email_reply_to_id=state.config.email_reply_to_id,
        one_click_unsubscribe_url=UNSUBSCRIBE_URL,
        sanitise_content_for=[sanitised_key],
    )
    validate_response("post_email_response", response)
    check(response["reference"] == reference, "reference not echoed")
    content = response["content"]
    check(content["one_click_unsubscribe_url"] == UNSUBSCRIBE_URL, "unsubscribe URL not echoed")
    check(not unrendered(content["body"]), "placeholder left in the email body")
    sanitised = response["sanitised_content"].get(sanitised_key)
    check(sanitised is not None, f"{sanitised_key!r} missing from sanitised_content")
    check(sanitised["unsanitised"] == SANITISED_VALUE, "unsanitised value not echoed")
    check("evil.link" not in sanitised["sanitised"], "link survived sanitising")
    if file_placeholder(template):
        check("https://" in content["body"], "no file download link in the email body")
    state.sent["email"] = response


def send_letter(state: RunState) -> None:
    personalisation = values_for(state.template("letter"), state.run_reference)
    reference = state.reference("letter")
    response = state.clients.test.send_letter_notification(
        template_id=state.config.letter_template_id,
        personalisation=personalisation,
        reference=reference,
    )
    validate_response("post_letter_response", response)
    check(response["reference"] == reference, "reference not echoed")
    check_rendered(response, personalisation)
    state.sent["letter"] = response


def send_precompiled_letter(state: RunState, postage: str | None) -> None:
    reference = state.reference(f"precompiled-{postage or 'default'}")
    with PRECOMPILED_LETTER.open("rb") as pdf_file:
        response = state.clients.test.send_precompiled_letter_notification(
            reference=reference, pdf_file=pdf_file, postage=postage
        )
    validate_response("post_precompiled_letter_response", response)
    check(response["reference"] == reference, "reference not echoed")
    check(response["postage"] == (postage or "second"), f"postage is {response['postage']!r}")
    state.sent[f"precompiled-{postage or 'default'}"] = response


def sending_steps(state: RunState) -> list[Step]:
    """Every send, in the order later steps rely on."""
    return [
        ("send a text message (test key)", lambda: send_sms(state)),
        (
            "send a text message (team key, SMS sender id)",
            lambda: send_sms_with_team_key_and_sender(state),
        ),
        ("send an email (reply-to, unsubscribe, sanitise, file)", lambda: send_email(state)),
        ("send a letter", lambda: send_letter(state)),
        (
            "send a precompiled letter (default postage)",
            lambda: send_precompiled_letter(state, None),
        ),
        (
            "send a precompiled letter (first class)",
            lambda: send_precompiled_letter(state, "first"),
        ),
    ]
