"""An archive made by an earlier version is read and written as it is.

The fixture archive (tests/fixtures/archive-0.1-before-seams) was made with
this project's own `add` at commit 3045738, before the Whoosh engine moved
into index/whoosh/: its index pickles analyzers and codec under their old
module paths. Nothing may need a reindex to read it.
"""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, Cli
from newsarchive.demo.site import article_pages

BEFORE_SEAMS = FIXTURES / "archive-0.1-before-seams"


def test_an_index_from_before_the_engine_seam_is_searched_and_followed(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BEFORE_SEAMS, archive)
    na = Cli(archive)
    found = na.json("search", "harbour OR council OR seals")
    assert found["total"] >= 1 and found["index_behind"] == 0
    assert na.json("stats")["index"] == {"engine": "whoosh", "present": True, "behind": 0}
    page = article_pages()[5]
    na("add", "-", "--url", page.url, input=page.html)  # the old index takes the change
    generations = sorted(p.name for p in (archive / "index").iterdir() if p.name.startswith("g"))
    assert generations == ["g000001"], "read and caught up as it was, never rebuilt"
    assert na.json("search", f'"{page.url}" OR title:"{na.json("show", page.url)["title"]}"')["total"] == 1
    assert na.json("doctor")["healthy"]


def test_an_index_from_before_facets_searches_and_asks_for_a_reindex_to_count(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BEFORE_SEAMS, archive)
    na = Cli(archive)
    refused = na("search", "harbour", "--facets", "source,author", code=1)
    assert "--facets" in refused.stderr and "newsarchive reindex" in refused.stderr
    assert na.json("search", "harbour")["total"] >= 1  # searching goes on meanwhile
    na("reindex")
    counted = na.json("search", "harbour", "--facets", "source")
    assert sum(n for _, n in counted["facets"]["source"]) == counted["total"] >= 1


def test_an_index_from_before_versions_were_indexed_answers_and_says_so(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BEFORE_SEAMS, archive)
    na = Cli(archive)
    result = na("search", "harbour", "--all-versions", "--json")
    assert json.loads(result.stdout)["total"] >= 1
    assert "built before it held earlier versions" in result.stderr and "reindex" in result.stderr
    na("reindex")
    again = na("search", "harbour", "--all-versions", "--json")
    assert "earlier versions" not in again.stderr
