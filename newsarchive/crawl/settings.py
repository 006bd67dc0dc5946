"""Scrapy settings for a newsarchive crawl, built explicitly.

Polite by default: robots.txt obeyed (with its Crawl-delay), AutoThrottle
on with a one-second floor, two requests at a time per site, an honest
User-Agent, retries with back-off, a size cap, no telnet console. A user
overrides any of it Scrapy's way: `crawl ... -s NAME=VALUE`.
"""

from __future__ import annotations

from pathlib import Path

from newsarchive import __version__
from newsarchive.errors import BadInput

PROJECT_URL = "https://github.com/newsarchive/newsarchive"
USER_AGENT = f"newsarchive/{__version__} (+{PROJECT_URL})"
# Pages larger than this are not news (and extraction refuses them anyway).
MAX_RESPONSE_BYTES = 15 * 1024 * 1024
# A crawl run silent this long is taken for dead (see DEFAULTS).
TEAM_STALE_SECONDS = 30.0

DEFAULTS = {
    "BOT_NAME": "newsarchive",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "TELNETCONSOLE_ENABLED": False,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_DELAY": 1.0,
    # A fixed delay, so robots.txt's Crawl-delay is a true floor.
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    # Scrapy starts this many asyncio tasks for every response's output,
    # whatever it holds; a page yields one item and a wake-up request, and
    # the default 100 cost the reactor ~100 tasks a page.
    "CONCURRENT_ITEMS": 4,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": MAX_RESPONSE_BYTES,
    "DOWNLOAD_WARNSIZE": MAX_RESPONSE_BYTES // 3,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "REDIRECT_MAX_TIMES": 5,
    # Links followed from the start pages, at most; the frontier applies it
    # (Scrapy's depth middleware is off: the frontier knows each URL's
    # depth across a resumed crawl) and serves URLs breadth first, in the
    # order they were found: a site's newest stories are near its home page.
    "DEPTH_LIMIT": 6,
    # The queue is the frontier in the store, which also knows what was
    # seen, so a killed crawl resumes whole (see crawl/scheduler.py).
    "SCHEDULER": "newsarchive.crawl.scheduler.FrontierScheduler",
    "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
    "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
    "LOG_LEVEL": "INFO",
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
        "newsarchive.crawl.middlewares.ScopeMiddleware": 60,
        # In Scrapy's own middleware's place: one robots.txt request per site.
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "newsarchive.crawl.middlewares.RobotsMiddleware": 100,
        "newsarchive.crawl.middlewares.PolitenessMiddleware": 980,
        "newsarchive.crawl.middlewares.CaptureMiddleware": 990,
    },
    # With a shared queue, a request waits for the host's turn in the team
    # (crawl/team.py) just before it goes.
    "DOWNLOAD_HANDLERS": {
        "http": "newsarchive.crawl.team.TeamHTTPHandler",
        "https": "newsarchive.crawl.team.TeamHTTPHandler",
    },
    "ITEM_PIPELINES": {"newsarchive.crawl.pipeline.ArchivePipeline": 300},
    "EXTENSIONS": {
        "scrapy.extensions.telnet.TelnetConsole": None,
        "newsarchive.crawl.progress.Progress": 500,
        "newsarchive.crawl.team.Heartbeat": 510,
    },
    # A crawl working a shared job (the "team" frontier) shows it is alive
    # this often; one silent this long is taken for dead, and the URLs it
    # held go to the others.
    "TEAM_HEARTBEAT_SECONDS": 5.0,
    "TEAM_STALE_SECONDS": TEAM_STALE_SECONDS,
}


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """`-s NAME=VALUE` options as a dict; a malformed one is bad input."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not name.strip().replace("_", "").isalnum():
            raise BadInput(f"-s {pair!r}: write a Scrapy setting as NAME=VALUE, e.g. -s DOWNLOAD_DELAY=2")
        overrides[name.strip().upper()] = value.strip()
    return overrides


def crawl_settings(*, log_file: Path, max_pages: int | None, overrides: dict[str, str]) -> dict:
    settings = {**DEFAULTS, "LOG_FILE": str(log_file), "LOG_FILE_APPEND": True}
    if max_pages:
        settings["CLOSESPIDER_PAGECOUNT"] = max_pages
    settings.update(overrides)
    return settings


def depth_limit(settings: dict) -> int:
    """DEPTH_LIMIT as a number (0: none); a bad value is bad input."""
    value = settings.get("DEPTH_LIMIT", 0)
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = -1
    if limit < 0:
        raise BadInput(f"-s DEPTH_LIMIT={value!r}: give a whole number of links, e.g. 6 (0: no limit)")
    return limit


def stale_after(settings: dict) -> float:
    """TEAM_STALE_SECONDS as seconds, at least three heartbeats."""
    try:
        stale = float(settings["TEAM_STALE_SECONDS"])
        beat = float(settings["TEAM_HEARTBEAT_SECONDS"])
    except (TypeError, ValueError):
        stale = beat = -1.0
    if beat <= 0 or stale < 3 * beat:
        raise BadInput(
            "-s TEAM_STALE_SECONDS / TEAM_HEARTBEAT_SECONDS: give seconds, the first at least three times"
            " the second, e.g. 30 and 5"
        )
    return stale
