"""`doctor` finds where store, captures and index disagree, and mends it."""

from __future__ import annotations

import shutil
import sqlite3

from newsarchive.demo.site import article_pages


def add_pages(na, tmp_path, count: int = 4) -> None:
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    for n, page in enumerate(article_pages()[:count]):
        (folder / f"p{n}.html").write_bytes(page.html)
    na("add", str(folder))


def test_a_healthy_archive(na, tmp_path):
    add_pages(na, tmp_path)
    report = na.json("doctor")
    assert report["healthy"] is True and report["findings"] == []
    assert report["checked"]["captures"] == 4 and report["engine"] == "whoosh"
    assert "index engine whoosh" in na("doctor").stdout


def test_a_lost_index_is_found_and_rebuilt(na, tmp_path, archive_dir):
    add_pages(na, tmp_path)
    shutil.rmtree(archive_dir / "index")
    result = na("doctor", "--json", code=1)
    assert "the index is missing" in result.stdout
    assert na.json("doctor", "--repair")["healthy"] is True
    assert na.json("search", "herring")["total"] == 1


def test_an_index_behind_the_store_is_caught_up(na, tmp_path, archive_dir):
    add_pages(na, tmp_path, 2)
    index = tmp_path / "index-copy"
    shutil.copytree(archive_dir / "index", index)
    add_pages(na, tmp_path, 4)
    shutil.rmtree(archive_dir / "index")
    shutil.copytree(index, archive_dir / "index")  # as if the last commits never reached it
    report = na("doctor", "--json", code=1).stdout
    assert "changes behind the store" in report and "2 articles are not in the index" in report
    assert na.json("doctor", "--repair")["healthy"] is True
    assert na.json("doctor")["findings"] == []


def test_a_warc_cut_by_a_killed_writer_is_trimmed(na, tmp_path, archive_dir):
    add_pages(na, tmp_path, 2)
    (warc,) = list((archive_dir / "warc").glob("*.warc.gz"))
    size = warc.stat().st_size
    with open(warc, "ab") as stream:  # the start of a record that never finished
        stream.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03WARC/1.1")
    findings = na("doctor", "--json", code=1).stdout
    assert "cut short" in findings
    assert na.json("doctor", "--repair")["healthy"] is True
    assert warc.stat().st_size == size
    assert na("show", article_pages()[0].url, "--html").stdout_bytes == article_pages()[0].html


def test_runs_of_dead_processes_are_marked_interrupted(na, tmp_path, archive_dir):
    add_pages(na, tmp_path, 1)
    db = sqlite3.connect(archive_dir / "store.sqlite3")
    db.execute(
        "INSERT INTO runs (source, started, status, pid) VALUES ('gone', '2025-01-01T00:00:00+00:00', 'running', 999999)"
    )
    db.commit()
    db.close()
    assert "their process is gone" in na("doctor", code=1).stdout
    na("doctor", "--repair")
    assert [r["status"] for r in na.json("runs")] == ["interrupted"]


def test_a_damaged_store_is_reported_not_hidden(na, tmp_path, archive_dir):
    add_pages(na, tmp_path, 4)
    path = archive_dir / "store.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    page_size = 4096
    for offset in range(page_size * 2, len(data), page_size * 2):  # scribble over page headers
        data[offset : offset + 12] = b"\x0d\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00"
    path.write_bytes(bytes(data))
    result = na("doctor", code=None)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert "integrity" in result.output or "damaged" in result.output or "cannot open" in result.output


def test_a_warc_file_begun_by_a_killed_writer_is_removed(na, tmp_path, archive_dir):
    add_pages(na, tmp_path, 1)
    empty = archive_dir / "warc" / "newsarchive-20990101000000-1-00001.warc.gz"
    empty.write_bytes(b"")
    partial = archive_dir / "warc" / "newsarchive-20990101000000-2-00001.warc.gz"
    partial.write_bytes(b"\x1f\x8b\x08\x00\x00\x00")
    assert "holds no whole record" in na("doctor", code=1).stdout
    assert na.json("doctor", "--repair")["healthy"] is True
    assert not empty.exists() and not partial.exists()
