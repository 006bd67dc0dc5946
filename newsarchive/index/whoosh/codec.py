"""Whoosh's file format, minus a statistic that costs more than it gives.

Whoosh's default codec looks up every posting's document length while it
writes a segment, to keep the shortest length per block of postings; that
lookup is about a sixth of what indexing costs in pure Python. The figure
only tightens an upper bound Whoosh may use to skip blocks when it ranks
the top hits; without it the bound is looser but still a bound, so every
query returns the same hits with the same scores (a test holds it to
that). Segments pickle their codec, so this class must keep its name.
"""

from __future__ import annotations

from pickle import dumps

from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions, tokens
from whoosh.system import pack_uint

from newsarchive.index.whoosh.analysis import WORD, FoldedWords, fold, fold_and_stem


class IndexCodec(W3Codec):
    length_stats = False


class PositionPostings(Positions):
    """Whoosh's `Positions` postings (the same bytes), made in one pass.

    Whoosh sums a weight per word from each token's boost; newsarchive's
    analyzers never boost a token, so a word's weight is its count times the
    field's boost, and the stream needs no second dictionary. A test holds
    the output to Whoosh's own."""

    def word_values(self, value, analyzer, **kwargs):
        field_boost = self.field_boost
        found: dict[str, list[int]] = {}
        if type(analyzer) is FoldedWords and isinstance(value, str) and not kwargs.get("start_pos"):
            # The one-pass analyzer's words, without making a token of each.
            normal = fold_and_stem if analyzer.stemming else fold
            for position, word in enumerate(WORD.findall(value)):
                term = normal(word)
                positions = found.get(term)
                if positions is None:
                    found[term] = [position]
                else:
                    positions.append(position)
        else:
            kwargs["positions"] = True
            kwargs["boosts"] = True
            for token in tokens(value, analyzer, kwargs):
                positions = found.get(token.text)
                if positions is None:
                    found[token.text] = [token.pos]
                else:
                    positions.append(token.pos)
        for word, positions in found.items():
            deltas = [positions[0], *(b - a for a, b in zip(positions, positions[1:], strict=False))]
            yield (
                word,
                len(positions),
                len(positions) * field_boost,
                pack_uint(len(deltas)) + dumps(deltas, 2),
            )


def with_position_postings(field):
    """The TEXT field, writing its positions with `PositionPostings`."""
    field.format = PositionPostings(field_boost=field.format.field_boost)
    return field
