"""An article's history and the difference between two of its versions,
as records (the JSON of `history --json` and `diff --json`) and as lines
of text with marked words (drawn by the CLI). Pure: versions in, records
and lines out.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from newsarchive.versions.diff import Op, align, word_diff
from newsarchive.versions.noise import normal_line

NOTES = {
    "reverted": "reverted to v{version}",
    "degraded": "degraded fetch ({reason})",
    "appended": "live blog: new entries ({reason})",
    "gone": "page gone ({reason})",
}


def pick(versions, number: int):
    """The version of that number (negative: counted from the latest), or None."""
    if number < 0:
        return versions[number] if -number <= len(versions) else None
    return next((version for version in versions if version.number == number), None)


def history_record(article, versions) -> dict:
    """`history --json`: every version, and the fetches that made none."""
    rows = []
    previous_words = None
    for version in versions:
        if version.note:
            reverted_to = version.number if version.note == "reverted" else None
            rows.append({"note": version.note, "observed": version.observed, "reverted_to": reverted_to,
                         "reason": version.reason, "text": note_text(version),
                         "capture": _capture(version)})  # fmt: skip
            continue
        rows.append(
            {
                "version": version.number,
                "observed": version.observed,
                "modified": version.modified,
                "title": version.title,
                "word_count": version.word_count,
                "words_changed": None if previous_words is None else version.word_count - previous_words,
                "changes": list(version.changes),
                "detail": version.detail,
                "capture": _capture(version),
            }
        )
        previous_words = version.word_count
    return {"id": article.id, "url": article.url, "versions": rows}


def note_text(version) -> str:
    return NOTES[version.note].format(version=version.number, reason=version.reason or "")


def _capture(version) -> dict | None:
    capture = version.capture
    return (
        None
        if capture is None
        else {"file": capture.file, "offset": capture.offset, "digest": capture.digest}
    )


def diff_record(article_id: str, old, new) -> dict:
    """`diff --json`: the headline's change and the body's operations."""
    title = (
        None
        if normal_line(old.title or "") == normal_line(new.title or "")
        else {"old": old.title, "new": new.title}
    )
    ops = [op.to_dict() for op in body_ops(old, new) if op.op != "same"]
    return {"id": article_id, "from": old.number, "to": new.number, "title": title, "ops": ops}


def body_ops(old, new) -> list[Op]:
    return align(_paragraphs(old.text), _paragraphs(new.text))


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


class Piece(NamedTuple):
    text: str
    mark: str = ""  # "", "del", "ins", "head" (a heading line), "dim"


def diff_lines(old, new, *, context: int = 1) -> list[list[Piece]]:
    """The diff as lines of pieces: the headline as a word diff, then the
    body paragraph by paragraph, runs of more than `context` unchanged
    paragraphs on either side of a change collapsed to one line."""
    lines: list[list[Piece]] = [
        [Piece(f"v{old.number} ({when(old.observed)}) -> v{new.number} ({when(new.observed)})", "head")]
    ]
    if normal_line(old.title or "") != normal_line(new.title or ""):
        lines.append([Piece("headline: ", "head"), *word_pieces(old.title or "", new.title or "")])
    if normal_line(old.subtitle or "") != normal_line(new.subtitle or ""):
        lines.append([Piece("subtitle: ", "head"), *word_pieces(old.subtitle or "", new.subtitle or "")])
    ops = body_ops(old, new)
    changed = [i for i, op in enumerate(ops) if op.op != "same"]
    if not changed:
        lines.append([Piece("the body is the same", "dim")])
        return lines
    shown = {i for c in changed for i in range(c - context, c + context + 1)}
    hidden = 0
    for i, op in enumerate(ops):
        if i not in shown:
            hidden += 1
            continue
        if hidden:
            lines.append([Piece(f"... {hidden} unchanged paragraph{'s' if hidden > 1 else ''}", "dim")])
            hidden = 0
        lines.append([])
        if op.op == "same":
            lines.append([Piece(op.new or "")])
        elif op.op == "add":
            lines += [
                [Piece(f"added, paragraph {(op.new_index or 0) + 1}:", "head")],
                [Piece(op.new or "", "ins")],
            ]
        elif op.op == "delete":
            lines += [
                [Piece(f"deleted, was paragraph {(op.old_index or 0) + 1}:", "head")],
                [Piece(op.old or "", "del")],
            ]
        elif op.op == "move":
            label = f"moved from paragraph {(op.old_index or 0) + 1} to {(op.new_index or 0) + 1}:"
            lines += [[Piece(label, "head")], [Piece(op.new or "")]]
        else:
            lines += [
                [Piece(f"edited, paragraph {(op.new_index or 0) + 1}:", "head")],
                word_pieces(op.old or "", op.new or ""),
            ]
    if hidden:
        lines.append([Piece(f"... {hidden} unchanged paragraph{'s' if hidden > 1 else ''}", "dim")])
    return lines


def word_pieces(old: str, new: str) -> list[Piece]:
    """A word diff as pieces: removed words marked "del", added ones "ins"."""
    pieces: list[Piece] = []
    for tag, words in word_diff(old, new):
        if pieces:
            pieces.append(Piece(" "))
        pieces.append(Piece(words, "" if tag == "same" else tag))
    return pieces


def plain(lines: list[list[Piece]]) -> str:
    """The lines for a pipe: [-removed-] and {+added+} around marked words."""
    out = []
    for line in lines:
        out.append("".join(f"[-{p.text}-]" if p.mark == "del" else f"{{+{p.text}+}}" if p.mark == "ins" else p.text
                           for p in line))  # fmt: skip
    return "\n".join(out) + "\n"


def when(stamp: str | None) -> str:
    """An ISO time as a short UTC minute, for a table."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M")


def summary_line(versions, published: str | None) -> str | None:
    """What `show` says of an article's history: "2 earlier versions (last
    change: headline, 2 h after publication)"; None for one version."""
    numbered = [v for v in versions if v.number is not None and not v.note]
    if len(numbered) < 2:
        return None
    last = numbered[-1]
    earlier = len(numbered) - 1
    what = ", ".join(last.changes) or "text"
    after = _elapsed(published, last.observed)
    return f"{earlier} earlier version{'s' if earlier > 1 else ''} (last change: {what}{after})"


def _elapsed(start: str | None, end: str) -> str:
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start or "")).total_seconds()
    except (TypeError, ValueError):
        return f", {when(end)}"
    if seconds < 0:
        return f", {when(end)}"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f", {int(seconds // size)} {unit} after publication"
    return ", minutes after publication"
