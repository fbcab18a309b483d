"""notify: send GOV.UK Notify messages and look them up from the command line.

Usage:
  notify send sms <phone_number> <template_id> [--personalisation=<json>] [--set=<name=value>...]
                  [--reference=<ref>] [--sms-sender-id=<id>] [options]
  notify send email <email_address> <template_id> [--personalisation=<json>]
                  [--set=<name=value>...] [--attach=<spec>...] [--reference=<ref>]
                  [--email-reply-to-id=<id>] [--unsubscribe-url=<url>] [--sanitise=<name>...]
                  [options]
  notify send letter <template_id> [--personalisation=<json>] [--set=<name=value>...]
                  [--reference=<ref>] [options]
  notify send precompiled-letter <reference> <pdf_file> [--postage=<class>] [options]
  notify send-batch <file> --template=<id> [--results=<file>] [--workers=<n>]
                  [--rate=<per-minute>] [--dry-run] [--sms-sender-id=<id>]
                  [--email-reply-to-id=<id>] [options]
  notify status <notification_id> [--wait] [--wait-limit=<seconds>] [--poll-every=<seconds>]
                  [options]
  notify list [--status=<status>] [--type=<type>] [--reference=<ref>] [--older-than=<id>]
                  [--include-jobs] [--all] [options]
  notify pdf <notification_id> -o <file> [options]
  notify template <template_id> [--version=<n>] [options]
  notify templates [--type=<type>] [options]
  notify preview <template_id> [--personalisation=<json>] [--set=<name=value>...] [options]
  notify received-texts [--older-than=<id>] [--all] [options]
  notify trigger <notification_id> <status> [options]
  notify simulator [<simulator_option>...]
  notify (-h | --help)

Commands:
  send sms, send email, send letter, send precompiled-letter
                   Send a message; prints Notify's response (its "id" is the notification ID).
                   A <pdf_file> of - is read from standard input.
  send-batch       Send a template to every row of a CSV file (columns as in Notify's
                   spreadsheet upload) at the rate limit; every row is checked first, results
                   go to --results, and running it again resumes. Needs the bulk extra.
  status           One notification; --wait polls until its status is final.
  list             One page (up to 250) of notifications; --all follows every page.
  pdf              Save a letter's PDF (-o - writes it to stdout).
  template         One template, at its latest version or at --version.
  templates        All templates, optionally of one --type (sms, email or letter).
  preview          Render a template with personalisation, without sending.
  received-texts   Text messages sent to your service; --all follows every page.
  trigger          Local Notify only: move a message to a status (delivered,
                   permanent-failure, temporary-failure, ...) and send its delivery receipt
                   to the service's callback URL, as a provider's update would.
  simulator        Run the local Notify simulator. Options after `simulator` are its own
                   (such as --host, --port, --data and --env; try `notify simulator --help`).

Options:
  -h --help                   Show this text; after a command, that command's help.
  --api-key-file=<file>       Read the API key from the first line of this file (- for
                              standard input). Without it
                              the key comes from NOTIFY_API_KEY. There is no option taking the
                              key itself, so it never shows in the process list or history.
  --base-url=<url>            The API to use. Without it: NOTIFY_API_URL, else
                              https://api.notifications.service.gov.uk (the real service).
  --output=<format>           json, table or id [default: json]. --all prints JSON Lines;
                              id prints only the id (of each item, for lists).
  --timeout=<seconds>         Seconds to wait for each HTTP response [default: 30].
  -v --verbose                Log the client's requests and failures on stderr.
  --personalisation=<json>    Placeholder values as a JSON object, or @FILE to read one
                              (@- reads standard input).
  --set=<name=value>          One placeholder value, as text; overrides --personalisation.
  --attach=<spec>             Upload a file into an email placeholder:
                              NAME=FILE[;filename=NAME.EXT][;confirm=yes|no][;retention=N weeks]
                              (FILE - is standard input; filename: what recipients see, Notify
                              makes one up without it;
                              confirm: ask for their email address first, Notify's default yes;
                              retention: 1 to 78 weeks, Notify's default 26 weeks).
  --reference=<ref>           Your reference for the message (or, for list, to filter by).
  --sms-sender-id=<id>        Send from this text message sender instead of the default.
  --email-reply-to-id=<id>    Replies go to this reply-to address instead of the default.
  --unsubscribe-url=<url>     One-click unsubscribe URL for subscription emails (https).
  --sanitise=<name>           Strip links and Markdown from this placeholder's value.
  --postage=<class>           first, second or economy (Notify's default is second).
  --template=<id>             send-batch: the template to send to every row.
  --results=<file>            send-batch: where each row's result goes, and is read back from
                              to resume (default: the file's name + .results.jsonl, in its
                              folder; - as <file> reads standard input and needs this).
  --workers=<n>               send-batch: sends in flight at once [default: 20].
  --rate=<per-minute>         send-batch: the key's rate limit, to stay under [default: 3000].
  --dry-run                   send-batch: check every row, send nothing.
  --wait                      Poll until the status is final (delivered, a failure, ...).
  --wait-limit=<seconds>      Give up waiting after this long [default: 300].
  --poll-every=<seconds>      Seconds between checks while waiting [default: 5].
  --status=<status>           Only notifications in this status (failed means any failure).
  --type=<type>               Only this type: sms, email or letter.
  --older-than=<id>           Start after this notification (or received text) ID.
  --include-jobs              Include messages sent in batches from the Notify website.
  --all                       Follow every page, printing each item as it arrives.
  -o <file>                   Where to save the PDF; - for stdout.
  --version=<n>               A template version number. Alone, `notify --version` prints the
                              version of this tool.

Exit status:
  0  success
  1  Notify answered with an error (status, error name and message are printed), or an
     unexpected failure; for send-batch, Notify refused some rows (see the results file)
  2  a usage mistake: bad arguments, invalid personalisation JSON, an unreadable file or a
     missing API key, or a send-batch file with problems; nothing was sent
  3  Notify could not be reached (connection failed or timed out)
  4  status --wait gave up before the status was final (the last status is printed)
  5  send-batch stopped before every row had a result (the daily limit, a refused key, an
     interruption): run the same command again to send the rest
  130  interrupted (Ctrl-C); 141  stdout was closed early (as by `notify list --all | head`)
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import BinaryIO, TextIO

import requests
from docopt import DocoptExit, docopt

from notifications_python_client import __version__
from notifications_python_client.cli.commands import Context, handler_for
from notifications_python_client.cli.help import command_help, mistyped_command
from notifications_python_client.cli.input import (
    InputError,
    base_url,
    output_format,
    use_standard_input,
)
from notifications_python_client.cli.output import Output
from notifications_python_client.client_arguments import DEFAULT_BASE_URL
from notifications_python_client.errors import APIError, HTTPError

EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_INTERRUPTED = 130
# 128 + SIGPIPE, what a shell reports for a program whose reader went away (`notify ... | head`).
EXIT_BROKEN_PIPE = 141
USAGE = __doc__ or ""
# Every long option the usage names; anything else that starts with "--" is refused.
LONG_OPTIONS = frozenset(re.findall(r"--[a-z][a-z0-9-]*", USAGE))
LIBRARY_LOGGER = "notifications_python_client"


def main(argv: Sequence[str] | None = None) -> int:
    """The `notify` console script: run a command and return its exit status."""
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def run(
    argv: Sequence[str],
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    stdin: BinaryIO | None = None,
) -> int:
    """Parse ``argv`` and run the command, with the environment, streams and clock injectable."""
    argv = list(argv)
    use_standard_input(stdin)
    output = Output(stdout or sys.stdout, stderr or sys.stderr)
    environ = os.environ if environ is None else environ
    if argv[:1] == ["simulator"]:
        return _run_simulator(argv[1:])
    if argv == ["--version"]:
        output.stdout.write(f"notify (notifications-python-client) {__version__}\n")
        return 0
    mistyped = mistyped_command(argv, USAGE)
    if mistyped is not None:
        output.error(f"{mistyped} (notify --help lists the commands)")
        return EXIT_USAGE
    if any(arg in ("-h", "--help") for arg in argv):
        output.stdout.write(command_help(argv, USAGE) or USAGE)
        return 0
    unknown = _unknown_long_option(argv)
    if unknown is not None:
        output.error(unknown)
        output.usage(DocoptExit.usage)
        return EXIT_USAGE
    try:
        args = docopt(USAGE, argv, default_help=False)
    except DocoptExit as error:
        output.error(_usage_problem(str(error), DocoptExit.usage))
        output.usage(DocoptExit.usage)
        return EXIT_USAGE
    url = base_url(args["--base-url"], environ)
    try:
        output.format = output_format(args["--output"])
        context = Context(args, output, environ, url, sleep, monotonic)
        with _library_logging(output, verbose=bool(args["--verbose"])):
            return handler_for(args)(context)
    except InputError as error:
        output.error(str(error))
        return EXIT_USAGE
    except APIError as error:
        return _report_api_error(output, error, url)
    except KeyboardInterrupt:
        output.error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as error:
        # The promise is that no traceback reaches the user; the type and message still help.
        output.error(f"unexpected error: {type(error).__name__}: {error}")
        return EXIT_API_ERROR


def _unknown_long_option(argv: Sequence[str]) -> str | None:
    """The complaint about a long option that is not spelt in full, or None.

    docopt would take ``--api-key`` as an abbreviation of ``--api-key-file`` and then print the
    value (a key, perhaps) in its error; so abbreviations are refused, naming only the option.
    """
    for argument in argv:
        if argument == "--":
            return None
        name = argument.partition("=")[0]
        if not name.startswith("--") or name in LONG_OPTIONS:
            continue
        nearest = difflib.get_close_matches(name, sorted(LONG_OPTIONS), n=1)
        hint = f"; did you mean {nearest[0]}?" if nearest else ""
        return f"unknown option {name} (options are spelt in full{hint})"
    return None


def _usage_problem(message: str, usage: str) -> str:
    """docopt's complaint in plain words; its "unmatched" one prints Python reprs instead."""
    problem = message.strip().removesuffix(usage.strip()).strip()
    if not problem:
        return "missing or incomplete command"
    if problem.startswith("Warning: found unmatched"):
        return "these arguments do not fit any of the usage lines below"
    return problem


