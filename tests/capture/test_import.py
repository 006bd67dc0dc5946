"""`import`: articles out of WARC files written by someone else."""

from __future__ import annotations

import io
import json

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive.demo.site import article_pages


def write_warc(path, records: list[tuple[str, int, str, bytes]]) -> None:
    """A WARC of HTTP responses: (url, status, content type, body)."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            )


def pages_as_records():
    records = [(page.url, 200, "text/html; charset=utf-8", page.html) for page in article_pages()]
    records.append(("https://www.harbour-herald.example/gone-story-here", 404, "text/html", b"<p>gone</p>"))
    records.append(
        ("https://www.harbour-herald.example/report-for-download", 200, "application/pdf", b"%PDF-1.7")
    )
    records.append(
        ("https://www.harbour-herald.example/local/", 200, "text/html", b"<html><a href=/x>x</a></html>")
    )
    return records


def test_import_keeps_the_articles_and_passes_over_the_rest(na, tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages_as_records())
    report = na.json("import", str(warc))
    assert report["new"] == 8
    assert report["passed_over"] == {"http 404": 1, "not html": 1, "listing or utility page": 1}
    assert report["broken_files"] == []
    assert na.json("search", "herring")["total"] == 1
    page = article_pages()[2]
    assert na("show", page.url, "--html").stdout_bytes == page.html
    again = na.json("import", str(warc))
    assert again["new"] == 0 and again["passed_over"]["already archived"] == 8


def test_truncated_warc_keeps_its_good_records(na, tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages_as_records())
    data = whole.read_bytes()
    with open(whole, "rb") as stream:  # cut in the middle of the sixth record
        records = ArchiveIterator(stream)
        offsets = [records.get_record_offset() for record in records if records.read_to_end(record) or True]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: offsets[5] + 100])
    result = na("import", str(cut), "--json", code=1)
    report = json.loads(result.stdout)
    assert report["new"] == 5
    assert report["broken_files"] and "cut.warc.gz is broken after" in report["broken_files"][0]
    assert "files are broken; their good records were kept" in result.stderr


def test_import_of_something_that_is_not_a_warc(na, tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file at all\n" * 10)
    result = na("import", str(junk), code=1)
    assert "broken" in result.stderr
    assert na("import", str(tmp_path / "missing.warc"), code=2).stderr


def test_uncompressed_warc_reads_to_its_end(na, tmp_path):
    warc = tmp_path / "plain.warc"
    with open(warc, "wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for url, status, content_type, body in pages_as_records()[:3]:
            headers = StatusAndHeaders(f"{status} OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            )
    report = na.json("import", str(warc))
    assert report["new"] == 3 and report["broken_files"] == []


def many_articles(count: int) -> list[tuple[str, int, str, bytes]]:
    """`count` distinct articles of the demo site, as WARC records."""
    from newsarchive.demo.site import article_page, site_data

    demo = site_data()
    records = []
    for number in range(count):
        article = dict(demo["articles"][number % len(demo["articles"])])
        article["slug"] = f"{article['slug']}-{number}"
        article["title"] = f"{article['title']}, part {number}"
        article["paragraphs"] = [f"Report number {number} from the quay.", *article["paragraphs"]]
        page = article_page(demo["site"], article)
        records.append((page.url, 200, "text/html; charset=utf-8", page.html))
    return records


def test_an_import_with_either_engine_keeps_every_article_in_order(na, tmp_path, monkeypatch):
    """Past the first pages, extraction runs in worker processes: one per
    core with tantivy (its indexing is light), one per core but one with
    Whoosh. Either way every page is kept, and found."""
    warc = tmp_path / "many.warc.gz"
    write_warc(warc, many_articles(45))
    for engine in ("tantivy", "whoosh"):
        monkeypatch.setenv("NEWSARCHIVE_ENGINE", engine)
        na.archive = tmp_path / engine
        report = na.json("import", str(warc))
        assert report["new"] == 45, engine
        assert na.json("search", '"report number 44"')["total"] == 1
        assert na.json("stats")["index"] == {"engine": engine, "present": True, "behind": 0}
