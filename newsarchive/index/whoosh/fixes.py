"""A correction to Whoosh, applied when the search modules are imported.

Whoosh's AND NOT matcher (`harbour -storm`, `harbour NOT storm`) checks
its first candidate against the excluded side only when both start on the
same document: when the excluded side starts earlier, the first candidate
of each segment is returned even if it holds the excluded word. Searching
for the first candidate the way every later one is searched fixes it
(tests/test_index.py shows the case).
"""

from __future__ import annotations

from whoosh.matching.binary import AndNotMatcher


def _find_first(self) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


if hasattr(AndNotMatcher, "_find_first") and hasattr(AndNotMatcher, "_find_next"):
    AndNotMatcher._find_first = _find_first
