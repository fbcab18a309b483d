"""A Django project whose email backend builds its own client reaches the local Notify with
configuration alone: the project's code is not changed, and its test reads the code it sent.

The project runs in a pytest of its own (a subprocess), since Django is configured once per
process; the backend stands for a third-party one that knows nothing about tests.
"""

from __future__ import annotations

import pytest

pytest_plugins = ("pytester",)

MAIL_BACKEND = """
import os

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from notifications_python_client import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    '''Every email through one Notify template whose subject and body are placeholders.'''

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        # As such backends do: the key from the environment, no base URL anywhere.
        self.client = NotificationsAPIClient(os.environ["NOTIFY_API_KEY"])

    def send_messages(self, email_messages):
        for message in email_messages:
            for address in message.to:
                self.client.send_email_notification(
                    address,
                    settings.NOTIFY_EMAIL_TEMPLATE_ID,
                    {"subject": message.subject, "body": message.body},
                )
        return len(email_messages)
"""

CONFTEST = """
import django
from django.conf import settings

settings.configure(
    EMAIL_BACKEND="notify_mail.NotifyEmailBackend",
    # The built-in data's plain email template: ((subject)) and ((body)).
    NOTIFY_EMAIL_TEMPLATE_ID="31bc74fe-796e-4fb6-bcd2-8188d4099727",
)
django.setup()
"""

TEST_SIGN_IN = """
from django.core.mail import send_mail


def sign_in(email_address):
    # The service's own code: it emails a code through Django's mail API.
    send_mail("Your sign-in code", "Your code is 482913. It expires in 10 minutes.",
              "noreply@example.gov.uk", [email_address])


def test_the_code_emailed_by_the_service_can_be_read_back(notify_simulator):
    sign_in("amala@example.com")

    message = notify_simulator.wait_for(to="Amala@Example.com", timeout=5)
    assert message.subject == "Your sign-in code"
    assert message.code == "482913"
    assert message.template_id == "31bc74fe-796e-4fb6-bcd2-8188d4099727"
"""


def test_a_django_email_backend_that_builds_its_own_client_reaches_the_simulator(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(notify_mail=MAIL_BACKEND, test_sign_in=TEST_SIGN_IN)
    pytester.makeconftest(CONFTEST)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=1)


def test_without_the_simulator_the_backend_would_go_to_notify_itself(
    pytester: pytest.Pytester,
) -> None:
    # The same project, without the fixture: its client is built for the real service, so the
    # redirection above is the fixture's doing and nothing else's.
    pytester.makepyfile(
        notify_mail=MAIL_BACKEND,
        test_base_url="""
        import os
        from django.core.mail import get_connection

        def test_the_backend_is_built_for_the_real_service(monkeypatch):
            monkeypatch.setenv("NOTIFY_API_KEY", "key-" + "26785a09-ab16-4eb0-8407-a37497a57506"
                               + "-" + "3d844edf-8d35-48ac-975b-e847b4f122b0")
            monkeypatch.delenv("NOTIFY_API_URL", raising=False)
            backend = get_connection()
            assert backend.client.base_url == "https://api.notifications.service.gov.uk"
        """,
    )
    pytester.makeconftest(CONFTEST)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=1)
