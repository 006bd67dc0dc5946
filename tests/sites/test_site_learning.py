"""The archive learns each site's boilerplate; renormalize applies it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from newsarchive.archive import Archive
from newsarchive.capture.warc import CaptureWriter
from newsarchive.config import Config
from newsarchive.demo.site import article_page, site_data
from newsarchive.page import Page
from newsarchive.pipeline import Intake
from newsarchive.sites.knowledge import Sites
from newsarchive.store import open_store
from newsarchive.store.sqlite_schema import MIGRATIONS

PROMO = "Support independent journalism in Port Alder: become a Herald member from four euros a month."


def herald_pages(
    directory, count: int, *, start: int = 0, promo: str | None = PROMO, extra_html: str = ""
) -> list:
    """`count` pages of the demo site, each with `promo` as a plain paragraph
    in the middle of the story (as sites print their standing appeals)."""
    data = site_data()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(start, start + count):
        template = data["articles"][n % len(data["articles"])]
        paragraphs = list(template["paragraphs"])
        if promo:
            paragraphs.insert(3, promo)
        article = {
            **template,
            "slug": f"{template['slug']}-{n}",
            "title": f"{template['title']} ({n})",
            "paragraphs": paragraphs,
        }
        html = article_page(data["site"], article).html
        if extra_html:  # in the middle of the story, where sites put such things
            html = html.replace(b'<div class="ad-slot">', extra_html.encode() + b'<div class="ad-slot">')
        path = directory / f"page-{n}.html"
        path.write_bytes(html)
        written.append(path)
    return written


def stored_texts(na) -> list[str]:
    return [json.loads(line)["text"] for line in na("export").stdout.splitlines()]


def test_promo_shared_by_a_sites_articles_is_learnt_and_removed(na, tmp_path):
    herald_pages(tmp_path / "site", 12)
    result = na("add", str(tmp_path / "site"))
    assert "learnt 1 boilerplate paragraph of harbour-herald.example" in result.stderr
    texts = stored_texts(na)
    assert len(texts) == 12
    assert not any(PROMO in text for text in texts)
    assert all("Port Alder" in text or "Alder" in text for text in texts)  # the stories are intact
    # A page added later is cleaned as it is extracted.
    (later,) = herald_pages(tmp_path / "later", 1, start=40)
    record = json.loads(na("add", str(later), "--jsonl").stdout)
    assert PROMO not in na.json("show", record["article_id"])["text"]
    stats = na.json("stats")
    assert stats["sources"][0]["boilerplate_learnt"] == 1
    # The index follows: the promo's words find nothing.
    assert na.json("search", '"independent journalism in Port Alder"')["total"] == 0


def test_a_few_shared_paragraphs_are_not_enough(na, tmp_path):
    herald_pages(tmp_path / "mixed", 3)
    herald_pages(tmp_path / "mixed", 9, start=3, promo=None)
    na("add", str(tmp_path / "mixed"))
    assert sum(PROMO in text for text in stored_texts(na)) == 3


def test_credit_lines_are_never_learnt(na, tmp_path):
    credit = "Reuters contributed to this report."
    herald_pages(tmp_path / "site", 12, promo=credit)
    na("add", str(tmp_path / "site"))
    assert all(credit in text for text in stored_texts(na))


def test_renormalize_cleans_articles_stored_before_learning(na, archive_dir, tmp_path, monkeypatch):
    """An archive filled by a newsarchive that did not learn yet (simulated
    by switching learning off) is cleaned by renormalize."""
    pages = herald_pages(tmp_path / "site", 12)
    archive = Archive(Config(archive_dir))
    monkeypatch.setattr(Sites, "learn", lambda self, sources, now, clean_stored=True: None)
    with archive.open_store(create=True) as store, CaptureWriter(archive.warc_dir) as captures:
        intake = Intake(store, captures, archive.sites(store))
        list(intake.ingest([Page(p.name, p.read_bytes()) for p in pages]))
        intake.close()
    monkeypatch.undo()
    assert all(PROMO in text for text in stored_texts(na))
    report = na.json("renormalize")
    assert report["counts"] == {"updated": 12}
    assert report["learnt"] == {"harbour-herald.example": 1}
    assert not any(PROMO in text for text in stored_texts(na))
    assert na.json("stats")["revisions"] == 0  # our own re-reading is not a new version
    assert na.json("renormalize")["counts"] == {"unchanged": 12}


def test_drop_rules_in_sources_toml_apply_to_new_and_old_articles(na, archive_dir, tmp_path):
    sponsor = "<div class='sponsor-note'><p>This coverage is supported by the Alder Harbour Foundation and its many generous donors.</p></div>"
    herald_pages(tmp_path / "site", 3, promo=None, extra_html=sponsor)
    na("add", str(tmp_path / "site"))
    assert all("Alder Harbour Foundation" in text for text in stored_texts(na))
    (archive_dir / "sources.toml").write_text(
        '[sources.herald]\nurls = ["https://www.harbour-herald.example/"]\ndrop = ["div.sponsor-note"]\n',
        encoding="utf-8",
    )
    assert na.json("renormalize", "--source", "harbour-herald.example")["counts"] == {"updated": 3}
    assert not any("Alder Harbour Foundation" in text for text in stored_texts(na))
    herald_pages(tmp_path / "more", 2, start=10, promo=None, extra_html=sponsor)
    na("add", str(tmp_path / "more"))
    assert not any("Alder Harbour Foundation" in text for text in stored_texts(na))


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[sources.herald\nurls = 1", "not valid TOML"),
        ('[sources.herald]\nurls = ["https://x.example/"]\ncolour = "red"', "unknown key 'colour'"),
        ('[sources.herald]\nurls = ["x.example"]', "is not an http(s) URL"),
        ("[sources.herald]\ndrop = ['div']", "needs urls"),
        ('[sources.herald]\nurls = ["https://x.example/"]\ndrop = ["div[[["]', "is not valid CSS"),
        ('[sources.herald]\nurls = ["https://x.example/"]\ntimezone = "Mars/Olympus"', "is not an IANA zone"),
        ('[sources.herald]\nurls = ["https://x.example/"]\ndate_order = "YDM"', "date_order must be one of"),
        ("[feeds]\nx = 1", "unknown table [feeds]"),
    ],
)
def test_bad_sources_toml_is_reported_with_what_to_fix(na, archive_dir, tmp_path, toml, needle):
    (page,) = herald_pages(tmp_path / "site", 1)
    archive_dir.mkdir()
    (archive_dir / "sources.toml").write_text(toml, encoding="utf-8")
    result = na("add", str(page), code=2)
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_show_explain(na, tmp_path):
    (page,) = herald_pages(tmp_path / "site", 1, promo=None)
    record = json.loads(na("add", str(page), "--jsonl").stdout)
    explained = na.json("show", record["article_id"], "--explain")
    assert explained["explain"]["title"] == "h1"
    assert explained["explain"]["published"] == "json-ld"
    assert explained["explain"]["text"] == "trafilatura"
    assert "explain" not in na.json("show", record["article_id"])
    human = na("show", record["article_id"], "--explain").stdout
    assert "the page's JSON-LD (schema.org) metadata" in human


def test_old_archive_is_migrated_with_its_paragraphs_counted(tmp_path):
    """A store made by schema 1 opens under the current schema, and its
    articles' paragraphs are counted for learning."""
    path = tmp_path / "store.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO meta (key, value) VALUES ('store_id', 'old')")
    for n in range(6):
        db.execute(
            "INSERT INTO articles (id, canonical_url, url, source, title, text, word_count, content_hash,"
            " first_seen, last_seen, seq) VALUES (?, ?, ?, 'old.example', 't', ?, 3, 'h', 't', 't', ?)",
            (
                f"{n:016x}",
                f"https://old.example/{n}",
                f"https://old.example/{n}",
                f"Story {n}.\n\n{PROMO}",
                n + 1,
            ),
        )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with open_store(path) as store:
        assert store.store_id == "old"
        assert store.get("0000000000000000").article.provenance == {}
        assert (
            store.learn_boilerplate("old.example", now="t") and len(store.boilerplate_of("old.example")) == 1
        )


