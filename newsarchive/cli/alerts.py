"""Saved searches: alerts add, list, remove, run."""

from __future__ import annotations

import sys

import click

from newsarchive.cli.options import bound
from newsarchive.cli.output import note, output_options, print_json, print_jsonl, stdout
from newsarchive.cli.root import CONTEXT, archive_of, cli
from newsarchive.sanitize import for_terminal


@cli.group(context_settings=CONTEXT)
def alerts() -> None:
    """Saved searches that keep watching the archive.

    An alert reports each article that newly matches its query: never
    one twice, never a copy of one it reported (another site running the
    same story). What matches when it is added is not news. `schedule`
    runs every alert after each crawl; each run appends its new matches
    to ARCHIVE/alerts/NAME.jsonl (search hit records with an "alert"
    field) and gives them to the alert's --command on stdin.

    \b
    Example:
      newsarchive alerts add pier '"north pier" OR title:pier' --source harbour-herald.example
      newsarchive alerts add ceasefire ceasefire --command 'mail -s "news" me@example.org'
      newsarchive alerts run --jsonl
    """


@alerts.command("add", context_settings=CONTEXT)
@click.argument("name")
@click.argument("query", nargs=-1, required=True)
@click.option("--source", help="Only this site, e.g. jpost.com.")
@click.option("--author", help="Only articles by this author (a name or part of one).")
@click.option("--since", metavar="DATE", help="Published on or after DATE (2013, 2013-04, 2013-04-05).")
@click.option("--until", metavar="DATE", help="Published on or before DATE (same forms).")
@click.option(
    "--command",
    metavar="CMD",
    help="Run CMD (a shell command line) with each run's new matches on stdin as JSON Lines.",
)
@output_options()
@click.pass_context
def alerts_add(ctx, name, query, source, author, since, until, command, fmt) -> None:
    """Save a search as alert NAME (the query as `search` reads it).

    \b
    Example:
      newsarchive alerts add floods 'flood* AND (river OR barrier)' --since 2026-01
    """
    # A bad date is refused before anything is kept.
    bound("since", since)
    bound("until", until)
    filters = {"source": source, "author": author, "since": since, "until": until}
    alert, matching = archive_of(ctx).add_alert(name, " ".join(query), filters, command)
    if fmt == "json":
        print_json({**_record(alert), "matching_now": matching})
        return
    now = f"{matching} articles match" if matching != 1 else "1 article matches"
    stdout.print(
        f"alert {alert.name} saved; {now} it now (not news to it). `newsarchive alerts run` reports what comes next."
    )


def _record(alert) -> dict:
    return {
        "name": alert.name,
        "query": alert.query,
        "filters": alert.filters,
        "command": alert.command,
        "created": alert.created,
        "last_run": alert.last_run,
        "reported": alert.reported,
    }


@alerts.command("list", context_settings=CONTEXT)
@output_options(jsonl=True)
@click.pass_context
def alerts_list(ctx, fmt) -> None:
    """The saved alerts: query, filters, command, last run."""
    records = [_record(alert) for alert in archive_of(ctx).alerts()]
    if fmt == "json":
        print_json(records)
    elif fmt == "jsonl":
        print_jsonl(records)
    elif not records:
        stdout.print("no alerts; add one with `newsarchive alerts add NAME QUERY`")
    else:
        for record in records:
            filters = " ".join(f"--{key} {value}" for key, value in record["filters"].items())
            ran = record["last_run"] or "never"
            lines = [f"{record['name']}: {record['query']} {filters}".rstrip()]
            lines.append(f"   last run {ran}, {record['reported']} reported")
            if record["command"]:
                lines.append(f"   command: {record['command']}")
            stdout.print(for_terminal("\n".join(lines)))


@alerts.command("remove", context_settings=CONTEXT)
@click.argument("name")
@click.pass_context
def alerts_remove(ctx, name) -> None:
    """Forget alert NAME (its file in ARCHIVE/alerts/ is kept)."""
    archive_of(ctx).remove_alert(name)
    stdout.print(f"alert {name} removed")


@alerts.command("run", context_settings=CONTEXT)
@click.argument("name", required=False)
@output_options(jsonl=True)
@click.pass_context
def alerts_run(ctx, name, fmt) -> None:
    """Run every alert (or NAME): print what is new since each last ran.

    --jsonl prints one search hit record per new match, with an "alert"
    field; --json one document per alert. Exits 1 when an alert's command
    failed (its matches are in its file all the same).

    \b
    Example:
      newsarchive alerts run pier --jsonl
    """
    runs = archive_of(ctx).run_alerts(name)
    failed = [run for run in runs if run.command is not None and run.command.problem]
    if runs and runs[0].behind:
        note(f"note: the index could not be caught up first ({runs[0].behind}); the next run sees the rest")
    if fmt == "jsonl":
        print_jsonl(record for run in runs for record in run.records)
    elif fmt == "json":
        print_json(
            [
                {
                    "alert": run.alert.name,
                    "new": run.records,
                    "copies_left_out": run.copies,
                    "command": None
                    if run.command is None
                    else {"exit": run.command.code, "problem": run.command.problem},
                }
                for run in runs
            ]
        )
    else:
        _print_runs(runs)
    for run in failed:
        note(f"alert {run.alert.name}: {for_terminal(run.command.problem)}")
    if failed:
        sys.exit(1)


def _print_runs(runs) -> None:
    if not runs:
        stdout.print("no alerts; add one with `newsarchive alerts add NAME QUERY`")
    for run in runs:
        new = len(run.records)
        copies = f" ({run.copies} more were copies of stories seen)" if run.copies else ""
        stdout.print(for_terminal(f"{run.alert.name}: {new} new{copies}"))
        for record in run.records:
            day = (record["published"] or "undated")[:10]
            stdout.print(
                for_terminal(f"   {record['title']}\n   {record['source']} · {day} · {record['url']}")
            )
