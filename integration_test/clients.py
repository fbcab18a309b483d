"""The clients the integration test uses, guarded so that nothing reaches a real person."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

from integration_test.config import Config
from integration_test.runner import RequestRecorder
from notifications_python_client.notifications import NotificationsAPIClient


class RecipientNotAllowed(AssertionError):
    """The integration test tried to send to someone other than the configured test recipients."""


class GuardedClient(NotificationsAPIClient):
    """A client that refuses any recipient but the configured test number and address."""

    def __init__(self, api_key: str, config: Config, session: requests.Session) -> None:
        super().__init__(api_key, base_url=config.notify_api_url, request_session=session)
        self.allowed_phone_number = config.functional_test_number
        self.allowed_email_address = config.functional_test_email

    def send_sms_notification(self, phone_number: str, *args: Any, **kwargs: Any) -> Any:
        if phone_number != self.allowed_phone_number:
            raise RecipientNotAllowed("only FUNCTIONAL_TEST_NUMBER may receive text messages")
        return super().send_sms_notification(phone_number, *args, **kwargs)

    def send_email_notification(self, email_address: str, *args: Any, **kwargs: Any) -> Any:
        if email_address != self.allowed_email_address:
            raise RecipientNotAllowed("only FUNCTIONAL_TEST_EMAIL may receive emails")
        return super().send_email_notification(email_address, *args, **kwargs)


@dataclass(frozen=True)
class Clients:
    """One client per key the integration test needs, all sharing one recorded session."""

    test: GuardedClient
    team: GuardedClient
    inbound: GuardedClient
    unknown_key: GuardedClient

    @classmethod
    def build(cls, config: Config, recorder: RequestRecorder) -> Clients:
        session = recorder.attach(requests.Session())

        def client(api_key: str) -> GuardedClient:
            return GuardedClient(api_key, config, session)

        return cls(
            test=client(config.api_key),
            team=client(config.api_sending_key),
            inbound=client(config.inbound_sms_query_key),
            unknown_key=client(key_with_unknown_secret(config.api_key)),
        )


def key_with_unknown_secret(api_key: str) -> str:
    """The same key name and service id with a secret that no key has."""
    return f"{api_key[:-36]}{uuid.uuid4()}"
