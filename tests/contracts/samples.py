"""Articles made to order for store and engine tests."""

from __future__ import annotations

from newsarchive.article import Article, Image


def make_article(n: int = 1, **changes) -> Article:
    base = Article(
        url=f"https://news.example/2024/story-{n}?utm_source=x",
        canonical_url=f"https://news.example/2024/story-{n}",
        source="news.example",
        title=f"Story number {n}",
        text=f"First paragraph of story {n}.\n\nSecond paragraph.",
        authors=("Ada Lovelace",),
        tags=("science",),
        published="2024-05-01T10:00:00+02:00",
        images=(Image("https://news.example/i.jpg", "A caption", "A credit"),),
    )
    return base.replace(**changes)
