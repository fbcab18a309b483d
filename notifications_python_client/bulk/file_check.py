"""A whole recipients file checked against its template before anything is sent, in one pass
that holds one row at a time; then the same file read again as messages to send."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from notifications_python_client.bulk.columns import map_columns
from notifications_python_client.bulk.errors import BatchFileError
from notifications_python_client.bulk.row_checks import Message, Problem, message_for
from notifications_python_client.bulk.spreadsheet import Spreadsheet, open_spreadsheet
from notifications_python_client.bulk.template_fields import BatchTemplate

__all__ = ["MAX_PROBLEMS_KEPT", "FileCheck", "check_file", "read_messages"]

# Enough to fix a file by; a file with a mistake in every row still reports its count.
MAX_PROBLEMS_KEPT = 100


@dataclass
class FileCheck:
    """What checking a file found: how many rows would be sent, what is wrong, and the digest
    of its rows and columns (what a results file records it belongs to)."""

    rows: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    input_digest: str = ""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problems: list[Problem]) -> None:
        self.problem_count += len(problems)
        room = MAX_PROBLEMS_KEPT - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def describe(self) -> list[str]:
        """One line per problem kept, and one for those left out."""
        lines = [str(problem) for problem in self.problems]
        left_out = self.problem_count - len(self.problems)
        if left_out > 0:
            lines.append(f"... and {left_out} more {plural(left_out, 'problem')}")
        return lines


def plural(count: int, noun: str) -> str:
    """``noun`` as it follows ``count``: 1 problem, 2 problems."""
    return noun if count == 1 else f"{noun}s"


def check_file(path: str | os.PathLike[str], template: BatchTemplate) -> FileCheck:
    """Check every row of ``path`` against ``template``; nothing is sent.

    :raises BatchFileError: the file is not a CSV file with a header that fits the template, or
        it has no recipient rows. Row problems are in the returned ``FileCheck`` instead.
    """
    check = FileCheck()
    with open_spreadsheet(path) as sheet:
        for outcome in _outcomes(sheet, template):
            if isinstance(outcome, Message):
                check.rows += 1
            else:
                check.add(outcome)
        check.input_digest = sheet.digest
    if check.rows == 0 and check.problem_count == 0:
        raise BatchFileError(f"{os.fspath(path)} has a header but no recipient rows")
    return check


def read_messages(path: str | os.PathLike[str], template: BatchTemplate) -> Iterator[Message]:
    """The messages of a file that ``check_file`` passed, one at a time.

    :raises BatchFileError: the file changed since it was checked and a row no longer passes.
    """
    with open_spreadsheet(path) as sheet:
        for outcome in _outcomes(sheet, template):
            if not isinstance(outcome, Message):
                raise BatchFileError(
                    f"{os.fspath(path)} changed after it was checked: " + str(outcome[0])
                )
            yield outcome


def _outcomes(sheet: Spreadsheet, template: BatchTemplate) -> Iterator[Message | list[Problem]]:
    columns = map_columns(sheet.header, template)
    for row in sheet.rows():
        if not row.is_blank:
            yield message_for(row, columns, template)
