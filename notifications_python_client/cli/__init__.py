"""The ``notify`` command line: usage and dispatch (``entry``), one handler per command
(``commands``), reading arguments and files (``input``) and printing results (``output``).

It sits on top of the client and may import any of it; the client never imports this package.
The simulator is imported only when ``notify simulator`` runs.
"""

from notifications_python_client.cli.entry import main

__all__ = ["main"]
