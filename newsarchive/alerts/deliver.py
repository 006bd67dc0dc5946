"""An alert's new matches delivered: appended to its file, given to its command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

# A command gets this long to take its matches before it is stopped.
COMMAND_TIMEOUT = 300.0


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def append(path: Path, records: list[dict]) -> None:
    """Append the records to the alert's file, on disk before returning
    (the run is recorded as done only after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(jsonl(records))
        out.flush()
        os.fsync(out.fileno())


class CommandResult(NamedTuple):
    code: int | None  # None: it could not be started, or ran out of time
    problem: str | None  # what went wrong, in a line


def run_command(command: str, name: str, records: list[dict], cwd: Path) -> CommandResult:
    """Run the alert's command through the shell, its matches on stdin as
    JSON Lines, NEWSARCHIVE_ALERT and NEWSARCHIVE_ALERT_COUNT set."""
    env = {**os.environ, "NEWSARCHIVE_ALERT": name, "NEWSARCHIVE_ALERT_COUNT": str(len(records))}
    try:
        done = subprocess.run(
            command, shell=True, input=jsonl(records).encode(), env=env, cwd=cwd,  # noqa: S602  (the user's own command line)
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=COMMAND_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return CommandResult(None, f"its command ran over {COMMAND_TIMEOUT:.0f} s and was stopped")
    except OSError as error:
        return CommandResult(None, f"its command could not start ({error})")
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        said = f": {last[0][:200]}" if last else ""
        return CommandResult(done.returncode, f"its command exited {done.returncode}{said}")
    return CommandResult(0, None)
