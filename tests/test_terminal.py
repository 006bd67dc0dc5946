"""Scraped text never reaches a terminal with control codes or markup."""

from __future__ import annotations

from conftest import PAGES

HOSTILE_URL = "https://hostile.example/news/red-alert"


def assert_clean(output: str) -> None:
    assert "\x1b" not in output and "\x00" not in output and "\x07" not in output
    assert "\u202e" not in output  # no bidi override on a terminal
    assert "[31m" not in output


def test_hostile_page_is_clean_everywhere(na):
    add = na("add", str(PAGES / "hostile.html"))
    assert_clean(add.output)
    search = na("search", "lighthouse")
    assert_clean(search.output)
    # Rich markup in a headline is shown as text, not interpreted.
    assert "[bold red]Markup[/bold red]" in search.stdout
    for variant in ([], ["--text"], ["--json"]):
        shown = na("show", HOSTILE_URL, *variant)
        assert_clean(shown.output)
    assert_clean(na("extract", str(PAGES / "hostile.html")).output)
    assert_clean(na("stats").output)
    assert_clean(na("export").output)


def test_right_to_left_and_emoji_text_survive(na):
    na("add", str(PAGES / "hostile.html"))
    text = na("show", HOSTILE_URL, "--text").stdout
    assert "مرحبا بكم في المنارة" in text and "\U0001f30a" in text


def test_raw_capture_is_exact_in_a_pipe(na):
    """--html into a pipe is the archived bytes, escapes included: that is the
    ground truth, and a pipe is not a terminal."""
    na("add", str(PAGES / "hostile.html"))
    shown = na("show", HOSTILE_URL, "--html")
    assert shown.stdout_bytes == (PAGES / "hostile.html").read_bytes()
