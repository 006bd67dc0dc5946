"""The command line: the face of newsarchive.

Commands stay thin: they parse options, call one method of the library's
front door (`Archive`), and print. Heavy modules (trafilatura, warcio) are
imported inside the commands that need them, and a plain search does not
load click at all (quick.py), so `newsarchive search` starts fast. The
click group is in root.py; the commands live in pages.py, crawling.py,
reading.py and upkeep.py, by what they do. Nothing here imports click:
`main` decides first whether it is needed.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # Start-up allocates a great deal (click, the index engine) and keeps
    # all of it; the cyclic collector would walk it over and over for
    # nothing (~7 ms of a search). Paused until the command is known.
    gc.disable()
    try:
        from newsarchive.cli.quick import run as quick

        answered = quick(sys.argv[1:])
        if answered is not None:
            sys.exit(answered)
        from newsarchive.cli.root import cli

        cli(prog_name="newsarchive")
    except KeyboardInterrupt:
        from newsarchive.cli.output import note

        note("interrupted")
        sys.exit(130)
    finally:
        # The command is done and has closed what it opened. Python's last
        # garbage collection at exit would walk every object the libraries
        # made (~15 ms of a search); frozen objects are left to the
        # operating system to reclaim.
        gc.freeze()
