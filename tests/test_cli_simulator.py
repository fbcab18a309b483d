"""`notify` against the local simulator over a real socket: ``main(argv)`` and the console script.

Statuses move only on the simulator's clock here (a minute to hand over, another to deliver), so
``--wait`` is tested by letting the command's sleep advance that clock: exact and instant.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import CHECK_URL, CLEAR, Terminal
from example_files import example_letter_pdf

from notifications_python_client.cli import entry as cli
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

STEP_SECONDS = 60
BAD_JSON = (
    "--personalisation is not valid JSON: "
    "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
)
NO_PDF = "<pdf_file>: cannot read no.pdf: No such file or directory"
ADDRESS = json.dumps(
    {"address_line_1": "A. Tester", "address_line_2": "1 Test Street", "address_line_3": "SW1A 1AA"}
)


@pytest.fixture(scope="module")
def running() -> Iterator[NotifySimulator]:
    timings = {"sending_after_seconds": STEP_SECONDS, "delivered_after_seconds": STEP_SECONDS}
    with NotifySimulator(timings=timings) as simulator:
        yield simulator


@pytest.fixture
def sim(running: NotifySimulator, monkeypatch: pytest.MonkeyPatch) -> NotifySimulator:
    """A fresh simulator, with `notify`'s environment pointing at it and its test key."""
    running.reset()
    monkeypatch.setenv("NOTIFY_API_KEY", running.api_key("test"))
    monkeypatch.setenv("NOTIFY_API_URL", running.url)
    return running


@pytest.fixture
def env(sim: NotifySimulator) -> dict[str, str]:
    return sim.env()


