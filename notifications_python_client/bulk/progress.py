"""Progress of a run on standard error, drawn by tqdm: rows done, rate, time left.

tqdm draws only on a terminal (``disable=None``), so logs and pipes get the summary alone.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from notifications_python_client.extras import install_command

__all__ = ["NoProgress", "Progress", "ProgressFactory", "tqdm_progress"]


class Progress(Protocol):
    """What the run asks of a progress display."""

    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


class ProgressFactory(Protocol):
    def __call__(self, *, total: int, initial: int, stream: TextIO) -> Progress: ...


class NoProgress:
    """A progress display that shows nothing."""

    def update(self, n: int = 1) -> None:
        """Nothing to draw."""

    def close(self) -> None:
        """Nothing to close."""


def no_progress(*, total: int, initial: int, stream: TextIO) -> Progress:
    """A ``ProgressFactory`` for runs that show no progress."""
    return NoProgress()


def tqdm_progress(*, total: int, initial: int, stream: TextIO) -> Progress:
    """A tqdm bar of rows on ``stream``, which it draws only when that is a terminal.

    :raises ModuleNotFoundError: tqdm is not installed, with the extra to install.
    """
    try:
        from tqdm import tqdm
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"progress bars need the tqdm package: {install_command('bulk')}", name=error.name
        ) from error
    bar: Progress = tqdm(
        total=total, initial=initial, unit="row", file=stream, disable=None, dynamic_ncols=True
    )
    return bar
