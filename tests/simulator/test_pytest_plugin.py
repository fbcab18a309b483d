"""The ``notify_simulator`` pytest fixture, exercised in throwaway pytest runs."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ("pytester",)

CUSTOM_DATA = {
    "services": [
        {
            "id": "26785a09-ab16-4eb0-8407-a37497a57506",
            "name": "Custom Pigeons",
            "api_keys": [
                {"name": "t", "type": "test", "secret": "3d844edf-8d35-48ac-975b-e847b4f122b0"}
            ],
        }
    ]
}
USES_CUSTOM_DATA = """
def test_custom(notify_simulator):
    assert [s.name for s in notify_simulator.store.services()] == ["Custom Pigeons"]
"""


def test_the_fixture_is_a_running_simulator_reset_for_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from notifications_python_client.notifications import NotificationsAPIClient

        def test_send(notify_simulator):
            env = notify_simulator.env()
            client = NotificationsAPIClient(env["API_KEY"], base_url=notify_simulator.url)
            client.send_sms_notification(
                env["FUNCTIONAL_TEST_NUMBER"], env["SMS_TEMPLATE_ID"], {"name": "Amala"}
            )
            notify_simulator.advance_clock(3600)
            assert len(notify_simulator.notifications) == 1

        def test_the_next_test_starts_clean(notify_simulator):
            assert notify_simulator.notifications == []
            assert abs(notify_simulator.clock.now().timestamp() - __import__("time").time()) < 60

        def test_one_server_for_the_session(notify_simulator, notify_simulator_session):
            assert notify_simulator is notify_simulator_session
            assert notify_simulator.url.startswith("http://127.0.0.1:")
        """
    )

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=3)


def test_a_run_without_the_fixture_starts_no_simulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_imported():
            assert "notifications_python_client.simulator.server" not in sys.modules
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=1)


def test_the_data_file_can_be_set_in_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("pigeons.json").write_text(json.dumps(CUSTOM_DATA), encoding="utf-8")
    pytester.makeini("[pytest]\nnotify_simulator_data = pigeons.json\n")
    pytester.makepyfile(USES_CUSTOM_DATA)

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=1)


def test_the_data_file_can_be_set_on_the_command_line(pytester: pytest.Pytester) -> None:
    data = pytester.path / "pigeons.json"
    data.write_text(json.dumps(CUSTOM_DATA), encoding="utf-8")
    pytester.makepyfile(USES_CUSTOM_DATA)

    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:asyncio", f"--notify-simulator-data={data}"
    )

    result.assert_outcomes(passed=1)


def test_a_bad_data_file_fails_the_tests_that_use_it(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("bad.json").write_text('{"services": []}', encoding="utf-8")
    pytester.makeini("[pytest]\nnotify_simulator_data = bad.json\n")
    pytester.makepyfile(USES_CUSTOM_DATA)

    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*DataFileError: services: must list at least one service*"])


def test_code_that_builds_its_own_client_reaches_the_simulator(pytester: pytest.Pytester) -> None:
    # A library (a Django mail backend, say) that builds its client from settings it reads
    # itself: only the environment points it at the local Notify.
    pytester.makepyfile(
        mail_backend="""
        import os
        from notifications_python_client.notifications import NotificationsAPIClient

        def send_sign_in_email(address, template_id):
            client = NotificationsAPIClient(os.environ["NOTIFY_API_KEY"])
            return client.send_email_notification(address, template_id, {"name": "Amala"})
        """,
        test_service="""
        import os
        import mail_backend

        def test_the_mail_reaches_the_local_notify(notify_simulator):
            mail_backend.send_sign_in_email(
                "amala@example.com", notify_simulator.env()["EMAIL_TEMPLATE_ID"]
            )
            assert [n.email_address for n in notify_simulator.notifications] == [
                "amala@example.com"
            ]
            assert os.environ["NOTIFY_API_URL"] == notify_simulator.url

        def test_the_environment_is_put_back_after_each_test():
            assert "NOTIFY_API_URL" not in os.environ
        """,
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")

    result.assert_outcomes(passed=2)