def notify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` as the console script runs it, with what it printed."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_no_secret(sim: NotifySimulator, *texts: str) -> None:
    """No key of the service, whole or just its secret part, appears in any of ``texts``."""
    keys = [sim.api_key(key_type) for key_type in ("test", "team", "normal")]
    for secret in keys + [key[-36:] for key in keys]:
        for text in texts:
            assert secret not in text


def test_send_sms_then_status(capsys: pytest.CaptureFixture[str], env: dict[str, str]) -> None:
    number, template = env["FUNCTIONAL_TEST_NUMBER"], env["SMS_TEMPLATE_ID"]

    code, out, err = notify(capsys, "send", "sms", number, template, "--set", "name=Amala")
    sent = json.loads(out)
    status_code, status_out, _ = notify(capsys, "status", sent["id"])

    assert (code, err, status_code) == (0, "", 0)
    assert sent["content"]["body"].startswith("Hello Amala, your pigeon registration is due.")
    assert json.loads(status_out)["status"] == "created"


def test_send_email_with_an_attachment(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    report.write_text("pigeon,ring\nBlue,GB24\n", encoding="utf-8")

    code, out, err = notify(
        capsys, "send", "email", env["FUNCTIONAL_TEST_EMAIL"], env["EMAIL_TEMPLATE_ID"],
        "--personalisation", '{"name": "Amala"}',
        "--attach", f"file={report};filename=report.csv;confirm=no;retention=4 weeks",
        "--reference", "cli-email", "--email-reply-to-id", env["EMAIL_REPLY_TO_ID"],
        "--unsubscribe-url", "https://example.com/unsubscribe", "--sanitise", "name",
    )  # fmt: skip

    assert (code, err) == (0, "")
    sent = json.loads(out)
    assert sent["reference"] == "cli-email"
    assert sent["content"]["one_click_unsubscribe_url"] == "https://example.com/unsubscribe"


def test_send_letter_then_its_pdf(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], tmp_path: Path
) -> None:
    code, out, _ = notify(
        capsys, "send", "letter", env["LETTER_TEMPLATE_ID"], "--personalisation", ADDRESS
    )
    target = tmp_path / "letter.pdf"

    pdf_code, pdf_out, pdf_err = notify(capsys, "pdf", json.loads(out)["id"], "-o", str(target))

    assert (code, pdf_code, pdf_err) == (0, 0, "")
    assert target.read_bytes().startswith(b"%PDF-")
    assert json.loads(pdf_out)["size_bytes"] == target.stat().st_size


def test_send_precompiled_letter(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, tmp_path: Path
) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(example_letter_pdf())

    code, out, err = notify(
        capsys, "send", "precompiled-letter", "cli-pdf", str(pdf), "--postage", "first"
    )

    assert (code, err) == (0, "")
    assert json.loads(out)["postage"] == "first"
    assert sim.notifications[-1].reference == "cli-pdf"


def test_status_wait_follows_the_simulated_clock(
    sim: NotifySimulator, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = notify(
        capsys, "send", "sms", "07700900003", env["SMS_TEMPLATE_ID"], "--set", "name=A"
    )
    stderr = Terminal()
    stdout = io.StringIO()

    status = cli.run(
        ["status", json.loads(out)["id"], "--wait", "--poll-every", "30"],
        environ={"NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url},
        stdout=stdout,
        stderr=stderr,
        sleep=sim.advance_clock,
        monotonic=lambda: sim.clock.now().timestamp(),
    )

    assert (code, status) == (0, 0)
    assert json.loads(stdout.getvalue())["status"] == "temporary-failure"
    assert stderr.getvalue().endswith(f"{CLEAR}notify: status temporary-failure after 120s\n")
    assert "status sending after 60s; checking again in 30s" in stderr.getvalue()


def test_status_wait_gives_up(sim: NotifySimulator, env: dict[str, str]) -> None:
    client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
    sent = client.send_sms_notification("07700900321", env["SMS_TEMPLATE_ID"], {"name": "A"})
    stderr = io.StringIO()

    status = cli.run(
        ["status", sent["id"], "--wait", "--wait-limit", "90", "--poll-every", "60"],
        environ={"NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url},
        stdout=io.StringIO(),
        stderr=stderr,
        sleep=sim.advance_clock,
        monotonic=lambda: sim.clock.now().timestamp(),
    )

    assert status == 4
    assert stderr.getvalue() == "notify: gave up waiting after 90s: status is still sending\n"


def send_texts(sim: NotifySimulator, env: dict[str, str], count: int) -> None:
    client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
    for number in range(count):
        client.send_sms_notification(
            "07700900321", env["SMS_TEMPLATE_ID"], {"name": "A"}, reference=f"r{number}"
        )


def test_list_one_page_with_filters(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, env: dict[str, str]
) -> None:
    send_texts(sim, env, 3)

    code, out, _ = notify(
        capsys, "list", "--type", "sms", "--reference", "r1", "--status", "created"
    )
    table_code, table, _ = notify(capsys, "list", "--output", "table")

    assert (code, table_code) == (0, 0)
    assert [n["reference"] for n in json.loads(out)["notifications"]] == ["r1"]
    assert [line.split()[-2] for line in table.splitlines()[1:]] == ["r2", "r1", "r0"]


def test_list_all_streams_every_page(sim: NotifySimulator, env: dict[str, str]) -> None:
    send_texts(sim, env, 252)
    stdout, stderr = io.StringIO(), Terminal()

    code = cli.run(["list", "--all"], stdout=stdout, stderr=stderr)

    references = [json.loads(line)["reference"] for line in stdout.getvalue().splitlines()]
    assert code == 0
    assert references == [f"r{number}" for number in reversed(range(252))]
    assert stderr.getvalue().endswith(f"{CLEAR}notify: 252 notifications\n")


def test_templates_template_and_preview(
    capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> None:
    sms_template = env["SMS_TEMPLATE_ID"]

    _, templates, _ = notify(capsys, "templates", "--type", "sms", "--output", "table")
    _, latest, _ = notify(capsys, "template", sms_template)
    _, first, _ = notify(capsys, "template", sms_template, "--version", "1")
    code, preview, _ = notify(
        capsys, "preview", sms_template, "--personalisation", '{"name": "Kim"}'
    )

    assert sms_template in templates
    assert (json.loads(latest)["version"], json.loads(first)["version"]) == (2, 1)
    assert (code, json.loads(preview)["body"]) == (
        0,
        "Hello Kim, your pigeon registration is due. Reply to this message if your loft has moved.",
    )


def test_received_texts(capsys: pytest.CaptureFixture[str], sim: NotifySimulator) -> None:
    sim.add_received_text("Is my pigeon registered?")

    code, out, _ = notify(capsys, "received-texts", "--all")
    page_code, page, _ = notify(capsys, "received-texts", "--output", "table")

    contents = [json.loads(line)["content"] for line in out.splitlines()]
    assert (code, page_code) == (0, 0)
    assert contents[0] == "Is my pigeon registered?"
    assert "Is my pigeon registered?" in page.splitlines()[1]


def test_api_error_exits_1_without_the_key(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, env: dict[str, str]
) -> None:
    code, out, err = notify(capsys, "send", "sms", "07700900321", "not-a-template")

    assert (code, out) == (1, "")
    assert err == "notify: 400 ValidationError: template_id is not a valid UUID\n"
    assert_no_secret(sim, out, err)


def test_unknown_key_exits_1_without_the_key(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = sim.api_key("test")[:-36] + "00000000-0000-4000-8000-000000000000"
    monkeypatch.setenv("NOTIFY_API_KEY", wrong)

    code, out, err = notify(capsys, "templates", "--verbose")

    assert (code, out) == (1, "")
    assert err.splitlines()[-1].startswith("notify: 403 AuthError: Invalid token")
    assert "00000000-0000-4000-8000-000000000000" not in err
    assert_no_secret(sim, err)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_service_exits_3(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"

    code, out, err = notify(capsys, "templates", "--base-url", url)

    assert (code, out) == (3, "")
    assert err == f"notify: cannot reach {url}: connection failed ({CHECK_URL})\n"
    assert_no_secret(sim, err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["preview", "t", "--personalisation", "{name"], BAD_JSON),
        (["send", "precompiled-letter", "ref", "no.pdf"], NO_PDF),
    ],
)
def test_bad_input_exits_2_and_sends_nothing(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, argv: list[str], message: str
) -> None:
    code, out, err = notify(capsys, *argv)

    assert (code, out, err) == (2, "", f"notify: {message}\n")
    assert sim.notifications == []


def test_missing_key_exits_2(
    capsys: pytest.CaptureFixture[str], sim: NotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_API_KEY")

    assert notify(capsys, "templates") == (
        2, "", "notify: no API key: set NOTIFY_API_KEY or pass --api-key-file FILE\n"
    )  # fmt: skip


def script_path() -> str:
    """The installed console script of the Python running the tests."""
    scripts = Path(sysconfig.get_path("scripts"))
    found = shutil.which("notify", path=str(scripts))
    assert found, f"the notify console script is not installed in {scripts}"
    return found


def run_script(*argv: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command with only ``environ`` (plus what the OS needs to start a process)."""
    base = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT") if name in os.environ}
    return subprocess.run(
        list(argv),
        env={**base, **environ},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_console_script(sim: NotifySimulator, env: dict[str, str]) -> None:
    environ = {"NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url}

    script = script_path()

    sent = run_script(
        script, "send", "sms", "07700900321", env["SMS_TEMPLATE_ID"], "--set", "name=A",
        environ=environ,
    )  # fmt: skip
    failed = run_script(
        script, "send", "sms", "07700900321", env["SMS_TEMPLATE_ID"], environ=environ
    )
    unkeyed = run_script(script, "templates", environ={"NOTIFY_API_URL": sim.url})
    misused = run_script(script, "send", environ=environ)

    assert (sent.returncode, sent.stderr) == (0, "")
    assert json.loads(sent.stdout)["id"] == sim.notifications[-1].id
    assert (failed.returncode, failed.stdout) == (1, "")
    assert failed.stderr == "notify: 400 BadRequestError: Missing personalisation: name\n"
    assert (unkeyed.returncode, unkeyed.stderr) == (
        2,
        "notify: no API key: set NOTIFY_API_KEY or pass --api-key-file FILE\n",
    )
    assert misused.returncode == 2 and "Usage:" in misused.stderr
    for result in (sent, failed, unkeyed, misused):
        assert "Traceback" not in result.stderr
        assert_no_secret(sim, result.stdout, result.stderr)


def test_python_dash_m(sim: NotifySimulator) -> None:
    result = run_script(
        sys.executable, "-m", "notifications_python_client", "templates", "--output", "table",
        environ={"NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url},
    )  # fmt: skip

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0].split() == ["ID", "TYPE", "VERSION", "NAME"]


def test_console_script_stops_quietly_when_its_reader_goes_away(
    sim: NotifySimulator, env: dict[str, str]
) -> None:
    # About 1 kB a line: more than a pipe holds, so the script is still writing when we close.
    send_texts(sim, env, 150)
    base = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT") if name in os.environ}
    environ = {**base, "NOTIFY_API_KEY": sim.api_key("test"), "NOTIFY_API_URL": sim.url}
    with subprocess.Popen(
        [script_path(), "list", "--all"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read()
        status = process.wait(timeout=60)

    assert first.startswith(b'{"')
    assert (status, stderr) == (141, b"")
