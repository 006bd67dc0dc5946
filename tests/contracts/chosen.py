"""Which backends a contract suite runs against: every registered one, or
those an environment variable names (comma-separated); naming any also
registers the deliberately broken doubles of doubles.py, which is how
test_contracts_catch_broken_backends.py runs a suite against each."""

from __future__ import annotations

import os


def chosen(variable: str, registered: dict[str, str]) -> list[str]:
    names = os.environ.get(variable)
    if not names:
        return sorted(registered)
    import doubles

    doubles.register()
    return names.split(",")
