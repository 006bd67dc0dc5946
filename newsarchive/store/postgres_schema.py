"""The PostgreSQL store's schema: numbered migrations, append-only.

The first entry is the whole schema as SQLite's migrations left it at
their 14th (sqlite_schema.py); each later one is appended to both lists.
`meta` holds how many of these were applied; the backend
(store/postgres.py) applies the rest, each in its own transaction, holding
an advisory lock so two machines starting at once migrate once.

Text compares byte by byte (COLLATE "C"), as in SQLite: id prefixes and
URL ranges are ranges of bytes whatever the database's locale is.
"""

from __future__ import annotations

_T = 'TEXT COLLATE "C"'

MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE meta (
        key    {_T} PRIMARY KEY,
        value  {_T} NOT NULL
    );
    CREATE TABLE articles (
        id              {_T} PRIMARY KEY,
        canonical_url   {_T} NOT NULL UNIQUE,
        url             {_T} NOT NULL,
        source          {_T} NOT NULL,
        site_name       {_T},
        title           {_T} NOT NULL,
        subtitle        {_T},
        authors         {_T} NOT NULL DEFAULT '[]',
        published       {_T},
        modified        {_T},
        section         {_T},
        tags            {_T} NOT NULL DEFAULT '[]',
        language        {_T},
        text            {_T} NOT NULL,
        images          {_T} NOT NULL DEFAULT '[]',
        word_count      BIGINT NOT NULL,
        fetched         {_T},
        content_hash    {_T} NOT NULL,
        first_seen      {_T} NOT NULL,
        last_seen       {_T} NOT NULL,
        capture_file    {_T},
        capture_offset  BIGINT,
        capture_digest  {_T},
        seq             BIGINT NOT NULL,
        provenance      {_T} NOT NULL DEFAULT '{{}}',
        access          {_T} NOT NULL DEFAULT 'free',
        row_no          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    CREATE INDEX articles_source ON articles (source);
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_url ON articles (url);
    CREATE INDEX articles_capture ON articles (capture_file, capture_offset);
    -- xid: the writing transaction, so a follower reads only changes no
    -- transaction still open can come before (store/postgres.py).
    CREATE TABLE changes (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        article_id  {_T} NOT NULL,
        op          {_T} NOT NULL CHECK (op IN ('put', 'delete')),
        at          {_T} NOT NULL,
        xid         xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX changes_article ON changes (article_id, seq);
    CREATE TABLE paragraph_counts (
        source    {_T} NOT NULL,
        print     {_T} NOT NULL,
        articles  BIGINT NOT NULL,
        sample    {_T} NOT NULL,
        PRIMARY KEY (source, print)
    );
    CREATE TABLE boilerplate (
        source  {_T} NOT NULL,
        print   {_T} NOT NULL,
        sample  {_T} NOT NULL,
        learnt  {_T} NOT NULL,
        PRIMARY KEY (source, print)
    );
    CREATE TABLE urls (
        url            {_T} PRIMARY KEY,
        kind           {_T} NOT NULL,
        first_seen     {_T} NOT NULL,
        last_fetched   {_T},
        status         INTEGER,
        etag           {_T},
        last_modified  {_T},
        reason         {_T},
        article_id     {_T}
    );
    CREATE INDEX urls_kind ON urls (kind, url);
    CREATE TABLE payloads (
        digest    {_T} PRIMARY KEY,
        uri       {_T} NOT NULL,
        date      {_T} NOT NULL,
        file      {_T} NOT NULL,
        "offset"  BIGINT NOT NULL
    );
    CREATE TABLE frontier (
        id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job      {_T} NOT NULL,
        url      {_T} NOT NULL,
        kind     {_T} NOT NULL,
        depth    INTEGER NOT NULL,
        hints    {_T},
        via      {_T},
        state    {_T} NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
        outcome  {_T},
        UNIQUE (job, url)
    );
    CREATE INDEX frontier_queue ON frontier (job, state, id);
    CREATE TABLE runs (
        id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source    {_T} NOT NULL,
        started   {_T} NOT NULL,
        finished  {_T},
        status    {_T} NOT NULL
                  CHECK (status IN ('running', 'ok', 'incomplete', 'failed', 'interrupted')),
        pid       INTEGER,
        pages     BIGINT NOT NULL DEFAULT 0,
        new       BIGINT NOT NULL DEFAULT 0,
        updated   BIGINT NOT NULL DEFAULT 0,
        errors    BIGINT NOT NULL DEFAULT 0,
        summary   {_T} NOT NULL DEFAULT '{{}}'
    );
    CREATE INDEX runs_source ON runs (source, started);
    CREATE TABLE site_evidence (
        source      {_T} NOT NULL,
        fact        {_T} NOT NULL,
        article_id  {_T} NOT NULL,
        value       {_T} NOT NULL,
        PRIMARY KEY (source, fact, article_id)
    );
    CREATE TABLE kept_paragraphs (
        source  {_T} NOT NULL,
        print   {_T} NOT NULL,
        sample  {_T} NOT NULL,
        kept    {_T} NOT NULL,
        PRIMARY KEY (source, print)
    );
    CREATE TABLE versions (
        article_id      {_T} NOT NULL,
        version         INTEGER NOT NULL,
        observed        {_T} NOT NULL,
        modified        {_T},
        authors         {_T} NOT NULL DEFAULT '[]',
        title           {_T},
        subtitle        {_T},
        text            {_T},
        word_count      BIGINT NOT NULL,
        content_hash    {_T} NOT NULL,
        changes         {_T} NOT NULL DEFAULT '[]',
        detail          {_T} NOT NULL DEFAULT '{{}}',
        capture_file    {_T},
        capture_offset  BIGINT,
        capture_digest  {_T},
        PRIMARY KEY (article_id, version)
    );
    CREATE INDEX versions_observed ON versions (observed);
    CREATE TABLE version_notes (
        article_id      {_T} NOT NULL,
        observed        {_T} NOT NULL,
        note            {_T} NOT NULL CHECK (note IN ('reverted', 'degraded', 'appended', 'gone')),
        version         INTEGER,
        after_version   INTEGER NOT NULL,
        reason          {_T},
        capture_file    {_T},
        capture_offset  BIGINT,
        capture_digest  {_T},
        row_no          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    );
    CREATE INDEX version_notes_article ON version_notes (article_id, observed);
    CREATE TABLE rechecks (
        article_id   {_T} PRIMARY KEY,
        url          {_T} NOT NULL,
        source       {_T} NOT NULL,
        due          DOUBLE PRECISION,
        wait         DOUBLE PRECISION NOT NULL,
        quiet_since  DOUBLE PRECISION NOT NULL,
        stage        {_T} NOT NULL,
        checks       INTEGER NOT NULL DEFAULT 0,
        hint         {_T}
    );
    CREATE INDEX rechecks_due ON rechecks (source, due);
    CREATE TABLE copy_edges (
        article_id   {_T} NOT NULL,
        other_id     {_T} NOT NULL,
        relation     {_T} NOT NULL,
        containment  DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (article_id, other_id)
    );
    CREATE INDEX copy_edges_other ON copy_edges (other_id);
    CREATE TABLE clusters (
        article_id  {_T} PRIMARY KEY,
        cluster_id  {_T} NOT NULL,
        day         INTEGER NOT NULL,
        added       BIGINT NOT NULL,
        bands       {_T} NOT NULL DEFAULT '[]',
        body        {_T} NOT NULL DEFAULT '',
        stamp       BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX clusters_cluster ON clusters (cluster_id);
    CREATE INDEX clusters_added ON clusters (added);
    CREATE INDEX clusters_day ON clusters (day);
    CREATE INDEX clusters_stamp ON clusters (stamp);
    CREATE TABLE alerts (
        name      {_T} PRIMARY KEY,
        query     {_T} NOT NULL,
        filters   {_T} NOT NULL DEFAULT '{{}}',
        command   {_T},
        created   {_T} NOT NULL,
        last_run  {_T},
        last_seq  BIGINT NOT NULL DEFAULT 0,
        reported  BIGINT NOT NULL DEFAULT 0
    );
    CREATE TABLE alert_seen (
        alert       {_T} NOT NULL,
        article_id  {_T} NOT NULL,
        reported    {_T},
        PRIMARY KEY (alert, article_id)
    );
    """,
    # SQLite's 15th: the team's shared frontier (holders, heartbeats, hosts).
    f"""
    ALTER TABLE frontier ADD COLUMN holder BIGINT;
    ALTER TABLE runs ADD COLUMN machine {_T};
    ALTER TABLE runs ADD COLUMN beat DOUBLE PRECISION;
    CREATE TABLE host_slots (
        host     {_T} PRIMARY KEY,
        next_at  DOUBLE PRECISION NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
