"""A crawl's extraction workers: real processes, replaced when they die."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from newsarchive.demo.site import article_pages
from newsarchive.extract.knowledge import NO_RULES
from newsarchive.workers import Extraction, cores

pytestmark = pytest.mark.skipif(cores() < 2, reason="extraction runs in processes only on several cores")


def test_pages_are_extracted_in_worker_processes_that_are_replaced_when_killed():
    page = article_pages()[0]
    extraction = Extraction()
    try:

        async def extract():
            return await extraction.extract(
                page.html, page.url, "text/html", "2025-06-01T00:00:00Z", NO_RULES, None
            )

        kind, article = asyncio.run(extract())
        assert kind == "article" and article.title
        workers = list(extraction._executor._processes)
        assert workers and os.getpid() not in workers
        for pid in workers:  # as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        kind, again = asyncio.run(extract())
        assert kind == "article" and again.text == article.text
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
    assert outcome[0] == "refused" and outcome[1] in {"too-short", "no-text", "empty"}
