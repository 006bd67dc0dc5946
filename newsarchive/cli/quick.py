"""`newsarchive search` without click: the quick path of the commonest command.

Search is the command people run over and over, and importing click took
a third of a cold search (~22 ms of ~90). `run` reads the arguments of a
plain search, in click's own forms (`--opt value` or `--opt=value`,
options before or after the words, the last of a repeated option wins),
and answers it. Anything else it declines by returning None, and the click
command runs instead, with click's help and messages: help, an unknown or
malformed option, a value out of range, a search that fails. A search
only reads, so declining after trying costs time, never data.
tests/cli/test_quick.py holds this parser to the click command's options
and both paths to the same output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The search command's options (reading.py), by how their values are read.
TEXT_OPTIONS = ("--source", "--author", "--since", "--until", "--changed-since")
# Options that are on or off (the output flags aside).
SWITCHES = ("--all-versions", "--all")
CHOICES = {"--sort": ("relevance", "newest", "oldest")}
INT_RANGES = {"--limit": (1, 10_000), "--offset": (0, None)}
FLAGS = ("--json", "--jsonl")
# Options the quick path leaves to click (counting every match is no quick search).
LEFT_TO_CLICK = ("--facets", "--timeline")
DEFAULTS = {"--sort": "relevance", "--limit": 10, "--offset": 0}
COMMAND = "search"
ROOT_OPTION = "--archive"
# Root options the quick path leaves to click (a team's shared store and captures).
ROOT_LEFT_TO_CLICK = ("--store", "--captures", "--frontier")


class Plain:
    """A plain search, as typed."""

    def __init__(self, archive: str | None, words: list[str], values: dict, flags: set[str]):
        self.archive = archive
        self.words = words
        self.values = {**DEFAULTS, **values}
        self.fmt = "json" if "--json" in flags else "jsonl" if "--jsonl" in flags else "human"


def _value(name: str, text: str):
    """The option's value, or None when click would refuse it (or might)."""
    if name in CHOICES:
        return text if text in CHOICES[name] else None
    if name in INT_RANGES:
        try:
            number = int(text)
        except ValueError:
            return None
        low, high = INT_RANGES[name]
        return number if number >= low and (high is None or number <= high) else None
    return text


def _usable(archive: str | None) -> bool:
    """Whether click's --archive (a directory path) takes this value."""
    if archive is None:
        return True
    path = Path(archive)
    return archive != "" and not path.is_file() and (not path.exists() or os.access(path, os.R_OK))


def parse(argv: list[str]) -> Plain | None:
    """The search `argv` asks for, or None for anything but a plain search."""
    args = list(argv)
    archive = None
    while args and args[0] != COMMAND:  # the root group's option, before the command
        head = args.pop(0)
        if head == ROOT_OPTION and args:
            archive = args.pop(0)
        elif head.startswith(ROOT_OPTION + "="):
            archive = head.partition("=")[2]
        else:
            return None
    if not args or not _usable(archive):
        return None
    words, values, flags = [], {}, set()
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("-") or arg == "-":
            words.append(arg)
            continue
        name, given, text = arg.partition("=")
        if name in FLAGS and not given:
            flags.add(name)
            continue
        if name in SWITCHES and not given:
            values[name] = True
            continue
        if name not in (*TEXT_OPTIONS, *CHOICES, *INT_RANGES):
            return None  # help, --, an unknown option, a query word that looks like one
        if not given:
            if not rest or rest[0].startswith("-"):
                return None
            text = rest.pop(0)
        value = _value(name, text)
        if value is None:
            return None
        values[name] = value
    if not words or len(flags) > 1:
        return None
    return Plain(archive, words, values, flags)


def run(argv: list[str]) -> int | None:
    """Answer a plain search: its exit status; None to leave it to click."""
    plain = parse(argv)
    if plain is None:
        return None
    from newsarchive.archive import Archive
    from newsarchive.cli.hits import print_page
    from newsarchive.cli.options import search_request
    from newsarchive.config import Config
    from newsarchive.errors import NewsarchiveError

    values = plain.values
    try:
        request = search_request(
            " ".join(plain.words),
            values.get("--source"),
            values.get("--author"),
            values.get("--since"),
            values.get("--until"),
            values["--sort"],
            values["--limit"],
            values["--offset"],
            values.get("--changed-since"),
            values.get("--all-versions", False),
            values.get("--all", False),
        )
        page = Archive(Config.load(plain.archive)).search(request)
    except (NewsarchiveError, OSError):
        return None  # click runs it again and says what went wrong, its way
    try:
        print_page(page, plain.fmt)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`| head`): quietly, as click does, with status 1.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
