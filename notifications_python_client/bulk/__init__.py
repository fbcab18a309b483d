"""Bulk sending: a spreadsheet of recipients, sent at Notify's rate limit, resumable.

- ``columns``: which column is the recipient, each placeholder, and the reference.
- ``template_fields``: what a template needs from each row.
- ``spreadsheet``: reading a CSV file as a stream of rows, refusing what is not one.
- ``row_checks``: one row turned into a message, or the problems that stop it.
- ``file_check``: the whole file checked before anything is sent.
- ``limiter``: a client-side bucket that mirrors Notify's, so a run reaches the limit unrefused.
- ``results_file``: one line per row, flushed as it goes, read back to resume.
- ``engine``: the worker pool that sends, and ``run``: a file sent from check to summary.

Imports the client and ``recipients``; never the simulator or the command line. Checking phone
numbers needs ``phonenumbers`` and progress bars need ``tqdm``: the ``bulk`` extra.
"""

from notifications_python_client.bulk.engine import RowResult, send_batch
from notifications_python_client.bulk.errors import BatchFileError, ResultsFileError
from notifications_python_client.bulk.file_check import FileCheck, check_file
from notifications_python_client.bulk.limiter import SendRateLimiter
from notifications_python_client.bulk.row_checks import Problem
from notifications_python_client.bulk.run import BatchSummary, check_batch_file, send_batch_file
from notifications_python_client.bulk.template_fields import BatchTemplate

__all__ = [
    "BatchFileError",
    "BatchSummary",
    "BatchTemplate",
    "FileCheck",
    "Problem",
    "ResultsFileError",
    "RowResult",
    "SendRateLimiter",
    "check_batch_file",
    "check_file",
    "send_batch",
    "send_batch_file",
]
