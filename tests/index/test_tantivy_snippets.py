"""tantivy's snippets look only at the pieces of text that can be a query's
term; on random text they mark exactly what a scan of every piece marks."""

from __future__ import annotations

import random
import re

from newsarchive.index.tantivy import search

PIECES = re.compile(r"[^\W_]+")  # what the analyzer makes terms of: runs of letters and digits
WORDS = [
    "harbour", "Harbours", "U.S.", "3.5", "harboured", "état", "Über", "e.g.", "x.harbour",
    "...harbour", ".harbour", "harb*our", "_harbour", "hárbour", "HARBOUR", "trained",
    "training", "cries", "cry", "dying", "die", "日本", "¾", "Straße", "ǅemal", "İstanbul",
]  # fmt: skip
NOISE = "abcdehrstu ÉéüßU.S-*_'’\"3.5,;:!?\n¾日本"


def test_marks_equal_a_scan_of_every_piece():
    rng = random.Random(20261129)
    analyze = search._analyzer(search.STEMMED).analyze
    marked = 0
    for _ in range(2000):
        text = "".join(
            rng.choice([rng.choice(WORDS), rng.choice(NOISE), " "]) for _ in range(rng.randint(1, 30))
        )
        words = frozenset(analyze(rng.choice(WORDS)))
        candidates = search._candidates("".join(sorted({term[:1] for term in words})))
        quick = [m.span() for m in candidates.finditer(text) if set(search._stem(m.group())) & words]
        every = [m.span() for m in PIECES.finditer(text) if set(search._stem(m.group())) & words]
        assert quick == every, (text, words)
        marked += bool(every)
    assert marked > 300  # the cases are not all misses
