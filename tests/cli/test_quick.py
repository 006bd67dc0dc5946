"""The quick search path (cli/quick.py) against the click command it stands
in for: the same options, and on random command lines either the same
output and exit status, or it leaves the line to click."""

from __future__ import annotations

import os
import random

import click
import pytest

from newsarchive.cli import quick
from newsarchive.cli.reading import search
from newsarchive.cli.root import cli
from newsarchive.demo.site import article_pages
from newsarchive.index import ENGINES


def test_the_quick_parser_knows_the_search_command_options():
    """A new or changed option of `search` must be taught to quick.py (or
    the quick path would answer a line click reads differently)."""
    known = {*quick.TEXT_OPTIONS, *quick.CHOICES, *quick.INT_RANGES, *quick.FLAGS, *quick.SWITCHES}
    known |= set(quick.LEFT_TO_CLICK)
    seen = set()
    for param in search.params:
        if not isinstance(param, click.Option):
            assert param.name == "query" and param.nargs == -1 and param.required
            continue
        (name,) = [opt for opt in param.opts if opt.startswith("--")]
        assert not param.secondary_opts and len(param.opts) == 1, name
        seen.add(name)
        if name in quick.LEFT_TO_CLICK:
            assert quick.parse(["search", "word", name, "day"]) is None
            continue
        if name in (*quick.FLAGS, *quick.SWITCHES):
            assert param.is_flag
        elif name in quick.CHOICES:
            assert isinstance(param.type, click.Choice)
            assert tuple(param.type.choices) == quick.CHOICES[name]
        elif name in quick.INT_RANGES:
            assert isinstance(param.type, click.IntRange)
            assert (param.type.min, param.type.max) == quick.INT_RANGES[name]
            assert not param.type.min_open and not param.type.max_open and not param.type.clamp
        else:
            assert param.type == click.STRING and name in quick.TEXT_OPTIONS, name
        if name in quick.DEFAULTS:
            assert param.default == quick.DEFAULTS[name], name
        else:  # no value unless given (click 8.2+ marks that with a sentinel)
            assert param.default in (None, False) or type(param.default).__name__ == "Sentinel", name
    assert seen == known
    root = {opt for param in cli.params for opt in param.opts}
    assert root == {quick.ROOT_OPTION, "--version", *quick.ROOT_LEFT_TO_CLICK}
    assert all(quick.parse([option, "x", "search", "word"]) is None for option in quick.ROOT_LEFT_TO_CLICK)


WORDS = [
    "harbour",
    "bridge",
    "storm",
    "the",
    "seals",
    "title:bridge",
    '"storm surge"',
    "NOT",
    "herr*",
    "search",
]
ODD = ["-harbour", "--", "-", "-h", "--help", "--version", "--jsonx", "--json=1", "--limit=", "--sort", "-5"]
VALUES = {
    "--limit": ["1", "3", "10", "0", "10001", "abc", "-1", "+2", " 4", "1_0"],
    "--offset": ["0", "2", "-1", "x"],
    "--sort": ["relevance", "newest", "oldest", "random", "NEWEST"],
    "--since": ["2024", "2024-06", "2024-13", "yesterday"],
    "--until": ["2025", "2024-06-30", "nope"],
    "--source": ["harbour-herald.example", "https://www.harbour-herald.example/", "-x", ""],
    "--author": ["Okafor", "maya lindqvist", "!!"],
    "--changed-since": ["2024", "2024-06-31", "later"],
}


def random_line(rng: random.Random) -> list[str]:
    line: list[str] = []
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        if roll < 0.4:
            line.append(rng.choice(WORDS))
        elif roll < 0.8:
            name = rng.choice(sorted(VALUES))
            value = rng.choice(VALUES[name])
            line += [f"{name}={value}"] if rng.random() < 0.3 else [name, value]
        elif roll < 0.93:
            line.append(rng.choice([*quick.FLAGS, *quick.SWITCHES]))
        else:
            line.append(rng.choice(ODD))
    return line


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_random_search_lines_print_what_click_prints_or_go_to_click(na, monkeypatch, engine):
    monkeypatch.setenv("NEWSARCHIVE_ENGINE", engine)
    for page in article_pages():
        na("add", "-", "--url", page.url, input=page.html)
    rng = random.Random(int(os.environ.get("NEWSARCHIVE_QUICK_SEED", "20261129")))
    trials = int(os.environ.get("NEWSARCHIVE_QUICK_TRIALS", "300"))
    answered = 0
    for _ in range(trials):
        argv = ["--archive", str(na.archive), "search", *random_line(rng)]
        ours = na.quick(argv)
        theirs = na.runner.invoke(cli, argv)
        if ours is None:
            continue
        answered += 1
        assert (ours.exit_code, ours.stdout, ours.stderr) == (
            theirs.exit_code,
            theirs.stdout,
            theirs.stderr,
        ), argv
    print(f"{engine}: {answered} of {trials} lines answered by the quick path, the same as click")
    # A good share of the lines are plain searches, and those are answered.
    assert answered > trials // 5, answered


def test_a_plain_search_is_answered_and_anything_else_is_declined(na):
    for page in article_pages()[:3]:
        na("add", "-", "--url", page.url, input=page.html)
    where = ["--archive", str(na.archive)]
    for line in (
        ["search", "bridge"],
        ["search", "--json", "bridge", "--limit=2", "--sort", "newest"],
        ["search", "bridge", "--source", "harbour-herald.example", "--since", "2000", "--jsonl"],
    ):
        assert na.quick([*where, *line]) is not None, line
    for line in (
        ["search"],
        ["search", "--help"],
        ["search", "bridge", "--limit", "0"],
        ["search", "bridge", "--json", "--jsonl"],
        ["search", "bridge", "--since", "2024-13"],  # refused: click says why
        ["search", "-harbour"],
        ["search", "bridge", "--no-such-option"],
        ["stats"],
        ["--version"],
    ):
        assert na.quick([*where, *line]) is None, line
    assert na.quick(["--archive", str(na.archive / "store.sqlite3"), "search", "bridge"]) is None
