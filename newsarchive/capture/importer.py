"""Pages from existing WARC files (Common Crawl's CC-NEWS, another crawler's).

The HTML responses inside are streamed out as pages for the ingest path;
what the archive holds already is passed over before it costs an
extraction. A corrupt or truncated file is reported with where it broke,
and the records before that point are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.capture.warc import Exchange, tail_problem
from newsarchive.page import Page
from newsarchive.store import CrawlState
from newsarchive.urls import LISTING, SKIP, kind_of

# Read at most this much of one record's payload: past it, it is no article.
MAX_PAYLOAD_BYTES = 15 * 1024 * 1024
# Headers that describe the payload as it was sent, not as it is re-kept.
_TRANSFER_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


@dataclass
class ImportTally:
    records: int = 0
    passed_over: Counter = field(default_factory=Counter)  # why a record was not a page to ingest
    broken_files: list[str] = field(default_factory=list)


def warc_pages(
    paths: list[Path], store: CrawlState, tally: ImportTally, progress: Callable[[int], None] | None = None
) -> Iterator[Page]:
    """The HTML responses of the WARC files, as pages, in file order;
    `progress` hears the bytes read so far, over all the files."""
    import zlib

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    class QuietIterator(ArchiveIterator):
        # warcio writes its doubts about a record to stderr; they are
        # counted (err_count) and reported here in one line instead.
        INC_RECORD = ""

    before = 0
    for path in paths:
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed below, the iterator reads from it)
        except OSError as error:
            tally.broken_files.append(f"{path}: {error.strerror}")
            yield Page(str(path), b"", unreadable=f"cannot read {path}: {error.strerror}")
            continue
        with stream:
            records = QuietIterator(stream, check_digests=True)
            read, last, end = 0, 0, 0
            try:
                for record in records:
                    page = _page(record, store, tally)
                    records.read_to_end(record)
                    if record.digest_checker.passed is False:
                        raise ArchiveLoadFailed("a record is cut short (its digest does not match)")
                    read += 1
                    tally.records += 1
                    last = records.get_record_offset()
                    end = last + records.get_record_length()
                    if progress:
                        progress(before + end)
                    if page is not None:
                        yield page
                if records.err_count:
                    raise ArchiveLoadFailed("records of a wrong length, or not a WARC file")
                problem = tail_problem(path, last, end)
                if problem:
                    raise ArchiveLoadFailed(problem)
            except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as error:
                where = f"{path} is broken after {read} records"
                tally.broken_files.append(f"{where}: {error}")
                yield Page(str(path), b"", unreadable=f"{where}; the records before were kept")
        before += path.stat().st_size


def _page(record, store: CrawlState, tally: ImportTally) -> Page | None:
    if record.rec_type != "response" or record.http_headers is None:
        tally.passed_over[f"{record.rec_type} record"] += 1
        return None
    status = record.http_headers.get_statuscode()
    content_type = record.http_headers.get_header("Content-Type") or ""
    if status != "200":
        tally.passed_over[f"http {status}"] += 1
        return None
    if "html" not in content_type.lower():
        tally.passed_over["not html"] += 1
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind_of(uri) in (LISTING, SKIP):
        tally.passed_over["listing or utility page"] += 1
        return None
    if store.is_archived(uri):
        tally.passed_over["already archived"] += 1
        return None
    payload = record.content_stream().read(MAX_PAYLOAD_BYTES + 1)
    date = _iso(record.rec_headers.get_header("WARC-Date"))
    exchange = Exchange(
        url=uri,
        method="GET",
        target="",
        request_headers=[],
        status=200,
        reason="OK",
        response_headers=[
            (k, v) for k, v in record.http_headers.headers if k.lower() not in _TRANSFER_HEADERS
        ],
        body=payload,
        date=date,
        ip_address=record.rec_headers.get_header("WARC-IP-Address"),
    )
    return Page(uri, payload, uri, content_type, http=exchange, fetched=date)


def _iso(warc_date: str | None) -> str:
    """A WARC-Date as ISO 8601; now when the record has none or a bad one."""
    from datetime import datetime

    from newsarchive.dates import now_iso

    try:
        return (
            datetime.fromisoformat((warc_date or "").replace("Z", "+00:00"))
            .replace(microsecond=0)
            .isoformat()
        )
    except ValueError:
        return now_iso()
