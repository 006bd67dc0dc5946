"""Which matches of an alert are new: seen never, copies of none seen."""

from __future__ import annotations

import re
from typing import NamedTuple

from newsarchive.alerts.deliver import CommandResult
from newsarchive.errors import BadInput
from newsarchive.index.api import SearchRequest
from newsarchive.store import Alert

# An alert's name is also its file's: ARCHIVE/alerts/NAME.jsonl.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# The search options an alert keeps (as typed; dates are read on each run).
FILTERS = ("source", "author", "since", "until")
# Past this many changed articles, a run matches the whole archive and
# keeps the changed ones (an id filter that long costs more than it saves).
ID_FILTER_LIMIT = 20_000


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise BadInput(
            f"alert name {name!r} is not usable: give 1-64 letters, digits, '-', '_' or '.',"
            " starting with a letter or digit"
        )
    return name


def request_of(alert: Alert) -> SearchRequest:
    """The alert's search, oldest first (so a report reads in order)."""
    from newsarchive.dates import parse_bound

    filters = alert.filters
    return SearchRequest(
        alert.query,
        source=filters.get("source"),
        author=filters.get("author"),
        since=parse_bound(filters["since"]) if filters.get("since") else None,
        until=parse_bound(filters["until"]) if filters.get("until") else None,
        sort="oldest",
        limit=10_000,
    )


class Verdict(NamedTuple):
    seq: int  # the change log's position the run looked up to
    reported: list[str]  # new matches, oldest first
    passed: list[str]  # new matches that are copies of an article seen


def changed_since(store, seq: int, upto: int) -> tuple[list[str], int]:
    """The articles changed after `seq` whose last change the index has
    (up to `upto`), and how far that takes the alert: an article the index
    has yet to catch up with is looked at by the next run."""
    changes = [change for change in store.changes_since(seq) if change.seq <= upto]
    return [change.article_id for change in changes], max((c.seq for c in changes), default=seq)


def new_matches(engine, store, alert: Alert, upto: int) -> Verdict:
    """What a run of the alert reports, with the index at change `upto`."""
    changed, seq = changed_since(store, alert.last_seq, upto)
    if not changed:
        return Verdict(seq, [], [])
    request = request_of(alert)
    if len(changed) <= ID_FILTER_LIMIT:
        matched = engine.matching_ids(request._replace(ids=frozenset(changed)))
    else:
        wanted = set(changed)
        matched = [i for i in engine.matching_ids(request) if i in wanted]
    seen = store.alert_seen(alert.name, matched)
    fresh = [i for i in matched if i not in seen]
    clusters = store.clusters_of(fresh)
    members = {i: clusters[i].members if i in clusters else [i] for i in fresh}
    others = {m for i in fresh for m in members[i] if m != i}
    known = store.alert_seen(alert.name, others) if others else set()
    # New copies of one story in one run: the story's earliest is reported.
    earliest: dict[str, str] = {}
    for article_id in fresh:
        story = members[article_id][0]
        held = earliest.get(story)
        if held is None or members[article_id].index(article_id) < members[held].index(held):
            earliest[story] = article_id
    chosen = set(earliest.values())
    reported: list[str] = []
    passed: list[str] = []
    for article_id in fresh:
        copy_of_known = article_id not in chosen or any(
            m in known for m in members[article_id] if m != article_id
        )
        (passed if copy_of_known else reported).append(article_id)
    return Verdict(seq, reported, passed)


class AlertRun(NamedTuple):
    """What one run of an alert did."""

    alert: Alert
    records: list[dict]  # the new matches reported, as search hit records
    copies: int  # new matches left out as copies of an article seen
    command: CommandResult | None  # when its command ran
    behind: str | None  # why the index could not be caught up first, if so
