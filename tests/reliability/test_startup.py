"""`newsarchive search` starts fast: no crawler or extractor on its path."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("trafilatura", "scrapy", "twisted", "warcio", "lxml", "htmldate", "py3langid")

PROBE = """
import json, sys
from newsarchive.cli import cli
try:
    cli(sys.argv[1:], prog_name="newsarchive")
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)
"""


def test_search_imports_nothing_heavy(na, tmp_path):
    from newsarchive.demo.site import article_pages

    page = article_pages()[0]
    na("add", "-", "--url", page.url, input=page.html)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--archive", str(na.archive), "search", "bridge", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(result.stdout)["total"] == 1
    modules = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert not modules & set(HEAVY), modules & set(HEAVY)


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

    from newsarchive.cli import cli

    runner = CliRunner()
    try:
        for command, enabled in ((["stats"], True), (["search", "anything"], False)):
            gc.disable()
            runner.invoke(cli, ["--archive", str(tmp_path / "archive"), *command])
            assert gc.isenabled() is enabled, command
    finally:
        gc.enable()
