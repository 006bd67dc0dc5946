"""Extraction quality on the shared dev set: a floor that only goes up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "datasets" / "article-extraction"
FLOOR = ROOT / "bench" / "extraction-floor.json"

pytestmark = pytest.mark.slow


def floors() -> list[float]:
    return [entry["f1"] for entry in json.loads(FLOOR.read_text(encoding="utf-8"))["floors"]]


def test_floor_never_goes_down():
    history = floors()
    assert history, "the floor file lists no floor"
    assert history == sorted(history), f"a floor was lowered: {history}"


def test_dev_set_f1_is_at_or_above_the_floor():
    if not (DATASET / "ground-truth.json").is_file():
        pytest.skip(f"the shared dataset is not here ({DATASET}); CI has it")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "extraction.py"),
            "--dataset",
            str(DATASET),
            "--extractors",
            "newsarchive",
            "--repeat",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    (ours,) = json.loads(result.stdout)
    assert ours["errors"] == 0, ours["error_pages"]
    assert ours["empty"] == 0
    assert ours["f1"] >= floors()[-1], f"dev-set F1 {ours['f1']:.4f} fell below the floor {floors()[-1]}"
