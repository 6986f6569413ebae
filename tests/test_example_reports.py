"""`reports/` holds the reports generated from `examples/runs/`; this test regenerates them and fails on drift.

After a deliberate change to analysis or rendering, refresh them with
`python -m tests.test_example_reports` and review the diff.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import evalanalysis as ea

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "runs"
REPORTS = ROOT / "reports"
DATE = "2026-11-25"
FORMATS = ("markdown", "json", "html")  # the HTML pages show the viewer on real-looking runs


def generate(target: Path) -> list[Path]:
    """Write the reports of every example bundle under `target`, each run in isolation (no history)."""
    settings = ea.load_config(
        env={},
        cwd=target,
        user_file=target / "no-user-config.toml",
        overrides={"analyze.reports_dir": str(target), "analyze.formats": list(FORMATS), "analyze.history": False},
    )
    for bundle in sorted(EXAMPLES.glob("*.json")):
        ea.analyze(str(bundle), settings=settings, date=DATE, write=True)
    return sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())


def test_committed_example_reports_are_current(tmp_path):
    generated = generate(tmp_path)
    committed = sorted(p.relative_to(REPORTS) for p in REPORTS.rglob("*") if p.is_file() and p.name != "README.md")
    assert generated == committed, "reports/ is stale: run `python -m tests.test_example_reports`"
    stale = [str(p) for p in generated if (tmp_path / p).read_bytes() != (REPORTS / p).read_bytes()]
    assert stale == [], "reports/ is stale: run `python -m tests.test_example_reports`"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp))
        for path in REPORTS.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
        for rel in files:
            (REPORTS / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / rel, REPORTS / rel)
    print(f"wrote {len(files)} reports under {REPORTS.relative_to(ROOT)}", file=sys.stderr)
