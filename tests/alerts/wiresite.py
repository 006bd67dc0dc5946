"""A small news site whose front page grows as a test publishes stories,
for alerts that watch what each crawl brings. Links are relative, so one
site can be crawled under two host names (two sources)."""

from __future__ import annotations

import json
import threading
from html import escape

from newsarchive.demo.newssite import Reply

PIER = [
    "The {town} harbour authority voted on Tuesday to close the north pier to heavy lorries from March,"
    " after engineers found cracks in three of its oldest supporting beams during a routine survey.",
    "Councillor Mira Osei, who chairs the transport committee, said 12 firms would need new routes and that"
    " the authority would pay for temporary signs on the coast road while the pier repairs are planned.",
    "Fishing crews who land their catch at the pier said they had not been consulted. One skipper said the"
    " closure would add an hour to every delivery and asked why the survey was not published sooner.",
    "The repairs are expected to cost 4.2 million pounds and to take most of next year. The authority said"
    " it would apply for a national grant and publish the full engineering report next month.",
]
FERRY = [
    "A new ferry timetable for {town} starts next week, with two extra sailings on Saturdays and an earlier"
    " first crossing on weekdays for commuters who work on the mainland and have asked for it for years.",
    "The operator said the change followed a survey of 2,000 passengers, most of whom wanted later evening"
    " sailings in summer, and that fares would stay the same until the end of the year at least.",
    "Island shopkeepers said the earlier crossing would help deliveries of fresh food, which now arrive after"
    " the morning rush, and asked for the timetable to be kept through the winter months too.",
]
GALE = [
    "Gale force winds are expected to reach the {town} coast on Friday night, and the council has asked"
    " residents to tie down bins and garden furniture and to keep away from the pier and the sea wall.",
    "Forecasters said gusts of up to 70 miles an hour could bring down trees and power lines, and that"
    " the worst of the weather would pass by Saturday afternoon before a calmer but colder week.",
    "Schools will open as usual, the council said, though buses on the exposed coast road may be cut back"
    " and parents should check the timetable before setting out in the morning with their children.",
]


def story(slug: str, title: str, paragraphs: list[str], town: str, day: str) -> dict:
    return {"slug": slug, "title": title, "paragraphs": [p.format(town=town) for p in paragraphs], "day": day}


class WireSite:
    def __init__(self, base: str):
        self.base = base
        self.stories: dict[str, dict] = {}
        self._lock = threading.Lock()

    def publish(self, *stories: dict) -> None:
        with self._lock:
            for item in stories:
                self.stories[item["slug"]] = item

    def respond(self, target: str, headers: dict[str, str]) -> Reply:
        path = target.split("?")[0]
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\n", {"Content-Type": "text/plain"})
        with self._lock:
            stories = dict(self.stories)
        if path == "/":
            links = "".join(
                f'<li><a href="/news/{slug}">{escape(item["title"])}</a></li>'
                for slug, item in stories.items()
            )
            return _html(f"<html><head><title>Wire</title></head><body><ul>{links}</ul></body></html>")
        slug = path.rsplit("/", 1)[-1]
        if path.startswith("/news/") and slug in stories:
            return _html(_page(stories[slug]))
        return Reply(404, b"not here", {"Content-Type": "text/plain"})


def _page(item: dict) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": item["title"],
            "datePublished": f"{item['day']}T08:00:00+00:00", "author": [{"@type": "Person", "name": "Ada Quay"}]}  # fmt: skip
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item["paragraphs"])
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(item["title"])}</title>
<script type="application/ld+json">{json.dumps(data)}</script>
</head><body><header><a href="/">Home</a></header>
<main><article><h1>{escape(item["title"])}</h1><div class="byline">By Ada Quay</div>
<div class="article-body">{paragraphs}</div></article></main></body></html>"""


def _html(text: str) -> Reply:
    return Reply(200, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
