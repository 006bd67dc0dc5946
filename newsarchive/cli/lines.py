"""What the human view of search results shows, line by line.

One layout, drawn two ways: through rich on a terminal (wrapped, coloured,
views.py), and as plain lines into a pipe or a file, which needs no rich
at all (a search piped into grep starts faster). Every string from the web
passes through `for_terminal` here, once.
"""

from __future__ import annotations

from typing import NamedTuple

from newsarchive.sanitize import for_terminal

DIM, STRONG, LINK, MATCH = "grey50", "bold", "cyan", "bold yellow"
INDENT = 3


class Line(NamedTuple):
    text: str
    style: str = ""
    indent: int = 0
    # (start, end, style) spans within `text`
    spans: tuple[tuple[int, int, str], ...] = ()


def short_date(value: str | None) -> str:
    return value[:10] if value else "undated"


def byline(article) -> str:
    parts = [article.source, short_date(article.published)]
    if article.authors:
        parts.append(", ".join(article.authors))
    if article.section:
        parts.append(article.section)
    if article.access != "free":  # only a teaser was shown: say so wherever the article is
        parts.append(f"{article.access}: teaser only")
    return " · ".join(parts)


def results_layout(page) -> list[Line]:
    request = page.request
    if not page.hits:
        message = f"No results for {request.query!r}" if page.total == 0 else "No more results"
        return [Line(for_terminal(message + (f" (of {page.total})." if page.total else ".")))]
    lines = []
    for number, hit in enumerate(page.hits, start=request.offset + 1):
        article = hit.article
        prefix = f"{number}. "
        title = for_terminal(article.title or "(untitled)")
        lines.append(Line(prefix + title, STRONG))
        lines.append(Line(for_terminal(f"{byline(article)} · {article.id}"), DIM, INDENT))
        snippet = for_terminal(hit.snippet.text)
        spans = (
            tuple((start, end, MATCH) for start, end in hit.snippet.highlights)
            if snippet == hit.snippet.text
            else ()
        )
        lines.append(Line(snippet, "", INDENT, spans))
        lines.append(Line(for_terminal(article.url), LINK, INDENT))
        lines.append(Line(""))
    first, last = request.offset + 1, request.offset + len(page.hits)
    about = "" if page.exact else "about "
    footer = f"{first}–{last} of {about}{page.total:,} result{'s' if page.total != 1 else ''}"
    if last < page.total:
        footer += f"; more with --offset {last}"
    lines.append(Line(footer, DIM))
    return lines


def plain(lines: list[Line]) -> str:
    return "".join(" " * line.indent + line.text + "\n" for line in lines)
