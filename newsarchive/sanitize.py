"""Make untrusted text from the web safe to store and to print.

Web pages can carry NUL bytes, C0/C1 control codes, ANSI escape sequences
and bidirectional overrides; none of them belong in article text, and on a
terminal they can move the cursor, rewrite the screen, set the window title
or disguise what is shown.
"""

from __future__ import annotations

import re

# Whole terminal escape sequences: CSI ("ESC [ 31 m", or the one-character
# CSI U+009B), OSC ("ESC ] 0 ; title BEL", which sets a window title), and
# two-character escapes. Removed whole, so no "[31m" residue is left.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]{0,512}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[@-Z\\-_]"
)
# C0 controls except tab and newline, DEL, the C1 block (U+0080-U+009F), and
# the explicit bidirectional embeddings, overrides and isolates: wherever the
# text is later shown they can reorder what the reader sees (the "Trojan
# Source" trick), and ordinary right-to-left text needs none of them (the
# implicit marks U+200E/U+200F stay).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and
    newlines.

    A carriage return becomes a newline, so CRLF text keeps its lines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _CONTROLS.search(text):  # the common case, and a quick one
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


# A character reference left in text that was decoded once already: the
# page escaped it twice ("R&amp;uuml;ckbau" shows as "R&uuml;ckbau").
_LEFT_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)


def meta_line(text: str | None) -> str:
    """One line of metadata (a headline, a name): `clean_line`, with the
    character references a doubly escaping page leaves decoded."""
    import html

    if text and _LEFT_REFERENCE.search(text):
        text = html.unescape(text)
    return clean_line(text)


def clean_line(text: str | None) -> str:
    """One line of metadata: no controls, no newlines, single spaces."""
    if not text:
        return ""
    text = strip_controls(text).replace("\n", " ").replace("\t", " ")
    return _SPACES.sub(" ", text).strip()


def for_terminal(text: str | None) -> str:
    """Text that cannot change a terminal's state when printed (stored text
    is clean already; this also covers what was stored by older versions)."""
    if not text:
        return ""
    return strip_controls(text)
