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
# A facet's values shown on a terminal (--json has all); a timeline's widest bar.
FACET_ROWS = 10
BAR_WIDTH = 50


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
        also = also_in(article, (page.clusters or {}).get(article.id))
        if also:
            lines.append(Line(for_terminal(also), DIM, INDENT))
        lines.append(Line(""))
    lines.append(Line(_footer(page), DIM))
    return lines


def also_in(article, cluster) -> str:
    """ "also in 3 sources: a, b, c" for a story other sources ran too."""
    if cluster is None or len(cluster.members) < 2:
        return ""
    others = [source for source in cluster.sources if source != article.source]
    copies = len(cluster.members) - 1
    if not others:
        return f"also {copies} more cop{'ies' if copies > 1 else 'y'} on {article.source}; `newsarchive copies {article.id}`"
    named = ", ".join(others[:4]) + (f" and {len(others) - 4} more" if len(others) > 4 else "")
    return f"also in {len(others)} source{'s' if len(others) > 1 else ''}: {named}; `newsarchive copies {article.id}`"


def _footer(page) -> str:
    request = page.request
    first, last = request.offset + 1, request.offset + len(page.hits)
    about = "" if page.exact else "about "
    results = f"{about}{page.total:,} result{'s' if page.total != 1 else ''}"
    if request.all_copies or page.clusters is None:  # every copy (or an engine's own page)
        footer = f"{first}–{last} of {results}"
        more = last < page.total
    elif page.stories is not None:
        footer = f"{first}–{last} of {page.stories:,} stor{'ies' if page.stories != 1 else 'y'} ({results}"
        footer += ", copies folded; --all shows each)" if page.stories < page.total else ")"
        more = last < page.stories
    else:
        footer = f"{first}–{last} of the stories in {results} (copies folded; --all shows each)"
        more = len(page.hits) == request.limit
    return footer + (f"; more with --offset {last}" if more else "")


def shape_layout(shape: dict) -> list[Line]:
    """The matches' facets as compact tables, and their timeline as bars."""
    lines = []
    for name, pairs in shape.get("facets", {}).items():
        lines.append(Line(f"By {name}", STRONG))
        if not pairs:
            lines.append(Line("(no values)", DIM, INDENT))
        width = max((len(str(count)) for _, count in pairs), default=1)
        for value, count in pairs[:FACET_ROWS]:
            lines.append(Line(f"{count:>{width}}  {for_terminal(value)}", "", INDENT))
        if len(pairs) > FACET_ROWS:
            lines.append(Line(f"… {len(pairs) - FACET_ROWS} more (all of them with --json)", DIM, INDENT))
        lines.append(Line(""))
    if "timeline" in shape:
        period, counts = shape["timeline"]
        lines.append(Line(f"Matches by {period}", STRONG))
        top = max((count for _, count in counts), default=0)
        for label, count in counts:
            bar = "█" * round(BAR_WIDTH * count / top) if top else ""
            if count and not bar:
                bar = "▏"
            lines.append(Line(f"{label:<10} {count:>{len(str(top))}} {bar}", "", INDENT))
        if not counts:
            lines.append(Line("(no dated matches)", DIM, INDENT))
    return lines


def plain(lines: list[Line]) -> str:
    return "".join(" " * line.indent + line.text + "\n" for line in lines)
