"""WARC captures: written by the standard, read back byte for byte."""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchive.capture.warc import CaptureWriter, payload_digest, read_capture
from newsarchive.errors import CaptureError
from newsarchive.store import Capture


def test_write_and_read_back(tmp_path):
    payload = "<html><body>Café “quoted”</body></html>".encode()
    with CaptureWriter(tmp_path) as writer:
        capture = writer.write_resource("https://example.com/a", payload, date="2024-01-02T05:04:05+02:00")
    page = read_capture(tmp_path, capture)
    assert page.date == "2024-01-02T03:04:05Z"
    assert page.payload == payload
    assert page.uri == "https://example.com/a"
    assert page.content_type == "text/html"
    assert capture.digest == payload_digest(payload)


def test_files_are_standard_warc_with_a_warcinfo_first(tmp_path):
    with CaptureWriter(tmp_path) as writer:
        writer.write_resource("https://example.com/a", b"one")
        writer.write_resource("https://example.com/b", b"two")
    (path,) = tmp_path.glob("*.warc.gz")
    with open(path, "rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(stream)]
    assert records == [
        ("warcinfo", None),
        ("resource", "https://example.com/a"),
        ("resource", "https://example.com/b"),
    ]
    with open(path, "rb") as stream:
        version = next(iter(ArchiveIterator(stream))).rec_headers.protocol
    assert version == "WARC/1.1"


def test_rotation_by_size_and_no_file_when_nothing_is_captured(tmp_path):
    with CaptureWriter(tmp_path / "empty"):
        pass
    assert not (tmp_path / "empty").exists()
    with CaptureWriter(tmp_path, max_bytes=2_000) as writer:
        captures = [
            writer.write_resource(f"https://example.com/{n}", bytes(range(256)) * 8) for n in range(5)
        ]
    assert len({c.file for c in captures}) > 1
    for n, capture in enumerate(captures):
        assert read_capture(tmp_path, capture).uri == f"https://example.com/{n}"


def test_two_writers_never_share_a_file(tmp_path):
    with CaptureWriter(tmp_path) as first, CaptureWriter(tmp_path) as second:
        a = first.write_resource("https://example.com/a", b"a")
        b = second.write_resource("https://example.com/b", b"b")
    assert a.file != b.file


def test_truncated_record_is_a_clear_error(tmp_path):
    with CaptureWriter(tmp_path) as writer:
        capture = writer.write_resource("https://example.com/a", b"x" * 10_000)
    path = tmp_path / capture.file
    path.write_bytes(path.read_bytes()[: capture.offset + 40])
    with pytest.raises(CaptureError, match="unreadable|no WARC record"):
        read_capture(tmp_path, capture)


def test_missing_file_and_path_traversal_are_refused(tmp_path):
    with pytest.raises(CaptureError, match="missing"):
        read_capture(tmp_path, Capture("newsarchive-x.warc.gz", 0, ""))
    with pytest.raises(CaptureError, match="outside the archive"):
        read_capture(tmp_path, Capture("../../etc/passwd.warc.gz", 0, ""))
