"""The commands, end to end, as a user runs them."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import PAGES, SAMPLE_URL
from newsarchive.article import RECORD_FIELDS
from newsarchive.demo.site import article_pages
from newsarchive.index import ENGINES


@pytest.fixture(autouse=True, params=sorted(ENGINES))
def engine(request, monkeypatch) -> str:
    """Every command here, with each index engine."""
    monkeypatch.setenv("NEWSARCHIVE_ENGINE", request.param)
    return request.param


@pytest.fixture
def with_sample(na, shared_sample):
    html, expected = shared_sample
    na("add", str(html), "--url", SAMPLE_URL)
    return expected


@pytest.fixture
def with_demo(na, tmp_path):
    pages = tmp_path / "saved"
    pages.mkdir()
    for number, page in enumerate(article_pages()):
        (pages / f"page-{number}.html").write_bytes(page.html)
    na("add", str(pages))
    return pages


def search_titles(na, *args) -> list[str]:
    return [r["title"] for r in na.json("search", *args)["results"]]


# -- acceptance: the shared sample -----------------------------------------


def test_add_then_show_gives_the_expected_record(na, with_sample):
    expected = with_sample
    record = na.json("show", SAMPLE_URL)
    assert record["title"] == expected["title"]
    assert record["subtitle"] == expected["subtitle"]
    assert record["published"].startswith("2013-04-05")
    assert record["source"] == "jpost.com"
    assert record["language"] == "en"
    assert record["text"].split("\n\n") == expected["body_paragraphs"]
    for unwanted in expected["must_not_contain"]:
        assert unwanted not in record["text"]
    assert tuple(record) == RECORD_FIELDS
    assert record["fetched"]


def test_search_behaviours_on_the_sample(na, with_sample):
    expected = with_sample
    assert search_titles(na, "Kassam") == [expected["title"]]
    assert search_titles(na, "trained") == [expected["title"]]  # stemmed: "training"
    assert search_titles(na, '"tunnel beneath Damascus"') == [expected["title"]]
    assert search_titles(na, '"Damascus beneath tunnel"') == []
    assert search_titles(na, "title:hamas") == [expected["title"]]
    assert search_titles(na, "title:tunnel") == []
    assert search_titles(na, "hamas", "--since", "2013-04-05", "--until", "2013-04-05") == [expected["title"]]
    assert search_titles(na, "hamas", "--since", "2013-04") == [expected["title"]]
    assert search_titles(na, "hamas", "--until", "2013") == [expected["title"]]
    assert search_titles(na, "hamas", "--since", "2013-04-06") == []
    assert search_titles(na, "hamas", "--until", "2012") == []


def test_search_json_shape(na, with_sample):
    document = na.json("search", "Kassam")
    assert document["query"] == "Kassam" and document["total"] == 1
    (result,) = document["results"]
    assert set(result) == {
        "id",
        "url",
        "title",
        "source",
        "published",
        "access",
        "snippet",
        "highlights",
        "score",
        "cluster",
    }
    assert result["url"] == SAMPLE_URL and result["source"] == "jpost.com"
    assert result["cluster"] == {"id": result["id"], "size": 1, "sources": ["jpost.com"]}
    assert document["stories"] == 1 and document["copies_folded"] is True
    assert result["score"] > 0
    marked = [result["snippet"][a:b] for a, b in result["highlights"]]
    assert marked and all(word == "Kassam" for word in marked)


def test_no_results_is_an_empty_list_and_success(na, with_sample):
    assert na.json("search", "zzz") == {
        "query": "zzz",
        "total": 0,
        "total_exact": True,
        "stories": 0,
        "copies_folded": True,
        "index_behind": 0,
        "results": [],
    }
    assert na("search", "zzz", "--jsonl").stdout == ""
    assert "No results" in na("search", "zzz").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "hamas", "--since", "notadate"], "--since: 'notadate' is not a date"),
        (["search", "hamas", "--until", "2013-13"], "--until"),
        (["search", "colour:red"], "unknown field 'colour'"),
        (["search", "!!!"], "no searchable words"),
        (["search", "hamas", "--since", "2014", "--until", "2013"], "--since is after --until"),
        (["search", "hamas", "--sort", "random"], "Invalid value for '--sort'"),
    ],
)
def test_bad_search_input_is_exit_2_with_one_line(na, with_sample, args, needle):
    result = na(*args, code=2)
    assert needle in result.stderr
    assert "Traceback" not in result.output
    # One error line (click adds its usage lines to its own errors).
    assert sum(line.startswith("Error:") for line in result.stderr.splitlines()) == 1


def test_reindex_after_deleting_the_index_answers_the_same(na, with_sample, archive_dir, engine):
    queries = ["Kassam", "trained", '"tunnel beneath Damascus"', "title:hamas"]
    before = {q: na.json("search", q) for q in queries}
    shutil.rmtree(archive_dir / "index")
    # No index is an empty one that says so, never a failed search.
    missing = na("search", "Kassam")
    assert "No results" in missing.stdout and "newsarchive reindex" in missing.stderr
    assert f"indexed 1 article with {engine} in" in na("reindex").stdout
    assert {q: na.json("search", q) for q in queries} == before


# -- add ---------------------------------------------------------------------


def test_add_a_directory_reports_each_page(na, with_demo):
    assert na.json("stats")["articles"] == 8
    again = na("add", str(with_demo), "--json")
    report = json.loads(again.stdout)
    assert report["unchanged"] == 8 and report["new"] == 0 and report["indexed"] is True


def test_add_updates_a_changed_page_and_keeps_the_old_version(na, tmp_path):
    page = article_pages()[0]
    path = tmp_path / "bridge.html"
    path.write_bytes(page.html)
    na("add", str(path))
    path.write_bytes(
        page.html.replace(b"Harbour bridge reopens after two-year repair", b"Harbour bridge reopens at last")
    )
    result = na("add", str(path), "--jsonl")
    assert json.loads(result.stdout)["status"] == "updated"
    assert search_titles(na, "title:last") == ["Harbour bridge reopens at last"]
    assert na.json("stats")["revisions"] == 1


def test_add_from_stdin_and_gzip(na):
    page = article_pages()[2]
    na("add", "-", "--url", page.url, input=page.html)
    assert search_titles(na, "herring") == ["Fishing fleet reports record herring catch"]
    other = article_pages()[3]
    compressed = gzip.compress(other.html)
    na("add", "-", "--url", other.url, input=compressed)
    assert search_titles(na, "gale") == ["Storm warnings issued as winter gale approaches the coast"]


def test_a_paywalled_page_is_kept_marked_and_the_full_text_replaces_it(na, tmp_path):
    url = "https://quay.example/local/2025/05/silo-saved"
    story = (
        "<p>The harbour commission met on Tuesday evening to decide the future of the old grain silo, which"
        " has stood empty on the east quay since the mill closed in 1998 (part {n}).</p>"
    )
    jsonld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Silo saved by the harbour commission", "isAccessibleForFree": false,'
        ' "datePublished": "2025-05-02T10:00:00+02:00"}</script>'
    )

    def saved(name: str, paragraphs: int):
        html = (
            f"<html lang='en'><head><title>Silo saved</title>{jsonld}</head><body><article>"
            "<h1>Silo saved by the harbour commission</h1>"
            + "".join(story.format(n=n) for n in range(paragraphs))
            + "<p>Subscribe to continue reading this story.</p></article></body></html>"
        )
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        return str(path)

    added = na("add", saved("teaser.html", 1), "--url", url)
    assert "paywalled: teaser only" in added.stdout
    (hit,) = na.json("search", "silo")["results"]
    assert hit["access"] == "paywalled"
    record = na.json("show", url)
    assert record["access"] == "paywalled" and record["published"] == "2025-05-02T10:00:00+02:00"
    # The whole story, fetched later, is a new version of the same article.
    report = json.loads(na("add", saved("full.html", 9), "--url", url, "--json").stdout)
    assert report["updated"] == 1
    record = na.json("show", url)
    assert record["access"] == "free" and record["word_count"] > 200
    assert na.json("stats")["revisions"] == 1
    assert na.json("search", "silo")["results"][0]["access"] == "free"
    # The teaser seen again later is a degraded fetch: the whole story stays.
    again = na("add", saved("teaser-again.html", 1), "--url", url)
    assert "degraded fetch, paywalled page: kept as it was" in again.stdout
    assert na.json("show", url)["word_count"] > 200
    notes = [v.get("note") for v in na.json("history", url)["versions"]]
    assert notes == [None, None, "degraded"]


def test_add_skips_non_articles_with_reason_and_exit_1(na, tmp_path):
    good = tmp_path / "good.html"
    good.write_bytes(article_pages()[0].html)
    result = na("add", str(good), str(PAGES / "section-page.html"), code=1)
    assert "section-page.html" in result.stdout and "list of links to stories" in result.stdout
    assert "1 new, 1 skipped (index-page 1)" in result.stderr
    assert "1 of 2 pages held no article" in result.stderr
    assert na.json("stats")["articles"] == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["add", "missing.html"], "does not exist"),
        (["add", "a.html", "b.html", "--url", "https://x.example/"], "give exactly one FILE"),
        (["add", "a.html", "--url", "x.example/story"], "is not a web address"),
        (["extract", "a.html", "--url", "ftp://x.example/story"], "is not a web address"),
        (["extract", "."], "cannot read ."),
    ],
)
def test_add_usage_errors(na, tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    for name in ("a.html", "b.html"):
        (tmp_path / name).write_text("<p>x</p>")
    assert needle in na(*args, code=2).stderr


def test_unreadable_files_are_skipped_and_the_rest_added(na, tmp_path):
    good = tmp_path / "good.html"
    good.write_bytes(article_pages()[0].html)
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(gzip.compress(article_pages()[1].html)[:200])
    result = na("add", str(broken), str(good), "--json", code=1)
    report = json.loads(result.stdout)
    assert (report["new"], report["skipped"]) == (1, 1)
    skipped = next(p for p in report["pages"] if p["status"] == "skipped")
    assert skipped["reason"] == "unreadable" and "truncated gzip" in skipped["message"]
    assert search_titles(na, "bridge") == ["Harbour bridge reopens after two-year repair"]


def test_add_captures_the_raw_page(na, tmp_path, archive_dir):
    page = article_pages()[4]
    path = tmp_path / "library.html"
    path.write_bytes(page.html)
    na("add", str(path), "--url", page.url)
    assert list((archive_dir / "warc").glob("*.warc.gz"))
    shown = na("show", page.url, "--html")
    assert shown.stdout_bytes == page.html
    # Adding the same bytes again captures nothing new.
    size = sum(p.stat().st_size for p in (archive_dir / "warc").glob("*"))
    na("add", str(path), "--url", page.url)
    assert sum(p.stat().st_size for p in (archive_dir / "warc").glob("*")) == size


# -- show, extract, stats, export --------------------------------------------


def test_show_by_id_prefix_text_and_human(na, with_demo):
    record = na.json("search", "seals")["results"][0]
    text = na("show", record["id"][:8], "--text").stdout
    assert text.startswith("Researchers count more seals on the estuary sandbanks\n")
    assert "Drone surveys show" in text and "harbour-herald.example · 2024-06-12 · Sara Nilsen" in text
    human = na("show", record["id"]).stdout
    assert "Researchers count more seals" in human and "Lena Strand" in human


def test_show_unknown_article_is_exit_1(na, with_demo):
    assert "no article in the archive matches" in na("show", "https://nowhere.example/x", code=1).stderr


def test_extract_prints_without_storing(na, archive_dir, shared_sample):
    html, expected = shared_sample
    record = na.json("extract", str(html), "--url", SAMPLE_URL)
    assert record["title"] == expected["title"]
    assert not archive_dir.exists()
    from_stdin = na.json("extract", "-", "--url", SAMPLE_URL, input=html.read_bytes())
    assert from_stdin == record


def test_extract_of_a_non_article_is_exit_1_and_null(na):
    result = na("extract", str(PAGES / "section-page.html"), "--json", code=1)
    assert result.stdout.strip() == "null"
    assert "no article in" in result.stderr


def test_stats_by_source_and_month(na, with_demo, shared_sample, engine):
    html, _ = shared_sample
    na("add", str(html), "--url", SAMPLE_URL)
    stats = na.json("stats")
    assert stats["articles"] == 9
    by_source = {s["source"]: s for s in stats["sources"]}
    assert by_source["jpost.com"]["months"] == [{"month": "2013-04", "articles": 1}]
    herald = by_source["harbour-herald.example"]
    assert herald["articles"] == 8 and sum(m["articles"] for m in herald["months"]) == 8
    assert stats["index"] == {"engine": engine, "present": True, "behind": 0}
    assert "harbour-herald.example" in na("stats").stdout


def test_read_commands_on_a_missing_archive_say_how_to_make_one(na):
    for command in (["search", "x"], ["show", "abc"], ["stats"], ["export"], ["reindex"]):
        result = na(*command, code=2)
        assert "there is no archive at" in result.stderr


def test_export_jsonl_csv_and_query(na, with_demo, tmp_path):
    lines = na("export").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 8 and tuple(records[0]) == RECORD_FIELDS
    rows = list(csv.DictReader(io.StringIO(na("export", "--format", "csv").stdout)))
    assert len(rows) == 8 and rows[0].keys() == set(RECORD_FIELDS)
    authors = {row["authors"] for row in rows}
    assert "Tom Okafor; Maya Lindqvist" in authors
    queried = [
        json.loads(line)["title"]
        for line in na("export", "ferry OR ferries", "--since", "2025").stdout.splitlines()
    ]
    assert queried == [
        "Ferry operator raises fares as fuel costs climb",
        "Storm warnings issued as winter gale approaches the coast",
    ]
    out = tmp_path / "out.jsonl"
    na("export", "-o", str(out), "--source", "harbour-herald.example")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 8


def test_the_lazy_command_map_names_every_command_where_it_is_defined():
    """Commands load on demand from `COMMANDS`; a command missing from it
    would never be found, one mapped to the wrong module never load."""
    import importlib

    from newsarchive.cli.root import COMMANDS, cli

    for module in sorted(set(COMMANDS.values())):
        before = set(cli.commands)
        importlib.import_module(f"newsarchive.cli.{module}")
        assert {name for name in set(cli.commands) - before} <= {
            n for n, m in COMMANDS.items() if m == module
        }
    assert set(cli.commands) == set(COMMANDS)


def test_every_command_has_help_with_an_example_and_a_readme_entry(na):
    from newsarchive.cli.root import cli

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listing = na("-h").stdout
    for command in cli.list_commands(None):
        assert command in listing
        assert "Example" in na(command, "--help").stdout, command
        assert f"`{command}" in readme, f"README.md does not document `{command}`"
