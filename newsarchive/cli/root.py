"""The command line: the face of newsarchive.

Commands stay thin: they parse options, call one method of the library's
front door (`Archive`), and print. Heavy modules (trafilatura, warcio) are
imported inside the commands that need them, so `newsarchive search`
starts fast. This module holds the root group, the mapping of domain
errors to exit codes and `main`; the commands live in pages.py,
crawling.py, reading.py and upkeep.py, by what they do.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

import click

from newsarchive import __version__
from newsarchive.cli.output import note
from newsarchive.config import Config
from newsarchive.errors import (
    ArchiveMissing,
    BadInput,
    NewsarchiveError,
)
from newsarchive.sanitize import for_terminal

CONTEXT = dict(help_option_names=["-h", "--help"], max_content_width=100)

# The extraction libraries log their doubts about odd pages as warnings; an
# archive meets odd pages all day, and says why it skips one in its own words.
for _library in ("trafilatura", "htmldate", "readability", "courlan"):
    logging.getLogger(_library).addHandler(logging.NullHandler())
    logging.getLogger(_library).propagate = False
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


class Archived(click.Group):
    """Turns domain errors raised anywhere in a command into exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NewsarchiveError as error:
            raise fail(error) from None
        except OSError as error:  # the index's or a capture's disk failing
            from newsarchive.errors import disk_error

            problem = disk_error(error, Config.load(ctx.find_root().obj).archive_dir)
            if problem is None:
                raise
            raise fail(problem) from None


@click.group(cls=Archived, context_settings=CONTEXT)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive directory [default: $NEWSARCHIVE_HOME, else the user data directory].",
)
@click.version_option(__version__, prog_name="newsarchive")
@click.pass_context
def cli(ctx: click.Context, archive: Path | None) -> None:
    """Keep a personal, searchable archive of the news.

    News sites are crawled (or pages saved, or WARC files imported) into
    clean articles, kept with their raw capture, and indexed for instant
    full-text search.

    \b
    Start with:  newsarchive demo
    Then:        newsarchive crawl https://www.example-news.com/ --max-articles 100
                 newsarchive search 'climate AND "sea level"' --since 2024
    """
    ctx.obj = archive
    if ctx.invoked_subcommand not in SHORT_COMMANDS:
        gc.enable()  # paused by main() for start-up; long commands need it


def archive_of(ctx: click.Context):
    from newsarchive.archive import Archive

    return Archive(Config.load(ctx.find_root().obj))


def main() -> None:
    # Start-up allocates a great deal (click, then Whoosh for a search) and
    # keeps all of it; the cyclic collector would walk it over and over for
    # nothing (~7 ms of a search). Paused until the command is known.
    gc.disable()
    try:
        cli(prog_name="newsarchive")
    except KeyboardInterrupt:
        note("interrupted")
        sys.exit(130)
    finally:
        # The command is done and has closed what it opened. Python's last
        # garbage collection at exit would walk every object the libraries
        # made (Whoosh and its imports: ~15 ms of a ~130 ms search); frozen
        # objects are left to the operating system to reclaim.
        gc.freeze()


# The commands register themselves on `cli` when imported.
from newsarchive.cli import crawling, pages, reading, upkeep  # noqa: E402, F401
