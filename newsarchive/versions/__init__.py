"""An article's versions: what counts as an edit, what kind of edit it is,
how two versions differ, and when to look at the page again.

Every module here is pure (no I/O): the store keeps the versions
(store/sqlite.py), the intake decides with `judge` (pipeline.py), the
crawl re-fetches on the `recheck` schedule, and the CLI shows `history` and
`diff`.
"""
