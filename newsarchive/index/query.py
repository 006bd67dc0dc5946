"""The query language, parsed once into a tree any engine can run.

What users type (README, "Searching"): words, all required; "exact
phrases"; AND, OR, NOT (upper case); -word and +word at the start of a
word; (groups); prefix* and wild?cards; fields (title:, subtitle:, text:,
author:, source:, section:, tag:, language:, and their aliases) before a
word, a phrase or a group; published:2013-04 and published:[2013 TO 2014].

Precedence, as Whoosh reads it: NOT binds the next item, AND binds
tighter than OR, and words side by side are ANDed loosest of all, so
`a b OR c` is a AND (b OR c). An operator with nothing to apply to, an
unclosed quote or parenthesis, or a field name with nothing after it is
read as plain words rather than refused.

The tree holds what the user typed (words unanalyzed): each engine
analyzes them with its own fields' analyzers. Pure functions, no engine.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsarchive.errors import BadQuery

# Fields a query can name, as users type them.
QUERY_FIELDS = ("title", "subtitle", "text", "author", "source", "section", "tag", "language")
# Fields searched by words with no field named.
DEFAULT_FIELDS = ("title", "subtitle", "text", "author", "tag")
# Other names users type for fields.
ALIASES = {
    "tags": "tag",
    "keyword": "tag",
    "keywords": "tag",
    "authors": "author",
    "by": "author",
    "byline": "author",
    "lang": "language",
    "category": "section",
    "body": "text",
}
DATE_FIELD = "published"


def _same(node, other) -> bool:
    return type(node) is type(other) and tuple.__eq__(node, other)


def _differ(node, other) -> bool:
    return not _same(node, other)


def _hash(node) -> int:
    return hash((type(node).__name__, tuple(node)))


# Nodes are named tuples (cheaper to define than dataclasses: this module is
# on every search's start-up), compared as nodes, not as tuples: a word is
# never equal to a pattern of the same text, nor "a AND b" to "a OR b".
class Word(NamedTuple):
    """A word as typed; `field` None means the default fields."""

    field: str | None
    text: str


class Phrase(NamedTuple):
    field: str | None
    text: str
    slop: int = 0


class Pattern(NamedTuple):
    """A word with * (any characters) or ? (one character) in it."""

    field: str | None
    text: str


class Dates(NamedTuple):
    """published: a date (a whole year, month or day) or a [FROM TO] span,
    as typed; the engine reads the bounds (dates.parse_bound)."""

    start: str | None
    end: str | None


class All(NamedTuple):
    parts: tuple[Node, ...]


class Either(NamedTuple):
    parts: tuple[Node, ...]


class Not(NamedTuple):
    part: Node


Node = Word | Phrase | Pattern | Dates | All | Either | Not
for _kind in (Word, Phrase, Pattern, Dates, All, Either, Not):
    _kind.__eq__ = _same  # type: ignore[method-assign]
    _kind.__ne__ = _differ  # type: ignore[method-assign]
    _kind.__hash__ = _hash  # type: ignore[assignment,method-assign]

# A field prefix outside quotes: "word:" not followed by "//" (a URL).
_FIELD_PREFIX = re.compile(r'"[^"]*"|(?<![\w.])([A-Za-z_]\w*):(?!//)')
_TOKEN = re.compile(
    r'(?P<space>\s+)|(?P<open>\()|(?P<close>\))|(?P<quote>"[^"]*"(?:~\d+)?)'
    r"|(?P<frange>[-+]?[A-Za-z_]\w*:\[[^\]]*\])|(?P<range>\[[^\]]*\])|(?P<word>[^\s()\"]+|\")"
)
_OPERATORS = ("AND", "OR", "NOT")


def parse(text: str) -> Node:
    """The tree of a query; BadQuery, saying what to do, when it cannot be
    searched (empty, an unknown field, no word in it)."""
    check_text(text)
    tree = _Parser(_tokens(text)).query()
    if tree is None or not _searchable(tree):
        raise BadQuery("the query has no searchable words; give at least one word or number")
    return tree


def check_text(text: str) -> None:
    """BadQuery for a query that is empty or names a field that does not
    exist (whatever engine reads it)."""
    if not text or not text.strip():
        raise BadQuery("the query is empty: give words to search for, e.g. newsarchive search climate")
    known = set(QUERY_FIELDS) | set(ALIASES) | {DATE_FIELD}
    unknown = sorted(
        {m.group(1) for m in _FIELD_PREFIX.finditer(text) if m.group(1) and m.group(1).lower() not in known}
    )
    if unknown:
        raise BadQuery(
            f"unknown field {unknown[0]!r} in the query; fields are {', '.join(QUERY_FIELDS)}, {DATE_FIELD}"
            " (put the words in quotes to search for them as text)"
        )


def _tokens(text: str) -> list[tuple[str, str, bool]]:
    """(kind, text, follows_space) for each token."""
    found, spaced = [], True
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind == "space":
            spaced = True
            continue
        found.append((kind, match.group(), spaced))
        spaced = kind == "open"
    return found


def _searchable(node: Node) -> bool:
    """Whether a tree can match anything by itself (not only exclusions)."""
    if isinstance(node, Word | Phrase | Pattern):
        return bool(re.search(r"\w", node.text))
    if isinstance(node, Dates):
        return True
    if isinstance(node, Not):
        return False
    return any(_searchable(part) for part in node.parts)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, bool]]):
        self.tokens = tokens
        self.at = 0
        # Per group being read, the items a + or - was put before.
        self.signed: list[list[tuple[str, Node]]] = [[]]

    def peek(self) -> tuple[str, str, bool] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str, bool]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def query(self, field: str | None = None, *, closing: bool = False) -> Node | None:
        """Items side by side, ANDed; -item excluded, +item required, for
        the whole group (as Whoosh and Lucene read them: "a -b OR c" is
        a or c, without b; "+a OR c" is a)."""
        self.signed.append([])
        parts: list[Node] = []
        while (token := self.peek()) is not None:
            kind, text, _ = token
            if kind == "close":
                self.take()
                if closing:
                    break
                continue  # a stray ")": ignored
            if self._lift_signed(field):
                continue
            if not parts and (self._operator("OR") or self._operator("AND")):
                self.take()  # an operator with nothing before it: ignored, as Whoosh does
                continue
            node = self.either(field)
            if node is not None:
                parts.append(node)
        signed = self.signed.pop()
        tree = _joined(All, parts)
        if not signed:
            return tree
        required = [node for sign, node in signed if sign == "+"]
        banned = [Not(node) for sign, node in signed if sign == "-"]
        kept = required or ([tree] if tree is not None else [])
        return _joined(All, [*kept, *banned]) if kept else None

    def _lift_signed(self, field: str | None) -> bool:
        """Take the signed items here out of the operators' way (the group
        holds them); whether there were any."""
        lifted = False
        while (token := self.peek()) is not None and self._is_signed(token):
            sign = token[1][0]
            node = self.item(field)
            if node is not None:
                self.signed[-1].append((sign, node.part if isinstance(node, Not) else node))
            lifted = True
        return lifted

    def _is_signed(self, token: tuple[str, str, bool]) -> bool:
        kind, text, spaced = token
        if not spaced or text[:1] not in ("-", "+"):
            return False
        if kind == "frange" or (kind == "word" and len(text) > 1):
            return True
        after = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        return kind == "word" and after is not None and not after[2] and after[0] in ("quote", "open")

    def either(self, field: str | None) -> Node | None:
        parts = [self.both(field)]
        while self._joins("OR", field):
            self.take()
            parts.append(self.both(field))
        return _joined(Either, [p for p in parts if p is not None])

    def both(self, field: str | None) -> Node | None:
        parts = [self.unary(field)]
        while self._joins("AND", field):
            self.take()
            parts.append(self.unary(field))
        return _joined(All, [p for p in parts if p is not None])

    def _joins(self, name: str, field: str | None) -> bool:
        """Whether operator `name` comes next, once the signed items in the
        way are lifted to the group ("a -b OR c": a OR c, without b)."""
        self._lift_signed(field)
        return self._operator(name)

    def _operator(self, name: str) -> bool:
        """An operator with an operand after it (else it is a word)."""
        token = self.peek()
        if token is None or token[0] != "word" or token[1] != name:
            return False
        after = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        return after is not None and after[0] != "close"

    def unary(self, field: str | None) -> Node | None:
        if self._operator("NOT"):
            self.take()
            operand = self.unary(field)
            return Not(operand) if operand is not None else None
        return self.item(field)

    def item(self, field: str | None) -> Node | None:
        kind, text, spaced = self.take()
        if kind == "open":
            return self.query(field, closing=True)
        if kind == "quote":
            return _phrase(field, text)
        if kind == "range":
            return Word(field, text.strip("[]"))
        if kind == "frange" and text[0] in "-+":  # -published:[2013 TO 2014]
            if not spaced:  # glued to what came before: no sign, only words (read once)
                return self._word(field, text)
            self.tokens[self.at - 1] = ("frange", text[1:], False)
            self.at -= 1
            operand = self.item(field)
            return Not(operand) if text[0] == "-" and operand is not None else operand
        if kind == "frange":  # published:[2013 TO 2014]
            name, _, span = text.partition(":")
            if ALIASES.get(name.lower(), name.lower()) == DATE_FIELD:
                start, _, end = span.strip("[]").partition(" TO ")
                return Dates(start.strip() or None, end.strip() or None)
            return _word(ALIASES.get(name.lower(), name.lower()), span.strip("[]"))
        if (
            spaced
            and text in ("-", "+")
            and (after := self.peek())
            and not after[2]
            and after[0] in ("quote", "open")
        ):
            operand = self.item(field)  # -"a phrase", +(a group)
            return Not(operand) if text == "-" and operand is not None else operand
        if spaced and len(text) > 1 and text[0] in "-+":
            sign, rest = text[0], text[1:]
            self.tokens[self.at - 1] = ("word", rest, False)
            self.at -= 1
            operand = self.item(field)
            return Not(operand) if sign == "-" and operand is not None else operand
        return self._word(field, text)

    def _word(self, field: str | None, text: str) -> Node | None:
        name, colon, rest = text.partition(":")
        if colon and name.lower() in {*QUERY_FIELDS, *ALIASES, DATE_FIELD} and "//" not in rest[:2]:
            named = ALIASES.get(name.lower(), name.lower())
            if rest:
                return _word(named, rest)
            nxt = self.peek()
            if nxt is not None and not nxt[2]:  # title:"a phrase", title:(a group), published:[a TO b]
                kind, value, _ = self.take()
                if kind == "open":
                    return self.query(named, closing=True)
                if kind == "quote":
                    return _phrase(named, value)
                if kind == "range" and named == DATE_FIELD:
                    start, _, end = value.strip("[]").partition(" TO ")
                    return Dates(start.strip() or None, end.strip() or None)
                return _word(named, value)
            return _word(field, name)  # "title:" alone: the word
        if text in _OPERATORS or text == '"':
            return _word(field, text.strip('"')) if text.strip('"') else None
        return _word(field, text)


def _word(field: str | None, text: str) -> Node | None:
    if field == DATE_FIELD:
        return Dates(text, text)
    text = text.split("^", 1)[0] if "^" in text[1:] else text  # a boost: kept out of the words
    if not text:
        return None
    if "*" in text or "?" in text:
        return Pattern(field, text)
    return Word(field, text)


def _phrase(field: str | None, quoted: str) -> Node | None:
    body, _, slop = quoted.rpartition("~") if re.search(r'"~\d+$', quoted) else (quoted, "", "0")
    words = body.strip('"').strip()
    if not words:
        return None
    if field == DATE_FIELD:
        return Dates(words, words)
    return Phrase(field, words, int(slop or 0))


def _joined(kind: type[All] | type[Either], parts: list[Node]) -> Node | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def also_in(node: Node, field: str) -> Node:
    """The tree with each word, phrase and pattern that searches the default
    fields searching `field` as well (an article's earlier versions)."""
    if isinstance(node, Word | Phrase | Pattern):
        return Either((node, node._replace(field=field))) if node.field is None else node
    if isinstance(node, Dates):
        return node
    if isinstance(node, Not):
        return Not(also_in(node.part, field))
    return type(node)(tuple(also_in(part, field) for part in node.parts))


def words_of(node: Node) -> list[tuple[str | None, str]]:
    """(field, text) of every word and phrase the query looks for (not the
    excluded ones): what snippets highlight."""
    if isinstance(node, Word | Phrase | Pattern):
        return [(node.field, node.text)]
    if isinstance(node, Dates | Not):
        return []
    return [found for part in node.parts for found in words_of(part)]
