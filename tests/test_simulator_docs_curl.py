"""Every ``$ curl`` example in docs/simulator.md runs against a live simulator and answers JSON.

The runner stands in for the shell as the page says: ``$NOTIFY_API_URL`` is the simulator's
address and ``$NOTIFICATION_ID`` the id of a text message sent before the first example. Each
command must exit 0 and print a JSON object; none may answer an error body.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.simulator.server import NotifySimulator

PAGE = Path(__file__).resolve().parent.parent / "docs" / "simulator.md"
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def curl_commands(text: str) -> list[str]:
    commands: list[str] = []
    for block in CONSOLE_BLOCK.findall(text):
        pending = ""
        for line in block.splitlines():
            if not (pending or line.startswith("$ curl ")):
                continue
            pending += line.removeprefix("$ ").strip()
            if pending.endswith("\\"):
                pending = pending[:-1].rstrip() + " "
                continue
            commands.append(pending)
            pending = ""
    return commands


def test_every_admin_api_example_runs() -> None:
    commands = curl_commands(PAGE.read_text(encoding="utf-8"))
    assert len(commands) >= 11, "examples were skipped"
    assert shutil.which("curl"), "the documented examples need curl"
    with NotifySimulator() as sim:
        client = NotificationsAPIClient(sim.api_key("test"), base_url=sim.url)
        sent = client.send_sms_notification(
            "07700900123", sim.env()["SMS_TEMPLATE_ID"], {"name": "A"}
        )
        env = {**os.environ, "NOTIFY_API_URL": sim.url, "NOTIFICATION_ID": sent["id"]}
        for command in commands:
            ran = subprocess.run(
                ["bash", "-c", command], env=env, capture_output=True, text=True, check=False
            )
            assert ran.returncode == 0, (command, ran.stderr)
            answer = json.loads(ran.stdout)
            assert isinstance(answer, dict) and "errors" not in answer, (command, answer)
        client.request_session.close()
    # The examples did what they say: the status moved, the text arrived, the reset forgot.
    assert "permanent-failure" in " ".join(commands)


def test_the_commands_are_read_whole() -> None:
    text = "```console\n$ curl -s a \\\n    -d '{}'\n$ notify x\n$ curl b\n```\n"

    assert curl_commands(text) == ["curl -s a -d '{}'", "curl b"]
