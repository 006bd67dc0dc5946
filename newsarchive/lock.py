"""The archive's writer lock: one process writes the index at a time.

An advisory ``flock`` on a file in the archive: the kernel drops it when
the holder exits, however it exits, so a killed process never leaves a
stale lock behind. The holder writes who it is into the file, so a process
that cannot get the lock can say who has it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.errors import ArchiveBusy

# How often a waiting process tries the lock again.
_POLL_SECONDS = 0.1


class WriterLock:
    def __init__(self, path: Path, *, timeout: float, purpose: str, what: str = "the archive"):
        self.path = path
        self.timeout = timeout
        self.purpose = purpose
        self.what = what
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise ArchiveBusy(self._busy_message()) from None
                time.sleep(_POLL_SECONDS)
        holder = {
            "pid": os.getpid(),
            "purpose": self.purpose,
            "since": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def _busy_message(self) -> str:
        try:
            holder = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            holder = {}
        who = (
            f"process {holder['pid']} ({holder.get('purpose', 'writing')} since {holder.get('since', '?')})"
            if holder.get("pid")
            else "another newsarchive process"
        )
        waited = f"; waited {self.timeout:g} s" if self.timeout else ""
        return (
            f"{self.what} is busy: {who} holds it{waited}."
            " Try again when it has finished, or raise NEWSARCHIVE_LOCK_TIMEOUT"
        )


def is_held(path: Path) -> bool:
    """Whether some process holds the lock on this file now."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
