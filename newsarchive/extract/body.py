"""The article body: trafilatura finds it, this module shapes and cleans it.

trafilatura's XML output keeps the structure (paragraphs, sub-headings,
lists, quotes), which its plain-text output flattens; from it we build
paragraphs separated by one blank line, then drop the lines that are not
the story: headline and standfirst repeated, captions and credits, bylines,
and the promo, ad and share lines news templates put between paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsarchive.sanitize import clean_line

# trafilatura settings, chosen on the 118-page article-extraction dev set
# (token-shingle F1): favor_precision 0.961 > include_comments=False 0.955 >
# defaults 0.946. Comments are never part of the article. (Links are not
# asked for: with them trafilatura splits paragraphs around inline links.)
TRAFILATURA_OPTIONS: dict[str, Any] = dict(
    favor_precision=True,
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_links=False,
    include_formatting=False,
    with_metadata=False,
    # deduplicate keeps a process-wide cache: it would make extraction depend
    # on what was extracted before, so it stays off.
    deduplicate=False,
)

# Whole paragraphs that are template furniture, not reporting. Each pattern
# must match the entire paragraph, and only short paragraphs are tested, so
# a sentence of the story that happens to start this way is never cut.
PROMO_MAX_WORDS = 14
_PROMO_LINES = [
    re.compile(p, re.I)
    for p in (
        r"advertisement|advert|ad|sponsored( content)?|promoted( content)?|story continues below( advertisement)?",
        r"(click|tap) (here )?(for|to) .*",
        r"(sign up|subscribe|register)\b.*\b(newsletter|alerts?|updates|briefing|free)\b.*",
        r"(read|see|watch|listen)( more| also| next)?\s*:.*",
        r"also (on|in|read|see)\b.*",
        r"(related|recommended|more on this)( stories| articles| content| coverage| reading)?(\s*:.*)?",
        r"(most|the most) (read|popular|viewed|shared|commented|emailed)( stories| articles| today| now)?",
        r"(follow|like) us on .*",
        r"share (this|on|it)\b.*|share( this)?( article| story)?|.*\bshare it with a friend\W*",
        r"(facebook|twitter|x|whatsapp|linkedin|email|print|copy link)"
        r"(\s*[|/,]?\s*(facebook|twitter|x|whatsapp|linkedin|email|print|copy link))*",
        r"(all rights reserved|copyright\b|©).*",
        r"(photo|image|picture)s?\s*(credit)?\s*:.*|\(?(photo )?credit\s*:.*",
        r"(comments?|talkbacks?)( \(\d+\))?",
        r"tell us what you think\W*",
        r"(this|the) (article|story) (is|was) (continued|updated) below\.?",
    )
]
# Promos that say "click here" somewhere in a short paragraph; real reporting
# does not ask the reader to click.
PROMO_CLICK_MAX_WORDS = 30
_CLICK_HERE = re.compile(r"\bclick here\b", re.I)
# A paragraph made only of a CMS shortcode: "[button link=...]...[/button]".
_SHORTCODE = re.compile(r"^\[([a-z_]+)\b[^\]]*\].*\[/\1\]$", re.S)
# A short paragraph with a copyright sign is a photo credit or a footer.
CREDIT_MAX_WORDS = 12


@dataclass(frozen=True)
class Block:
    """One paragraph-like block of the extracted body."""

    text: str
    kind: str  # "p", "head", "item", "quote" or "table"


def trafilatura_body(source, url: str | None):
    """trafilatura's main-content tree for a page (text or parsed tree)."""
    import trafilatura

    document = trafilatura.bare_extraction(source, url=url, **TRAFILATURA_OPTIONS)
    return getattr(document, "body", None)  # a Document (as_dict is off), or None


def blocks_from_body(body) -> list[Block]:
    """Blocks of trafilatura's body tree, in reading order."""
    if body is None:
        return []
    return [block for block in _container_blocks(body) if block.text]


def _container_blocks(container) -> list[Block]:
    """Blocks of a container in order. trafilatura leaves text that was not
    in a <p> loose in the container, with inline elements (emphasis, line
    breaks) among it; each run of loose text up to the next block element
    is a paragraph, and so is each line of it (old layouts build their
    paragraphs from <br> line breaks)."""
    blocks: list[Block] = []
    run: list[str] = [container.text or ""]
    for element in container:
        if element.tag in _INLINE:
            run.append(_BREAK if element.tag == "lb" else " " + _inline_text(element) + " ")
        else:
            blocks.extend(Block(line, "p") for line in _line_list("".join(run)))
            blocks.extend(_element_blocks(element))
            run = []
        run.append(element.tail or "")
    blocks.extend(Block(line, "p") for line in _line_list("".join(run)))
    return blocks


def _element_blocks(element) -> list[Block]:
    tag = element.tag
    if tag == "list":
        return [block for item in element.iter("item") for block in _blocks(item, "item")]
    if tag == "table":
        cells = list(element.iter("cell"))
        if any(child.tag not in _INLINE for cell in cells for child in cell):
            # A layout table (a page laid out in cells): its cells hold the
            # paragraphs, not data.
            return [block for cell in cells for block in _container_blocks(cell)]
        rows = []
        for row in element.iter("row"):
            texts = [" ".join(_line_list(_marked_text(cell))) for cell in row.iter("cell")]
            rows.append(" | ".join(t for t in texts if t))
        return [Block("\n".join(r for r in rows if r), "table")]
    if tag in ("quote", "div") and any(child.tag not in _INLINE for child in element):
        return _container_blocks(element)
    if tag == "graphic":
        return []
    return _blocks(element, "head" if tag == "head" else "quote" if tag == "quote" else "p")


