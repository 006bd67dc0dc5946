"""Backends by name: the built-in ones, then those installed packages
declare under an entry point group (the store, index engine and frontier
seams each keep one table)."""

from __future__ import annotations

import importlib
from typing import Any

from newsarchive.errors import BadInput


def load(what: str, name: str, builtin: dict[str, str], group: str) -> Any:
    """The class registered as `name` ("module:attribute" in `builtin`, or
    an entry point of `group`); BadInput naming the known ones otherwise."""
    known = dict(builtin)
    if name not in known:  # entry points cost a scan of installed packages: only when needed
        from importlib.metadata import entry_points

        known.update((point.name, point.value) for point in entry_points(group=group))
    if name not in known:
        raise BadInput(f"no {what} {name!r}; known: {', '.join(sorted(known))}")
    module, _, attribute = known[name].partition(":")
    return getattr(importlib.import_module(module), attribute)
