"""``python -m notifications_python_client.simulator``: run a local Notify until Ctrl-C.

``--env`` prints the integration test's settings as shell ``export`` lines and exits instead, so
``eval "$(python -m notifications_python_client.simulator --env)"`` configures a shell for a
simulator started with the same options.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from notifications_python_client.simulator import (
    DEFAULT_HOST,
    SimulatorNotInstalledError,
    require_simulator_extra,
)
from notifications_python_client.simulator.data import DataFileError
from notifications_python_client.simulator.domain.models import KEY_TYPES

if TYPE_CHECKING:
    from notifications_python_client.simulator.server import NotifySimulator

# The server is imported in main(), after checking that the optional dependencies it needs are
# installed, so a missing extra gives an install hint instead of a traceback.
DEFAULT_PORT = 6011
KEY_LABELS = {"normal": "live", "team": "team", "test": "test"}


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m notifications_python_client.simulator",
        description="Serve a local simulator of the GOV.UK Notify v2 API.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument("--data", metavar="FILE", help="JSON data file (default: built-in data)")
    parser.add_argument(
        "--env", action="store_true", help="print the integration test's settings and exit"
    )
    return parser.parse_args(argv)


def shell_quote(value: str) -> str:
    """``value`` in single quotes, safe to paste into any POSIX shell."""
    return "'" + value.replace("'", "'\"'\"'") + "'"


def print_env(simulator: NotifySimulator, out: TextIO) -> None:
    for name, value in simulator.env().items():
        out.write(f"export {name}={shell_quote(value)}\n")


def print_banner(simulator: NotifySimulator, out: TextIO) -> None:
    out.write(f"Notify simulator running at {simulator.url}\n")
    for key_type in KEY_TYPES:
        try:
            out.write(f"  {KEY_LABELS[key_type]} key: {simulator.api_key(key_type)}\n")
        except LookupError:
            continue
    out.write("Press Ctrl-C to stop.\n")
    out.flush()


def serve_until_stopped(simulator: NotifySimulator, out: TextIO) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop cleanly."""
    stop = threading.Event()

    def on_sigterm(signal_number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        with simulator:
            print_banner(simulator, out)
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    out.write("Notify simulator stopped.\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command; ``out`` defaults to the ``sys.stdout`` of the moment (tests swap it)."""
    out = out or sys.stdout
    arguments = parse_arguments(argv)
    try:
        require_simulator_extra()
    except SimulatorNotInstalledError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    from notifications_python_client.simulator.server import NotifySimulator

    try:
        simulator = NotifySimulator(arguments.data, host=arguments.host, port=arguments.port)
    except DataFileError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    if arguments.env:
        print_env(simulator, out)
        return 0
    try:
        serve_until_stopped(simulator, out)
    except OSError as error:
        sys.stderr.write(f"error: cannot serve on {simulator.url}: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
