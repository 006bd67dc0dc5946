"""A corpus of nasty inputs through every entry point: extract, add, import,
crawl. Each gives a clean error or a clean skip: no traceback, no hang past
a fixed timeout, and memory that stays bounded (measured per process)."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import threading

import pytest

from newsarchive.demo.newssite import Reply
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import article_pages

pytestmark = pytest.mark.slow

# Every run of a command on the corpus must end within this many seconds...
TIMEOUT = 120
# ...and stay under this much memory (resident, in the child process): a
# 50 MB page may be held a few times over, never unboundedly.
MAX_RSS_MB = 900

_STORY = article_pages()[0].html


def _billion_laughs(root: str) -> bytes:
    """Nine levels of entities, each ten of the one below: 10^9 "lol"s if expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(entities)}]><{root}>&lol9;</{root}>'.encode()


def corpus() -> dict[str, bytes]:
    deep = b"<html><body>" + b"<div>" * 100_000 + b"<p>" + b"deep words " * 50 + b"</p>" + b"</div>" * 100_000
    return {
        "empty.html": b"",
        "random-bytes.html": os.urandom(64 * 1024),
        "nul-bytes.html": _STORY.replace(b"<p>", b"<p>\x00\x00", 3),
        "invalid-utf8.html": _STORY.replace(b"<p>", b"<p>\xff\xfe\xc3\x28", 5),
        "mislabelled.html": _STORY.decode().encode("cp1252", "replace"),
        "deep-nesting.html": deep,
        "fifty-megabytes.html": b"<html><body><p>" + b"word " * (10 * 1024 * 1024) + b"</p></body></html>",
        "ansi-title.html": _STORY.replace(b"<h1>", b"<h1>\x1b]0;owned\x07\x1b[2J"),
        "rtl-emoji.html": _STORY.replace(b"<p>", "<p>\u05e9\u05dc\u05d5\u05dd \U0001f680 \u202e".encode(), 2),
        "xml-bomb.html": _billion_laughs("html"),
        "external-entity.html": b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><p>&x;</p></body></html>',
    }


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, body in corpus().items():
        (folder / name).write_bytes(body)
    # A gzip bomb: a small file that inflates to a gigabyte of zeros.
    with gzip.open(folder / "bomb.html.gz", "wb", compresslevel=9) as bomb:
        for _ in range(1024):
            bomb.write(b"\x00" * (1024 * 1024))
    return folder


def peak_rss_mb(args: list[str]) -> tuple[int, str, float]:
    """Run a command; its exit code, stderr and peak resident memory (MB)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    timer = threading.Timer(TIMEOUT, process.kill)
    timer.start()
    try:
        err = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
        process.stderr.close()
        process.returncode = 0  # reaped above; keep Popen from waiting again
    code = os.waitstatus_to_exitcode(status)
    assert code != -9, f"newsarchive {' '.join(args)} hung past {TIMEOUT} s"
    return code, err.decode(errors="replace"), usage.ru_maxrss / 1024


def assert_clean(code: int, err: str, rss: float, what: str) -> None:
    assert code in (0, 1, 2), f"{what}: exit {code}\n{err}"
    assert "Traceback" not in err, f"{what}:\n{err}"
    assert "\x1b" not in err
    assert rss < MAX_RSS_MB, f"{what}: {rss:.0f} MB"


def test_extract_each_file(hostile_files):
    for path in sorted(hostile_files.iterdir()):
        code, err, rss = peak_rss_mb(["extract", str(path), "--url", "https://hostile.example/a"])
        assert_clean(code, err, rss, f"extract {path.name}")


def test_add_them_all(hostile_files, tmp_path):
    code, err, rss = peak_rss_mb(["--archive", str(tmp_path / "a"), "add", str(hostile_files)])
    assert_clean(code, err, rss, "add")
    assert code == 1  # some pages hold no article: said, and the rest kept


def test_import_them_all(hostile_files, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "hostile.warc.gz"
    with open(warc, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for n, (name, body) in enumerate(corpus().items()):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://hostile.example/story-number-{n}-{name}", "response", payload=io.BytesIO(body),
                length=len(body), http_headers=headers,
            ))  # fmt: skip
    code, err, rss = peak_rss_mb(["--archive", str(tmp_path / "a"), "import", str(warc)])
    assert_clean(code, err, rss, "import")


def test_crawl_a_hostile_site(hostile_files, tmp_path):
    with SiteServer() as server:
        site = server.site
        for n, (name, body) in enumerate(corpus().items()):
            site.extra[f"/story-number-{n}-{name.removesuffix('.html')}"] = Reply(
                200, body, {"Content-Type": "text/html"}
            )
        bomb = gzip.compress(b"\x00" * (200 * 1024 * 1024), compresslevel=9)
        site.extra["/gzip-bomb-story-page"] = Reply(
            200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )
        site.extra_links += ["/gzip-bomb-story-page", "/endless-redirect-story-0"]
        site.extra["/sitemap.xml"] = Reply(
            200, _billion_laughs("urlset"), {"Content-Type": "application/xml"}
        )
        site.extra["/feed.xml"] = Reply(
            200,
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>&x;</title><link>/stolen-file-story-link</link></item></channel></rss>",
            {"Content-Type": "application/rss+xml"},
        )
        for n in range(30):  # redirects that never end (and never repeat)
            site.extra[f"/endless-redirect-story-{n}"] = Reply(
                302, b"", {"Location": f"{server.base}/endless-redirect-story-{n + 1}"}
            )
        archive = tmp_path / "a"
        code, err, rss = peak_rss_mb(
            ["--archive", str(archive), "crawl", server.base + "/", "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=False", "--json"]
        )  # fmt: skip
        assert_clean(code, err, rss, "crawl")
        requested = [hit.path for hit in server.hits]
    assert not any("passwd" in path or "root:" in path for path in requested)
    exported = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "export"],
        capture_output=True,
        check=True,
    ).stdout
    assert b"root:x:0:0" not in exported and b"lollol" not in exported
    assert sum(p.startswith("/endless-redirect-story-") for p in requested) <= 7  # REDIRECT_MAX_TIMES + 1
    log = "".join(path.read_text(errors="replace") for path in (archive / "logs").glob("*.log"))
    assert "root:x:0:0" not in log
