"""What stops a batch before anything is sent: the file, or the results file of an earlier run."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["BatchFileError", "ResultsFileError"]


class BatchFileError(ValueError):
    """The recipients file cannot be sent as it is; ``problems`` lists every line to report."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class ResultsFileError(ValueError):
    """The results file is not one this run can append to (another template, not ours)."""
