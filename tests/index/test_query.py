"""The query language, parsed once for any engine (index/query.py)."""

from __future__ import annotations

import pytest

from newsarchive.errors import BadQuery
from newsarchive.index.query import All, Dates, Either, Not, Pattern, Phrase, Word, parse, words_of


def w(text: str, field: str | None = None) -> Word:
    return Word(field, text)


@pytest.mark.parametrize(
    ("typed", "tree"),
    [
        ("harbour", w("harbour")),
        ("flood barriers", All((w("flood"), w("barriers")))),
        ('"storm surge"', Phrase(None, "storm surge")),
        ('"storm surge"~2', Phrase(None, "storm surge", 2)),
        ("seals OR herring", Either((w("seals"), w("herring")))),
        # AND binds tighter than OR; words side by side are ANDed loosest.
        ("a AND b OR c", Either((All((w("a"), w("b"))), w("c")))),
        ("a b OR c", All((w("a"), Either((w("b"), w("c")))))),
        ("seals -estuary", All((w("seals"), Not(w("estuary"))))),
        ("fish NOT herring", All((w("fish"), Not(w("herring"))))),
        ("+seals +herring", All((w("seals"), w("herring")))),
        ("state-run", w("state-run")),  # a minus inside a word is part of it
        ("(seals OR storm) AND title:seals", All((Either((w("seals"), w("storm"))), w("seals", "title")))),
        ("title:(flood barriers)", All((w("flood", "title"), w("barriers", "title")))),
        ('author:"maya lindqvist"', Phrase("author", "maya lindqvist")),
        ("tags:rowing", w("rowing", "tag")),
        ("by:okafor", w("okafor", "author")),
        ("harb*", Pattern(None, "harb*")),
        ("h?rbour", Pattern(None, "h?rbour")),
        ("published:2024-06", Dates("2024-06", "2024-06")),
        ("seals published:[2024 TO 2025-03]", All((w("seals"), Dates("2024", "2025-03")))),
        ("https://example.com/story", w("https://example.com/story")),
        ("a^2", w("a")),
        # Operators with nothing to work on, and stray brackets, are words or nothing.
        ("a AND", All((w("a"), w("AND")))),
        ("(a b", All((w("a"), w("b")))),
        ("a) b", All((w("a"), w("b")))),
        ('"unclosed a', All((w("unclosed"), w("a")))),
    ],
)
def test_what_users_type_becomes_a_tree(typed, tree):
    assert parse(typed) == tree


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("   ", "empty"),
        ("colour:red", "unknown field 'colour'"),
        ("!!! ...", "no searchable words"),
        ("-harbour", "no searchable words"),
    ],
)
def test_unusable_queries_say_why(typed, reason):
    with pytest.raises(BadQuery, match=reason):
        parse(typed)


def test_words_to_highlight_leave_out_the_excluded():
    tree = parse('harbour "storm surge" -estuary title:ferry')
    assert words_of(tree) == [(None, "harbour"), (None, "storm surge"), ("title", "ferry")]


def test_nodes_are_equal_only_to_nodes_of_their_kind():
    """Nodes are named tuples, compared as nodes: a parse that gives OR where
    AND was meant, or a pattern where a word was, is not equal to it."""
    word = Word(None, "harbour")
    assert word == Word(None, "harbour")
    assert (word != Word(None, "harbour")) is False  # __ne__ is the node's too
    assert word != Pattern(None, "harbour") and word != (None, "harbour")
    assert All((word,)) != Either((word,))
    assert len({word, Word(None, "harbour"), Pattern(None, "harbour"), Phrase(None, "harbour")}) == 3
    assert parse("a OR b") != parse("a AND b")


def test_a_sign_before_a_phrase_or_a_group_applies_to_it():
    assert parse('flat -"pup researchers"') == All((Word(None, "flat"), Not(Phrase(None, "pup researchers"))))
    assert parse("flat -(seals OR storm)") == All(
        (Word(None, "flat"), Not(Either((Word(None, "seals"), Word(None, "storm")))))
    )
    assert parse('+"storm surge"') == Phrase(None, "storm surge")
    assert parse('flat - "storm surge"') == All(
        (Word(None, "flat"), Word(None, "-"), Phrase(None, "storm surge"))
    )


def test_a_signed_date_span_glued_to_a_phrase_is_read_once():
    tree = parse('"storm surge"-published:[2024 TO 2025]')
    assert tree == All((Phrase(None, "storm surge"), Word(None, "-published:[2024 TO 2025]")))
