"""``python -m notifications_python_client.simulator``: run a local Notify until Ctrl-C.

``--env`` prints the integration test's settings as shell ``export`` lines and exits instead, so
``eval "$(python -m notifications_python_client.simulator --env)"`` configures a shell for a
simulator started with the same options.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from notifications_python_client.simulator import (
    DEFAULT_HOST,
    SimulatorNotInstalledError,
    require_simulator_extra,
)
from notifications_python_client.simulator.data import DataFileError
from notifications_python_client.simulator.domain.faults import (
    FAULT_DESCRIPTIONS,
    FaultSettings,
    FaultSettingsError,
    setting_from_text,
)
from notifications_python_client.simulator.domain.models import KEY_TYPES, Timings

if TYPE_CHECKING:
    from notifications_python_client.simulator.server import NotifySimulator

# The server is imported in main(), after checking that the optional dependencies it needs are
# installed, so a missing extra gives an install hint instead of a traceback.
DEFAULT_PORT = 6011
PROG = "python -m notifications_python_client.simulator"
# The logger of the server's line per request (web.serving.logged).
REQUEST_LOGGER = "notifications_python_client.simulator.web.serving"
TIMING_HELP = {
    "sending_after_seconds": "from created to sending",
    "delivered_after_seconds": "from sending to delivered (or a failure)",
    "letter_pdf_ready_after_seconds": "until a letter's PDF can be fetched",
    "callback_retry_seconds": "between tries of a callback that failed",
    "callback_max_retries": "how many times a failed callback is tried again",
}
KEY_LABELS = {"normal": "live", "team": "team", "test": "test"}
FAULT_OPTION_PREFIX = "--fault-"


def parse_arguments(argv: Sequence[str] | None, prog: str = PROG) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog, description="Serve a local simulator of the GOV.UK Notify v2 API."
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--allowed-host",
        dest="allowed_hosts",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests sent to this host name, such as a container's service name "
        "(repeat for more; * for any). Loopback names and the --host address are always "
        "answered; others are refused, so that no web page can reach the simulator through "
        "a name of its own",
    )
    parser.add_argument("--data", metavar="FILE", help="JSON data file (default: built-in data)")
    parser.add_argument(
        "--store",
        metavar="FILE",
        help="keep everything in this SQLite file, made when missing, so a restart (or a crash) "
        "loses nothing it acknowledged (default: in memory, gone when it stops)",
    )
    parser.add_argument(
        "--keep",
        type=_whole_number,
        metavar="N",
        help="keep at most N notifications, forgetting the oldest as new ones come, so memory "
        "stays bounded on a long run (default: no cap; Notify's retention forgets them anyway)",
    )
    callbacks = parser.add_argument_group(
        "callbacks of the first service (instead of the data file's; Notify's own retries)"
    )
    callbacks.add_argument(
        "--delivery-status-callback",
        metavar="URL",
        help="POST a delivery receipt here whenever a text message or email gets a final status",
    )
    callbacks.add_argument(
        "--received-text-callback",
        metavar="URL",
        help="POST each text message the service receives here",
    )
    callbacks.add_argument(
        "--callback-bearer-token",
        metavar="TOKEN",
        help="the bearer token both callbacks send (10 characters or more)",
    )
    parser.add_argument(
        "--threads",
        type=_whole_number,
        help="requests answered at once (default 8); injected latency holds one each, so "
        "raise it for load tests",
    )
    parser.add_argument(
        "--env", action="store_true", help="print the integration test's settings and exit"
    )
    parser.add_argument("--quiet", action="store_true", help="no line per request on the terminal")
    timings = parser.add_argument_group(
        "timings of every service, in seconds of the simulator's clock (default: the data's)"
    )
    for field in dataclasses.fields(Timings):
        timings.add_argument(
            timing_option(field.name),
            dest=f"timing_{field.name}",
            type=_count if field.type in (int, "int") else _seconds,
            metavar="N",
            help=TIMING_HELP[field.name],
        )
    faults = parser.add_argument_group("faults on demand (off by default)")
    for field in dataclasses.fields(FaultSettings):
        faults.add_argument(
            fault_option(field.name),
            dest=f"fault_{field.name}",
            type=_setting_reader(field.name),
            metavar="N",
            help=FAULT_DESCRIPTIONS[field.name],
        )
    return parser.parse_args(argv)


def fault_option(name: str) -> str:
    """The command-line option of a fault setting: ``error_rate`` is ``--fault-error-rate``."""
    return FAULT_OPTION_PREFIX + name.replace("_", "-")


def timing_option(name: str) -> str:
    """``delivered_after_seconds`` is set with ``--delivered-after-seconds``."""
    return "--" + name.replace("_", "-")


def timing_values(arguments: argparse.Namespace) -> dict[str, float]:
    """The timings given on the command line."""
    return {
        field.name: getattr(arguments, f"timing_{field.name}")
        for field in dataclasses.fields(Timings)
        if getattr(arguments, f"timing_{field.name}") is not None
    }


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number, 0 or more: {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0 <= number < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds, 0 or more: {text!r}")
    return number


def fault_values(arguments: argparse.Namespace) -> dict[str, object]:
    """The fault settings given on the command line."""
    return {
        field.name: getattr(arguments, f"fault_{field.name}")
        for field in dataclasses.fields(FaultSettings)
        if getattr(arguments, f"fault_{field.name}") is not None
    }


def _setting_reader(name: str) -> Callable[[str], object]:
    """Reads one fault setting's text for argparse, which reports the error as a usage one."""

    def read(text: str) -> object:
        try:
            return setting_from_text(name, text)
        except FaultSettingsError as error:
            raise argparse.ArgumentTypeError(error.problem) from None

    return read


