"""The integration test's own machinery: settings, the recipient guard and failure reports."""

from __future__ import annotations

import io
import uuid

import pytest
import requests
import requests_mock

from integration_test.__main__ import run
from integration_test.clients import Clients, RecipientNotAllowed, key_with_unknown_secret
from integration_test.config import ENVIRONMENT_VARIABLES, Config, ConfigurationError
from integration_test.runner import RequestRecorder, Runner, StepFailed, check, describe_exchange

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
SETTINGS = {name: f"value-{name.lower()}" for name in ENVIRONMENT_VARIABLES} | {
    "NOTIFY_API_URL": "https://notify.example",
    "API_KEY": f"integration-{SERVICE_ID}-{SECRET}",
    "API_SENDING_KEY": f"team-{SERVICE_ID}-{SECRET}",
    "INBOUND_SMS_QUERY_KEY": f"live-{SERVICE_ID}-{SECRET}",
    "FUNCTIONAL_TEST_NUMBER": "07700900123",
    "FUNCTIONAL_TEST_EMAIL": "tester@example.com",
}


def test_every_setting_is_required() -> None:
    with pytest.raises(ConfigurationError, match="API_KEY, SMS_SENDER_ID"):
        Config.from_mapping(
            {k: v for k, v in SETTINGS.items() if k not in ("API_KEY", "SMS_SENDER_ID")}
        )


def test_missing_settings_exit_2_without_running() -> None:
    out = io.StringIO()
    assert run({"NOTIFY_API_URL": "https://notify.example"}, out) == 2
    assert "missing settings: API_KEY" in out.getvalue()


def test_config_repr_hides_keys() -> None:
    shown = repr(Config.from_mapping(SETTINGS))
    assert SECRET not in shown
    assert "07700900123" in shown


def test_guard_refuses_other_recipients() -> None:
    clients = Clients.build(Config.from_mapping(SETTINGS), RequestRecorder())
    with pytest.raises(RecipientNotAllowed):
        clients.test.send_sms_notification("07700900999", str(uuid.uuid4()))
    with pytest.raises(RecipientNotAllowed):
        clients.team.send_email_notification("someone@example.com", str(uuid.uuid4()))


def test_unknown_key_keeps_name_and_service() -> None:
    key = key_with_unknown_secret(SETTINGS["API_KEY"])
    assert key.startswith(f"integration-{SERVICE_ID}-")
    assert not key.endswith(SECRET)


def test_runner_stops_at_first_failure_and_reports_request_without_credentials() -> None:
    recorder = RequestRecorder()
    session = recorder.attach(requests.Session())
    out = io.StringIO()
    ran = []

    def failing_request() -> None:
        ran.append("second")
        session.post(
            "https://notify.example/v2/notifications/sms",
            json={"phone_number": "07700900123"},
            headers={"Authorization": "Bearer secret-token"},
        )
        check(False, "the response was wrong")

    with requests_mock.Mocker() as mock:
        mock.post(
            "https://notify.example/v2/notifications/sms",
            status_code=400,
            json={"status_code": 400, "errors": [{"error": "BadRequestError", "message": "No"}]},
        )
        passed = Runner(recorder=recorder, out=out, clock=iter(range(100)).__next__).run(
            [
                ("first", lambda: ran.append("first")),
                ("second", failing_request),
                ("third", lambda: ran.append("third")),
            ]
        )
    report = out.getvalue()
    assert not passed
    assert ran == ["first", "second"]
    assert "first" in report and "PASS" in report
    assert "second" in report and "FAIL" in report
    assert "request: POST https://notify.example/v2/notifications/sms" in report
    assert '"phone_number": "07700900123"' in report
    assert "status: 400" in report
    assert "BadRequestError" in report
    assert "secret-token" not in report
    assert report.endswith("1 passed, 1 failed\n")


def test_exchange_description_shortens_long_bodies() -> None:
    with requests_mock.Mocker() as mock:
        mock.get("https://notify.example/x", status_code=502, text="<html>" + "x" * 2000)
        response = requests.get("https://notify.example/x")
    lines = describe_exchange(response)
    assert lines[1] == "status: 502"
    assert lines[2].endswith("more characters)")


def test_check_raises_step_failed() -> None:
    with pytest.raises(StepFailed, match="nope"):
        check(False, "nope")
