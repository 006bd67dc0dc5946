"""`newsarchive search` starts fast: no crawler or extractor on its path."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("trafilatura", "scrapy", "twisted", "warcio", "lxml", "htmldate", "py3langid")
# What a plain search on a tantivy archive does without: click (quick.py
# answers it), and what dataclasses or Whoosh would load (inspect, ast, dis).
NOT_FOR_A_PLAIN_SEARCH = ("click", "whoosh", "dataclasses", "inspect", "ast", "dis", "rich", "hashlib")

PROBE = """
import json, sys
from newsarchive.cli import main
sys.argv = ["newsarchive", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)
"""


def _modules_of_a_search(na, *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--archive", str(na.archive), "search", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 1
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_search_imports_nothing_heavy(na, tmp_path):
    from newsarchive.demo.site import article_pages

    page = article_pages()[0]
    na("add", "-", "--url", page.url, input=page.html)
    modules = _modules_of_a_search(na, "bridge", "--json")
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_a_plain_search_of_a_tantivy_archive_loads_only_what_it_needs(na):
    """Each of these cost a cold search milliseconds (click ~20, dataclasses
    with inspect ~9); a plain search goes without them."""
    from newsarchive.demo.site import article_pages

    page = article_pages()[0]
    na("add", "-", "--url", page.url, input=page.html)
    na("reindex", "--engine", "tantivy")
    modules = _modules_of_a_search(na, "bridge", "--json", "--since", "2000", "--sort", "newest")
    assert "tantivy" in modules
    assert not modules & set(NOT_FOR_A_PLAIN_SEARCH), modules & set(NOT_FOR_A_PLAIN_SEARCH)


def test_every_code_directory_is_a_package_that_gets_installed():
    """`packages = find:` installs only directories with an __init__.py; one
    without it works from a checkout and is missing from `pip install .`."""
    from pathlib import Path

    from setuptools import find_packages

    root = Path(__file__).resolve().parents[2]
    found = set(find_packages(str(root), exclude=["tests*", "bench*"]))
    code_dirs = {
        ".".join(path.parent.relative_to(root).parts)
        for path in (root / "newsarchive").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert code_dirs <= found, f"not installed: {sorted(code_dirs - found)}"


def test_garbage_collector_is_back_for_every_command_but_search(tmp_path):
    """main() pauses the collector for start-up; a search keeps it paused to
    its end, every other command (a crawl runs for hours) gets it back."""
    import gc

    from click.testing import CliRunner

    from newsarchive.cli.root import cli

    runner = CliRunner()
    try:
        for command, enabled in ((["stats"], True), (["search", "anything"], False)):
            gc.disable()
            runner.invoke(cli, ["--archive", str(tmp_path / "archive"), *command])
            assert gc.isenabled() is enabled, command
    finally:
        gc.enable()
