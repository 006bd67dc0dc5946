"""Where the live index is: generations behind a pointer file.

    ARCHIVE/index/
      CURRENT           the name of the live generation, replaced atomically
      g000003/          the live index (the engine's files and its state file)
      g000002/          the one before, kept until the next swap
      g000004.building  a rebuild under way (or left by a killed one)

Searches must never find the index missing, whatever a writer was doing
when it was killed. Renaming a directory over another is not atomic (the
old one has to go first), so a rebuild is built in a directory of its own
and made live by replacing the one-line pointer, which is. A reader that
resolved the previous generation just before a swap still finds it (it is
removed only at the swap after); one that loses even that race resolves
the pointer again. The index is engine-neutral here: nothing in this
module knows which engine wrote a generation.

An archive made before generations existed has its index directly in
`index/`; it is read as it is, and the first rebuild moves it into a
generation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from newsarchive.index.state import STATE_FILE

POINTER = "CURRENT"
_GENERATION = re.compile(r"^g(\d{6,})$")
_BUILDING = ".building"


def live(root: Path) -> Path | None:
    """The directory of the index searches read now, or None if there is none."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return root if (root / STATE_FILE).is_file() else None  # an index made before generations
    except OSError:
        return None
    return root / name if _GENERATION.match(name) else None


def begin(root: Path) -> Path:
    """A new, empty directory for the next generation. Call with the
    archive's writer lock held: anything half-built from before is a
    killed writer's leftover and goes."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = [0]
    for entry in root.iterdir():
        name = entry.name.removesuffix(_BUILDING)
        match = _GENERATION.match(name)
        if match:
            numbers.append(int(match.group(1)))
        if entry.name.endswith(_BUILDING):
            _remove(entry)
    building = root / f"g{max(numbers) + 1:06d}{_BUILDING}"
    building.mkdir()
    return building


def publish(root: Path, building: Path) -> Path:
    """Make a finished generation live (one atomic replace of the pointer),
    then remove the generations older than the one it replaces."""
    previous = live(root)
    final = building.with_name(building.name.removesuffix(_BUILDING))
    os.rename(building, final)
    _sync_dir(root)
    tmp = root / (POINTER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as stream:
        stream.write(final.name + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, root / POINTER)
    _sync_dir(root)
    _retire(root, keep={final, previous})
    return final


def _retire(root: Path, keep: set[Path | None]) -> None:
    for entry in root.iterdir():
        if entry.name in (POINTER, POINTER + ".tmp") or entry in keep or entry.name.endswith(_BUILDING):
            continue
        if entry.is_dir() and _GENERATION.match(entry.name):
            _remove(entry)
        elif entry.is_file() and root not in keep:  # a pre-generation index's files
            entry.unlink(missing_ok=True)


def _sync_dir(path: Path) -> None:
    """Make a rename in `path` durable (a power cut must not undo a swap)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(entry: Path) -> None:
    import shutil  # not at the top: a search, which only reads `live`, never needs it

    shutil.rmtree(entry, ignore_errors=True)
