"""Human output: articles, results and counts as rich renderables.

Every string that came from the web passes through `for_terminal` and is
wrapped in `rich.text.Text`, so neither control characters nor rich markup
hidden in a headline can reach the terminal.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from newsarchive.article import Article
from newsarchive.cli.lines import DIM, Line, byline, results_layout, short_date
from newsarchive.index.api import SearchPage
from newsarchive.sanitize import for_terminal


def _t(value, style: str | None = None) -> Text:
    return Text(for_terminal(str(value)) if value is not None else "", style=style or "")


def article_view(article: Article, *, history: str | None = None) -> Group:
    header = [_t(article.title or "(untitled)", "bold")]
    if article.subtitle:
        header.append(_t(article.subtitle, "italic"))
    meta = _t(byline(article), DIM)
    ids = _t(f"{article.id}  {article.url}", DIM)
    if history:
        ids.append(f"  ({history})")
    body = []
    for paragraph in article.paragraphs():
        body += [Text(""), _t(paragraph)]
    return Group(*header, meta, ids, *body)


def article_text(article: Article) -> str:
    """The readable article as plain text: headline block, then the body."""
    lines = [article.title or "(untitled)"]
    if article.subtitle:
        lines.append(article.subtitle)
    lines += ["", byline(article), article.url, "", article.text]
    return for_terminal("\n".join(lines)) + "\n"


def _drawn(line: Line):
    text = Text(line.text, style=line.style)
    for start, end, style in line.spans:
        text.stylize(style, start, end)
    return Padding(text, (0, 0, 0, line.indent), expand=False) if line.indent else text


def results_view(page: SearchPage) -> Group:
    return drawn(results_layout(page))


def drawn(lines) -> Group:
    """Lines of a layout (lines.py), drawn by rich."""
    return Group(*(_drawn(line) for line in lines))


def stats_view(stats: dict) -> Group:
    summary = Text(
        f"{stats['articles']} articles, {stats['words']:,} words,"
        f" {stats['revisions']} earlier versions, {len(stats['sources'])} sources"
    )
    summary.append(f" in {stats['archive']}" if stats.get("archive") else "", style=DIM)
    index = stats.get("index") or {}
    if index:
        state = "up to date" if index.get("behind") == 0 else f"{index.get('behind')} changes behind"
        if not index.get("present"):
            state = "missing (run `newsarchive reindex`)"
        engine = f"{index['engine']} " if index.get("engine") else ""
        summary.append(f"; {engine}index {state}", style=DIM)
        if index.get("suggest"):
            summary.append(
                f"\nThis archive has grown past what Whoosh searches quickly; `{index['suggest']}`"
                " switches it to tantivy (searches keep working while it builds).",
                style="yellow",
            )
    sources = Table(title="By source", title_justify="left", show_edge=False)
    for column in ("source", "articles", "oldest", "newest", "last added"):
        sources.add_column(column, justify="right" if column == "articles" else "left")
    months = Table(title="By month published", title_justify="left", show_edge=False)
    for column in ("source", "month", "articles"):
        months.add_column(column, justify="right" if column == "articles" else "left")
    for row in stats["sources"]:
        sources.add_row(
            _t(row["source"]),
            str(row["articles"]),
            short_date(row["oldest"]),
            short_date(row["newest"]),
            (row["last_seen"] or "")[:16].replace("T", " "),
        )
        for month in row["months"]:
            months.add_row(_t(row["source"]), month["month"] or "undated", str(month["articles"]))
    crawls = Table(title="Crawls", title_justify="left", show_edge=False)
    for column in ("source", "runs", "last run", "status", "errors", "troubled (of last 10)", "to resume"):
        crawls.add_column(column, justify="left" if column in ("source", "last run", "status") else "right")
    for row in stats.get("crawls", []):
        crawls.add_row(
            _t(row["source"]), str(row["runs"]), (row["last_started"] or "")[:16].replace("T", " "),
            row["last_status"], str(row["last_errors"]), str(row["troubled_of_last_10"]),
            str(row.get("pending", 0)),
        )  # fmt: skip
    if stats.get("store") and not stats["store"].startswith("sqlite:"):
        summary.append(f"\nshared store {stats['store']}; {stats.get('queued', 0)} URLs queued", style=DIM)
    crawlers = Table(title="Crawling now", title_justify="left", show_edge=False)
    for column in ("run", "source", "machine", "pid", "since", "pages", "holding"):
        crawlers.add_column(column, justify="left" if column in ("source", "machine", "since") else "right")
    for row in stats.get("crawlers", []):
        crawlers.add_row(
            str(row["id"]), _t(row["source"]), _t(row["machine"] or ""), str(row["pid"] or ""),
            (row["started"] or "")[:16].replace("T", " "), str(row["pages"]), str(row["holding"]),
        )  # fmt: skip
    parts: list[RenderableType] = [summary]
    if stats["sources"]:
        parts += [Text(""), sources, Text(""), months]
    if stats.get("crawls"):
        parts += [Text(""), crawls]
    if stats.get("crawlers"):
        parts += [Text(""), crawlers]
    return Group(*parts)


# What each provenance label means, for `show --explain`.
ORIGINS = {
    "json-ld": "the page's JSON-LD (schema.org) metadata",
    "opengraph": "the page's OpenGraph tags",
    "twitter": "the page's Twitter card tags",
    "meta": "a <meta> tag",
    "title-tag": "the page's <title>, site name removed",
    "h1": "the headline shown on the page (<h1>)",
    "byline": "the byline shown on the page",
    "time-element": "a <time> element on the page",
    "html-lang": "the page's lang attribute",
    "link-canonical": 'the page\'s <link rel="canonical">',
    "fetched-url": "the address it was fetched from",
    "content": "its text (the page names no address)",
    "feed": "the site's feed entry",
    "sitemap": "the site's sitemap entry",
    "htmldate": "a date found in the page by htmldate",
    "detected": "detected from the text",
    "trafilatura": "trafilatura's main-content extraction",
    "readability": "readability (trafilatura had cut the article short)",
}


def provenance_view(article: Article) -> Table:
    table = Table(title=f"Where the fields of {article.id} came from", title_justify="left", show_edge=False)
    for column in ("field", "value", "from"):
        table.add_column(column)
    for field_name, origin in article.provenance.items():
        value = getattr(article, field_name, None)
        if field_name == "image_url":
            value = article.images[0].url if article.images else None
        elif field_name == "image_caption":
            value = article.images[0].caption if article.images else None
        elif field_name == "text":
            value = f"{article.word_count} words"
        elif isinstance(value, tuple):
            value = ", ".join(value)
        shown = str(value or "")
        table.add_row(
            field_name, _t(shown[:60] + ("…" if len(shown) > 60 else "")), ORIGINS.get(origin, origin)
        )
    return table


def crawl_view(summary: dict) -> Group:
    """A crawl's summary: what was archived, skipped and failed, by reason."""
    head = Text(f"{for_terminal(summary['source'])}: ", style="bold")
    head.append(
        f"{summary['new']} new, {summary['updated']} updated, {summary['unchanged']} unchanged articles"
        f" from {summary['pages']} pages in {summary['seconds']:.1f} s ({summary['status']}"
        + (", resumed" if summary["resumed"] else "")
        + ")"
    )
    lines: list[RenderableType] = [head]
    if summary["status"] != "ok" and summary.get("reason"):
        style = "yellow" if summary["status"] in ("incomplete", "interrupted") else "red"
        lines.append(Padding(_t(summary["reason"], style), (0, 0, 0, 2), expand=False))
    for title, counts in (
        ("missed", summary.get("missed", {})),
        ("not articles", summary["not_articles"]),
        ("not fetched", summary["skipped"]),
        ("errors", summary["errors"]),
        ("notes", summary["notes"]),
    ):
        if counts:
            listed = ", ".join(f"{for_terminal(str(reason))} {n}" for reason, n in counts.items())
            lines.append(Padding(_t(f"{title}: {listed}", DIM), (0, 0, 0, 2), expand=False))
    return Group(*lines)


