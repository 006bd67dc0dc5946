"""What the archive knows about each site, for the pages it ingests.

Two kinds of knowledge meet here: the rules a user wrote for a site in
`sources.toml`, and what the store has learnt from the site's own
articles: its boilerplate, and how it writes numeric dates (each article
that prints its declared date as "4/5/2013" votes DMY or MDY). `rules_for`
hands both to extraction, the user's rules first; `learn` promotes
paragraphs that have become common enough, and takes them out of the
articles stored before they were learnt. `knowledge` shows it all, and a
user can make the archive forget an entry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from newsarchive.article import Article
from newsarchive.boilerplate import strip
from newsarchive.errors import BadInput
from newsarchive.extract.knowledge import NO_RULES, SiteRules
from newsarchive.sites.sources import Source
from newsarchive.store import Store
from newsarchive.urls import is_web_url, source_of

# A site habit learnt from articles' evidence (how it writes numeric dates).
DATE_ORDER = "date_order"
# Votes needed, and the share that must agree, before a habit is learnt.
MIN_VOTES, MIN_AGREEMENT = 3, 0.9
# Articles that showed no evidence (NO_VOTE) after which a site is no longer
# asked: most sites never print an ambiguous numeric date, and asking costs
# reading each page's dateline.
NO_VOTE, MAX_CHECKS = "none", 50
# Digits of a paragraph's fingerprint shown as its id (to forget it by).
PARAGRAPH_ID_DIGITS = 8


def learnt_order(votes: dict[str, int]) -> str | None:
    """The order enough articles agree on (DMY or MDY), else None."""
    votes = {value: n for value, n in votes.items() if value != NO_VOTE}
    total = sum(votes.values())
    if total < MIN_VOTES:
        return None
    order, count = max(votes.items(), key=lambda item: item[1])
    return order if count >= MIN_AGREEMENT * total else None


class Sites:
    def __init__(self, store: Store, sources: Iterable[Source] = ()):
        self.store = store
        self._user: dict[str, SiteRules] = {}
        for source in sources:
            for host in source.hosts:
                self._user[host] = source.rules
        self._cache: dict[str, SiteRules] = {}
        self.learnt: dict[str, int] = {}  # paragraphs learnt this session, per source
        self.cleaned: dict[str, int] = {}  # stored articles they were taken out of

    def rules_for(self, url: str | None) -> SiteRules:
        """Rules for a page at `url` (none known for a page without one)."""
        if not url or not is_web_url(url):
            return NO_RULES
        return self.rules_of(source_of(url))

    def rules_of(self, source: str) -> SiteRules:
        if source not in self._cache:
            user = self._user.get(source, NO_RULES)
            votes = self.store.evidence(source, DATE_ORDER)
            order = user.date_order or learnt_order(votes)
            self._cache[source] = dataclasses.replace(
                user,
                boilerplate=self.store.boilerplate_of(source),
                date_order=order,
                ask_date_order=order is None and votes.get(NO_VOTE, 0) < MAX_CHECKS,
            )
        return self._cache[source]

    def has_user_rules(self, source: str) -> bool:
        return source in self._user

    def with_rules(self) -> list[str]:
        """Sites the user wrote rules for."""
        return sorted(host for host, rules in self._user.items() if rules != NO_RULES)

    def finish(self, article: Article) -> Article:
        """The article without its source's learnt boilerplate (for pages
        whose source was known only once extracted: no URL given), and its
        evidence of the site's habits noted."""
        vote = article.provenance.get(DATE_ORDER)
        if vote is not None:
            self.store.note_evidence(article.source, DATE_ORDER, article.id, vote)
            self._cache.pop(article.source, None)
        learnt = self.rules_of(article.source).boilerplate
        text = strip(article.text, learnt) if learnt else article.text
        return article.replace(text=text) if text and text != article.text else article

    def knowledge(self, source: str) -> dict:
        """What the archive knows of a site, and where from: the user's rules,
        the learnt boilerplate (each paragraph with a short id to forget it
        by), and how it writes numeric dates."""
        user = self._user.get(source, NO_RULES)
        votes = self.store.evidence(source, DATE_ORDER)
        learnt = learnt_order(votes)
        return {
            "source": source,
            "boilerplate": [
                {"id": row["print"][:PARAGRAPH_ID_DIGITS], "text": row["sample"], "learnt": row["learnt"]}
                for row in self.store.boilerplate(source)
            ],
            "date_order": {
                "value": user.date_order or learnt,
                "from": "sources.toml" if user.date_order else ("learnt" if learnt else None),
                "votes": {value: n for value, n in votes.items() if value != NO_VOTE},
                "checked": sum(votes.values()),
            },
            "timezone": user.timezone,
            "drop": list(user.drop),
        }

    def forget(self, source: str, entry: str, *, now: str) -> str:
        """Forget a learnt paragraph (by its id) or the learnt date order
        ("date-order"); what was forgotten, in words."""
        self._cache.pop(source, None)
        if entry == "date-order":
            votes = self.store.forget_evidence(source, DATE_ORDER)
            return f"the date order learnt from {votes} articles of {source}"
        forgotten = self.store.forget_boilerplate(source, entry.lower(), now=now)
        if forgotten is None:
            raise BadInput(
                f"{source} has no learnt paragraph {entry!r}; see the ids with `newsarchive sites list {source}`"
            )
        return f"the paragraph {forgotten['sample'][:60]!r} of {source} (it will not be learnt again)"

    def learn(self, sources: Iterable[str], *, now: str, clean_stored: bool = True) -> None:
        """Learn each source's new boilerplate and, unless told not to,
        remove it from the articles already stored (counted in `learnt` and
        `cleaned`)."""
        for source in sorted(set(sources)):
            learnt = self.store.learn_boilerplate(source, now=now)
            if not learnt:
                continue
            self._cache.pop(source, None)
            self.learnt[source] = self.learnt.get(source, 0) + len(learnt)
            if not clean_stored:
                continue
            prints = frozenset(learnt)
            count = 0
            for article in self.store.iter_articles(source=source):
                text = strip(article.text, prints)
                if text and text != article.text:
                    self.store.put(article.replace(text=text), now=now, keep_revision=False)
                    count += 1
            self.cleaned[source] = self.cleaned.get(source, 0) + count