# -- what was learnt, shown and forgotten ----------------------------------------


def test_learnt_boilerplate_is_listed_and_a_forgotten_paragraph_comes_back(na, tmp_path):
    herald_pages(tmp_path / "site", 12)
    na("add", str(tmp_path / "site"))
    (site,) = na.json("sites", "list")
    assert site["source"] == "harbour-herald.example"
    (paragraph,) = site["boilerplate"]
    assert paragraph["text"] == PROMO
    human = na("sites", "list", "harbour-herald.example").stdout
    assert paragraph["id"] in human and "Support independent journalism" in human
    forgot = na("sites", "forget", "harbour-herald.example", paragraph["id"])
    assert "renormalize" in forgot.stdout
    assert na.json("sites", "list", "harbour-herald.example")[0]["boilerplate"] == []
    # Renormalizing applies it: the paragraph is back in every article, and
    # it is not learnt again however often it is seen.
    assert na.json("renormalize")["counts"] == {"updated": 12}
    assert all(PROMO in text for text in stored_texts(na))
    herald_pages(tmp_path / "more", 12, start=50)
    na("add", str(tmp_path / "more"))
    assert na.json("sites", "list", "harbour-herald.example")[0]["boilerplate"] == []
    assert sum(PROMO in text for text in stored_texts(na)) == 24


