"""Images of an article: the lead image and the figures, with captions and
photo credits told apart."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.sanitize import clean_line
from newsarchive.urls import absolute

# Image credits as news sites print them, inside or after a caption.
_CREDIT_PATTERNS = (
    re.compile(r"\(\s*(?:photo\s+)?credit\s*:\s*(?P<credit>[^)]+)\)", re.I),
    re.compile(r"\(\s*(?:photo|image|picture|foto)\s*:\s*(?P<credit>[^)]+)\)", re.I),
    re.compile(
        r"(?:^|\s)(?:photo(?:graph)?|image|picture|credit|foto)s?\s*(?:credit)?\s*:\s*(?P<credit>.+)$",
        re.I,
    ),
    re.compile(r"(?:^|\s)(?:©|\(c\)|copyright)\s*(?P<credit>.+)$", re.I),
)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source|author", re.I)


def split_credit(caption: str) -> tuple[str, str | None]:
    """A caption and the photo credit printed inside it."""
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(caption)
        if match:
            credit = match.group("credit").strip(" .)")
            rest = (caption[: match.start()] + caption[match.end() :]).strip(" .,-–—|")
            return rest, credit or None
    return caption, None


def figure_images(tree: HtmlElement, base: str | None) -> list[tuple[str, str | None, str | None]]:
    """(url, caption, credit) of each figure in the page that has an image."""
    images = []
    for figure in tree.iter("figure"):
        img = next(figure.iter("img"), None)
        if img is None:
            continue
        url = absolute(base, img.get("src") or img.get("data-src") or "")
        if not url:
            continue
        caption = credit = None
        figcaption = next(figure.iter("figcaption"), None)
        if figcaption is not None:
            credit_parts = [
                clean_line(e.text_content())
                for e in figcaption.iter()
                if e is not figcaption and _CREDIT_CLASS.search(e.get("class") or "")
            ]
            text = clean_line(figcaption.text_content())
            for part in credit_parts:
                text = text.replace(part, " ")
            caption, credit = split_credit(clean_line(text))
            if credit_parts and not credit:
                credit = " ".join(credit_parts)
            if credit:
                credit = split_credit(credit)[1] or credit
            caption = caption or None
        images.append((url, caption, credit))
    return images
