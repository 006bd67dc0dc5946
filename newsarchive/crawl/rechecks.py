"""The crawl's side of re-checks: which archived articles it fetches
again, and what each re-check does to the article's plan.

The schedule itself is pure (versions/recheck.py) and the plans live in
the store (the Rechecks role), so a crawl killed mid-way loses nothing: a
re-check whose response was not stored is still due next time.
"""

from __future__ import annotations

import time

from newsarchive.store import Recheck, Store
from newsarchive.versions.recheck import DONE, Plan, Timing, after_check, first_plan, hinted

# Re-checks one crawl of a source takes on at most; the rest wait for the
# next crawl (most overdue first).
MAX_RECHECKS_PER_CRAWL = 5000


class RecheckBook:
    def __init__(self, store: Store, timing: Timing):
        self.store = store
        self.timing = timing

    def due(self, sources: set[str], now: float | None = None) -> list[Recheck]:
        """The articles of `sources` due for a re-check now."""
        now = time.time() if now is None else now
        found: list[Recheck] = []
        for source in sorted(sources):
            found += self.store.due_rechecks(source, now=now, limit=MAX_RECHECKS_PER_CRAWL - len(found))
        return found

    def first(self, article_id: str, url: str, source: str, listed: dict | None = None) -> None:
        """A new article was stored: its first re-check is planned (`listed`:
        what the feed or sitemap that led to it said, with its "origin")."""
        hint = None
        if listed and listed.get("origin"):
            hint = {listed["origin"]: {"updated": listed.get("updated"), "title": listed.get("title")}}
        self._save(Recheck(article_id, url, source, *first_plan(time.time(), self.timing), hint=hint))

    def checked(self, article_id: str, *, changed: bool) -> None:
        """A re-check was done and found a change or not."""
        plan = self.store.recheck_of(article_id)
        if plan is not None:
            self._save(plan, after_check(_plan(plan), time.time(), changed, self.timing), checked=True)

    def gone(self, article_id: str) -> None:
        """The page is gone for good (404, 410): no more re-checks."""
        plan = self.store.recheck_of(article_id)
        if plan is not None:
            self._save(plan, _plan(plan)._replace(due=None, stage=DONE), checked=True)

    def failed(self, article_id: str) -> None:
        """A re-check that could not be fetched: tried again after the
        current wait, not at once."""
        plan = self.store.recheck_of(article_id)
        if plan is not None:
            self._save(plan, _plan(plan)._replace(due=time.time() + plan.wait))

    def hint(
        self, article_id: str, url: str, source: str, origin: str, updated: str | None, title: str | None
    ) -> bool:
        """What a feed or sitemap (`origin`) says of an archived article:
        whether it says the page changed since that origin last said (a
        newer `updated` or lastmod, another title), which makes the article
        due now. Each origin is compared with itself: a feed and a sitemap
        seldom agree on times."""
        plan = self.store.recheck_of(article_id)
        hints = dict(plan.hint or {}) if plan is not None else {}
        said = {"updated": updated, "title": title}
        before = hints.get(origin) or {}
        if updated and not before.get("updated"):
            # First seen listed there: newer than the archived copy is news.
            stored = self.store.get(article_id)
            before = {**before, "updated": stored.last_seen if stored else None}
        changed = bool(
            (updated and before.get("updated") and _later(updated, before["updated"]))
            or (title and before.get("title") and title.strip() != before["title"].strip())
        )
        if plan is None:
            # Stored by add or import (or before re-checks): no schedule of its
            # own, only the look a hint asks for.
            plan = Recheck(article_id, url, source, None, self.timing.first, time.time(), DONE)
        if changed or hints.get(origin) != said:
            plan = plan._replace(hint={**hints, origin: said})
            self._save(plan, hinted(_plan(plan), time.time()) if changed else None)
        return changed

    def _save(self, plan: Recheck, new: Plan | None = None, *, checked: bool = False) -> None:
        if new is not None:
            plan = plan._replace(due=new.due, wait=new.wait, quiet_since=new.quiet_since, stage=new.stage)
        self.store.plan_recheck(plan, checked=checked)


def _later(a: str, b: str) -> bool:
    """Whether ISO time `a` is after `b` (a time without an offset is UTC)."""
    from datetime import UTC, datetime

    try:
        first, second = datetime.fromisoformat(a), datetime.fromisoformat(b)
    except ValueError:
        return a > b
    first = first if first.tzinfo else first.replace(tzinfo=UTC)
    second = second if second.tzinfo else second.replace(tzinfo=UTC)
    return first > second


def _plan(recheck: Recheck) -> Plan:
    return Plan(recheck.due, recheck.wait, recheck.quiet_since, recheck.stage)
