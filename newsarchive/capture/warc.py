"""Raw captures in WARC files, the web-archive standard (ISO 28500).

Every page that becomes an article is kept byte for byte, so a better
extractor can re-normalize the archive later without a single request.
Files are append-only and gzip-compressed one record per member, so a
record can be read from its offset alone. Each writing process starts its
own file (never appending to one another process may have left half
written) and rotates to a new one past `MAX_WARC_BYTES`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from newsarchive import __version__
from newsarchive.errors import CaptureError
from newsarchive.store import Capture

if TYPE_CHECKING:
    from warcio.warcwriter import WARCWriter

# The size the WARC standard's annex suggests for a file: 1 GB.
MAX_WARC_BYTES = 1_000_000_000
# zlib level of each record's gzip member. warcio compresses at 9; on the
# shared dataset's news pages (163 KB on average) that costs 3.8 ms a page
# against 2.5 ms at 6, for files 0.5% smaller, and a crawl compresses on
# its reactor thread.
GZIP_LEVEL = 6
_SAFE_NAME = re.compile(r"^[\w.-]+\.warc(\.gz)?$")


def payload_digest(payload: bytes) -> str:
    """The digest as WARC writes it (``sha1:`` + base32), to tell identical
    captures apart without reading them back."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


def warc_date(iso: str) -> str:
    """An ISO 8601 time as WARC writes it: UTC, with a "Z"."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class CaptureWriter:
    """Appends records to the archive's WARC files; opens a file only when
    the first record comes, so a run that captures nothing leaves none."""

    def __init__(self, directory: Path, *, max_bytes: int = MAX_WARC_BYTES):
        self.directory = directory
        self.max_bytes = max_bytes
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._serial = 0
        self._stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")

    def __enter__(self) -> CaptureWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def write_resource(
        self, uri: str, payload: bytes, *, content_type: str = "text/html", date: str | None = None
    ) -> Capture:
        """Keep a page that came from a file or a pipe, not from HTTP."""
        writer = self._current()
        headers = {"WARC-Date": warc_date(date)} if date else {}
        record = writer.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=content_type,
            warc_headers_dict=headers,
        )
        return self._append(record, payload)

    def write_exchange(
        self, exchange: Exchange, *, revisit_of: tuple[str, str] | None = None, with_request: bool = True
    ) -> Capture:
        """Keep an HTTP request and its response; with `revisit_of` (the
        URI and date of an identical earlier payload) the response is kept
        as a revisit record that points back to it instead of repeating it.
        Without `with_request` only the response is kept (an imported one,
        whose request is not known)."""
        from warcio.statusandheaders import StatusAndHeaders

        writer = self._current()
        date = warc_date(exchange.date)
        response_headers = StatusAndHeaders(
            f"{exchange.status} {exchange.reason}",
            [(k, v) for k, v in exchange.response_headers if k.lower() != "transfer-encoding"],
            protocol="HTTP/1.1",
        )
        warc_headers = {"WARC-Date": date}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if revisit_of:
            record = writer.create_revisit_record(
                exchange.url, payload_digest(exchange.body), revisit_of[0], warc_date(revisit_of[1]),
                http_headers=response_headers,
            )  # fmt: skip
            record.rec_headers.replace_header("WARC-Date", date)
        else:
            record = writer.create_warc_record(
                exchange.url, "response", payload=io.BytesIO(exchange.body), length=len(exchange.body),
                http_headers=response_headers, warc_headers_dict=warc_headers,
            )  # fmt: skip
        capture = self._append(record, exchange.body)
        if not with_request:
            return capture
        request = writer.create_warc_record(
            exchange.url, "request",
            http_headers=StatusAndHeaders(
                f"{exchange.method} {exchange.target} HTTP/1.1", exchange.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
        )  # fmt: skip
        self._append(request, b"")
        return capture

    def _append(self, record, payload: bytes) -> Capture:
        assert self._file is not None and self._writer is not None  # opened by _current()
        offset = self._file.tell()
        try:
            self._writer.write_record(record)
            self._file.flush()
        except OSError as error:
            raise CaptureError(
                _explain(error, self.directory, f"cannot write the capture to {self._name}")
            ) from None
        return Capture(self._name, offset, payload_digest(payload))

    def _current(self):
        if self._file is not None and self._file.tell() >= self.max_bytes:
            self.close()
        if self._file is None:
            self._open_next()
        return self._writer

    def _open_next(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            while True:
                self._serial += 1
                self._name = f"newsarchive-{self._stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
                try:
                    # "x": never reuse a name, even one left by a process
                    # with the same pid in the same second.
                    self._file = open(self.directory / self._name, "xb")  # noqa: SIM115 (closed in close())
                    break
                except FileExistsError:
                    continue
        except OSError as error:
            raise CaptureError(
                _explain(error, self.directory, f"cannot create a WARC file in {self.directory}")
            ) from None
        self._writer = _writer_class()(self._file, gzip=False, warc_version="WARC/1.1")
        info = self._writer.create_warcinfo_record(
            self._name,
            {
                "software": f"newsarchive/{__version__}",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            },
        )
        self._writer.write_record(info)
        self._file.flush()


@functools.cache
def _writer_class():
    """warcio's writer, each record in a gzip member of GZIP_LEVEL; made on
    first use, as warcio is imported only by commands that write."""
    from warcio.warcwriter import WARCWriter

    class LeveledWriter(WARCWriter):
        def _write_warc_record(self, out, record):
            # Built with gzip=False, so warcio writes the record as is.
            super()._write_warc_record(_GzipMember(out), record)

    return LeveledWriter


class _GzipMember:
    """What warcio writes one record through: a gzip member, ended by flush()."""

    def __init__(self, out):
        self._out = out
        self._zip = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self._out.write(self._zip.compress(data))

    def flush(self) -> None:
        self._out.write(self._zip.flush())
        self._out.flush()


def _explain(error: OSError, directory: Path, what: str) -> str:
    from newsarchive.errors import disk_error

    known = disk_error(error, directory.parent)
    return str(known) if known else f"{what}: {error.strerror}"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as they went over the wire."""

    url: str
    method: str
    target: str  # the request line's path and query
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes  # as received: still compressed when the server compressed it
    date: str  # ISO 8601
    ip_address: str | None = None


