"""Process machinery, and nothing else: how many cores, pools of worker
processes started from a fork server, and the lifelines that end a worker
when the process it works for is gone.

CPU-bound work (extraction, Whoosh indexing) runs in processes beside the
reactor or the command that stores what they make; see pipeline.py and
index/follow.py for what runs there. Workers are forked from a server that
has imported the code they need once (fast to start, nothing inherited from
the caller's threads or locks). On one core, or where a fork server is not
available, callers get threads instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

# How often a worker checks that the process it works for is still there.
PARENT_CHECK_SECONDS = 1.0


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def forkserver(preload: list[str]):
    """A fork-server context that has imported `preload`, or None where
    processes are not worth it (one core) or not available."""
    if cores() < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(preload)
    return context


def pool(workers: int, preload: list[str], *, name: str) -> Executor:
    """`workers` processes that exit with this one, or one thread named
    `name` where processes are not worth it."""
    context = forkserver(preload)
    if context is None:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=exit_with, initargs=(os.getpid(),)
    )


def exit_with(pid: int) -> None:
    """In a worker: exit when process `pid` (the one that started the pool)
    is gone. Nothing else would end it: a pool worker holds its own task
    pipe open, and one from a fork server also holds the server's lifeline,
    so a crawl killed with SIGKILL would leave both behind for good."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if not process_alive(pid, others_count=False):
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """In a child: receive `signum` when the parent dies, however it dies
    (Linux's PR_SET_PDEATHSIG); elsewhere there is no such guard."""
    set_parent_death_signal = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signum)


def process_alive(pid: int, *, others_count: bool = True) -> bool:
    """Whether process `pid` still runs. A process of another user answers
    "not permitted": alive if `others_count`, else it is taken for a reused
    number (the process a worker watched is gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return others_count
    return True


def this_machine() -> str:
    """This machine's name, on the crawl runs it starts: a store shared by
    many machines tells their runs (and process ids) apart by it."""
    import socket

    return socket.gethostname()
