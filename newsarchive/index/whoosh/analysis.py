"""How text becomes index terms.

Words are lowercased and accent-folded ("Zürich" finds "Zurich"), and in
prose fields stemmed ("trained" finds "training"). No stop words: dropping
them breaks phrases such as "the Times of London".

`FoldedWords` gives exactly the tokens of Whoosh's chain
``RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
[| StemFilter()]`` (a test holds it to that), in one pass with one cache of
folded words instead of four nested generators: analysis is most of what
indexing costs in pure Python, and this roughly halves it.
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token, Tokenizer
from whoosh.analysis.filters import CharsetFilter
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# A word, as Whoosh's RegexTokenizer finds it by default (the same pattern,
# with its group made non-capturing so `findall` gives whole words).
WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")

# Folded (and stemmed) forms of words seen, shared by every analyzer in the
# process. Module-level, so a pickled schema never carries it; bounded, so a
# long crawl's memory stays flat (news vocabulary is mostly far smaller).
_CACHE_LIMIT = 200_000
_folded: dict[str, str] = {}
_stemmed: dict[str, str] = {}


def fold(word: str) -> str:
    """Lowercased and accent-folded (of a word; or of a text, uncached)."""
    if len(word) > 100:
        return word.lower().translate(accent_map)
    try:
        return _folded[word]
    except KeyError:
        if len(_folded) >= _CACHE_LIMIT:
            _folded.clear()
        result = _folded[word] = word.lower().translate(accent_map)
        return result


def fold_and_stem(word: str) -> str:
    try:
        return _stemmed[word]
    except KeyError:
        if len(_stemmed) >= _CACHE_LIMIT:
            _stemmed.clear()
        result = _stemmed[word] = stem(word.lower().translate(accent_map))
        return result


class FoldedWords(Tokenizer):
    """Words, lowercased, accent-folded and optionally stemmed."""

    is_morph = False

    def __init__(self, stemming: bool = False):
        self.stemming = stemming
        self.is_morph = stemming

    def __eq__(self, other) -> bool:
        return self.__class__ is other.__class__ and self.stemming == other.stemming

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        normal = fold_and_stem if self.stemming else fold
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = value
            token.text = normal(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD.finditer(value):
            text = match.group(0)
            token.text = normal(text)
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            token.stopped = False
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def words():
    return FoldedWords()


def stemmed_words():
    return FoldedWords(stemming=True)


def reference_chain(stemming: bool = False):
    """Whoosh's own chain that `FoldedWords` stands in for (for tests)."""
    from whoosh.analysis import StemFilter

    chain = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    return chain | StemFilter() if stemming else chain


# Values of a list field (authors, tags) are joined with this separator; the
# analyzer turns it into a gap in positions, so a phrase never spans two
# values ("Smith Jane" does not match "John Smith | Jane Doe").
LIST_SEPARATOR = " | "


class ValueGapFilter(Filter):
    def __call__(self, tokens):
        gap = 0
        for token in tokens:
            if token.text == "|":
                gap += 1
                continue
            if gap and token.positions:
                token.pos += gap
            yield token


def listed_names():
    return (
        RegexTokenizer(r"\w+(\.?\w+)*|\|") | ValueGapFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    )
