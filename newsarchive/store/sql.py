"""The store's roles in SQL, shared by its SQL backends (store/sqlite.py,
store/postgres.py).

Statements are written once, in the SQL both engines speak, with `?`
parameters; a backend supplies the connection (`_x`, `_xm`, `_insert_id`,
`_transaction`), the few spellings that differ (ROWID, GREATEST) and what
concurrent writers need (`_lock`: SQLite has one writer at a time, so it
needs none; PostgreSQL takes an advisory lock for the transaction).
"""

from __future__ import annotations

import contextlib
import functools
import json
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Self

from newsarchive.article import ID_HEX_DIGITS, RECORD_FIELDS, Article
from newsarchive.errors import BadInput
from newsarchive.store.api import (
    Alert,
    Capture,
    Change,
    Cluster,
    CopyEdge,
    CopyPrint,
    PutResult,
    Queued,
    Recheck,
    StoredArticle,
    Version,
)

_JSON_FIELDS = ("authors", "tags", "images")
# The article record's fields are the articles table's columns, one for one,
# with the provenance of its values beside them.
_ARTICLE_COLUMNS = (*RECORD_FIELDS, "provenance")


class SQLStore:
    """Every role of store/api.py over a DB-API connection."""

    ROWID = "rowid"  # a column that numbers rows in the order they were made
    GREATEST = "max"  # the larger of two values
    # Which changes a follower may read: those no transaction still writing
    # can come before (see store/postgres.py).
    SETTLED = "1 = 1"
    # The store's clock in POSIX seconds (one clock for every machine), and
    # what a claim adds to skip rows another transaction is claiming.
    NOW = "((julianday('now') - 2440587.5) * 86400.0)"
    SKIP_LOCKED = ""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _x(self, sql: str, values: Sequence = ()):
        """Run one statement; its cursor."""
        raise NotImplementedError

    def _xm(self, sql: str, rows: Iterable[Sequence]) -> None:
        raise NotImplementedError

    def _insert_id(self, sql: str, values: Sequence, key: str = "id") -> int:
        """Run an INSERT; the value it made for the column `key`."""
        raise NotImplementedError

    def _transaction(self) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def _lock(self, name: str) -> None:
        """Hold `name` until the transaction ends (writers that may run at
        once take it before what they must not do together)."""

    def hold(self, name: str) -> bool:
        """Take `name` until `release`, across transactions, if no other
        process sharing the store holds it; whether taken. One machine's
        store needs none (its file locks do): always taken."""
        return True

    def release(self, name: str) -> None:
        return None

    def _failure(self, error: BaseException) -> Exception | None:
        """A driver's or the disk's failure as a domain error, else None."""
        return None

    # -- writes --------------------------------------------------------------

    def put(
        self,
        article: Article,
        *,
        now: str,
        capture: Capture | None = None,
        keep_revision: bool = True,
        changes: tuple[str, ...] = (),
        detail: dict | None = None,
    ) -> PutResult:
        """Insert or update an article, in one transaction.

        Unchanged content only refreshes `last_seen`; a change of any field
        is logged for the index; a change of what readers see (title,
        subtitle, text) is a new version (with the `changes` and `detail`
        its caller classified), unless `keep_revision` is off (a
        re-normalization of the same capture is not a new version, nor is a
        revert to an earlier one).
        """
        record = _row_values(article)
        capture_values = (capture.file, capture.offset, capture.digest) if capture else (None, None, None)
        with self._transaction():
            self._lock(f"article {article.id}")
            old = self._x("SELECT * FROM articles WHERE id = ?", (article.id,)).fetchone()
            if old is not None and all(old[c] == record[c] for c in RECORD_FIELDS if c != "fetched"):
                self._x(
                    "UPDATE articles SET last_seen = ?, fetched = coalesce(?, fetched), provenance = ?,"
                    " capture_file = coalesce(capture_file, ?),"
                    " capture_offset = coalesce(capture_offset, ?),"
                    " capture_digest = coalesce(capture_digest, ?) WHERE id = ?",
                    (now, article.fetched, record["provenance"], *capture_values, article.id),
                )
                return PutResult("unchanged", article.id, None)
            seq = self._log_change(article.id, "put", now)
            self._recount(old, article)
            if old is None:
                self._x(
                    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, first_seen, last_seen,"
                    " capture_file, capture_offset, capture_digest, seq)"
                    f" VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}, ?, ?, ?, ?, ?, ?)",
                    (*(record[c] for c in _ARTICLE_COLUMNS), now, now, *capture_values, seq),
                )
                return PutResult("new", article.id, seq)
            if old["content_hash"] != article.content_hash:
                self._new_version(old, article, record, now, capture_values, changes, detail, keep_revision)
            assignments = ", ".join(f"{c} = ?" for c in _ARTICLE_COLUMNS if c != "id")
            self._x(
                f"UPDATE articles SET {assignments}, last_seen = ?, seq = ?,"
                " capture_file = coalesce(?, capture_file),"
                " capture_offset = coalesce(?, capture_offset),"
                " capture_digest = coalesce(?, capture_digest) WHERE id = ?",
                (
                    *(record[c] for c in _ARTICLE_COLUMNS if c != "id"),
                    now,
                    seq,
                    *capture_values,
                    article.id,
                ),
            )
            return PutResult("updated", article.id, seq)

    def _new_version(self, old, article, record, now, capture_values, changes, detail, keep) -> None:
        """The article row's text is about to change: the version that held
        it gets its own copy (the first version's row is made now, from the
        article row, if the article never changed before); and, when `keep`,
        a row for the new version."""
        latest = self._x("SELECT max(version) FROM versions WHERE article_id = ?", (old["id"],)).fetchone()[0]
        if latest is None:
            self._x(
                "INSERT INTO versions (article_id, version, observed, modified, authors, title, subtitle, text,"
                " word_count, content_hash, capture_file, capture_offset, capture_digest)"
                " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    old["id"], old["first_seen"], old["modified"], old["authors"], old["title"],
                    old["subtitle"], old["text"], old["word_count"], old["content_hash"],
                    old["capture_file"], old["capture_offset"], old["capture_digest"],
                ),
            )  # fmt: skip
            latest = 1
        else:
            self._x(
                "UPDATE versions SET title = ?, subtitle = ?, text = ? WHERE article_id = ? AND text IS NULL",
                (old["title"], old["subtitle"], old["text"], old["id"]),
            )
        if not keep:
            return
        self._x(
            "INSERT INTO versions (article_id, version, observed, modified, authors, word_count, content_hash,"
            " changes, detail, capture_file, capture_offset, capture_digest)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                old["id"], latest + 1, now, article.modified, record["authors"], article.word_count,
                article.content_hash, json.dumps(list(changes)), json.dumps(detail or {}), *capture_values,
            ),
        )  # fmt: skip

    def versions(self, article_id: str, *, notes: bool = False) -> list[Version]:
        article = self._x("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if article is None:
            return []
        rows = self._x(
            "SELECT * FROM versions WHERE article_id = ? ORDER BY version", (article_id,)
        ).fetchall()
        if not rows:
            found = [
                Version(
                    1, article["first_seen"], article["modified"], article["title"], article["subtitle"],
                    article["text"], tuple(json.loads(article["authors"])), article["word_count"],
                    article["content_hash"], (), {}, _capture(article),
                )
            ]  # fmt: skip
        else:
            found = [
                Version(
                    row["version"], row["observed"], row["modified"],
                    article["title"] if row["text"] is None else row["title"],
                    article["subtitle"] if row["text"] is None else row["subtitle"],
                    article["text"] if row["text"] is None else row["text"],
                    tuple(json.loads(row["authors"])), row["word_count"], row["content_hash"],
                    tuple(json.loads(row["changes"])), json.loads(row["detail"]), _capture(row),
                )
                for row in rows
            ]  # fmt: skip
        if not notes:
            return found
        # Each note goes after the version that was the latest when it was made.
        after: dict[int, list[Version]] = {}
        for row in self._x(
            f"SELECT * FROM version_notes WHERE article_id = ? ORDER BY {self.ROWID}", (article_id,)
        ):
            after.setdefault(min(row["after_version"], len(found)), []).append(
                Version(
                    row["version"], row["observed"], None, None, None, None, (), None, None, (), {},
                    _capture(row), row["note"], row["reason"],
                )
            )  # fmt: skip
        return [item for version in found for item in (version, *after.get(version.number or 0, ()))]

    def note_version(
        self,
        article_id: str,
        *,
        now: str,
        note: str,
        version: int | None = None,
        reason: str | None = None,
        capture: Capture | None = None,
    ) -> None:
        capture_values = (capture.file, capture.offset, capture.digest) if capture else (None, None, None)
        with self._transaction():
            self._x(
                "INSERT INTO version_notes (article_id, observed, note, version, after_version, reason,"
                " capture_file, capture_offset, capture_digest) VALUES (?, ?, ?, ?,"
                " (SELECT coalesce(max(version), 1) FROM versions WHERE article_id = ?), ?, ?, ?, ?)",
                (article_id, now, note, version, article_id, reason, *capture_values),
            )

    def earlier_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, list[str]] = {}
        sql = (
            "SELECT article_id, title, subtitle, text FROM versions WHERE text IS NOT NULL"
            " AND article_id IN ({}) ORDER BY article_id, version"
        )
        for row in self._rows_in(sql, article_ids):
            found.setdefault(row[0], []).extend(part for part in row[1:] if part)
        return {article_id: "\n\n".join(parts) for article_id, parts in found.items()}

    def changed_since(self, moment: str) -> list[str]:
        rows = self._x(
            "SELECT article_id FROM versions WHERE version > 1 AND observed >= ?"
            " UNION SELECT article_id FROM version_notes WHERE note IN ('reverted', 'appended') AND observed >= ?",
            (moment, moment),
        )
        return [row[0] for row in rows]

    # -- copies ----------------------------------------------------------------

    def copy_prints(self, *, days: tuple[int, int] | None = None, after: int = 0) -> list[CopyPrint]:
        sql = "SELECT article_id, day, stamp, bands, body FROM clusters WHERE stamp > ?"
        values: tuple = (after,)
        if days is not None:
            sql += " AND day BETWEEN ? AND ?"
            values += days
        return [CopyPrint(row[0], row[1], row[2], json.loads(row[3]), row[4]) for row in self._x(sql, values)]

    def copy_stamp(self) -> int:
        return self._x("SELECT coalesce(max(stamp), 0) FROM clusters").fetchone()[0]

    def record_copies(
        self, article_id: str, *, day: int, bands: list[int], body: str, edges: list[CopyEdge]
    ) -> str:
        with self._transaction():
            self._lock("copies")  # one linker at a time: stamps grow in commit order
            row = self._x("SELECT cluster_id FROM clusters WHERE article_id = ?", (article_id,)).fetchone()
            if row is not None:  # recorded before: its earlier copies go
                self._x("DELETE FROM copy_edges WHERE article_id = ?", (article_id,))
            edges = [e for e in edges if e.other_id != article_id]
            self._xm(
                "INSERT INTO copy_edges (article_id, other_id, relation, containment) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (article_id, other_id) DO UPDATE SET relation = excluded.relation,"
                " containment = excluded.containment",
                [(article_id, e.other_id, e.relation, e.containment) for e in edges],
            )
            stamp = "(SELECT coalesce(max(stamp), 0) + 1 FROM clusters)"
            if row is None:
                # `added` orders a day's members by when each was first
                # stored (the article's row), not by when linking reached it:
                # an article edited since is linked after its later copies.
                added = f"coalesce((SELECT {self.ROWID} FROM articles WHERE id = ?), (SELECT max(added) + 1 FROM clusters), 1)"
                self._x(
                    "INSERT INTO clusters (article_id, cluster_id, day, added, bands, body, stamp) VALUES"
                    f" (?, ?, ?, {added}, ?, ?, {stamp})",
                    (article_id, article_id, day, article_id, json.dumps(bands), body),
                )
                if not edges:  # a story of its own (so far): its own cluster
                    return article_id
            else:
                self._x(
                    f"UPDATE clusters SET day = ?, bands = ?, body = ?, stamp = {stamp} WHERE article_id = ?",
                    (day, json.dumps(bands), body, article_id),
                )
            ids = [article_id, *(e.other_id for e in edges)]
            rows = self._x(
                f"SELECT DISTINCT cluster_id FROM clusters WHERE article_id IN ({', '.join('?' * len(ids))})",
                ids,
            ).fetchall()
            merged = [row[0] for row in rows]
            # The representative: the earliest member of the clusters joined.
            first = self._x(
                f"SELECT article_id FROM clusters WHERE cluster_id IN ({', '.join('?' * len(merged))})"
                " ORDER BY day, added LIMIT 1",
                merged,
            ).fetchone()[0]
            if len(merged) > 1 or merged[0] != first:
                self._x(
                    f"UPDATE clusters SET cluster_id = ? WHERE cluster_id IN ({', '.join('?' * len(merged))})",
                    (first, *merged),
                )
            return first

    def copies_seq(self) -> int:
        row = self._x("SELECT value FROM meta WHERE key = 'copies_seq'").fetchone()
        return int(row[0]) if row else 0

    @contextlib.contextmanager
    def linking(self, upto: int, *, start: int | None = None) -> Iterator[bool]:
        with self._transaction():
            self._lock("copies")
            if start is not None and self.copies_seq() != start:
                yield False  # another process linked this batch meanwhile
                return
            yield True
            self._x(
                "INSERT INTO meta (key, value) VALUES ('copies_seq', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(upto),),
            )

    def linked(self, article_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        sql = "SELECT article_id, day, body FROM clusters WHERE article_id IN ({})"
        return {row[0]: (row[1], row[2]) for row in self._rows_in(sql, article_ids)}

    def copy_edges(self, article_id: str) -> list[CopyEdge]:
        rows = self._x(
            "SELECT article_id, other_id, relation, containment FROM copy_edges WHERE article_id = ?"
            " UNION SELECT article_id, other_id, relation, containment FROM copy_edges WHERE other_id = ?",
            (article_id, article_id),
        )
        return [CopyEdge(*row) for row in rows]

    def cluster_ids(self, article_ids: Iterable[str]) -> dict[str, str]:
        sql = "SELECT article_id, cluster_id FROM clusters WHERE article_id IN ({})"
        return {row[0]: row[1] for row in self._rows_in(sql, article_ids)}

    def clusters_of(self, article_ids: Iterable[str]) -> dict[str, Cluster]:
        cluster_of = self.cluster_ids(dict.fromkeys(article_ids))
        members: dict[str, list[tuple[str, str]]] = {}
        sql = (
            "SELECT m.cluster_id, m.article_id, a.source FROM clusters m JOIN articles a ON a.id = m.article_id"
            " WHERE m.cluster_id IN ({}) ORDER BY m.day, m.added"
        )
        for cluster_id, member, source in self._rows_in(sql, sorted(set(cluster_of.values()))):
            members.setdefault(cluster_id, []).append((member, source))
        found = {}
        for article_id, cluster_id in cluster_of.items():
            listed = members.get(cluster_id, [])
            found[article_id] = Cluster(
                cluster_id, [m for m, _ in listed], list(dict.fromkeys(s for _, s in listed))
            )
        return found

    # -- alerts ----------------------------------------------------------------

    def add_alert(self, alert: Alert, seen: Iterable[str]) -> None:
        with self._transaction():
            if self._x("SELECT 1 FROM alerts WHERE name = ?", (alert.name,)).fetchone():
                raise BadInput(
                    f"an alert named {alert.name!r} exists; `newsarchive alerts remove {alert.name}` first,"
                    " or choose another name"
                )
            self._x(
                "INSERT INTO alerts (name, query, filters, command, created, last_seq) VALUES (?, ?, ?, ?, ?, ?)",
                (alert.name, alert.query, json.dumps(alert.filters), alert.command, alert.created, alert.last_seq),
            )  # fmt: skip
            self._xm(
                "INSERT INTO alert_seen (alert, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                ((alert.name, article_id) for article_id in seen),
            )

    def alerts(self) -> list[Alert]:
        rows = self._x(
            "SELECT name, query, filters, command, created, last_run, last_seq, reported FROM alerts ORDER BY name"
        )
        return [Alert(row[0], row[1], json.loads(row[2]), *row[3:]) for row in rows]

    def remove_alert(self, name: str) -> bool:
        with self._transaction():
            self._x("DELETE FROM alert_seen WHERE alert = ?", (name,))
            return self._x("DELETE FROM alerts WHERE name = ?", (name,)).rowcount > 0

    def alert_seen(self, name: str, article_ids: Iterable[str]) -> set[str]:
        sql = "SELECT article_id FROM alert_seen WHERE alert = ? AND article_id IN ({})"
        return {row[0] for row in self._rows_in(sql, article_ids, before=(name,))}

    def alert_ran(
        self, name: str, *, seq: int, now: str, reported: Sequence[str], passed: Sequence[str]
    ) -> None:
        with self._transaction():
            self._xm(
                "INSERT INTO alert_seen (alert, article_id, reported) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(name, article_id, now) for article_id in reported] + [(name, article_id, None) for article_id in passed],
            )  # fmt: skip
            self._x(
                f"UPDATE alerts SET last_seq = {self.GREATEST}(last_seq, ?), last_run = ?, reported = reported + ? WHERE name = ?",
                (seq, now, len(reported), name),
            )

    # -- re-checks -------------------------------------------------------------

    def plan_recheck(self, plan: Recheck, *, checked: bool = False) -> None:
        with self._transaction():
            self._x(
                "INSERT INTO rechecks (article_id, url, source, due, wait, quiet_since, stage, checks, hint)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET"
                " url = excluded.url, source = excluded.source, due = excluded.due, wait = excluded.wait,"
                " quiet_since = excluded.quiet_since, stage = excluded.stage,"
                " checks = rechecks.checks + ?, hint = coalesce(excluded.hint, rechecks.hint)",
                (
                    plan.article_id, plan.url, plan.source, plan.due, plan.wait, plan.quiet_since, plan.stage,
                    int(checked), json.dumps(plan.hint) if plan.hint is not None else None, int(checked),
                ),
            )  # fmt: skip

    def recheck_of(self, article_id: str) -> Recheck | None:
        row = self._x("SELECT * FROM rechecks WHERE article_id = ?", (article_id,)).fetchone()
        return _recheck(row) if row else None

    def due_rechecks(self, source: str, *, now: float, limit: int = 1000) -> list[Recheck]:
        rows = self._x(
            "SELECT * FROM rechecks WHERE source = ? AND due <= ? ORDER BY due LIMIT ?", (source, now, limit)
        )
        return [_recheck(row) for row in rows]

    def next_recheck(self, source: str) -> float | None:
        return self._x("SELECT min(due) FROM rechecks WHERE source = ?", (source,)).fetchone()[0]

    def delete(self, article_id: str, *, now: str) -> bool:
        with self._transaction():
            # In the order put and linking take them: article, copies, changes.
            self._lock(f"article {article_id}")
            old = self._x("SELECT source, text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if old is None:
                return False
            self._lock("copies")
            self._log_change(article_id, "delete", now)
            self._x("DELETE FROM articles WHERE id = ?", (article_id,))
            for table in ("versions", "version_notes", "rechecks", "clusters"):
                self._x(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            self._x("DELETE FROM copy_edges WHERE article_id = ? OR other_id = ?", (article_id, article_id))
            self._recount(old, None)
            return True

    def _recount(self, old, new: Article | None) -> None:
        """Keep `paragraph_counts` in step with the stored texts: how many of
        each source's articles hold each paragraph."""
        from newsarchive import boilerplate  # writes only: a search never needs it

        before = boilerplate.paragraph_prints(old["text"]) if old is not None else {}
        after = boilerplate.paragraph_prints(new.text) if new is not None else {}
        moved = old is not None and new is not None and old["source"] != new.source
        if old is not None:
            gone = before.keys() if moved else before.keys() - after.keys()
            self._xm(
                "UPDATE paragraph_counts SET articles = articles - 1 WHERE source = ? AND print = ?",
                [(old["source"], fp) for fp in sorted(gone)],
            )
        if new is not None:
            added = after.keys() if moved else after.keys() - before.keys()
            # The sample is kept from the paragraph's second article on.
            self._xm(
                "INSERT INTO paragraph_counts (source, print, articles, sample) VALUES (?, ?, 1, '')"
                " ON CONFLICT (source, print) DO UPDATE SET articles = paragraph_counts.articles + 1,"
                " sample = CASE WHEN paragraph_counts.sample = '' THEN ? ELSE paragraph_counts.sample END",
                [(new.source, fp, after[fp]) for fp in sorted(added)],
            )

    # -- crawl state -----------------------------------------------------------

    def is_archived(self, url: str) -> bool:
        """Whether an article was stored from this URL (as fetched or canonical)."""
        row = self._x(
            "SELECT 1 FROM articles WHERE url = ? OR canonical_url = ? LIMIT 1", (url, _canonical(url))
        ).fetchone()
        return row is not None

    def url_state(self, url: str) -> dict | None:
        row = self._x("SELECT * FROM urls WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def record_url(
        self,
        url: str,
        *,
        kind: str,
        now: str,
        status: int | None = None,
        fetched: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        reason: str | None = None,
        article_id: str | None = None,
    ) -> None:
        """Remember what happened to a URL: fetched (with its status and
        validators), or skipped and why."""
        with self._transaction():
            self._x(
                "INSERT INTO urls (url, kind, first_seen, last_fetched, status, etag, last_modified, reason,"
                " article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET kind = excluded.kind,"
                " last_fetched = coalesce(excluded.last_fetched, urls.last_fetched),"
                " status = coalesce(excluded.status, urls.status),"
                " etag = CASE WHEN excluded.last_fetched IS NULL THEN urls.etag ELSE excluded.etag END,"
                " last_modified = CASE WHEN excluded.last_fetched IS NULL THEN urls.last_modified"
                " ELSE excluded.last_modified END,"
                " reason = excluded.reason, article_id = coalesce(excluded.article_id, urls.article_id)",
                (url, kind, now, now if fetched else None, status, etag, last_modified, reason, article_id),
            )

    def urls_of_kind(self, kind: str, prefix: str) -> list[str]:
        """URLs of one kind seen before under a prefix (a site's root)."""
        rows = self._x(
            "SELECT url FROM urls WHERE kind = ? AND url >= ? AND url < ? ORDER BY url",
            (kind, prefix, prefix + "\uffff"),
        )
        return [row[0] for row in rows]

    # -- crawl frontier --------------------------------------------------------

    def frontier_states(self, job: str) -> Iterator[tuple[str, str, str]]:
        """(url, kind, state) of every URL a job has discovered."""
        yield from self._x("SELECT url, kind, state FROM frontier WHERE job = ?", (job,))

    def frontier_save(
        self,
        job: str,
        found: Iterable[Queued],
        done: Iterable[tuple[str, str | None]] = (),
        *,
        shared: bool = False,
    ) -> None:
        """Add discovered URLs (each once) and mark URLs done, with their
        outcome, in one transaction: a page is never done before what it
        led to is saved. A URL found again is pending again; in a `shared`
        job (other crawlers found it, and may be fetching it) only a start
        page or a re-check (depth 1) that is done is."""
        again = "WHERE frontier.state = 'done' AND excluded.depth <= 1" if shared else ""
        # Sorted: two crawlers saving the same URLs lock them in one order.
        with self._transaction():
            self._xm(
                "INSERT INTO frontier (job, url, kind, depth, hints, via) VALUES (?, ?, ?, ?, ?, ?)"
                f" ON CONFLICT (job, url) DO UPDATE SET state = 'pending', outcome = NULL, holder = NULL {again}",
                [
                    (
                        job,
                        q.url,
                        q.kind,
                        q.depth,
                        json.dumps(q.hints, ensure_ascii=False) if q.hints else None,
                        json.dumps(list(q.via)) if q.via else None,
                    )
                    for q in sorted(found, key=lambda q: q.url)
                ],
            )
            self._xm(
                "UPDATE frontier SET state = 'done', outcome = ? WHERE job = ? AND url = ?",
                [(outcome, job, url) for url, outcome in sorted(done, key=lambda d: d[0])],
            )

    def frontier_claim(self, job: str, *, holder: int, limit: int, stale: float) -> list[Queued]:
        """Up to `limit` free pending URLs of a shared job, in discovery
        order, now held by the run `holder` (never one it holds already).
        Free: no run holds it, or its holder has ended, or has given no sign
        of life for `stale` seconds (a killed crawler)."""
        with self._transaction():
            rows = self._x(
                "SELECT f.id, f.url, f.kind, f.depth, f.hints, f.via FROM frontier f"
                " WHERE f.job = ? AND f.state = 'pending' AND (f.holder IS NULL OR f.holder <> ?) AND NOT EXISTS"
                " (SELECT 1 FROM runs r WHERE r.id = f.holder AND r.status = 'running'"
                f" AND r.beat >= {self.NOW} - ?) ORDER BY f.id LIMIT ?{self.SKIP_LOCKED}",
                (job, holder, stale, limit),
            ).fetchall()
            if rows:
                marks = ", ".join("?" * len(rows))
                self._x(
                    f"UPDATE frontier SET holder = ? WHERE id IN ({marks})",
                    (holder, *(row["id"] for row in rows)),
                )
        return [_queued(row) for row in rows]

    def frontier_held(self, job: str, *, holder: int) -> int:
        """Pending URLs of a shared job that other running runs hold (a
        silent one's too: they are free to claim once it is stale)."""
        return self._x(
            "SELECT count(*) FROM frontier f JOIN runs r ON r.id = f.holder WHERE f.job = ?"
            " AND f.state = 'pending' AND f.holder <> ? AND r.status = 'running'",
            (job, holder),
        ).fetchone()[0]

    def take_host(self, host: str, hold: float) -> float:
        """Take `host` for one request now, if it is free (0.0: taken, go),
        else the seconds until it may be (by the store's clock, one for
        every machine). A host taken is held for `hold` seconds, or until
        `free_host`: one request to a host at a time, for every crawler of
        the store together."""
        with self._transaction():
            taken = self._x(
                f"INSERT INTO host_slots (host, next_at) VALUES (?, {self.NOW} + ?) ON CONFLICT (host)"
                f" DO UPDATE SET next_at = excluded.next_at WHERE host_slots.next_at <= {self.NOW}",
                (host, hold),
            ).rowcount
            if taken:
                return 0.0
            row = self._x(f"SELECT next_at - {self.NOW} FROM host_slots WHERE host = ?", (host,)).fetchone()
        return max(row[0], 0.001)

    def free_host(self, host: str, delay: float) -> None:
        """The request that took `host` is answered (or failed): the next
        may go `delay` seconds from now."""
        with self._transaction():
            self._x(f"UPDATE host_slots SET next_at = {self.NOW} + ? WHERE host = ?", (delay, host))

    def beat(self, run_id: int) -> None:
        """A running crawl's sign of life (what keeps the URLs it holds)."""
        with self._transaction():
            self._x(f"UPDATE runs SET beat = {self.NOW} WHERE id = ?", (run_id,))

    def crawlers(self, *, stale: float) -> list[dict]:
        """Runs alive now (a sign of life within `stale` seconds): id,
        source, machine, pid, started, pages, and the URLs each holds."""
        rows = self._x(
            "SELECT r.id, r.source, r.machine, r.pid, r.started, r.pages,"
            " (SELECT count(*) FROM frontier f WHERE f.holder = r.id AND f.state = 'pending') AS holding"
            f" FROM runs r WHERE r.status = 'running' AND r.beat >= {self.NOW} - ? ORDER BY r.id",
            (stale,),
        ).fetchall()
        return [dict(row) for row in rows]

    def frontier_next(self, job: str, *, after: int, limit: int) -> list[Queued]:
        """Pending URLs in discovery order, after queue place `after`."""
        rows = self._x(
            "SELECT id, url, kind, depth, hints, via FROM frontier"
            " WHERE job = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT ?",
            (job, after, limit),
        ).fetchall()
        return [_queued(row) for row in rows]

    def frontier_pending(self, job: str) -> int:
        return self._x(
            "SELECT count(*) FROM frontier WHERE job = ? AND state = 'pending'", (job,)
        ).fetchone()[0]

    def frontier_jobs(self) -> dict[str, int]:
        """Jobs with URLs still to fetch, and how many."""
        rows = self._x("SELECT job, count(*) FROM frontier WHERE state = 'pending' GROUP BY job ORDER BY job")
        return dict(rows.fetchall())

    def frontier_close(self, job: str, *, finished_only: bool = False) -> bool:
        """Forget a job; with `finished_only`, only when no URL of it is
        pending (a shared job is closed by the last crawler working it).
        Whether it was."""
        with self._transaction():
            if (
                finished_only
                and self._x(
                    "SELECT 1 FROM frontier WHERE job = ? AND state = 'pending' LIMIT 1", (job,)
                ).fetchone()
            ):
                return False
            self._x("DELETE FROM frontier WHERE job = ?", (job,))
            return True

    def start_run(self, source: str, *, pid: int, now: str, machine: str | None = None) -> int:
        with self._transaction():
            return self._insert_id(
                "INSERT INTO runs (source, started, status, pid, machine, beat)"
                f" VALUES (?, ?, 'running', ?, ?, {self.NOW})",
                (source, now, pid, machine),
            )

    def update_run(self, run_id: int, *, pages: int, new: int, updated: int, errors: int) -> None:
        with self._transaction():
            self._x(
                f"UPDATE runs SET pages = ?, new = ?, updated = ?, errors = ?, beat = {self.NOW} WHERE id = ?",
                (pages, new, updated, errors, run_id),
            )

    def finish_run(self, run_id: int, *, status: str, now: str, summary: dict) -> None:
        """Record how a run ended."""
        with self._transaction():
            self._x(
                "UPDATE runs SET status = ?, finished = ?, summary = ? WHERE id = ?",
                (status, now, json.dumps(summary, ensure_ascii=False), run_id),
            )

    def interrupt_stale_runs(
        self,
        source: str,
        alive: Callable[[int], bool],
        *,
        now: str,
        machine: str | None = None,
        stale: float | None = None,
    ) -> int:
        """Mark runs left "running" by a process that is gone as interrupted:
        on this `machine` (or one that named none) a process `alive` says is
        not; on any, one silent for `stale` seconds."""
        rows = self._x(
            f"SELECT id, pid, machine, {self.NOW} - beat AS silent FROM runs WHERE source = ? AND status = 'running'",
            (source,),
        ).fetchall()
        gone = [
            row["id"]
            for row in rows
            if (row["machine"] in (None, machine) and not (row["pid"] and alive(row["pid"])))
            or (stale is not None and row["silent"] is not None and row["silent"] > stale)
        ]
        with self._transaction():
            self._xm(
                "UPDATE runs SET status = 'interrupted', finished = ? WHERE id = ?", [(now, i) for i in gone]
            )
        return len(gone)

    def crawl_health(self) -> list[dict]:
        """Per crawled source: its runs, how the last went, and how many of
        the last ten did not end well."""
        health = []
        for (source,) in self._x("SELECT DISTINCT source FROM runs ORDER BY source").fetchall():
            recent = self.runs(source=source, limit=10)
            last = recent[0]
            health.append(
                {
                    "source": source,
                    "runs": self._x("SELECT count(*) FROM runs WHERE source = ?", (source,)).fetchone()[0],
                    "last_started": last["started"],
                    "last_status": last["status"],
                    "last_errors": last["errors"],
                    "troubled_of_last_10": sum(
                        r["status"] in ("failed", "interrupted", "incomplete") for r in recent
                    ),
                }
            )
        return health

    def runs(self, *, source: str | None = None, limit: int = 50) -> list[dict]:
        """Crawl runs, newest first."""
        query = "SELECT * FROM runs" + (" WHERE source = ?" if source else "") + " ORDER BY id DESC LIMIT ?"
        rows = self._x(query, (source, limit) if source else (limit,)).fetchall()
        return [{**dict(row), "summary": json.loads(row["summary"])} for row in rows]

    def payload(self, digest: str) -> tuple[str, str, Capture] | None:
        """(URI, WARC date, capture) of the first capture of a payload, so an
        identical one can be written as a revisit pointing back at it."""
        row = self._x("SELECT * FROM payloads WHERE digest = ?", (digest,)).fetchone()
        return (row["uri"], row["date"], Capture(row["file"], row["offset"], digest)) if row else None

    def add_payload(self, uri: str, date: str, capture: Capture) -> None:
        with self._transaction():
            self._x(
                'INSERT INTO payloads (digest, uri, date, file, "offset") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
                (capture.digest, uri, date, capture.file, capture.offset),
            )

    # -- site knowledge --------------------------------------------------------

    def boilerplate_of(self, source: str) -> frozenset[str]:
        """Fingerprints of the paragraphs learnt as the source's boilerplate."""
        rows = self._x("SELECT print FROM boilerplate WHERE source = ?", (source,))
        return frozenset(row[0] for row in rows)

    def learn_boilerplate(self, source: str, *, now: str) -> dict[str, str]:
        """Learn the paragraphs now common enough in the source's articles to
        be its boilerplate; returns the newly learnt {fingerprint: paragraph}."""
        from newsarchive import boilerplate

        with self._transaction():
            articles = self._x("SELECT count(*) FROM articles WHERE source = ?", (source,)).fetchone()[0]
            rows = self._x(
                "SELECT print, sample FROM paragraph_counts c WHERE source = ? AND articles >= ?"
                " AND NOT EXISTS (SELECT 1 FROM boilerplate b WHERE b.source = c.source AND b.print = c.print)"
                " AND NOT EXISTS (SELECT 1 FROM kept_paragraphs k WHERE k.source = c.source AND k.print = c.print)",
                (source, boilerplate.threshold(articles)),
            ).fetchall()
            self._xm(
                "INSERT INTO boilerplate (source, print, sample, learnt) VALUES (?, ?, ?, ?)",
                [(source, row["print"], row["sample"], now) for row in rows],
            )
        return {row["print"]: row["sample"] for row in rows}

    def boilerplate(self, source: str | None = None) -> list[dict]:
        """The paragraphs learnt as boilerplate (of one source): source,
        print, sample, learnt."""
        query = "SELECT source, print, sample, learnt FROM boilerplate"
        query += " WHERE source = ?" if source else ""
        rows = self._x(query + " ORDER BY source, learnt, print", (source,) if source else ())
        return [dict(row) for row in rows]

    def forget_boilerplate(self, source: str, print_prefix: str, *, now: str) -> dict | None:
        """Unlearn one paragraph (named by the start of its fingerprint) and
        keep it from being learnt again; the paragraph, or None if no learnt
        one matches."""
        with self._transaction():
            rows = self._x(
                "SELECT print, sample FROM boilerplate WHERE source = ? AND print >= ? AND print < ?",
                (source, print_prefix, print_prefix + "\uffff"),
            ).fetchall()
            if len(rows) != 1:
                if len(rows) > 1:
                    raise BadInput(
                        f"'{print_prefix}' starts several learnt paragraphs of {source}; give more of it"
                    )
                return None
            self._x("DELETE FROM boilerplate WHERE source = ? AND print = ?", (source, rows[0]["print"]))
            self._x(
                "INSERT INTO kept_paragraphs (source, print, sample, kept) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source, print) DO UPDATE SET sample = excluded.sample, kept = excluded.kept",
                (source, rows[0]["print"], rows[0]["sample"], now),
            )
        return dict(rows[0])

    def note_evidence(self, source: str, fact: str, article_id: str, value: str | None) -> None:
        """What one article shows of its site's habits (its vote replaces
        the article's earlier one; None withdraws it)."""
        with self._transaction():
            if value is None:
                self._x(
                    "DELETE FROM site_evidence WHERE source = ? AND fact = ? AND article_id = ?",
                    (source, fact, article_id),
                )
            else:
                self._x(
                    "INSERT INTO site_evidence (source, fact, article_id, value) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (source, fact, article_id) DO UPDATE SET value = excluded.value",
                    (source, fact, article_id, value),
                )

    def evidence(self, source: str, fact: str) -> dict[str, int]:
        """Votes per value for one of a site's habits."""
        rows = self._x(
            "SELECT value, count(*) FROM site_evidence WHERE source = ? AND fact = ? GROUP BY value",
            (source, fact),
        )
        return dict(rows.fetchall())

    def forget_evidence(self, source: str, fact: str) -> int:
        with self._transaction():
            return self._x("DELETE FROM site_evidence WHERE source = ? AND fact = ?", (source, fact)).rowcount

    def known_sites(self) -> list[str]:
        """Sources the archive has learnt something about."""
        rows = self._x(
            "SELECT source FROM boilerplate UNION SELECT source FROM site_evidence"
            " UNION SELECT source FROM kept_paragraphs ORDER BY source"
        )
        return [row[0] for row in rows]

    def _log_change(self, article_id: str, op: str, now: str) -> int:
        # Numbers are taken one transaction at a time, held to its end: a
        # follower that has seen a number has seen every smaller one.
        self._lock("changes")
        return self._insert_id(
            "INSERT INTO changes (article_id, op, at) VALUES (?, ?, ?)", (article_id, op, now), "seq"
        )

    # -- reads ---------------------------------------------------------------

    def last_seq(self) -> int:
        row = self._x(f"SELECT max(seq) FROM changes WHERE {self.SETTLED}").fetchone()
        return row[0] or 0

    def changes_since(self, seq: int, limit: int | None = None) -> list[Change]:
        """Articles changed after `seq`, each once with its latest change,
        oldest first. Whether it was put or deleted is what the articles
        table holds now, so a follower applies current state, never history.
        """
        rows = self._x(
            f"SELECT max(seq) AS seq, article_id FROM changes WHERE seq > ? AND {self.SETTLED}"
            " GROUP BY article_id ORDER BY seq" + (" LIMIT ?" if limit else ""),
            (seq, limit) if limit else (seq,),
        ).fetchall()
        return [Change(row["seq"], row["article_id"]) for row in rows]

    def content_hashes(self) -> dict[str, str]:
        return dict(self._x("SELECT id, content_hash FROM articles").fetchall())

    def captures_in(self, file: str, *, from_offset: int = 0) -> int:
        """Articles whose capture lies in a WARC file at or after an offset."""
        return self._x(
            "SELECT count(*) FROM articles WHERE capture_file = ? AND capture_offset >= ?",
            (file, from_offset),
        ).fetchone()[0]

    def count(self, *, source: str | None = None) -> int:
        if source:
            return self._x("SELECT count(*) FROM articles WHERE source = ?", (source,)).fetchone()[0]
        return self._x("SELECT count(*) FROM articles").fetchone()[0]

    def sources(self) -> list[str]:
        return [row[0] for row in self._x("SELECT DISTINCT source FROM articles ORDER BY source")]

    def get(self, article_id: str) -> StoredArticle | None:
        row = self._x(
            f"SELECT *, (SELECT {self.GREATEST}(count(*) - 1, 0) FROM versions v WHERE v.article_id = a.id) AS revs"
            " FROM articles a WHERE id = ?",
            (article_id,),
        ).fetchone()
        return _stored(row) if row else None

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """Articles by id (missing ids are left out), a query per 500."""
        return {
            row["id"]: _article(row)
            for row in self._rows_in("SELECT * FROM articles WHERE id IN ({})", article_ids)
        }

    def _rows_in(
        self, sql: str, values: Iterable, *, chunk: int = 500, before: tuple = (), after: tuple = ()
    ) -> Iterator:
        """The rows of `sql` (its "{}" an IN list, between the parameters
        of `before` and `after`) for every value, `chunk` values a query:
        SQLite limits the parameters of one statement."""
        listed = list(values)
        for start in range(0, len(listed), chunk):
            part = listed[start : start + chunk]
            yield from self._x(sql.format(", ".join("?" * len(part))), (*before, *part, *after))

    def resolve(self, ref: str) -> str | None:
        """The id an article reference names: an id, a unique id prefix of at
        least 6 digits, a URL as fetched or a canonical URL."""
        ref = ref.strip()
        if _is_id_prefix(ref):
            rows = self._x(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (ref.lower(), ref.lower() + "g"),
            ).fetchall()
            if len(rows) == 1:
                return rows[0]["id"]
            if len(rows) > 1:
                raise BadInput(f"'{ref}' is the start of several article ids; give more digits")
        for column, value in (("canonical_url", _canonical(ref)), ("url", ref)):
            row = self._x(f"SELECT id FROM articles WHERE {column} = ?", (value,)).fetchone()
            if row:
                return row["id"]
        return None

    def iter_articles(self, *, source: str | None = None, batch: int = 500) -> Iterator[Article]:
        """Every article (of one source), in the order they were first
        stored, read in batches so memory stays flat. Storage order reads
        the table front to back; id order (random against it) cost a
        rebuild ~300 us an article in page lookups, most of its time."""
        last = 0
        where = f"{self.ROWID} > ?" + (" AND source = ?" if source else "")
        while True:
            rows = self._x(
                f"SELECT {self.ROWID} AS row_number, * FROM articles WHERE {where} ORDER BY {self.ROWID} LIMIT ?",
                (last, source, batch) if source else (last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last = rows[-1]["row_number"]

    def capture_of(self, article_id: str) -> tuple[str, Capture | None] | None:
        """(content hash, capture) of a stored article, None if not stored."""
        row = self._x(
            "SELECT content_hash, capture_file, capture_offset, capture_digest FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return row["content_hash"], _capture(row)

    def stats(self) -> dict:
        """Counts by source and by month of publication."""
        per_source = self._x(
            "SELECT source, count(*) AS articles, min(published) AS oldest,"
            " max(published) AS newest, max(last_seen) AS last_seen"
            " FROM articles GROUP BY source ORDER BY articles DESC, source"
        ).fetchall()
        per_month = self._x(
            "SELECT source, substr(published, 1, 7) AS month, count(*) AS articles"
            " FROM articles GROUP BY source, month ORDER BY source, month"
        ).fetchall()
        months: dict[str, list[dict]] = {}
        for row in per_month:
            months.setdefault(row["source"], []).append({"month": row["month"], "articles": row["articles"]})
        totals = self._x(
            "SELECT count(*), CAST(coalesce(sum(word_count), 0) AS BIGINT) FROM articles"
        ).fetchone()
        learnt = dict(self._x("SELECT source, count(*) FROM boilerplate GROUP BY source").fetchall())
        return {
            "articles": totals[0],
            "words": totals[1],
            "revisions": self._x("SELECT count(*) - count(DISTINCT article_id) FROM versions").fetchone()[0],
            "sources": [
                {
                    "source": row["source"],
                    "articles": row["articles"],
                    "oldest": row["oldest"],
                    "newest": row["newest"],
                    "last_seen": row["last_seen"],
                    "boilerplate_learnt": learnt.get(row["source"], 0),
                    "months": months.get(row["source"], []),
                }
                for row in per_source
            ],
        }


def _canonical(url: str) -> str:
    from newsarchive.urls import canonicalize  # here: a search never needs it

    return canonicalize(url)


def _is_id_prefix(ref: str) -> bool:
    return 6 <= len(ref) <= ID_HEX_DIGITS and all(c in "0123456789abcdefABCDEF" for c in ref)


def _row_values(article: Article) -> dict:
    record = article.to_dict()
    for name in _JSON_FIELDS:
        record[name] = json.dumps(record[name], ensure_ascii=False)
    record["provenance"] = json.dumps(article.provenance, ensure_ascii=False)
    return record


def _article(row) -> Article:
    record = {name: row[name] for name in _ARTICLE_COLUMNS}
    for name in (*_JSON_FIELDS, "provenance"):
        record[name] = json.loads(record[name])
    return Article.from_record(record)


def _capture(row) -> Capture | None:
    if not row["capture_file"]:
        return None
    return Capture(row["capture_file"], row["capture_offset"], row["capture_digest"])


def _recheck(row) -> Recheck:
    hint = json.loads(row["hint"]) if row["hint"] else None
    return Recheck(
        row["article_id"], row["url"], row["source"], row["due"], row["wait"], row["quiet_since"], row["stage"],
        row["checks"], hint,
    )  # fmt: skip


def _queued(row) -> Queued:
    return Queued(
        row["url"],
        row["kind"],
        row["depth"],
        json.loads(row["hints"]) if row["hints"] else None,
        tuple(json.loads(row["via"])) if row["via"] else (),
        row["id"],
    )


def _stored(row) -> StoredArticle:
    return StoredArticle(_article(row), row["first_seen"], row["last_seen"], _capture(row), row["revs"])


# A generator function's code flag (inspect.CO_GENERATOR; inspect itself
# is not imported: it loads ast and dis, ~5 ms of every search's start-up).
_GENERATOR = 0x20


def guard_errors(cls: type) -> None:
    """Make every public method of a backend class raise its driver's and
    the disk's failures as the domain errors its `_failure` names: the one
    place a backend's errors are mapped."""
    methods: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        methods.update(vars(klass))
    for name, method in methods.items():
        if not name.startswith("_") and isinstance(method, types.FunctionType):
            setattr(cls, name, _guarded(method))


def _guarded(method):
    if method.__code__.co_flags & _GENERATOR:

        @functools.wraps(method)
        def rows(self, *args, **kwargs):
            try:
                yield from method(self, *args, **kwargs)
            except Exception as error:
                mapped = self._failure(error)
                if mapped is None:
                    raise
                raise mapped from None

        return rows

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            mapped = self._failure(error)
            if mapped is None:
                raise
            raise mapped from None

    return call
