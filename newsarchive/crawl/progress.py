"""A live progress line on stderr while a crawl runs (on a terminal only)."""

from __future__ import annotations

import sys

from scrapy import signals
from twisted.internet.task import LoopingCall

# Seconds between two refreshes of the line.
REFRESH = 1.0


def progress_line(name: str, tally) -> str:
    return (
        f"{name}: {tally.pages} pages · {tally.new} new, {tally.updated} updated articles"
        f" · {sum(tally.not_articles.values())} not articles · {tally.error_count} errors"
        f" · {tally.rate():.1f} pages/s"
    )


class Progress:
    def __init__(self, crawler):
        self.crawler = crawler
        self._loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        if sys.stderr.isatty():
            self._loop = LoopingCall(self._show, spider)
            self._loop.start(REFRESH, now=False)

    def _show(self, spider) -> None:
        from newsarchive.sanitize import for_terminal

        line = for_terminal(progress_line(spider.context.name, spider.context.tally))
        sys.stderr.write("\r\x1b[2K" + line)
        sys.stderr.flush()

    def closed(self, spider) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