@dataclass(frozen=True)
class CapturedPage:
    uri: str
    date: str
    content_type: str | None
    payload: bytes


def read_capture(directory: Path, capture: Capture) -> CapturedPage:
    """The page kept in one WARC record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not _SAFE_NAME.match(capture.file):
        raise CaptureError(f"refusing to read a capture outside the archive: {capture.file!r}")
    path = directory / capture.file
    try:
        with open(path, "rb") as stream:
            stream.seek(capture.offset)
            record = next(iter(ArchiveIterator(stream)), None)
            if record is None:
                raise CaptureError(f"no WARC record at offset {capture.offset} of {path}")
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date") or ""
            if record.rec_type in ("response", "revisit") and record.http_headers:
                content_type = record.http_headers.get_header("Content-Type")
            else:
                content_type = record.rec_headers.get_header("Content-Type")
            payload = record.content_stream().read()
    except FileNotFoundError:
        raise CaptureError(f"the capture file {path} is missing") from None
    except (OSError, ArchiveLoadFailed, EOFError, ValueError) as error:
        raise CaptureError(
            f"the capture in {path} at offset {capture.offset} is unreadable: {error}"
        ) from None
    return CapturedPage(uri, date, content_type, payload)


def tail_problem(path: Path, last_offset: int, end: int) -> str | None:
    """What is wrong with a WARC file after its last whole record (which
    starts at `last_offset` and ends at `end`), or None if nothing is.

    A writer killed mid-record leaves either bytes after the last record,
    or a last gzip member without its trailer (its content may even read in
    full); an uncompressed file ends with blank lines, which are fine.
    """
    import zlib

    with open(path, "rb") as stream:
        stream.seek(end)
        if stream.read(64).strip():
            return "the file ends inside a record"
        if path.name.endswith(".gz") and end > last_offset:
            stream.seek(last_offset)
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                member.decompress(stream.read(end - last_offset))
            except zlib.error as error:
                return f"its last record is damaged ({error})"
            if not member.eof:
                return "its last record is cut short"
    return None
