"""The pure parts of versions: noise, verdicts, classification, alignment,
the re-check schedule; with randomized harnesses for the two promises
(noise never makes a version, a real edit always does)."""

from __future__ import annotations

import random

import pytest

from newsarchive.versions.classify import classify, judge
from newsarchive.versions.diff import align
from newsarchive.versions.noise import is_timestamp, reading
from newsarchive.versions.recheck import (
    DONE,
    LAST,
    Timing,
    after_check,
    checks_until_quiet,
    first_plan,
    hinted,
    timing_of,
)
from newsarchive.versions.report import diff_lines, plain, word_pieces

WORDS = ["harbour", "council", "vote", "pier", "lorries", "survey", "engineers", "beams", "cracks", "grant", "report", "residents", "petition", "traffic", "spring", "crews", "skipper", "delivery", "million", "pounds", "committee", "routes", "signs", "coast", "road"]  # fmt: skip


def random_text(rng: random.Random) -> tuple[str, str, str]:
    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 9999)))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), '"' + rng.choice(WORDS) + '"')
        if rng.random() < 0.3:
            words.insert(rng.randrange(1, len(words)), "-")
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(3, 9))]
    return sentence(), sentence(), "\n\n".join(paragraphs)


def with_noise(rng: random.Random, text: str, *, with_stamps: bool = True) -> str:
    """The same text as another fetch may serve it."""
    text = text.replace('"', rng.choice(['"', "\u201c"]), 1).replace(
        " - ", rng.choice([" - ", "\u2014", " \u2013 ", " -- "])
    )
    text = text.replace(". ", rng.choice([". ", ".  ", ".\u00a0"]))
    paragraphs = text.split("\n\n")
    stamps = ["Updated 3 minutes ago", "Last updated: 10:42 a.m. ET, Nov. 28, 2026", "Published 2 hours ago",
              "Posted Monday | 4:05 PM EST", "Updated: 28 November 2026 14:02 GMT"]  # fmt: skip
    if with_stamps and rng.random() < 0.7:
        paragraphs.insert(rng.choice([0, len(paragraphs)]), rng.choice(stamps))
    return "\n\n".join(p if rng.random() < 0.5 else "  " + p + " " for p in paragraphs)


def with_edit(rng: random.Random, text: str) -> str:
    """The text with one real edit: a number, a word, a sentence or a paragraph."""
    paragraphs = text.split("\n\n")
    i = rng.randrange(len(paragraphs))
    words = paragraphs[i].split()
    kind = rng.choice(["number", "word", "add", "delete", "move"])
    if kind == "number":
        words.append(str(rng.randint(10000, 99999)))
    elif kind == "word":
        j = rng.randrange(len(words))
        words[j] = words[j] + "s" if not words[j].endswith("s") else words[j][:-1] + "x"
    elif kind == "add":
        paragraphs.insert(i, "A new paragraph with reporting nobody had before today.")
        return "\n\n".join(paragraphs)
    elif kind == "delete" and len(paragraphs) > 1:
        del paragraphs[i]
        return "\n\n".join(paragraphs)
    elif kind == "move" and len(set(paragraphs)) > 1:
        j = next(j for j in range(len(paragraphs)) if paragraphs[j] != paragraphs[i])
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
        return "\n\n".join(paragraphs)
    else:
        words.append("indeed")
    paragraphs[i] = " ".join(words)
    return "\n\n".join(paragraphs)


def test_noise_never_makes_a_version_on_500_random_texts():
    rng = random.Random(16)
    for _ in range(500):
        title, subtitle, text = random_text(rng)
        old = reading(title, subtitle, text)
        new = reading(with_noise(rng, title, with_stamps=False), subtitle, with_noise(rng, text))
        assert judge(old, new, earlier={}).kind == "same", (text, new)


def test_a_real_edit_always_makes_a_version_on_500_random_texts():
    rng = random.Random(61)
    for _ in range(500):
        title, subtitle, text = random_text(rng)
        edited = with_edit(rng, text)
        old, new = reading(title, subtitle, text), reading(title, subtitle, with_noise(rng, edited))
        if new.words < old.words / 2:  # most of the text gone: a thin fetch, by definition
            assert judge(old, new, earlier={}).kind == "degraded"
            continue
        assert judge(old, new, earlier={}).kind == "version", (text, edited)
        assert "body" in classify(old, new).changes


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Updated 3 minutes ago", True),
        ("Last updated: 10:42 a.m. ET, Nov. 28, 2026", True),
        ("Published 28 November 2026", True),
        ("12 people died", False),
        ("Updated: the mayor said 3 more had died", False),
        ("Updated figures: 14 dead", False),
        ("28 November 2026", False),  # a date alone may be the story's
    ],
)
def test_timestamp_lines(line, stamp):
    assert is_timestamp(line) is stamp


