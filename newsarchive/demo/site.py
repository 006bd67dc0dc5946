"""The bundled demo site, rendered from `articles.json` into real pages.

The pages look like a news site's: navigation, breadcrumbs, bylines, share
bars, captioned photos with credits, promo lines and ad slots between
paragraphs, related links, a footer. Half declare their metadata in JSON-LD,
the others only in OpenGraph tags and the visible byline, so the demo runs
the same extraction a real site needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from importlib.resources import files


@dataclass(frozen=True)
class SitePage:
    url: str
    html: bytes


def site_data() -> dict:
    return json.loads(files(__package__).joinpath("articles.json").read_text(encoding="utf-8"))


def site_base(site: dict) -> str:
    """Where the site lives: its served address, else its public one."""
    return site.get("base") or f"https://{site['host']}"


def article_url(site: dict, article: dict) -> str:
    return f"{site_base(site)}/{article['slug']}"


def _jsonld(site: dict, article: dict, url: str, image_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article["title"],
        "description": article["subtitle"],
        "datePublished": article["published"],
        "articleSection": article["section"],
        "author": [{"@type": "Person", "name": name} for name in article["authors"]],
        "publisher": {"@type": "Organization", "name": site["name"]},
        "mainEntityOfPage": url,
        "image": {"@type": "ImageObject", "url": image_url, "caption": article["image"]["caption"]},
        "keywords": ", ".join(article["tags"]),
    }
    # "</" cannot end the script element early once escaped.
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _byline(article: dict) -> str:
    names = " and ".join(
        f'<a rel="author" href="/authors/{escape(n.lower().replace(" ", "-"))}">{escape(n)}</a>'
        for n in article["authors"]
    )
    shown = article["published"][:16].replace("T", " ")
    return f'<div class="byline">By {names} · <time datetime="{article["published"]}">{shown}</time></div>'


def _body(site: dict, article: dict) -> str:
    blocks = []
    for number, paragraph in enumerate(article["paragraphs"], start=1):
        blocks.append(f"<p>{escape(paragraph)}</p>")
        if number == 2:
            blocks.append(f'<div class="promo"><a href="/local/">{escape(site["promo"])}</a></div>')
        if number == 4:
            blocks.append('<div class="ad-slot">Advertisement</div>')
    return "\n".join(blocks)


def article_page(site: dict, article: dict) -> SitePage:
    url = article_url(site, article)
    image = article["image"]
    image_url = f"{site_base(site)}/images/{image['file']}"
    title = escape(article["title"])
    meta = [
        f'<meta name="description" content="{escape(article["subtitle"])}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{escape(article["subtitle"])}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{escape(site["name"])}">',
        f'<meta property="og:image" content="{image_url}">',
        f'<meta property="article:published_time" content="{article["published"]}">',
        f'<meta property="article:section" content="{escape(article["section"])}">',
        *(f'<meta property="article:tag" content="{escape(tag)}">' for tag in article["tags"]),
        f'<link rel="canonical" href="{url}">',
    ]
    if article["jsonld"]:
        meta.append(_jsonld(site, article, url, image_url))
    sections = ["Local", "Politics", "Business", "Weather", "Culture", "Sport", "Science"]
    nav = "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in sections)
    html = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - {escape(article["section"])} - {escape(site["name"])}</title>
{chr(10).join(meta)}
</head>
<body>
<header><a class="logo" href="/">{escape(site["name"])}</a><nav><ul>{nav}</ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/{article["section"].lower()}/">{escape(article["section"])}</a></div>
<main>
<article>
<h1>{title}</h1>
<p class="standfirst">{escape(article["subtitle"])}</p>
{_byline(article)}
<div class="share"><a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
<figure><img src="/images/{image["file"]}" alt="{escape(image["caption"])}">
<figcaption>{escape(image["caption"])} <span class="credit">Photo: {escape(image["credit"])}</span></figcaption></figure>
<div class="article-body">
{_body(site, article)}
</div>
</article>
<aside><h3>Most read</h3><ul><li><a href="/local/">Parking rules change on Quay Street</a></li><li><a href="/sport/">Cup draw: home tie for Alder United</a></li></ul>
<div class="newsletter">{escape(site["newsletter"])} <input type="email"></div></aside>
</main>
<footer><p>© 2025 {escape(site["name"])}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>
"""
    return SitePage(url, html.encode("utf-8"))


def article_pages() -> list[SitePage]:
    data = site_data()
    return [article_page(data["site"], article) for article in data["articles"]]