def runs_view(records: list[dict]) -> Table | Text:
    if not records:
        return Text("No crawl runs yet.")
    table = Table(show_edge=False)
    for column in ("run", "source", "started", "finished", "status", "pages", "new", "updated", "errors"):
        table.add_column(
            column, justify="right" if column in ("run", "pages", "new", "updated", "errors") else "left"
        )
    for row in records:
        table.add_row(
            str(row["id"]), _t(row["source"]), (row["started"] or "")[:19].replace("T", " "),
            (row["finished"] or "")[:19].replace("T", " "), row["status"],
            str(row["pages"]), str(row["new"]), str(row["updated"]), str(row["errors"]),
        )  # fmt: skip
    return table


def sources_view(records: list[dict]) -> Table | Text:
    if not records:
        return Text("No sources yet: newsarchive sources add NAME URL --every 1h")
    table = Table(show_edge=False)
    for column in ("name", "urls", "schedule", "last run", "next due", "articles"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for row in records:
        last = row["last_run"]
        table.add_row(
            _t(row["name"]),
            _t(" ".join(row["urls"])),
            row["schedule"] or "by hand",
            f"{last['started'][:16].replace('T', ' ')} {last['status']}" if last else "never",
            (row["next_due"] or "-")[:16].replace("T", " "),
            str(row["articles"]),
        )
    return table


def doctor_view(report, repair: bool) -> Group:
    checked = ", ".join(f"{n} {what}" for what, n in report.checked.items())
    if report.engine:
        checked += f"; index engine {report.engine}"
    if not report.findings:
        return Group(Text(f"All agree ({checked})."))
    lines: list[RenderableType] = []
    for finding in report.findings:
        mark = "mended" if finding.repaired else "problem"
        line = Text(f"{mark:>8}  ", style="green" if finding.repaired else "yellow")
        line.append(f"[{finding.check}] ")
        line.append(_t(finding.problem))
        if finding.repair and not finding.repaired and not repair:
            line.append(f" — --repair would {finding.repair}", style=DIM)
        elif finding.repair is None and not finding.repaired:
            line.append(" — cannot be mended here", style=DIM)
        lines.append(line)
    lines.append(_t(f"checked: {checked}", DIM))
    return Group(*lines)


def sites_view(records: list[dict]) -> Group | Text:
    """Per site: its rules, its learnt date order and boilerplate."""
    if not records:
        return Text("Nothing learnt about any site yet, and no rules in sources.toml.")
    parts: list[RenderableType] = []
    for record in records:
        parts.append(_t(record["source"], "bold"))
        order = record["date_order"]
        votes = ", ".join(f"{value} {n}" for value, n in sorted(order["votes"].items())) or "none yet"
        facts = [f"numeric dates: {order['value'] or 'unknown'}" + (f" ({order['from']})" if order["from"] else "")
                 + f"; evidence: {votes}"]  # fmt: skip
        if record["timezone"]:
            facts.append(f"time zone: {record['timezone']} (sources.toml)")
        if record["drop"]:
            facts.append("dropped elements: " + ", ".join(record["drop"]) + " (sources.toml)")
        for fact in facts:
            parts.append(Padding(_t(fact, DIM), (0, 0, 0, 2), expand=False))
        if record["boilerplate"]:
            table = Table(show_edge=False, show_header=True, padding=(0, 1))
            for column in ("id", "learnt", "boilerplate paragraph"):
                table.add_column(column)
            for row in record["boilerplate"]:
                text = row["text"] or "(text not kept)"
                table.add_row(row["id"], row["learnt"][:10], _t(text[:90] + ("…" if len(text) > 90 else "")))
            parts.append(Padding(table, (0, 0, 0, 2), expand=False))
        else:
            parts.append(Padding(_t("no boilerplate learnt", DIM), (0, 0, 0, 2), expand=False))
    return Group(*parts)
