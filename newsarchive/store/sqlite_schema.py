"""The SQLite store's schema: numbered migrations, append-only.

The store's PRAGMA user_version is the number of migrations applied; the
backend (store/sqlite.py) applies the rest in order, each in its own
transaction, when it opens an older store.
"""

from __future__ import annotations

import sqlite3

# Append to this list, never edit an entry that has shipped.
# An entry is SQL, or a function that migrates data with the connection.
MIGRATIONS: list = [
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE articles (
        id              TEXT PRIMARY KEY,
        canonical_url   TEXT NOT NULL UNIQUE,
        url             TEXT NOT NULL,
        source          TEXT NOT NULL,
        site_name       TEXT,
        title           TEXT NOT NULL,
        subtitle        TEXT,
        authors         TEXT NOT NULL DEFAULT '[]',
        published       TEXT,
        modified        TEXT,
        section         TEXT,
        tags            TEXT NOT NULL DEFAULT '[]',
        language        TEXT,
        text            TEXT NOT NULL,
        images          TEXT NOT NULL DEFAULT '[]',
        word_count      INTEGER NOT NULL,
        fetched         TEXT,
        content_hash    TEXT NOT NULL,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL,
        capture_file    TEXT,
        capture_offset  INTEGER,
        capture_digest  TEXT,
        seq             INTEGER NOT NULL
    );
    CREATE INDEX articles_source ON articles (source);
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_url ON articles (url);
    CREATE TABLE revisions (
        article_id    TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        content_hash  TEXT NOT NULL,
        title         TEXT NOT NULL,
        subtitle      TEXT,
        text          TEXT NOT NULL,
        fetched       TEXT,
        replaced      TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    );
    CREATE TABLE changes (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id  TEXT NOT NULL,
        op          TEXT NOT NULL CHECK (op IN ('put', 'delete')),
        at          TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE articles ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE paragraph_counts (
        source    TEXT NOT NULL,
        print     TEXT NOT NULL,
        articles  INTEGER NOT NULL,
        sample    TEXT NOT NULL,
        PRIMARY KEY (source, print)
    ) WITHOUT ROWID;
    CREATE TABLE boilerplate (
        source  TEXT NOT NULL,
        print   TEXT NOT NULL,
        sample  TEXT NOT NULL,
        learnt  TEXT NOT NULL,
        PRIMARY KEY (source, print)
    ) WITHOUT ROWID;
    """,
    lambda db: _count_all_paragraphs(db),
    """
    CREATE TABLE urls (
        url            TEXT PRIMARY KEY,
        kind           TEXT NOT NULL,
        first_seen     TEXT NOT NULL,
        last_fetched   TEXT,
        status         INTEGER,
        etag           TEXT,
        last_modified  TEXT,
        reason         TEXT,
        article_id     TEXT
    ) WITHOUT ROWID;
    CREATE TABLE runs (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        source    TEXT NOT NULL,
        started   TEXT NOT NULL,
        finished  TEXT,
        status    TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
        pid       INTEGER,
        pages     INTEGER NOT NULL DEFAULT 0,
        new       INTEGER NOT NULL DEFAULT 0,
        updated   INTEGER NOT NULL DEFAULT 0,
        errors    INTEGER NOT NULL DEFAULT 0,
        summary   TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_source ON runs (source, started);
    CREATE TABLE payloads (
        digest  TEXT PRIMARY KEY,
        uri     TEXT NOT NULL,
        date    TEXT NOT NULL,
        file    TEXT NOT NULL,
        offset  INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # A paragraph's sample text is kept from its second article on (only
    # repeated paragraphs can be learnt): most paragraphs are in one article,
    # and keeping each twice doubled the store.
    "UPDATE paragraph_counts SET sample = '' WHERE articles <= 1;",
    # The crawl frontier of each target's current job (what was discovered,
    # what is done), so a killed crawl resumes with nothing lost; and runs
    # may end "incomplete" (a budget, a failed listing), never claimed "ok".
    """
    CREATE TABLE frontier (
        id       INTEGER PRIMARY KEY,
        job      TEXT NOT NULL,
        url      TEXT NOT NULL,
        kind     TEXT NOT NULL,
        depth    INTEGER NOT NULL,
        hints    TEXT,
        via      TEXT,
        state    TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
        outcome  TEXT,
        UNIQUE (job, url)
    );
    CREATE INDEX frontier_queue ON frontier (job, state, id);
    CREATE TABLE runs_new (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        source    TEXT NOT NULL,
        started   TEXT NOT NULL,
        finished  TEXT,
        status    TEXT NOT NULL
                  CHECK (status IN ('running', 'ok', 'incomplete', 'failed', 'interrupted')),
        pid       INTEGER,
        pages     INTEGER NOT NULL DEFAULT 0,
        new       INTEGER NOT NULL DEFAULT 0,
        updated   INTEGER NOT NULL DEFAULT 0,
        errors    INTEGER NOT NULL DEFAULT 0,
        summary   TEXT NOT NULL DEFAULT '{}'
    );
    INSERT INTO runs_new SELECT * FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_new RENAME TO runs;
    CREATE INDEX runs_source ON runs (source, started);
    """,
    # Articles behind a paywall or a login are kept with what they show.
    "ALTER TABLE articles ADD COLUMN access TEXT NOT NULL DEFAULT 'free';",
    # What each article shows of its site's habits (how it writes numeric
    # dates), one vote per article; and paragraphs a user said are not the
    # site's boilerplate, never learnt again.
    """
    CREATE TABLE site_evidence (
        source      TEXT NOT NULL,
        fact        TEXT NOT NULL,
        article_id  TEXT NOT NULL,
        value       TEXT NOT NULL,
        PRIMARY KEY (source, fact, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE kept_paragraphs (
        source  TEXT NOT NULL,
        print   TEXT NOT NULL,
        sample  TEXT NOT NULL,
        kept    TEXT NOT NULL,
        PRIMARY KEY (source, print)
    ) WITHOUT ROWID;
    """,
    # Every version of an article (its capture, when it was seen, what kind
    # of edit it was); notes on fetches that made no version (a revert, a
    # degraded page, a live blog's new entries); and each article's
    # re-check plan. A version's text is NULL while the article row holds
    # it. The revisions of earlier stores become versions.
    """
    CREATE TABLE versions (
        article_id      TEXT NOT NULL,
        version         INTEGER NOT NULL,
        observed        TEXT NOT NULL,
        modified        TEXT,
        authors         TEXT NOT NULL DEFAULT '[]',
        title           TEXT,
        subtitle        TEXT,
        text            TEXT,
        word_count      INTEGER NOT NULL,
        content_hash    TEXT NOT NULL,
        changes         TEXT NOT NULL DEFAULT '[]',
        detail          TEXT NOT NULL DEFAULT '{}',
        capture_file    TEXT,
        capture_offset  INTEGER,
        capture_digest  TEXT,
        PRIMARY KEY (article_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE version_notes (
        article_id      TEXT NOT NULL,
        observed        TEXT NOT NULL,
        note            TEXT NOT NULL CHECK (note IN ('reverted', 'degraded', 'appended', 'gone')),
        version         INTEGER,
        after_version   INTEGER NOT NULL,
        reason          TEXT,
        capture_file    TEXT,
        capture_offset  INTEGER,
        capture_digest  TEXT
    );
    CREATE INDEX version_notes_article ON version_notes (article_id, observed);
    CREATE TABLE rechecks (
        article_id   TEXT PRIMARY KEY,
        url          TEXT NOT NULL,
        source       TEXT NOT NULL,
        due          REAL,
        wait         REAL NOT NULL,
        quiet_since  REAL NOT NULL,
        stage        TEXT NOT NULL,
        checks       INTEGER NOT NULL DEFAULT 0,
        hint         TEXT
    );
    CREATE INDEX rechecks_due ON rechecks (source, due);
    """,
    lambda db: _revisions_to_versions(db),
    "DROP TABLE revisions;",
    # Copies of a story (copies/): each article's signature bands, the
    # copies it was verified against, and the cluster it is in (named by
    # its earliest article, by publication day, then by when it was stored).
    """
    CREATE TABLE copy_bands (
        band        INTEGER NOT NULL,
        day         INTEGER NOT NULL,
        article_id  TEXT NOT NULL,
        PRIMARY KEY (band, day, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE copy_bodies (
        body        TEXT NOT NULL,
        day         INTEGER NOT NULL,
        article_id  TEXT NOT NULL,
        PRIMARY KEY (body, day, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE copy_edges (
        article_id   TEXT NOT NULL,
        other_id     TEXT NOT NULL,
        relation     TEXT NOT NULL,
        containment  REAL NOT NULL,
        PRIMARY KEY (article_id, other_id)
    ) WITHOUT ROWID;
    CREATE INDEX copy_edges_other ON copy_edges (other_id);
    CREATE TABLE clusters (
        article_id  TEXT PRIMARY KEY,
        cluster_id  TEXT NOT NULL,
        day         INTEGER NOT NULL,
        added       INTEGER NOT NULL,
        bands       TEXT NOT NULL DEFAULT '[]',  -- its rows in copy_bands, to replace them
        body        TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    CREATE INDEX clusters_cluster ON clusters (cluster_id);
    CREATE INDEX clusters_added ON clusters (added);
    """,
    # Saved searches (alerts/): what each watches, how far in the change
    # log it has looked, and every article it has seen (reported, or
    # matching already when it was added).
    """
    CREATE TABLE alerts (
        name      TEXT PRIMARY KEY,
        query     TEXT NOT NULL,
        filters   TEXT NOT NULL DEFAULT '{}',
        command   TEXT,
        created   TEXT NOT NULL,
        last_run  TEXT,
        last_seq  INTEGER NOT NULL DEFAULT 0,
        reported  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE alert_seen (
        alert       TEXT NOT NULL,
        article_id  TEXT NOT NULL,
        reported    TEXT,  -- when (NULL: it matched before the alert, or is a copy of one reported)
        PRIMARY KEY (alert, article_id)
    ) WITHOUT ROWID;
    """,
    # Candidates are found among the fingerprints of the days around an
    # article, read into memory by the linker (copies/window.py): a row
    # per band cost 40 scattered index writes an article. `stamp` orders
    # every record, so a linker can read what others recorded since.
    """
    DROP TABLE copy_bands;
    DROP TABLE copy_bodies;
    ALTER TABLE clusters ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
    UPDATE clusters SET stamp = added;
    CREATE INDEX clusters_day ON clusters (day);
    CREATE INDEX clusters_stamp ON clusters (stamp);
    """,
    # A frontier several crawlers share (crawl/queue.py's "team" kind): the
    # run that holds each URL it is fetching, each run's machine and last
    # sign of life, and when each host may next be asked, for them all.
    """
    ALTER TABLE frontier ADD COLUMN holder INTEGER;
    ALTER TABLE runs ADD COLUMN machine TEXT;
    ALTER TABLE runs ADD COLUMN beat REAL;
    CREATE TABLE host_slots (
        host     TEXT PRIMARY KEY,
        next_at  REAL NOT NULL
    ) WITHOUT ROWID;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _count_all_paragraphs(db: sqlite3.Connection) -> None:
    """Fill `paragraph_counts` from the articles already stored."""
    from newsarchive import boilerplate  # here: only an old store's upgrade needs it

    counts: dict[tuple[str, str], list] = {}
    for source, text in db.execute("SELECT source, text FROM articles"):
        for fp, sample in boilerplate.paragraph_prints(text).items():
            counts.setdefault((source, fp), [0, sample])[0] += 1
    db.executemany(
        "INSERT INTO paragraph_counts (source, print, articles, sample) VALUES (?, ?, ?, ?)",
        [(source, fp, n, sample if n > 1 else "") for (source, fp), (n, sample) in counts.items()],
    )


def _revisions_to_versions(db: sqlite3.Connection) -> None:
    """An older store's revision rows as numbered versions: each revision
    was seen from when the one before it was replaced; the article row is
    the latest version."""
    from newsarchive.article import count_words

    ids = [row[0] for row in db.execute("SELECT DISTINCT article_id FROM revisions")]
    for article_id in ids:
        article = db.execute(
            "SELECT first_seen, modified, authors, word_count, content_hash, capture_file, capture_offset,"
            " capture_digest FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if article is None:
            continue
        observed = article[0]
        revisions = db.execute(
            "SELECT content_hash, title, subtitle, text, replaced FROM revisions WHERE article_id = ? ORDER BY seq",
            (article_id,),
        ).fetchall()
        for number, (digest, title, subtitle, text, replaced) in enumerate(revisions, 1):
            db.execute(
                "INSERT INTO versions (article_id, version, observed, title, subtitle, text, word_count,"
                " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, number, observed, title, subtitle, text, count_words(text), digest),
            )
            observed = replaced
        db.execute(
            "INSERT INTO versions (article_id, version, observed, modified, authors, word_count, content_hash,"
            " capture_file, capture_offset, capture_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, len(revisions) + 1, observed, *article[1:]),
        )
