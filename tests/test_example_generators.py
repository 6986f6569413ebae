"""The committed example bundles and labels are exactly what their generators write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("script", ["build_examples.py", "build_fixture_runs.py"])
def test_generated_files_are_up_to_date(script):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
