"""Benchmark of the `evalanalysis` command's start: how long a new process takes before it answers.

Run from a clone with the project installed: `python benchmarks/startup.py [--repeats N]`.
Each figure is the median wall time of N fresh processes (default 15), the
interpreter's start included:

- `python -c pass`: the bare interpreter, the floor of every figure below;
- `import evalanalysis` and `import evalanalysis.history`;
- `evalanalysis --help` and `evalanalysis history --help`;
- `evalanalysis history` over the five reports of tests/data/reports, with a
  warm cache in a temporary directory (the first run builds it).

The command runs as `python -m evalanalysis`, the same entry point the
installed `evalanalysis` script calls. Ends with one line:

    RESULT python_startup_ms=<a> import_ms=<b> import_history_ms=<c> help_ms=<d> history_help_ms=<e> history_ms=<f>
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "reports"
CLI = [sys.executable, "-m", "evalanalysis"]


def median_ms(argv: list[str], repeats: int, env: dict[str, str], cwd: str) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="processes per figure (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evalanalysis-startup-bench-") as tmp:
        # An empty working directory and a private cache: no project config file, no user's cache touched.
        env = {**os.environ, "EVALANALYSIS_CACHE_DIR": str(Path(tmp) / "cache")}
        history = [*CLI, "history", "--reports-dir", str(FIXTURES)]
        subprocess.run(history, check=True, stdout=subprocess.DEVNULL, env=env, cwd=tmp)  # builds the cache
        cases = {
            "python_startup_ms": [sys.executable, "-c", "pass"],
            "import_ms": [sys.executable, "-c", "import evalanalysis"],
            "import_history_ms": [sys.executable, "-c", "import evalanalysis.history"],
            "help_ms": [*CLI, "--help"],
            "history_help_ms": [*CLI, "history", "--help"],
            "history_ms": history,
        }
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        figures = {}
        for key, argv in cases.items():
            figures[key] = median_ms(argv, args.repeats, env, tmp)
            print(f"{key.removesuffix('_ms'):>18}: {figures[key]:6.0f} ms  ({' '.join(argv[1:])[:70]})")
        print("RESULT " + " ".join(f"{key}={value:.0f}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
