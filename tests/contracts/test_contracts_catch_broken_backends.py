"""The contract suites are only worth what they catch: each deliberately
broken double (doubles.py) must fail its seam's suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import doubles
import pytest

HERE = Path(__file__).parent

# (suite, the variable that chooses its backends, the broken doubles)
SEAMS = [
    ("test_store_contract.py", "NEWSARCHIVE_CONTRACT_STORES", sorted(doubles.STORES)),
    ("test_engine_contract.py", "NEWSARCHIVE_CONTRACT_ENGINES", sorted(doubles.ENGINE_DOUBLES)),
    ("test_frontier_contract.py", "NEWSARCHIVE_CONTRACT_FRONTIERS", sorted(doubles.QUEUE_DOUBLES)),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suite", "variable", "double"),
    [(suite, variable, double) for suite, variable, names in SEAMS for double in names],
)
def test_each_broken_double_fails_its_contract(suite, variable, double, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HERE / suite)],
        capture_output=True,
        text=True,
        env={**os.environ, variable: double},
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert " failed" in result.stdout.splitlines()[-1]
