"""Shared fixtures: a fresh archive per test, the CLI in-process and as a
real subprocess, and the shared sample data (skipped when absent)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsarchive.cli.quick import run as quick_search
from newsarchive.cli.root import cli

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE_HTML = SHARED / "samples" / "jpost-hamas-syria.html"
SAMPLE_EXPECTED = SHARED / "samples" / "jpost-hamas-syria.expected.json"
SAMPLE_URL = "https://www.jpost.com/Middle-East/Military-wing-of-Hamas-training-Syrian-rebels-308937"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory):
    """No test reads the user's archive or reaches a proxy."""
    for name in (
        "NEWSARCHIVE_HOME",
        "NEWSARCHIVE_LOCK_TIMEOUT",
        "NEWSARCHIVE_STORE",
        "NEWSARCHIVE_CAPTURES",
        "COLUMNS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return tmp_path / "archive"


class Cli:
    """Runs newsarchive commands against one archive, in-process, as `main`
    does: a plain search through the quick path (cli/quick.py), the rest
    (and what it declines) through click."""

    def __init__(self, archive: Path):
        self.archive = archive
        self.runner = CliRunner()

    def quick(self, argv: list[str], input: bytes | str | None = None) -> Result | None:
        """The quick path's result, or None when it leaves `argv` to click."""
        with self.runner.isolation(input=input) as (stdout, stderr, output):
            answered = quick_search(argv)
        if answered is None:
            return None
        return Result(
            self.runner, stdout.getvalue(), stderr.getvalue(), output.getvalue(), None, answered, None
        )

    def __call__(self, *args: str, input: bytes | str | None = None, code: int | None = 0):
        argv = ["--archive", str(self.archive), *args]
        result = self.quick(argv, input) or self.runner.invoke(cli, argv, input=input)
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code}, wanted {code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
                + (
                    f"\n{result.exc_info}"
                    if result.exception and not isinstance(result.exception, SystemExit)
                    else ""
                )
            )
        return result

    def json(self, *args: str, input: bytes | str | None = None):
        return json.loads(self(*args, "--json", input=input).stdout)


@pytest.fixture
def na(archive_dir) -> Cli:
    return Cli(archive_dir)


def run_newsarchive(*args: str, env: dict | None = None, timeout: float = 120, **kwargs):
    """The real command in a child process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        env=full_env,
        timeout=timeout,
        **kwargs,
    )


@pytest.fixture
def shared_sample() -> tuple[Path, dict]:
    if not SAMPLE_HTML.is_file() or not SAMPLE_EXPECTED.is_file():
        pytest.skip(f"the shared sample is not here ({SAMPLE_HTML}); CI has it")
    return SAMPLE_HTML, json.loads(SAMPLE_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def pg_url(tmp_path) -> str:
    """A fresh, empty PostgreSQL database for this test (tests/postgres_server.py);
    the test skips, saying why, where PostgreSQL is not installed (CI installs it)."""
    import postgres_server

    reason = postgres_server.skip_reason()
    if reason:
        pytest.skip(reason)
    return postgres_server.fresh_url(tmp_path)
