"""The simulator's command line: --env output, errors, serving and stopping cleanly."""

from __future__ import annotations

import io
import json
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from integration_test.config import ENVIRONMENT_VARIABLES
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.__main__ import main, shell_quote

STOP_WAIT_SECONDS = 10


def exported(text: str) -> dict[str, str]:
    """What a shell would set from ``export NAME='value'`` lines."""
    values = {}
    for line in text.splitlines():
        command, assignment = shlex.split(line)
        assert command == "export"
        name, _, value = assignment.partition("=")
        values[name] = value
    return values


def test_env_prints_export_lines_and_exits() -> None:
    out = io.StringIO()

    assert main(["--env", "--port", "7001"], out=out) == 0

    lines = out.getvalue().splitlines()
    assert lines[0] == "export NOTIFY_API_URL='http://127.0.0.1:7001'"
    assert all(line.startswith("export ") and line.endswith("'") for line in lines)
    values = exported(out.getvalue())
    # The settings the integration test reads, in its order, with the command line's key and
    # the built-in templates that send a file, a sign-in code and a plain email.
    extras = {
        "NOTIFY_API_KEY",
        "FILE_EMAIL_TEMPLATE_ID",
        "SIGN_IN_CODE_TEMPLATE_ID",
        "PLAIN_EMAIL_TEMPLATE_ID",
    }
    assert [name for name in values if name not in extras] == list(ENVIRONMENT_VARIABLES)
    assert values["API_KEY"] == (
        "integration_test-9024e73a-6d91-4afb-9b68-7b3dba010425-85bda415-19e3-4ad4-a4b3-3d13745d8151"
    )
    assert values["NOTIFY_API_KEY"] == values["API_KEY"]


def test_env_is_the_same_every_time() -> None:
    first, second = io.StringIO(), io.StringIO()
    main(["--env"], out=first)
    main(["--env"], out=second)
    assert first.getvalue() == second.getvalue()
    assert "http://127.0.0.1:6011" in first.getvalue()


@pytest.mark.parametrize("value", ["plain", "it's", '$HOME `x` "q"', ""])
def test_values_are_quoted_for_the_shell(value: str) -> None:
    quoted = shell_quote(value)
    assert quoted.startswith("'") and quoted.endswith("'")
    assert shlex.split(f"export X={quoted}") == ["export", f"X={value}"]


