"""`notify send-batch`: a CSV file of recipients sent at Notify's rate limit, resumable.

The file is checked whole before anything is sent (``--dry-run`` stops there). Every step is
appended to a results file, so running the same command again after a crash, a kill or the
daily limit sends only the rows without a result.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shlex
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notifications_python_client.bulk import (
    BatchFileError,
    BatchSummary,
    ResultsFileError,
    RowResult,
    check_batch_file,
    send_batch_file,
)
from notifications_python_client.bulk.engine import DEFAULT_WORKERS
from notifications_python_client.bulk.limiter import DEFAULT_RATE_PER_MINUTE
from notifications_python_client.bulk.progress import tqdm_progress
from notifications_python_client.cli import input as input_module
from notifications_python_client.cli.input import InputError, positive_number, whole_number
from notifications_python_client.extras import install_command

if TYPE_CHECKING:
    from notifications_python_client.cli.commands import Context

__all__ = ["EXIT_FILE_PROBLEMS", "EXIT_INCOMPLETE", "on_send_batch"]

EXIT_OK = 0
EXIT_ROWS_FAILED = 1
EXIT_FILE_PROBLEMS = 2
# The run stopped before every row had a result: the same command again finishes it.
EXIT_INCOMPLETE = 5
MAX_WORKERS = 64
RESULTS_SUFFIX = ".results.jsonl"
STDIN = "-"
# Options a resumed run must be given again, with the values the usage gives when they are not.
RESUMED_OPTIONS: dict[str, str | None] = {
    "--workers": str(DEFAULT_WORKERS),
    "--rate": str(DEFAULT_RATE_PER_MINUTE),
    "--sms-sender-id": None,
    "--email-reply-to-id": None,
}
# Rows that failed, printed as they fail; past this, only the summary counts them.
MAX_FAILED_ROWS_SHOWN = 50


def on_send_batch(ctx: Context) -> int:
    """Check a recipients file against its template, then send every row not yet sent."""
    args = ctx.args
    _require_extra()
    template_id = args["--template"]
    workers = whole_number("--workers", args["--workers"])
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(f"--workers must be from 1 to {MAX_WORKERS}, not {workers}")
    rate = positive_number("--rate", args["--rate"])
    source = args["<file>"]
    if source == STDIN and not args["--results"] and not args["--dry-run"]:
        raise InputError("a file read from standard input needs --results=<file>")
    results = args["--results"] or _default_results_path(source)
    resume = _resume_command(args, results)
    with _readable_path(source) as path:
        client = ctx.client(retries=True, connections=workers)
        shown = _FailedRows(ctx)
        try:
            if args["--dry-run"]:
                return _dry_run(ctx, client, path, template_id, source)
            summary = send_batch_file(
                client,
                path,
                template_id,
                results,
                workers=workers,
                rate_per_minute=rate,
                sms_sender_id=args["--sms-sender-id"],
                email_reply_to_id=args["--email-reply-to-id"],
                on_result=shown.report,
                progress=tqdm_progress,
                progress_stream=ctx.output.stderr,
            )
        except (BatchFileError, ResultsFileError) as error:
            return _file_problems(ctx, error, path, source)
        except ModuleNotFoundError as error:
            raise InputError(str(error)) from None
        except KeyboardInterrupt:
            ctx.output.error(f"interrupted: to finish, run {resume}")
            raise
    return _report_summary(ctx, summary, resume)


def _require_extra() -> None:
    """Refuse early, with the install line, when the ``bulk`` extra is missing."""
    for module in ("tqdm", "phonenumbers"):
        if importlib.util.find_spec(module) is None:
            raise InputError(f"send-batch needs the {module} package: {install_command('bulk')}")


def _default_results_path(source: str) -> str:
    """``reminders.csv`` keeps its results in ``reminders.results.jsonl`` beside it."""
    path = Path(source)
    return str(path.with_name(path.stem + RESULTS_SUFFIX))


@contextlib.contextmanager
def _readable_path(source: str) -> Iterator[str]:
    """A path to read the file from twice: itself, or standard input spooled to disk."""
    if source != STDIN:
        yield source
        return
    with tempfile.NamedTemporaryFile(prefix="notify-batch-", suffix=".csv") as spool:
        shutil.copyfileobj(input_module.STANDARD_INPUT.take("<file>"), spool)
        spool.flush()
        yield spool.name


def _dry_run(ctx: Context, client: Any, path: str, template_id: str, source: str) -> int:
    try:
        template, check = check_batch_file(client, path, template_id)
    except BatchFileError as error:
        return _file_problems(ctx, error, path, source)
    for line in check.describe():
        ctx.output.error(line)
    ctx.output.result(
        {
            "template_id": template.id,
            "template_type": template.type,
            "rows": check.rows,
            "problems": check.problem_count,
        }
    )
    return EXIT_OK if check.ok else EXIT_FILE_PROBLEMS


def _file_problems(
    ctx: Context, error: BatchFileError | ResultsFileError, path: str, source: str
) -> int:
    """Each line of the error, naming the file as the user did (not our spool of stdin)."""
    label = "standard input" if source == STDIN else source
    for line in [str(error), *getattr(error, "problems", ())]:
        ctx.output.error(line.replace(path, label))
    return EXIT_FILE_PROBLEMS


class _FailedRows:
    """Prints each row that did not go as it finishes, up to a limit."""

    def __init__(self, ctx: Context) -> None:
        from tqdm import tqdm  # the bulk extra, checked by _require_extra

        self.ctx = ctx
        self.shown = 0
        # Lifts the progress bar out of the way of a line, and draws it again after.
        self.write_mode = tqdm.external_write_mode

    def report(self, result: RowResult) -> None:
        if result.status in ("sent", "skipped") or result.error is None:
            return
        self.shown += 1
        if self.shown <= MAX_FAILED_ROWS_SHOWN:
            with self.write_mode(file=self.ctx.output.stderr):
                self.ctx.output.error(f"row {result.row}: {result.status}: {result.error}")


def _report_summary(ctx: Context, summary: BatchSummary, resume: str) -> int:
    ctx.output.result(summary.as_dict())
    ctx.output.error(
        f"{summary.sent} sent, {summary.failed} failed, {summary.skipped} done before, "
        f"in {summary.seconds:.1f} s ({summary.sent_per_minute:,.0f} a minute); results in "
        f"{summary.results_file}"
    )
    if summary.stopped:
        ctx.output.error(f"stopped: {summary.stopped}")
    if not summary.complete:
        left = summary.unknown + summary.not_sent
        rows = "1 row has" if left == 1 else f"{left} rows have"
        ctx.output.error(f"{rows} no result yet: to finish, run {resume}")
        return EXIT_INCOMPLETE
    return EXIT_ROWS_FAILED if summary.failed else EXIT_OK


def _resume_command(args: Mapping[str, Any], results: str) -> str:
    """The command that finishes this run: the file, template and results file, and the
    options given that change how it sends (quoted for a POSIX shell)."""
    words = ["notify", "send-batch", args["<file>"], f"--template={args['--template']}"]
    words.append(f"--results={results}")
    for option, default in RESUMED_OPTIONS.items():
        value = args.get(option)
        if value is not None and value != default:
            words.append(f"{option}={value}")
    return shlex.join(words)