def _whole_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number, 1 or more: {text!r}")
    return number


def set_callbacks(simulator: NotifySimulator, arguments: argparse.Namespace) -> None:
    """The callbacks given on the command line, for the first service.

    :raises ValueError: naming the option at fault (never the token).
    """
    wanted = {
        "delivery_status": ("--delivery-status-callback", arguments.delivery_status_callback),
        "received_text": ("--received-text-callback", arguments.received_text_callback),
    }
    if arguments.callback_bearer_token and not any(url for _, url in wanted.values()):
        raise ValueError("--callback-bearer-token needs a callback URL to send it to")
    for kind, (option, url) in wanted.items():
        if url is None:
            continue
        if not arguments.callback_bearer_token:
            raise ValueError(f"{option} needs --callback-bearer-token")
        try:
            simulator.set_callback(kind, url, arguments.callback_bearer_token)
        except ValueError as error:
            text = str(error)
            option = "--callback-bearer-token" if text.startswith("bearer_token") else option
            raise ValueError(f"{option}: {text.split(' ', 1)[1]}") from None


def shell_quote(value: str) -> str:
    """``value`` in single quotes, safe to paste into any POSIX shell."""
    return "'" + value.replace("'", "'\"'\"'") + "'"


def print_env(simulator: NotifySimulator, out: TextIO) -> None:
    for name, value in simulator.env().items():
        out.write(f"export {name}={shell_quote(value)}\n")


def print_banner(simulator: NotifySimulator, out: TextIO) -> None:
    out.write(f"Notify simulator running at {simulator.url}\n")
    out.write(
        f"  inbox: {simulator.url}/_simulator/ (admin API: {simulator.url}/_simulator/api/)\n"
    )
    for key_type in KEY_TYPES:
        try:
            out.write(f"  {KEY_LABELS[key_type]} key: {simulator.api_key(key_type)}\n")
        except LookupError:
            continue
    if simulator.store_file is not None:
        out.write(
            f"  store: {simulator.store_file} (kept across restarts; the inbox's Reset, or "
            "another --store file, starts afresh)\n"
        )
    else:
        out.write("  store: in memory (gone when it stops; --store FILE keeps it)\n")
    if simulator.faults.active:
        settings = simulator.faults.to_mapping()
        shown = ", ".join(f"{name}={value}" for name, value in settings.items() if value)
        out.write(f"  injecting faults: {shown}\n")
    out.write("Press Ctrl-C to stop.\n")
    out.flush()


def serve_until_stopped(simulator: NotifySimulator, out: TextIO, *, quiet: bool = False) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop cleanly; a line per request unless ``quiet``."""
    stop = threading.Event()
    request_log = logging.getLogger(REQUEST_LOGGER)
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    if not quiet:
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)

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
        request_log.removeHandler(handler)
    out.write("Notify simulator stopped.\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, prog: str = PROG) -> int:
    """Run the command; ``out`` defaults to the ``sys.stdout`` of the moment (tests swap it).
    ``prog`` is the name its help and errors call it by (`notify simulator` from the CLI)."""
    out = out or sys.stdout
    arguments = parse_arguments(argv, prog)
    try:
        require_simulator_extra()
    except SimulatorNotInstalledError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    from notifications_python_client.simulator.server import NotifySimulator
    from notifications_python_client.simulator.state.records.sqlite import StoreFileError

    try:
        simulator = NotifySimulator(
            arguments.data,
            host=arguments.host,
            port=arguments.port,
            allowed_hosts=arguments.allowed_hosts,
            keep=arguments.keep,
            store=arguments.store,
            faults=fault_values(arguments) or None,
            timings=timing_values(arguments) or None,
            **({"threads": arguments.threads} if arguments.threads else {}),
        )
    except (DataFileError, StoreFileError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    except FaultSettingsError as error:
        sys.stderr.write(f"error: {fault_option(error.field)} {error.problem}\n")
        return 2
    try:
        set_callbacks(simulator, arguments)
    except ValueError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    if arguments.env:
        print_env(simulator, out)
        return 0
    try:
        serve_until_stopped(simulator, out, quiet=arguments.quiet)
    except OSError as error:
        sys.stderr.write(f"error: cannot serve on {simulator.url}: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
