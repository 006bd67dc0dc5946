"""What the archive knows about each site, for the pages it ingests.

Two kinds of knowledge meet here: the rules a user wrote for a site in
`sources.toml`, and the boilerplate the store has learnt from the site's
own articles. `rules_for` hands both to extraction; `learn` promotes
paragraphs that have become common enough, and takes them out of the
articles stored before they were learnt.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from newsarchive.article import Article
from newsarchive.boilerplate import strip
from newsarchive.extract.knowledge import NO_RULES, SiteRules
from newsarchive.sources import Source
from newsarchive.store import Store
from newsarchive.urls import is_web_url, source_of


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
            self._cache[source] = dataclasses.replace(user, boilerplate=self.store.boilerplate_of(source))
        return self._cache[source]

    def has_user_rules(self, source: str) -> bool:
        return source in self._user

    def finish(self, article: Article) -> Article:
        """The article without its source's learnt boilerplate: for pages
        whose source was known only once extracted (no URL given)."""
        learnt = self.rules_of(article.source).boilerplate
        text = strip(article.text, learnt) if learnt else article.text
        return dataclasses.replace(article, text=text) if text and text != article.text else article

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
                    self.store.put(dataclasses.replace(article, text=text), now=now, keep_revision=False)
                    count += 1
            self.cleaned[source] = self.cleaned.get(source, 0) + count
