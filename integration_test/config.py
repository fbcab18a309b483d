"""The integration test's settings: from the environment, or from a local simulator."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

ENVIRONMENT_VARIABLES = (
    "NOTIFY_API_URL",
    "API_KEY",
    "API_SENDING_KEY",
    "INBOUND_SMS_QUERY_KEY",
    "FUNCTIONAL_TEST_NUMBER",
    "FUNCTIONAL_TEST_EMAIL",
    "SMS_TEMPLATE_ID",
    "EMAIL_TEMPLATE_ID",
    "LETTER_TEMPLATE_ID",
    "EMAIL_REPLY_TO_ID",
    "SMS_SENDER_ID",
)


class ConfigurationError(ValueError):
    """A setting the integration test needs is missing."""


@dataclass(frozen=True)
class Config:
    """Where to send, with which keys, to which test recipients, using which templates."""

    notify_api_url: str
    api_key: str
    api_sending_key: str
    inbound_sms_query_key: str
    functional_test_number: str
    functional_test_email: str
    sms_template_id: str
    email_template_id: str
    letter_template_id: str
    email_reply_to_id: str
    sms_sender_id: str

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Config:
        """Read every setting from ``values`` (the environment's names); all are required."""
        missing = [name for name in ENVIRONMENT_VARIABLES if not values.get(name)]
        if missing:
            raise ConfigurationError("missing settings: " + ", ".join(missing))
        return cls(*(values[name] for name in ENVIRONMENT_VARIABLES))

    def __repr__(self) -> str:
        shown = {f.name: getattr(self, f.name) for f in fields(self) if "key" not in f.name}
        return f"Config({shown})"


def environment_wants_a_real_api(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``NOTIFY_API_URL`` is set, so the settings come from the environment."""
    return bool((os.environ if environ is None else environ).get("NOTIFY_API_URL"))
