"""An index's state file: which store it follows, how far, which engine.

Kept apart from the engines so that `stats` reads it without loading one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from newsarchive.index.api import IndexState

STATE_FILE = "newsarchive-index.json"


def read_state(index_dir: Path) -> IndexState | None:
    try:
        data = json.loads((index_dir / STATE_FILE).read_text(encoding="utf-8"))
        # Indexes from before the engine seam are Whoosh's.
        engine = str(data.get("engine", "whoosh"))
        return IndexState(int(data["format"]), str(data["store_id"]), int(data["seq"]), engine)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_state(index_dir: Path, state: IndexState) -> None:
    tmp = index_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state._asdict()), encoding="utf-8")
    os.replace(tmp, index_dir / STATE_FILE)
