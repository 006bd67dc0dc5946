"""The click command line: the root group, the mapping of domain errors to
exit codes, and which module holds each command (pages.py, crawling.py,
reading.py, upkeep.py, by what they do).
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path
from typing import NamedTuple

import click

from newsarchive import __version__
from newsarchive.config import Config
from newsarchive.errors import (
    ArchiveMissing,
    BadInput,
    NewsarchiveError,
)
from newsarchive.sanitize import for_terminal

CONTEXT = dict(help_option_names=["-h", "--help"], max_content_width=100)

# Commands that run for a moment and exit: the garbage collector stays
# paused for them (see main).
SHORT_COMMANDS = {"search"}


class Failure(click.ClickException):
    """The command ran and found a problem: exit 1."""

    exit_code = 1


class BadUsage(click.ClickException):
    """Usage or bad input: exit 2."""

    exit_code = 2


def fail(error: NewsarchiveError) -> click.ClickException:
    """The CLI form of a domain error: bad input exits 2, the rest 1."""
    message = for_terminal(str(error)).replace("\n", " ")
    if isinstance(error, (BadInput, ArchiveMissing)):
        return BadUsage(message)
    return Failure(message)


# Each command's module. A module is imported when one of its commands
# runs (or when --help lists them all), and its commands register
# themselves on `cli`: a search does not pay for the crawler's options.
COMMANDS = {
    "search": "reading",
    "show": "reading",
    "stats": "reading",
    "sites": "reading",
    "export": "reading",
    "history": "history",
    "copies": "copies",
    "alerts": "alerts",
    "diff": "history",
    "crawl": "crawling",
    "sources": "crawling",
    "schedule": "crawling",
    "runs": "crawling",
    "extract": "pages",
    "add": "pages",
    "import": "pages",
    "renormalize": "pages",
    "reindex": "upkeep",
    "doctor": "upkeep",
    "demo": "upkeep",
}


class Archived(click.Group):
    """Loads commands when they are asked for, and turns domain errors
    raised anywhere in a command into exit codes."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, cmd_name):
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"newsarchive.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NewsarchiveError as error:
            raise fail(error) from None
        except OSError as error:  # the index's or a capture's disk failing
            from newsarchive.errors import disk_error

            problem = disk_error(error, config_of(ctx).archive_dir)
            if problem is None:
                raise
            raise fail(problem) from None


@click.group(cls=Archived, context_settings=CONTEXT)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive directory [default: $NEWSARCHIVE_HOME, else the user data directory].",
)
@click.option(
    "--store",
    metavar="URL",
    help="The store, if not SQLite in the archive [default: $NEWSARCHIVE_STORE, else config.toml's].",
)
@click.option(
    "--captures",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where WARC captures go [default: $NEWSARCHIVE_CAPTURES, else config.toml's, else ARCHIVE/warc].",
)
@click.option(
    "--frontier",
    metavar="KIND",
    help="Where crawl jobs queue their URLs: store (one crawler a source) or team (shared by every"
    " crawler of the store) [default: $NEWSARCHIVE_FRONTIER, else config.toml's, else team for a"
    " PostgreSQL store, store otherwise].",
)
@click.version_option(__version__, prog_name="newsarchive")
@click.pass_context
def cli(
    ctx: click.Context, archive: Path | None, store: str | None, captures: Path | None, frontier: str | None
) -> None:
    """Keep a personal, searchable archive of the news.

    News sites are crawled (or pages saved, or WARC files imported) into
    clean articles, kept with their raw capture, and indexed for instant
    full-text search.

    \b
    Start with:  newsarchive demo
    Then:        newsarchive crawl https://www.example-news.com/ --max-articles 100
                 newsarchive search 'climate AND "sea level"' --since 2024
    """
    ctx.obj = Roots(archive, store, captures, frontier)
    if ctx.invoked_subcommand not in SHORT_COMMANDS:
        gc.enable()  # paused by main() for start-up; long commands need it


class Roots(NamedTuple):
    """The root options: what names the archive and its shared parts."""

    archive: Path | None
    store: str | None = None
    captures: Path | None = None
    frontier: str | None = None


def config_of(ctx: click.Context) -> Config:
    roots = ctx.find_root().obj or Roots(None)
    return Config.load(roots.archive, store=roots.store, captures=roots.captures, frontier=roots.frontier)


def archive_of(ctx: click.Context):
    from newsarchive.archive import Archive

    return Archive(config_of(ctx))
