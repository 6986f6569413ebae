"""Benchmark of the tool's own overhead: a generated bundle of 1,000 failures through the rules classifier.

Run from a clone with the project installed: `python benchmarks/overhead.py [--failures N]`.
It writes a bundle of N failures (copies of the example failures under fresh
ids), then, in this process, runs `evalanalysis.analyze` on it with the offline
`rules` classifier, no history, and the markdown and JSON reports written to a
temporary directory: everything a user's `evalanalysis analyze bundle.json`
does after start-up. Prints the figures and ends with one line:

    RESULT overhead_s=<wall seconds> peak_mb=<peak resident set size, MB>

The peak is the process's maximum resident set size (`getrusage`), interpreter
and imports included; the baseline before the run is printed too.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated_runs import generated_bundle, machine, write_bundle  # noqa: E402

import evalanalysis as ea  # noqa: E402


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bundle_path = write_bundle(Path(tmp) / "run.json", generated_bundle(args.failures, seed="overhead"))
        size_mb = bundle_path.stat().st_size / 1e6
        settings = ea.load_config(
            env={},
            cwd=Path(tmp),
            user_file=Path(tmp) / "no-user-config.toml",
            overrides={"analyze.reports_dir": str(Path(tmp) / "reports"), "analyze.formats": ["markdown", "json"],
                       "analyze.history": False, "classifier.name": "rules"},
        )
        baseline = rss_mb()
        start = time.perf_counter()
        analysis = ea.analyze(str(bundle_path), settings=settings, date="2026-01-01", write=True)
        wall = time.perf_counter() - start
        peak = rss_mb()
        written = sorted(p.name for p in (Path(tmp) / "reports").rglob("*") if p.is_file())
    analysed = sum(1 for f in analysis.failures if f.analysed)
    print(machine())
    print(f"bundle: {args.failures} failures, {size_mb:.1f} MB")
    print(f"analysed {analysed}/{len(analysis.failures)} failures, reports written: {', '.join(written)}")
    print(f"wall time {wall:.2f} s ({1000 * wall / args.failures:.2f} ms per failure)")
    print(f"peak RSS {peak:.0f} MB (before the run: {baseline:.0f} MB)")
    print(f"RESULT overhead_s={wall:.2f} peak_mb={peak:.0f}")
    return 0 if analysed == args.failures else 1


if __name__ == "__main__":
    sys.exit(main())
