"""A live progress line on stderr while a crawl runs (on a terminal only)."""

from __future__ import annotations

import sys

from newsarchive.crawl.context import Periodic

# Seconds between two refreshes of the line.
REFRESH = 1.0


def progress_line(name: str, tally) -> str:
    return (
        f"{name}: {tally.pages} pages · {tally.new} new, {tally.updated} updated articles"
        f" · {sum(tally.not_articles.values())} not articles · {tally.error_count} errors"
        f" · {tally.rate():.1f} pages/s"
    )


class Progress(Periodic):
    def opened(self, spider) -> None:
        if sys.stderr.isatty():
            self.start(REFRESH, spider)

    def tick(self, spider) -> None:
        from newsarchive.sanitize import for_terminal

        line = for_terminal(progress_line(spider.context.name, spider.context.tally))
        sys.stderr.write("\r\x1b[2K" + line)
        sys.stderr.flush()

    def closed(self, spider) -> None:
        if self.stop():
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
