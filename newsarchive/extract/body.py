"""The article body: trafilatura finds it, this module shapes and cleans it.

trafilatura's XML output keeps the structure (paragraphs, sub-headings,
lists, quotes), which its plain-text output flattens; from it we build
paragraphs separated by one blank line, then drop the lines that are not
the story: headline and standfirst repeated, captions and credits, bylines,
and the promo, ad and share lines news templates put between paragraphs.
"""

from __future__ import annotations

import re

from lxml import etree

from newsarchive.sanitize import clean_line

# trafilatura settings, chosen on the 118-page article-extraction dev set
# (token-shingle F1): favor_precision 0.961 > include_comments=False 0.955 >
# defaults 0.946. Comments are never part of the article.
TRAFILATURA_OPTIONS = dict(
    output_format="xml",
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
        r"(related|recommended|more on this)( stories| articles| content| coverage| reading)?(\s*:.*)?",
        r"(follow|like) us on .*",
        r"share (this|on)\b.*|share( this)?( article| story)?",
        r"(facebook|twitter|x|whatsapp|linkedin|email|print|copy link)(\s*[|/,]?\s*(facebook|twitter|x|whatsapp|linkedin|email|print|copy link))*",
        r"(all rights reserved|copyright ©|©).*",
        r"(photo|image|picture)\s*(credit)?\s*:.*|\(?(photo )?credit\s*:.*",
        r"(comments?|talkbacks?)( \(\d+\))?",
        r"(this|the) (article|story) (is|was) (continued|updated) below\.?",
    )
]


def trafilatura_xml(html: str, url: str | None) -> str | None:
    import trafilatura

    return trafilatura.extract(html, url=url, **TRAFILATURA_OPTIONS)


def paragraphs_from_xml(xml: str) -> list[str]:
    """Paragraph texts from trafilatura's XML, in reading order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return []
    main = root.find("main")
    if main is None:
        return []
    paragraphs: list[str] = []
    for block in main:
        paragraphs.extend(_block_texts(block))
    return [p for p in paragraphs if p]


def _block_texts(block) -> list[str]:
    tag = block.tag
    if tag == "list":
        return [_inline_text(item) for item in block.iter("item")]
    if tag == "table":
        rows = []
        for row in block.iter("row"):
            cells = [_inline_text(cell) for cell in row.iter("cell")]
            rows.append(" | ".join(c for c in cells if c))
        return ["\n".join(r for r in rows if r)]
    if tag in ("quote", "div") and len(block):
        texts = [t for child in block for t in _block_texts(child)]
        leading = clean_line(block.text)
        return ([leading] if leading else []) + texts
    if tag == "graphic":
        return []
    return [_inline_text(block)]


def _inline_text(element) -> str:
    """Text of one block; <lb/> line breaks are kept as newlines."""
    pieces: list[str] = [element.text or ""]
    for child in element.iterdescendants():
        if child.tag == "lb":
            pieces.append("\n")
        else:
            pieces.append(child.text or "")
        pieces.append(child.tail or "")
    lines = (clean_line(line) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_promo(paragraph: str) -> bool:
    if len(paragraph.split()) > PROMO_MAX_WORDS:
        return False
    line = paragraph.strip().strip("»›>•·-–—|").strip()
    return any(p.fullmatch(line) for p in _PROMO_LINES)


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


def clean_paragraphs(
    paragraphs: list[str],
    *,
    title: str,
    subtitle: str | None,
    authors: tuple[str, ...],
    furniture: set[str],
) -> list[str]:
    """Drop what is not the story; `furniture` are captions, credits and the
    like, known from the page, compared loosely (case, spacing, punctuation)."""
    repeated = {_key(t) for t in (title, subtitle or "") if t} | {_key(f) for f in furniture if f}
    repeated.discard("")
    kept: list[str] = []
    for paragraph in paragraphs:
        key = _key(paragraph)
        if not key or key in repeated:
            continue
        if _is_promo(paragraph) or _is_byline(paragraph, authors):
            continue
        if kept and _key(kept[-1]) == key:
            continue
        kept.append(paragraph)
    return kept
