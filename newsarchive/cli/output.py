"""Where output goes: records to stdout (human or JSON), the rest to stderr.

Machine output never mixes with progress or notes, and the empty case is
still valid JSON. Human output goes through rich with markup and
highlighting off: every string from the web is printed as text, never
interpreted. Rich is imported on first use only: a command that prints
JSON starts faster without it.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def _width(stream) -> int | None:
    """On a terminal rich wraps to its width; into a file or a pipe lines
    are left whole (rich would otherwise cut them at 80 columns)."""
    if stream.isatty() or os.environ.get("COLUMNS"):
        return None
    return 100_000


class _LazyConsole:
    """A rich Console made on first use."""

    def __init__(self, *, to_stderr: bool):
        self._to_stderr = to_stderr
        self._console: Console | None = None

    def get(self) -> Console:
        """The Console itself (for rich objects that take one)."""
        if self._console is None:
            from rich.console import Console

            stream = sys.stderr if self._to_stderr else sys.stdout
            self._console = Console(
                stderr=self._to_stderr, highlight=False, markup=False, emoji=False, width=_width(stream)
            )
        return self._console

    def __getattr__(self, name):
        return getattr(self.get(), name)


# Human records go to stdout, notes and progress to stderr.
stdout = _LazyConsole(to_stderr=False)
stderr = _LazyConsole(to_stderr=True)


def output_options(*, jsonl: bool = False):
    """Add --json (and, for list commands, --jsonl) to a command; the
    command receives `fmt`: "human", "json" or "jsonl"."""
    import click  # here: the quick search path (quick.py) prints without click

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, as_json: bool, as_jsonl: bool = False, **kwargs):
            if as_json and as_jsonl:
                raise click.UsageError("give --json or --jsonl, not both")
            fmt = "json" if as_json else "jsonl" if as_jsonl else "human"
            return command(*args, fmt=fmt, **kwargs)

        wrapped = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(wrapper)
        if jsonl:
            wrapped = click.option(
                "--jsonl", "as_jsonl", is_flag=True, help="Print one JSON record per line."
            )(wrapped)
        return wrapped

    return decorate


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def print_jsonl(records: Iterable) -> None:
    for record in records:
        sys.stdout.write(dumps(record) + "\n")


def note(message: str, *, style: str | None = None) -> None:
    stderr.print(message, style=style)


def print_records(records: list[dict], fmt: str, view) -> None:
    """A list of records in the format asked for; `view(records)` makes the
    human form."""
    if fmt == "json":
        print_json(records)
    elif fmt == "jsonl":
        print_jsonl(records)
    else:
        stdout.print(view(records))


def progress_bar(total: int | None, label: str, *, auto_refresh: bool = True):
    """A progress bar on stderr when it is a terminal. Without auto-refresh
    it runs no thread (the caller refreshes), which a command that forks needs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr.get(),
        transient=True,
        auto_refresh=auto_refresh,
        disable=(total is not None and total < 2) or not stderr.is_terminal,
    )
