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


# Size and variant marks sites add to one photo's file names: "_1200x630",
# "-800w", "@2x", "-scaled", "_large".
_VARIANT = re.compile(
    r"([_-]\d{2,5}x\d{2,5}|[_-]\d{2,5}w|@\dx|[_-](scaled|large|medium|small|thumb|thumbnail|crop(ped)?|original))+$",
    re.I,
)


def photo_key(url: str) -> str:
    """What two addresses of one photo in two sizes share: the file's name
    without its extension and its size or variant marks."""
    from urllib.parse import urlsplit

    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    stem = _VARIANT.sub("", name.rsplit(".", 1)[0] if "." in name else name)
    # A short name ("image.jpg", "1.jpg") may be another photo elsewhere: the
    # whole path must match then.
    return stem if len(stem) >= PHOTO_NAME_MIN else path


# File names shorter than this are too generic to say two addresses hold one photo.
PHOTO_NAME_MIN = 8
