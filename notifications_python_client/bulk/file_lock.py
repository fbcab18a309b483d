"""An exclusive lock on an open file, held by the operating system.

The system lets go of it when the file is closed or the process ends in any way (a crash, a
``kill -9``), so a run that dies never leaves a stale lock behind, as a marker file would.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

__all__ = ["try_lock"]


def try_lock(handle: BinaryIO) -> bool:
    """Lock ``handle``'s file for this open file alone; False, at once, if another holds it.

    :raises OSError: the file system cannot lock files (some network mounts).
    """
    if sys.platform == "win32":
        import msvcrt

        position = handle.tell()
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(position)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
