"""Without the ``simulator`` extra the client, the CLI and the pytest plugin still work.

Each check runs in a fresh interpreter in which ``phonenumbers`` and ``jsonschema`` cannot be
imported, as on a machine where only ``notifications-python-client`` is installed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from notifications_python_client.extras import install_command

BLOCK_EXTRA = "import sys\nsys.modules['phonenumbers'] = None\nsys.modules['jsonschema'] = None\n"
INSTALL_HINT = install_command("simulator")


def run_without_extra(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_EXTRA + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_client_cli_and_pytest_plugin_import_without_the_extra() -> None:
    result = run_without_extra(
        """
        import notifications_python_client.simulator.pytest_plugin
        import notifications_python_client.notifications
        import notifications_python_client.cli.entry
        print("imported")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported\n"


def test_using_the_simulator_without_the_extra_names_the_install_command() -> None:
    result = run_without_extra(
        """
        from notifications_python_client.simulator import SimulatorNotInstalledError
        try:
            from notifications_python_client.simulator import NotifySimulator
        except SimulatorNotInstalledError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "phonenumbers, jsonschema" in result.stdout
    assert INSTALL_HINT in result.stdout


def test_simulator_command_without_the_extra_exits_2_with_the_hint_not_a_traceback() -> None:
    result = run_without_extra(
        """
        import runpy
        runpy.run_module("notifications_python_client.simulator", run_name="__main__")
        """
    )
    assert result.returncode == 2
    assert INSTALL_HINT in result.stderr
    assert "Traceback" not in result.stderr


def test_notify_simulator_without_the_extra_exits_2_with_the_hint() -> None:
    result = run_without_extra(
        """
        from notifications_python_client.cli.entry import main
        raise SystemExit(main(["simulator", "--env"]))
        """
    )
    assert result.returncode == 2
    assert INSTALL_HINT in result.stderr
    assert "Traceback" not in result.stderr


def test_the_fixture_without_the_extra_gives_the_install_hint(tmp_path: Path) -> None:
    test_file = tmp_path / "test_uses_fixture.py"
    test_file.write_text("def test_it(notify_simulator):\n    pass\n", encoding="utf-8")

    result = run_without_extra(
        f"""
        import pytest
        raise SystemExit(pytest.main(["-q", "-p", "no:cacheprovider", {str(test_file)!r}]))
        """
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert INSTALL_HINT in result.stdout
    assert "No module named" not in result.stdout
