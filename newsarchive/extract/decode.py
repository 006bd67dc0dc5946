"""Bytes to text, the way browsers do it.

Order of evidence: byte-order mark, the HTTP ``Content-Type`` charset, the
page's own ``<meta charset>``, then detection. Labels are mapped the WHATWG
way (``iso-8859-1`` means windows-1252), which w3lib implements. A label
that the bytes contradict (a page that says UTF-8 but is not) is overruled
by detection rather than decoded into replacement characters.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
)

# Detection reads at most this much: enough for the statistics to settle,
# and it keeps a huge page from costing seconds here.
DETECTION_SAMPLE_BYTES = 256 * 1024


# Where detection cannot tell single-byte Latin code pages apart (scores
# within these margins of the best), windows-1252 wins: it is what browsers
# assume for undeclared Western pages, and the most common legacy charset on
# news sites. The margins were set on pages of French, German and Spanish
# text, where cp1250/cp1252/cp1257 score within 0.01 chaos of each other.
_WESTERN_DEFAULT = "cp1252"
_CHAOS_MARGIN = 0.01
_COHERENCE_MARGIN = 0.05


def _detect(body: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(body[:DETECTION_SAMPLE_BYTES])
    best = matches.best()
    if best is None:
        return _WESTERN_DEFAULT
    for match in matches:
        if (
            match.encoding == _WESTERN_DEFAULT
            and match.chaos <= best.chaos + _CHAOS_MARGIN
            and match.coherence >= best.coherence - _COHERENCE_MARGIN
        ):
            return _WESTERN_DEFAULT
    return best.encoding


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        return error.start >= len(body) - 3 and error.reason == "unexpected end of data"
    return True


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body to text."""
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return html_to_unicode(content_type, body)[1]
    declared = http_content_type_encoding(content_type) if content_type else None
    declared = declared or html_body_declared_encoding(body)
    if declared and not (declared == "utf-8" and not _is_utf8(body)):
        return html_to_unicode(content_type, body)[1]
    if _is_utf8(body):  # possibly with its last character cut short
        return body.decode("utf-8", errors="replace")
    return body.decode(_detect(body), errors="replace")
