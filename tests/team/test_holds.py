"""What keeps machines sharing a PostgreSQL store from acting twice: one
scheduler per due source, one alert run; a killed holder lets go."""

from __future__ import annotations

import subprocess
import sys

from newsarchive.store import open_store


def test_a_hold_is_one_processes_until_released(pg_url):
    with open_store(pg_url) as one, open_store(pg_url) as two:
        assert one.hold("schedule news") and not two.hold("schedule news")
        assert two.hold("schedule other")  # names are apart
        one.release("schedule news")
        assert two.hold("schedule news")


def test_a_killed_holder_lets_go(pg_url):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom newsarchive.store import open_store\n"
         f"store = open_store({pg_url!r})\nassert store.hold('alerts')\nprint('held', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert holder.stdout.readline() == b"held\n"
    with open_store(pg_url) as other:
        assert not other.hold("alerts")
        holder.kill()
        holder.wait()
        holder.stdout.close()
        for _ in range(50):  # the server notices the closed connection at once, or nearly
            if other.hold("alerts"):
                break
        else:
            raise AssertionError("the hold outlived its process")