def _report_api_error(output: Output, error: APIError, url: str) -> int:
    """Print an API failure as ``status error-name: message`` lines; choose 1 or 3."""
    if isinstance(error, HTTPError) and error.response is None:
        output.error(f"cannot reach {url}: {_network_reason(error)}")
        return EXIT_UNREACHABLE
    message = error.message
    if isinstance(message, list) and message:
        for entry in message:
            if isinstance(entry, Mapping):
                name = entry.get("error", type(error).__name__)
                output.error(f"{error.status_code} {name}: {entry.get('message', '')}")
            else:
                output.error(f"{error.status_code} {type(error).__name__}: {entry}")
    else:
        output.error(f"{error.status_code} {type(error).__name__}: {message}")
    if error.status_code == 404 and getattr(error, "error_name", None) is None:
        # Notify's own 404s name their error; a page without one came from somewhere else.
        output.error(
            f"hint: {url} answered 404 without Notify's error body: is --base-url (or "
            f"NOTIFY_API_URL) the API's root, such as {DEFAULT_BASE_URL}?"
        )
    return EXIT_API_ERROR


def _network_reason(error: APIError) -> str:
    """Why the request got no response, in a few words."""
    cause = error.__cause__
    if isinstance(cause, requests.Timeout):
        return "no response in time (see --timeout)"
    if isinstance(cause, requests.ConnectionError):
        return "connection failed (check --base-url / NOTIFY_API_URL and your network)"
    return f"the request failed ({type(cause).__name__ if cause else 'no response'})"


@contextlib.contextmanager
def _library_logging(output: Output, *, verbose: bool) -> Iterator[None]:
    """Show the client's log lines only with ``--verbose``; otherwise keep stderr to our lines."""
    logger = logging.getLogger(LIBRARY_LOGGER)
    handler = output.log_handler() if verbose else logging.NullHandler()
    previous_level = logger.level
    logger.addHandler(handler)
    if verbose:
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _run_simulator(argv: list[str]) -> int:
    """Hand over to the simulator's own entry point, importing it only when asked for."""
    from notifications_python_client.simulator.__main__ import main as simulator_main

    try:
        return simulator_main(argv, prog="notify simulator")
    except SystemExit as stop:
        # Its argparse exits (0 for --help, 2 for bad options); main() must return a status.
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        sys.stderr.write(f"{stop.code}\n")
        return EXIT_API_ERROR
