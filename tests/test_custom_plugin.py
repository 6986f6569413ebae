"""The tutorial's plugin package, pip-installed from docs/, selected by config, used in the report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import bundles

ROOT = Path(__file__).resolve().parents[1]


def test_tutorial_plugin_installs_and_classifies(tmp_path):
    package = tmp_path / "evalanalysis-keyword"
    shutil.copytree(ROOT / "docs" / "example-plugin", package)
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(site), str(package)],
        check=True,
        capture_output=True,
    )
    bundle = bundles.write(
        tmp_path / "run.json",
        bundles.bundle(
            [
                bundles.failure(1, "002-queries/014-select_distinct", "eslint", "  3:7  error  x  prefer-const"),
                bundles.failure(2, "000-fundamentals/003-crons", "deploy", "Could not resolve convex/x"),
            ]
        ),
    )
    (tmp_path / "evalanalysis.toml").write_text(
        '[classifier]\nname = "keyword"\n\n[plugins.keyword]\ndefault = "MODEL_FAULT"\n'
        'rules = [{ pattern = "prefer-const", classification = "OVERLY_STRICT" }]\n'
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    listed = subprocess.run(
        [sys.executable, "-m", "evalanalysis", "plugins"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert "keyword" in listed.stdout and "evalanalysis_keyword" in listed.stdout
    run = subprocess.run(
        [sys.executable, "-m", "evalanalysis", "analyze", str(bundle), "--date", "2026-11-25", "--reports-dir", "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    report = (tmp_path / "out" / "acme" / "test-model" / "jn7aaaaa_2026-11-25.md").read_text()
    assert "- **Classifier**: keyword" in report
    assert "| 002-queries/014-select_distinct | eslint | OVERLY_STRICT |" in report
    assert "| 000-fundamentals/003-crons | deploy | MODEL_FAULT |" in report
    assert "The error matches the configured pattern /prefer-const/." in report
