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


def test_results_in_a_pipe_are_the_terminal_view_as_plain_text(na, tmp_path):
    """Into a pipe, search prints the same lines rich would, without rich."""
    import io

    from rich.console import Console

    from newsarchive.archive import Archive
    from newsarchive.cli.lines import plain, results_layout
    from newsarchive.cli.views import results_view
    from newsarchive.config import Config
    from newsarchive.index.api import SearchRequest

    na("add", *(str(p) for p in sorted(PAGES.glob("*.html")) if p.name != "section-page.html"))
    archive = na.archive
    piped = na("search", "lighthouse").stdout
    for request in (SearchRequest("lighthouse"), SearchRequest("zzzq"), SearchRequest("the", offset=50)):
        page = Archive(Config.load(archive)).search(request)
        drawn = io.StringIO()
        Console(file=drawn, highlight=False, markup=False, emoji=False, width=100_000).print(
            results_view(page)
        )
        assert plain(results_layout(page)) == drawn.getvalue()
        if request.query == "lighthouse":
            assert piped == drawn.getvalue()
            assert "\x1b" not in piped
