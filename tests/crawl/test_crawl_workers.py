"""A crawl's extraction workers: real processes, replaced when they die."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from newsarchive.article import Article
from newsarchive.demo.site import article_pages
from newsarchive.errors import NoArticle
from newsarchive.extract.knowledge import NO_RULES
from newsarchive.pipeline import Extraction
from newsarchive.procs import cores

pytestmark = pytest.mark.skipif(cores() < 2, reason="extraction runs in processes only on several cores")


def test_pages_are_extracted_in_worker_processes_that_are_replaced_when_killed():
    page = article_pages()[0]
    extraction = Extraction()
    try:

        async def extract():
            return await extraction.extract(
                page.html, page.url, "text/html", "2025-06-01T00:00:00Z", NO_RULES, None
            )

        article = asyncio.run(extract())
        assert isinstance(article, Article) and article.title
        workers = list(extraction._executor._processes)
        assert workers and os.getpid() not in workers
        for pid in workers:  # as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        again = asyncio.run(extract())
        assert isinstance(again, Article) and again.text == article.text
        assert not set(extraction._executor._processes) & set(workers)
    finally:
        extraction.shutdown()


def test_a_refused_page_crosses_back_as_its_reason():
    extraction = Extraction()
    try:
        outcome = asyncio.run(
            extraction.extract(
                b"<html><body><p>Hi</p></body></html>",
                "https://a.example/x",
                "text/html",
                "t",
                NO_RULES,
                None,
            )
        )
    finally:
        extraction.shutdown()
    assert isinstance(outcome, NoArticle) and outcome.reason in {"too-short", "no-text", "empty"}


STARTS_WORKERS = """
import asyncio, time
from newsarchive.extract.knowledge import NO_RULES
from newsarchive.pipeline import Extraction

if __name__ == "__main__":
    extraction = Extraction()
    asyncio.run(extraction.extract(b"<p>hi</p>", "https://a.example/x", "text/html", "t", NO_RULES, None))
    print(" ".join(map(str, extraction._executor._processes)), flush=True)
    time.sleep(120)
"""


def _stat(pid: int) -> list[str]:
    """A process's state and parent (and the rest), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def _alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from Linux's /proc")
def test_workers_and_their_fork_server_exit_when_their_process_is_killed(tmp_path):
    import subprocess
    import sys
    import time

    script = tmp_path / "starts_workers.py"
    script.write_text(STARTS_WORKERS)
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in process.stdout.readline().split()]
        assert workers
        servers = {int(_stat(pid)[1]) for pid in workers}  # their parent: the fork server
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    deadline = time.monotonic() + 15
    while any(map(_alive, [*workers, *servers])) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in [*workers, *servers] if _alive(pid)], "workers outlived the killed process"
