"""`notify` as a whole: usage, exit statuses, errors, the API key and where settings come from."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
import requests_mock
from cli_support import (
    API,
    CHECK_URL,
    KEY,
    NO_FIT,
    NOT_JSON,
    NOTIFICATION_ID,
    TEMPLATE_ID,
    assert_key_hidden,
    assert_signed,
    notify,
)

from notifications_python_client.cli import entry as cli

# What a user might paste after a mistyped option: a whole key.
SECRET_LOOKING = KEY


def test_base_url_defaults_to_the_real_service(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(
        f"https://api.notifications.service.gov.uk/v2/notifications/{NOTIFICATION_ID}",
        json={"id": NOTIFICATION_ID},
    )

    assert notify("status", NOTIFICATION_ID, environ={"NOTIFY_API_KEY": KEY}).code == 0


def test_base_url_option_beats_the_environment(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(f"http://127.0.0.1:9/v2/notifications/{NOTIFICATION_ID}", json={"id": "x"})

    assert notify("status", NOTIFICATION_ID, "--base-url", "http://127.0.0.1:9").code == 0


def test_api_key_file(requests_mock: requests_mock.Mocker, tmp_path: Path) -> None:
    key_file = tmp_path / "notify.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", json={"id": NOTIFICATION_ID})

    result = notify(
        "status", NOTIFICATION_ID, "--api-key-file", str(key_file),
        environ={"NOTIFY_API_URL": API},
    )  # fmt: skip

    assert result.code == 0
    assert_signed(requests_mock.last_request)


def test_api_error_prints_status_name_and_message(requests_mock: requests_mock.Mocker) -> None:
    errors = [
        {"error": "ValidationError", "message": "phone_number Not a UK mobile number"},
        {"error": "ValidationError", "message": "template_id is not a valid UUID"},
    ]
    requests_mock.post(
        f"{API}/v2/notifications/sms", status_code=400, json={"status_code": 400, "errors": errors}
    )

    result = notify("send", "sms", "0", "x")

    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "notify: 400 ValidationError: phone_number Not a UK mobile number\n"
        "notify: 400 ValidationError: template_id is not a valid UUID\n"
    )


@pytest.mark.parametrize(
    ("mock", "line"),
    [
        ({"status_code": 500, "text": "<html>oops</html>"}, "500 ServerError: Request failed"),
        ({"status_code": 429, "json": {"message": "wait"}}, "429 LimitExceededError: wait"),
        ({"status_code": 200, "text": "not json"}, f"200 InvalidResponse: {NOT_JSON}"),
        ({"status_code": 503, "json": {"errors": [{"error": "X", "message": "d"}]}}, "503 X: d"),
    ],
)  # fmt: skip
def test_other_api_errors_exit_1(
    requests_mock: requests_mock.Mocker, mock: dict[str, Any], line: str
) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", **mock)

    result = notify("status", NOTIFICATION_ID, "--verbose")

    assert result.code == 1
    assert result.err.splitlines()[-1] == f"notify: {line}"
    assert_key_hidden(result)


@pytest.mark.parametrize(
    ("exception", "reason"),
    [
        (requests.ConnectionError, f"connection failed ({CHECK_URL})"),
        (requests.ConnectTimeout, "no response in time (see --timeout)"),
        (requests.ReadTimeout, "no response in time (see --timeout)"),
    ],
)  # fmt: skip
def test_network_errors_exit_3(
    requests_mock: requests_mock.Mocker, exception: type[Exception], reason: str
) -> None:
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", exc=exception(f"boom {KEY}"))

    result = notify("status", NOTIFICATION_ID)

    assert (result.code, result.out) == (3, "")
    assert result.err == f"notify: cannot reach {API}: {reason}\n"


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        ([], "missing or incomplete command"),
        (["send", "sms", "07700900123"], NO_FIT),
        (["send", "sms", "07700900123", "t", "--attach", "a=b"], NO_FIT),
        (["list", "--colour"], "unknown option --colour (options are spelt in full)"),
        (["status", "x", "--wait-limit"], "--wait-limit requires argument"),
    ],
)  # fmt: skip
def test_usage_mistakes_exit_2_with_the_usage(
    requests_mock: requests_mock.Mocker, argv: list[str], problem: str
) -> None:
    result = notify(*argv)

    assert (result.code, result.out, requests_mock.call_count) == (2, "", 0)
    assert result.err.startswith(f"notify: {problem}\nUsage:\n  notify send sms <phone_number>")
    assert "Options:" not in result.err


def test_help_prints_the_whole_text() -> None:
    result = notify("--help", environ={})

    assert (result.code, result.err) == (0, "")
    assert result.out == cli.__doc__


@pytest.mark.parametrize(
    ("argv", "first_lines"),
    [
        (["send", "sms", "--help"], ["Usage:", "  notify send sms <phone_number> <template_id> "
                                     "[--personalisation=<json>] [--set=<name=value>...]"]),
        (["status", "-h"], ["Usage:", "  notify status <notification_id> [--wait] "
                            "[--wait-limit=<seconds>] [--poll-every=<seconds>]"]),
        (["send-batch", "x.csv", "--help"], ["Usage:", "  notify send-batch <file> "
                                             "--template=<id> [--results=<file>] [--workers=<n>]"]),
    ],
)  # fmt: skip
def test_help_after_a_command_is_that_commands_help(
    argv: list[str], first_lines: list[str]
) -> None:
    result = notify(*argv, environ={})

    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[:2] == first_lines
    assert "notify templates" not in result.out
    assert "  -h --help" in result.out


def test_the_help_of_send_sms_names_its_own_options_only() -> None:
    out = notify("send", "sms", "--help", environ={}).out

    assert "--sms-sender-id=<id>" in out and "--personalisation=<json>" in out
    assert "--postage" not in out and "--attach" not in out and "--wait" not in out
    assert "Send a message; prints Notify's response" in out


def test_version() -> None:
    result = notify("--version", environ={})

    assert (result.code, result.err) == (0, "")
    assert result.out == f"notify (notifications-python-client) {cli.__version__}\n"


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["sned", "sms", "07700900123", "t"], "unknown command 'sned'; did you mean 'send'?"),
        (["stauts", "x"], "unknown command 'stauts'; did you mean 'status'?"),
        (["send", "smss", "07700900123", "t"],
         "unknown kind of message to send 'smss'; did you mean 'sms'?"),
        (["fly"], "unknown command 'fly' (try one of: send, send-batch, status, list, pdf, "
                  "template, templates, preview, received-texts, trigger, simulator)"),
    ],
)  # fmt: skip
def test_a_mistyped_command_is_named_with_the_nearest_real_one(
    requests_mock: requests_mock.Mocker, argv: list[str], problem: str
) -> None:
    result = notify(*argv)

    assert (result.code, result.out, requests_mock.call_count) == (2, "", 0)
    assert result.err == f"notify: {problem} (notify --help lists the commands)\n"


def test_bad_output_format(requests_mock: requests_mock.Mocker) -> None:
    result = notify("status", NOTIFICATION_ID, "--output", "yaml")

    assert (result.code, requests_mock.call_count) == (2, 0)
    assert result.err == "notify: --output must be one of json, table, id, not 'yaml'\n"


def test_bad_json_personalisation_sends_nothing(requests_mock: requests_mock.Mocker) -> None:
    result = notify("send", "sms", "07700900123", TEMPLATE_ID, "--personalisation", "{'a': 1}")

    assert (result.code, result.out, requests_mock.call_count) == (2, "", 0)
    assert result.err.startswith("notify: --personalisation is not valid JSON: Expecting property")
    assert result.err.count("\n") == 1


def test_missing_file_sends_nothing(requests_mock: requests_mock.Mocker, tmp_path: Path) -> None:
    missing = tmp_path / "letter.pdf"

    result = notify("send", "precompiled-letter", "ref", str(missing))

    assert (result.code, requests_mock.call_count) == (2, 0)
    assert result.err == f"notify: <pdf_file>: cannot read {missing}: No such file or directory\n"


def test_missing_key(requests_mock: requests_mock.Mocker) -> None:
    result = notify("status", NOTIFICATION_ID, environ={"NOTIFY_API_URL": API})

    assert (result.code, requests_mock.call_count) == (2, 0)
    assert result.err == "notify: no API key: set NOTIFY_API_KEY or pass --api-key-file FILE\n"


def test_input_mistakes_are_reported_before_a_missing_key(tmp_path: Path) -> None:
    result = notify("send", "sms", "0", "t", "--set", "oops", environ={})

    assert (result.code, result.err) == (2, "notify: --set needs name=value, not 'oops'\n")


def test_malformed_key(requests_mock: requests_mock.Mocker) -> None:
    result = notify("status", NOTIFICATION_ID, environ={"NOTIFY_API_KEY": "short"})

    assert (result.code, requests_mock.call_count) == (2, 0)
    assert result.err == (
        "notify: the API key is malformed: expected key_name-service_id-secret as Notify shows it\n"
    )


def test_key_with_odd_parts_is_warned_about_then_used(requests_mock: requests_mock.Mocker) -> None:
    odd_key = "name-" + "s" * 36 + "-" + "k" * 36
    requests_mock.get(
        f"{API}/v2/notifications/{NOTIFICATION_ID}", status_code=403, json={"message": "no"}
    )

    result = notify(
        "status", NOTIFICATION_ID, environ={"NOTIFY_API_KEY": odd_key, "NOTIFY_API_URL": API}
    )

    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith("notify: warning: The API key's service ID")
    assert lines[-1] == "notify: 403 AuthError: no"
    assert "k" * 36 not in result.err


def test_unexpected_errors_print_one_scrubbed_line(
    requests_mock: requests_mock.Mocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"surprise with {KEY}")

    monkeypatch.setattr(cli.Output, "result", explode)
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", json={"id": NOTIFICATION_ID})

    result = notify("status", NOTIFICATION_ID)

    assert result.code == 1
    assert result.err == "notify: unexpected error: RuntimeError: surprise with [redacted]\n"


def test_verbose_shows_the_clients_log_lines_without_the_key(
    requests_mock: requests_mock.Mocker,
) -> None:
    requests_mock.get(
        f"{API}/v2/notifications/{NOTIFICATION_ID}", status_code=404, json={"message": "gone"}
    )

    quiet = notify("status", NOTIFICATION_ID)
    loud = notify("status", NOTIFICATION_ID, "-v")

    assert quiet.err.splitlines()[0] == "notify: 404 NotFoundError: gone"
    assert loud.err.splitlines()[0].startswith("notify: warning: API GET request on ")
    assert_key_hidden(loud)


def test_verbose_logs_every_request_with_its_status_and_time(
    requests_mock: requests_mock.Mocker,
) -> None:
    requests_mock.get(f"{API}/v2/notifications?reference=secret-ref", json={"notifications": []})

    loud = notify("list", "--reference", "secret-ref", "-v")

    assert loud.code == 0
    assert re.fullmatch(r"notify: debug: GET /v2/notifications 200 in \d+ ms\n", loud.err)
    assert_key_hidden(loud)


def test_a_404_that_is_not_notifys_hints_at_the_base_url(
    requests_mock: requests_mock.Mocker,
) -> None:
    requests_mock.get(
        f"{API}/v2/notifications/{NOTIFICATION_ID}", status_code=404, text="<h1>Not Found</h1>"
    )

    result = notify("status", NOTIFICATION_ID)

    assert result.code == 1
    assert result.err.splitlines()[1] == (
        f"notify: hint: {API} answered 404 without Notify's error body: is --base-url (or "
        "NOTIFY_API_URL) the API's root, such as https://api.notifications.service.gov.uk?"
    )


def test_notifys_own_404_gets_no_hint(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(
        f"{API}/v2/notifications/{NOTIFICATION_ID}",
        status_code=404,
        json={"status_code": 404,
              "errors": [{"error": "NoResultFound", "message": "No result found"}]},
    )  # fmt: skip

    result = notify("status", NOTIFICATION_ID)

    assert result.err == "notify: 404 NoResultFound: No result found\n"


def test_main_reads_the_real_environment(
    requests_mock: requests_mock.Mocker,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NOTIFY_API_KEY", KEY)
    monkeypatch.setenv("NOTIFY_API_URL", API)
    requests_mock.get(f"{API}/v2/notifications/{NOTIFICATION_ID}", json={"id": NOTIFICATION_ID})

    assert cli.main(["status", NOTIFICATION_ID]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": NOTIFICATION_ID}


def test_main_turns_a_closed_pipe_into_exit_141(monkeypatch: pytest.MonkeyPatch) -> None:
    def closed_pipe(argv: list[str]) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(cli, "run", closed_pipe)

    assert cli.main(["list"]) == 141


def test_simulator_command_hands_its_options_over(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["simulator", "--port", "6123", "--env"])

    out = capsys.readouterr().out
    assert code == 0
    assert "export NOTIFY_API_URL='http://127.0.0.1:6123'\n" in out


def test_simulator_command_help_and_mistakes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["simulator", "--help"]) == 0
    assert "--data FILE" in capsys.readouterr().out
    assert cli.main(["simulator", "--port", "many"]) == 2
    assert "invalid int value: 'many'" in capsys.readouterr().err


def test_simulator_command_turns_an_exit_message_into_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from notifications_python_client.simulator import __main__ as simulator_main

    def refuse(argv: list[str], prog: str) -> int:
        raise SystemExit(f"cannot start with {argv}")

    monkeypatch.setattr(simulator_main, "main", refuse)

    assert cli.main(["simulator", "--port", "1"]) == 1
    assert capsys.readouterr().err == "cannot start with ['--port', '1']\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["templates", "--api-key", SECRET_LOOKING],
        ["templates", f"--api-key={SECRET_LOOKING}"],
        ["templates", "--api", SECRET_LOOKING],
        ["status", "x", f"--base={SECRET_LOOKING}"],
    ],
)
def test_abbreviated_options_are_refused_without_showing_their_value(argv: list[str]) -> None:
    result = notify(*argv)

    assert result.code == 2
    assert "unknown option --" in result.err
    assert SECRET_LOOKING not in result.err + result.out


def test_a_refused_option_gets_the_nearest_real_one() -> None:
    result = notify("templates", "--api-key", SECRET_LOOKING)

    assert "did you mean --api-key-file?" in result.err


def test_values_after_a_double_dash_are_not_options() -> None:
    assert "unknown option" not in notify("status", "--", "--not-an-option").err
