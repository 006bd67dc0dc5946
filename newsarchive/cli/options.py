"""Options several commands share: date bounds and search filters."""

from __future__ import annotations

from newsarchive.errors import BadInput


def bound(option: str, value: str | None):
    if value is None:
        return None
    from newsarchive.dates import parse_bound
    from newsarchive.errors import BadDate

    try:
        return parse_bound(value)
    except BadDate as error:
        raise BadDate(f"--{option}: {error}") from None


def filter_options(command):
    import click  # here: the quick search path (quick.py) reads options without click

    for option in reversed(
        [
            click.option("--source", help="Only this site, e.g. jpost.com."),
            click.option("--author", help="Only articles by this author (a name or part of one)."),
            click.option(
                "--since", metavar="DATE", help="Published on or after DATE (2013, 2013-04, 2013-04-05)."
            ),
            click.option("--until", metavar="DATE", help="Published on or before DATE (same forms)."),
            click.option(
                "--changed-since",
                metavar="DATE",
                help="Only articles whose text changed on or after DATE (a new version; see `history`).",
            ),
            click.option(
                "--all-versions",
                is_flag=True,
                help="Words may also match text an earlier version had (removed or rewritten since).",
            ),
        ]
    ):
        command = option(command)
    return command


def search_request(
    query,
    source,
    author,
    since,
    until,
    sort="relevance",
    limit=10,
    offset=0,
    changed_since=None,
    all_versions=False,
    all_copies=False,
):
    from newsarchive.index.api import SearchRequest

    return SearchRequest(
        query=query,
        source=source,
        author=author,
        since=bound("since", since),
        until=bound("until", until),
        sort=sort,
        limit=limit,
        offset=offset,
        changed_since=bound("changed-since", changed_since),
        all_versions=all_versions,
        all_copies=all_copies,
    )


def check_url(url: str | None) -> None:
    from newsarchive.urls import is_web_url

    if url is not None and not is_web_url(url):
        raise BadInput(f"--url {url!r} is not a web address; give the page's http(s) URL")