def test_verdicts():
    text = "\n\n".join(
        f"Paragraph {i} says something about the pier and the vote number {i}." for i in range(6)
    )
    current = reading("Title", "", text)
    assert judge(current, reading("Title", "", text.split("\n\n")[0]), earlier={}).kind == "degraded"
    assert judge(current, current, earlier={}, new_access="paywalled").kind == "same"
    other = reading("Another title", "", text)
    assert judge(current, other, earlier={}, new_access="paywalled").kind == "degraded"
    assert judge(current, other, earlier={other.key: 1}) == ("revert", "", 1)
    appended = reading("Title", "", "New entry at the top of the blog, posted now.\n\n" + text)
    assert judge(current, appended, earlier={}, live=True).kind == "append"
    assert judge(current, appended, earlier={}, live=False).kind == "version"


def test_classification_flags():
    text = "The pier closes in March.\n\nThe repairs cost 4.2 million pounds.\n\nResidents welcomed it."
    old = reading("Pier to close", "Sub", text)
    headline = classify(old, reading("Pier closes", "Sub", text), old_modified="a", new_modified="b")
    assert headline.changes == ("headline",)
    stealth = classify(
        old, reading("Pier to close", "Sub", text.replace("4.2", "2.4")), old_modified="a", new_modified="a"
    )
    assert stealth.changes == ("body", "stealth") and stealth.detail["paragraphs"]["edited"] == 1
    corrected = (
        text.replace("4.2", "2.4")
        + "\n\nCorrection: An earlier version of this article gave the cost as 4.2."
    )
    flags = classify(
        old, reading("Pier to close", "Sub", corrected), old_modified="a", new_modified="a"
    ).changes
    assert flags == ("body", "correction")
    note = classify(old, reading("Pier to close", "Sub", "Editor's note: this story was updated.\n\n" + text))
    assert "correction" in note.changes and "stealth" not in note.changes


def test_alignment_finds_moves_edits_adds_and_deletes():
    old = ["Alpha one two three.", "Bravo four five six.", "Charlie seven eight.", "Delta nine ten."]
    new = [
        "Alpha one two three four.",
        "Charlie seven eight.",
        "Echo new.",
        "Delta nine ten.",
        "Bravo four five six.",
    ]
    ops = [(op.op, op.old_index, op.new_index) for op in align(old, new)]
    assert ops == [("edit", 0, 0), ("same", 2, 1), ("add", None, 2), ("same", 3, 3), ("move", 1, 4)]
    assert [op.op for op in align(old, old[1:])] == ["delete", "same", "same", "same"]
    assert (
        plain([word_pieces("the mayor said 12", "the governor said 14")])
        == "the [-mayor-] {+governor+} said [-12-] {+14+}\n"
    )


def test_diff_lines_collapse_unchanged_paragraphs():
    from newsarchive.store import Version

    def version(number, title, text):
        return Version(number, "2026-11-28T10:00:00+00:00", None, title, None, text, (), 0, "", (), {}, None)

    paragraphs = [f"Paragraph {i} of the story, unchanged." for i in range(8)]
    old = version(1, "Old headline", "\n\n".join(paragraphs))
    new = version(
        2, "New headline", "\n\n".join([*paragraphs[:6], "Paragraph 6 of the story, edited.", paragraphs[7]])
    )
    out = plain(diff_lines(old, new, context=1))
    assert "headline: [-Old-] {+New+} headline" in out
    assert "... 5 unchanged paragraphs" in out and "[-unchanged.-] {+edited.+}" in out
    assert out.count("Paragraph 7 of the story") == 1


def test_recheck_schedule():
    timing = Timing(first=1800, factor=1.5, quiet=7 * 86400, last=30 * 86400)
    plan = first_plan(0.0, timing)
    assert plan.due == 1800
    waits = []
    while plan.stage != LAST:
        now = plan.due
        plan = after_check(plan, now, False, timing)
        waits.append(plan.wait)
    assert waits[:3] == [2700, 4050, 6075]
    assert plan.due == 30 * 86400  # the last look, a month after the last change
    assert after_check(plan, plan.due, False, timing).stage == DONE
    # A change starts over; a hint makes it due at once, even once ended.
    changed = after_check(first_plan(0.0, timing), 5000.0, True, timing)
    assert (changed.due, changed.wait, changed.quiet_since) == (6800.0, 1800, 5000.0)
    ended = after_check(plan, plan.due, False, timing)
    assert (
        hinted(ended, 99.0).due == 99.0
        and after_check(hinted(ended, 99.0), 99.0, False, timing).stage == DONE
    )
    assert 12 <= checks_until_quiet(timing) <= 15


def test_recheck_settings():
    from newsarchive.errors import BadInput

    assert timing_of({}) == Timing()
    assert timing_of({"RECHECK_ENABLED": "False"}) is None
    assert timing_of({"RECHECK_FIRST": "0.5", "RECHECK_FACTOR": "1"}).first == 0.5
    with pytest.raises(BadInput, match="RECHECK_FIRST"):
        timing_of({"RECHECK_FIRST": "soon"})
