"""The index's state file: which store it follows, and how far.

Kept apart from the writer so that a search, which only reads it, does
not import the write path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

from newsarchive.index.schema import INDEX_FORMAT

STATE_FILE = "newsarchive-index.json"


class IndexState(NamedTuple):
    format: int
    store_id: str
    seq: int


def read_state(index_dir: Path) -> IndexState | None:
    try:
        data = json.loads((index_dir / STATE_FILE).read_text(encoding="utf-8"))
        return IndexState(int(data["format"]), str(data["store_id"]), int(data["seq"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(index_dir: Path, state: IndexState) -> None:
    tmp = index_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state._asdict()), encoding="utf-8")
    os.replace(tmp, index_dir / STATE_FILE)


def is_current(state: IndexState | None, store) -> bool:
    """Whether an index with this state can be caught up (rather than rebuilt)."""
    return state is not None and state.format == INDEX_FORMAT and state.store_id == store.store_id
