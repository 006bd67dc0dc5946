"""Indexes written before the engine seam still open.

Whoosh pickles the schema (its analyzers) and the segments' codec into the
index by module path, and those paths were newsarchive.index.analysis,
.codec and .schema until the Whoosh engine moved into this package. The
modules are the same under their new names, so the old names are made to
answer with them; without this, an archive indexed by an earlier version
could not be searched until it was reindexed.
"""

from __future__ import annotations

import sys

from newsarchive.index.whoosh import analysis, codec, schema

FORMER_PATHS = {
    "newsarchive.index.analysis": analysis,
    "newsarchive.index.codec": codec,
    "newsarchive.index.schema": schema,
}


def answer_to_former_paths() -> None:
    for name, module in FORMER_PATHS.items():
        sys.modules.setdefault(name, module)