def test_forgetting_what_was_never_learnt_says_what_to_do(na, tmp_path):
    herald_pages(tmp_path / "site", 2)
    na("add", str(tmp_path / "site"))
    missing = na("sites", "forget", "harbour-herald.example", "deadbeef", code=2)
    assert "sites list harbour-herald.example" in missing.stderr


def dated_page(n: int, day: int, month: int) -> str:
    """A page that declares its date and prints it as a slashed number
    a reader could take either way (month first here)."""
    story = "".join(
        f"<p>The ferry board met for the {k}th time this spring to settle the timetable.</p>"
        for k in range(4)
    )
    head = f'<meta property="article:published_time" content="2021-{month:02d}-{day:02d}T09:00:00-05:00">'
    return (
        f"<html><head><title>Ferry story {n}</title>{head}</head><body><article><h1>Ferry story {n}</h1>"
        f'<p class="date">{month}/{day}/2021</p>{story}</article></body></html>'
    )


def test_how_a_site_writes_numeric_dates_is_learnt_and_read_by(na, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, (day, month) in enumerate([(3, 4), (5, 6), (7, 8), (2, 11)]):
        (pages / f"p{n}.html").write_text(dated_page(n, day, month), encoding="utf-8")
        na("add", str(pages / f"p{n}.html"), "--url", f"https://ferry.example/news/story-number-{n}")
    (site,) = na.json("sites", "list", "ferry.example")
    # Learnt once three articles agree (the fourth is read by it already).
    assert site["date_order"] == {"value": "MDY", "from": "learnt", "votes": {"MDY": 3}, "checked": 3}
    # A page of the site that only prints its date is read month first.
    undeclared = dated_page(9, 6, 5).replace('<meta property="article:published_time"', '<meta name="x"')
    (pages / "p9.html").write_text(undeclared, encoding="utf-8")
    record = json.loads(
        na("add", str(pages / "p9.html"), "--url", "https://ferry.example/news/story-9", "--jsonl").stdout
    )
    assert na.json("show", record["article_id"])["published"].startswith("2021-05-06")
    na("sites", "forget", "ferry.example", "date-order")
    assert na.json("sites", "list", "ferry.example")[0]["date_order"]["value"] is None