# Elements of trafilatura's XML that sit inside a line of text.
_INLINE = {"hi", "lb", "ref", "del", "code"}
# Stands for a <lb/> line break while text is gathered (newlines in the
# XML's text are only the source's formatting, not breaks).
_BREAK = "\x1e"


def _blocks(element, kind: str) -> list[Block]:
    """The paragraphs of one element: a blank line (`text<br><br>text`)
    separates paragraphs; a single line break stays inside one."""
    parts = re.split(rf"{_BREAK}\s*{_BREAK}", _marked_text(element))
    return [Block("\n".join(lines), kind) for lines in map(_line_list, parts) if lines]


def _inline_text(element) -> str:
    """Text of one block, its line breaks as newlines."""
    return "\n".join(_line_list(_marked_text(element)))


def _marked_text(element) -> str:
    """The element's text with _BREAK where each <lb/> is."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_BREAK if child.tag == "lb" else _marked_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _line_list(text: str) -> list[str]:
    lines = (clean_line(line) for line in text.split(_BREAK))
    return [line for line in lines if line]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_promo(paragraph: str) -> bool:
    words = len(paragraph.split())
    if words <= PROMO_CLICK_MAX_WORDS and _CLICK_HERE.search(paragraph):
        return True
    if words <= CREDIT_MAX_WORDS and "©" in paragraph:
        return True
    if words > PROMO_MAX_WORDS:
        return False
    line = paragraph.strip().strip("»›>•·-–—|").strip()
    return bool(_SHORTCODE.match(line)) or any(p.fullmatch(line) for p in _PROMO_LINES)


# A line that is only a date and time ("Updated: April 5, 2013 10:32 GMT"),
# printed again inside the body: every word is one of these.
DATELINE_MAX_WORDS = 12
_DATE_WORDS = re.compile(
    r"\b(published|updated|posted|last|modified|on|at|am|pm|a\.m|p\.m|gmt|utc|[a-z]{1,2}[sd]t|et|pt|ct"
    r"|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?"
    r"|nov(ember)?|dec(ember)?|mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|sat(urday)?"
    r"|sun(day)?|\d+(st|nd|rd|th|h)?)\b",
    re.I,
)


def _is_dateline(paragraph: str) -> bool:
    words = len(paragraph.split())
    if not 2 <= words <= DATELINE_MAX_WORDS or not re.search(r"\d", paragraph):
        return False
    return not re.sub(r"[\W\d_]+", "", _DATE_WORDS.sub("", paragraph))


# A paragraph that is the whole text of one link, in the body, is a
# related-story or promo link ("Click for full coverage"), unless it is a
# sub-heading; one made of several links between separators is a menu.
LINK_ONLY_MAX_WORDS = 30


_ADDRESS = re.compile(r"(https?://|www\.)\S+$", re.I)
_LINK_SEPARATORS = re.compile(r"\s+[|•·»›/]\s+|\s*[|•·»›]\s*")


def _is_link_only(block: Block, links: set[str]) -> bool:
    """The whole text of one of the page's links, or of several separated
    like a menu ("Home | Local | Sport")."""
    if block.kind == "head" or len(block.text.split()) > LINK_ONLY_MAX_WORDS:
        return False
    if _ADDRESS.match(block.text):  # an address shown as such is content, not a promo
        return False
    if _key(block.text) in links:
        return True
    pieces = [piece for piece in _LINK_SEPARATORS.split(block.text) if piece.strip()]
    return len(pieces) > 1 and all(_key(piece) in links for piece in pieces)


_BYLINE = re.compile(r"^\s*by\s+(?P<rest>.+)$", re.I | re.S)
_BYLINE_CONNECTORS = {"and", "und", "et", "y", "&", "in", "at", "for", "of", "de", "van", "von"}
# A byline's names part ("By Jane Doe and John Roe") is at most this long.
BYLINE_MAX_NAME_WORDS = 7


def _is_byline(paragraph: str, authors: tuple[str, ...]) -> bool:
    """ "By Jane Doe, Reuters | April 5" style lines, but not "By noon, ..."."""
    words = paragraph.split()
    if len(words) > PROMO_MAX_WORDS:
        return False
    author_keys = [_key(a) for a in authors if _key(a)]
    match = _BYLINE.match(paragraph)
    if match is None:
        # A line that starts with a known author's name: "Jane Doe | Reuters".
        key = _key(paragraph)
        return len(words) <= 8 and any(key.startswith(a) for a in author_keys)
    rest = match.group("rest")
    if any(a in _key(rest) for a in author_keys):
        return True
    names = re.split(r"[|,•·]|\s[-–—]\s", rest)[0].split()
    return 1 <= len(names) <= BYLINE_MAX_NAME_WORDS and all(
        w[0].isupper() or w.casefold() in _BYLINE_CONNECTORS for w in names
    )


def clean_blocks(
    blocks: list[Block],
    *,
    repeated: set[str],
    links: set[str],
    authors: tuple[str, ...],
) -> list[str]:
    """The paragraphs of the story. `repeated` are texts shown elsewhere on
    the page (headline, captions, credits) and `links` the texts of its
    links, all compared loosely (case, spacing, punctuation)."""
    repeated_keys = {_key(text) for text in repeated if text} - {""}
    link_keys = {_key(text) for text in links} - {""}
    kept: list[str] = []
    for block in blocks:
        key = _key(block.text)
        if not key or key in repeated_keys:
            continue
        if (
            _is_promo(block.text)
            or _is_byline(block.text, authors)
            or (block.kind != "head" and _is_dateline(block.text))
            or _is_link_only(block, link_keys)
        ):
            continue
        if kept and _key(kept[-1]) == key:
            continue
        kept.append(block.text)
    return kept
