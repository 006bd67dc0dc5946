"""The spider's side of the crawl's contract: what a request carries
between the crawl's scheduler and the spider, and why a request is
ignored, one exception class per reason. The crawl's middlewares raise
these; the spider counts a failure by its class, never by its wording.
Kept here so the spider needs nothing from crawl/."""

from __future__ import annotations

from typing import ClassVar

from scrapy.exceptions import IgnoreRequest

# Meta key naming the frontier entry a request fetches.
QUEUED = "queued"
# Meta key of a request that only wakes the engine: something new is queued.
WAKE = "wake"
# Why a redirect is not followed when it leads to an address the crawl has
# met already: a loop, or a detour to a page it has (or will have).
LOOP = "redirect loop or repeat"


class Ignored(IgnoreRequest):
    """A request the crawl chose not to make; `reason` is how it is counted."""

    reason: ClassVar[str] = "ignored"


class Offsite(Ignored):
    """Off the crawl's sites (a link or a redirect elsewhere)."""

    reason = "offsite"


class ForbiddenByRobots(Ignored):
    """The site's robots.txt does not allow it."""

    reason = "robots.txt forbids it"


class NotCaptured(Ignored):
    """Its response could not be kept (the archive's disk refused): the
    crawl stops rather than fetch what it cannot keep."""

    reason = "not captured (archive not writable)"


# The kind of a frontier entry that fetches an archived article again
# (crawl/rechecks.py): conditionally, for its new versions.
RECHECK = "recheck"