def test_env_uses_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text(
        json.dumps(
            {
                "services": [
                    {
                        "id": "26785a09-ab16-4eb0-8407-a37497a57506",
                        "name": "Mine",
                        "team": {"phone_numbers": ["07700900999"]},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    out = io.StringIO()

    assert main(["--env", "--data", str(data), "--host", "127.0.0.2", "--port", "80"], out=out) == 0

    assert exported(out.getvalue()) == {
        "NOTIFY_API_URL": "http://127.0.0.2:80",
        "FUNCTIONAL_TEST_NUMBER": "07700900999",
    }


def test_a_bad_data_file_is_reported_with_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"services": [{"id": "nope", "name": "x"}]}), encoding="utf-8")

    assert main(["--data", str(data)], out=io.StringIO()) == 2

    assert capsys.readouterr().err == "error: services[0].id: must be a UUID\n"


def test_a_port_in_use_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert main(["--port", str(port)], out=io.StringIO()) == 1

    assert capsys.readouterr().err.startswith(f"error: cannot serve on http://127.0.0.1:{port}: ")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_it_serves_until_stopped_then_exits_cleanly(stop_signal: signal.Signals) -> None:
    out, banner, keys, templates, returncode, err = serve_one_request([], stop_signal)

    url = banner[0].removeprefix("Notify simulator running at ").strip()
    assert url.startswith("http://127.0.0.1:")
    assert banner[1] == f"  inbox: {url}/_simulator/ (admin API: {url}/_simulator/api/)\n"
    assert set(keys) == {"live", "team", "test"}
    assert banner[5] == "  store: in memory (gone when it stops; --store FILE keeps it)\n"
    assert banner[6] == "Press Ctrl-C to stop.\n"
    assert len(templates) == 7
    assert returncode == 0
    # One line per request: method, path, status, milliseconds and the key's name, no token.
    request_line, stopped = out.splitlines()
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d GET /v2/templates 200 \d+ ms \(key integration_live\)", request_line
    )
    assert keys["live"][-36:] not in out
    assert stopped == "Notify simulator stopped."
    assert err == ""


def test_quiet_prints_no_line_per_request() -> None:
    out, *_ = serve_one_request(["--quiet"])

    assert out == "Notify simulator stopped.\n"


def serve_one_request(
    options: list[str], stop_signal: signal.Signals = signal.SIGTERM
) -> tuple[str, list[str], dict[str, str], Any, int, str]:
    """Start the simulator, list the templates with its live key, stop it with the signal."""
    process = subprocess.Popen(
        [sys.executable, "-m", "notifications_python_client.simulator", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(7)]
        url = banner[0].removeprefix("Notify simulator running at ").strip()
        keys = dict(line.strip().split(" key: ") for line in banner[2:5])
        client = NotificationsAPIClient(keys["live"], base_url=url)

        templates = client.get_all_templates()["templates"]

        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=STOP_WAIT_SECONDS)
    finally:
        process.kill()
        process.wait()
    return out, banner, keys, templates, process.returncode, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fault-error-rate", "2"], "error: --fault-error-rate must be from 0 to 1\n"),
        (
            ["--fault-error-statuses", "404"],
            "error: --fault-error-statuses must be among [500, 502, 503]\n",
        ),
        (["--fault-seed", "-1"], "error: --fault-seed must be a whole number, 0 or more\n"),
    ],
)
def test_fault_options_that_are_not_valid_name_the_option(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--env"], out=io.StringIO()) == 2
    assert capsys.readouterr().err == message


def test_a_fault_option_that_is_not_a_number_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--fault-error-statuses", "five"], out=io.StringIO())

    assert caught.value.code == 2


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The simulators ``main`` makes, kept for the test to look at."""
    from notifications_python_client.simulator import server

    simulators: list[server.NotifySimulator] = []
    real = server.NotifySimulator

    def recording(*args: object, **kwargs: object) -> server.NotifySimulator:
        simulators.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return simulators[-1]

    monkeypatch.setattr(server, "NotifySimulator", recording)
    return simulators


def test_fault_options_reach_the_simulator(made: list[Any]) -> None:
    main(
        ["--fault-error-rate", "0.25", "--fault-error-statuses", "502,503", "--env"],
        out=io.StringIO(),
    )

    assert (made[0].faults.error_rate, made[0].faults.error_statuses) == (0.25, (502, 503))


def test_allowed_hosts_reach_the_simulator(made: list[Any]) -> None:
    main(["--allowed-host", "notify", "--allowed-host=web.internal", "--env"], out=io.StringIO())

    assert made[0].allowed_hosts == ("notify", "web.internal")


@pytest.mark.parametrize("threads", ["0", "-2", "many"])
def test_threads_must_be_a_whole_number(threads: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--threads", threads, "--env"], out=io.StringIO())

    assert stop.value.code == 2
    assert "--threads: not a whole number, 1 or more" in capsys.readouterr().err


def test_threads_are_passed_to_the_server() -> None:
    from notifications_python_client.simulator.server import NotifySimulator

    with NotifySimulator(threads=3) as simulator:
        assert simulator._server is not None
        assert simulator.threads == 3

    with pytest.raises(ValueError, match="threads must be a whole number"):
        NotifySimulator(threads=0)


def test_timings_are_taken_on_the_command_line() -> None:
    from notifications_python_client.simulator.__main__ import parse_arguments, timing_values

    arguments = parse_arguments(
        ["--delivered-after-seconds", "5", "--callback-max-retries", "0", "--port", "1"]
    )

    assert timing_values(arguments) == {"delivered_after_seconds": 5.0, "callback_max_retries": 0}
    assert timing_values(parse_arguments([])) == {}


@pytest.mark.parametrize(
    "argv", [["--sending-after-seconds", "-1"], ["--callback-max-retries", "two"]]
)
def test_bad_timings_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--env"], out=io.StringIO())

    assert stop.value.code == 2
    assert "0 or more" in capsys.readouterr().err


def test_from_the_command_line_it_calls_itself_notify_simulator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from notifications_python_client.cli import main as notify_main

    assert notify_main(["simulator", "--help"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("usage: notify simulator ")
    assert "--delivered-after-seconds N" in out and "--fault-error-rate N" in out


def test_as_default_points_clients_at_the_simulator_and_puts_the_environment_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from notifications_python_client.notifications import NotificationsAPIClient
    from notifications_python_client.simulator.server import NotifySimulator

    monkeypatch.setenv("NOTIFY_API_KEY", "a key of the shell")
    simulator = NotifySimulator()
    with pytest.raises(RuntimeError, match="start the simulator first"):
        simulator.as_default().__enter__()

    with simulator, simulator.as_default() as same:
        client = NotificationsAPIClient(os.environ["NOTIFY_API_KEY"])
        client.send_sms_notification(
            "07700900123", simulator.env()["SMS_TEMPLATE_ID"], {"name": "A"}
        )
        assert same is simulator and client.base_url == simulator.url
        assert len(simulator.notifications) == 1

    assert os.environ["NOTIFY_API_KEY"] == "a key of the shell"
    assert "NOTIFY_API_URL" not in os.environ


def test_keep_reaches_the_simulator(made: list[Any]) -> None:
    main(["--keep", "1000", "--env"], out=io.StringIO())

    assert made[0].store.keep == 1000
