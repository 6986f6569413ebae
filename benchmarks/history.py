"""Benchmark of the history index: a cold build over 10,000 reports, then a warm start in a new process.

Run from a clone with the project installed: `python benchmarks/history.py [--reports N] [--dir DIR]`.
It writes a reports directory in a temporary folder (or DIR, kept for the next
run): half our own markdown reports (rendered by the markdown reporter), half
the five convex-evals layouts of tests/data/reports with fresh run ids, dates
and models. Then, each in a fresh process with the same cache directory: a cold
index build (every report parsed and cached), and a warm start (stat every
file, find nothing changed, answer lookups). Last, the warm lookup in a new
process, repeated: a fresh interpreter imports `evalanalysis.history`, opens
the cached index and answers one eval's prior findings; its median is printed
beside the bare interpreter's start (`python -c pass`), the floor of any new
process. Prints the figures and ends with one line:

    RESULT history_cold_s=<x> history_warm_ms=<y> history_speedup=<z> python_startup_ms=<a>
           warm_lookup_new_process_ms=<b> warm_import_ms=<c> warm_open_ms=<d> warm_lookup_ms=<e>

(on one line). Times are wall clock of the whole child process (interpreter
start included), so the speedup is what a user of `evalanalysis history` sees;
each child's CPU time is printed beside it, a steadier figure on a busy machine.
The `warm_import/open/lookup` parts are measured inside the child. With `--dir`
and a cache already built there, the cold build is skipped (no cold figures).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_runs import machine  # noqa: E402

import evalanalysis as ea
from evalanalysis.collation.collate import collate
from evalanalysis_plugins.markdown import MarkdownReporter

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "reports"
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Convex ids: base32 without i, l, o, u
CATEGORIES = ["000-fundamentals", "001-data_modeling", "002-queries", "003-mutations", "004-actions", "005-idioms", "006-clients"]
STEPS = ["deploy", "tsc", "eslint", "tests", "install"]
CLASSES = ["MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP"]

CHILD = """
import json, sys, time
start = time.perf_counter()
from evalanalysis.history import open_history
index = open_history(sys.argv[1], cache_dir=sys.argv[2])
opened = time.perf_counter()
found = index.prior_findings("anthropic", "model-007", "002-queries/014-select_distinct")
mine = index.findings("model-007")
done = time.perf_counter()
print(json.dumps({"reports": index.reports, "parsed": index.parsed, "prior": len(found), "model_findings": len(mine),
                  "open_s": opened - start, "lookup_s": done - opened, "cpu_s": time.process_time()}))
"""


# One lookup in a fresh interpreter: what `evalanalysis history` or an analysis pays before its first answer.
WARM_LOOKUP = """
import sys, time
start = time.perf_counter()
from evalanalysis.history import open_history
imported = time.perf_counter()
index = open_history(sys.argv[1], cache_dir=sys.argv[2])
opened = time.perf_counter()
found = index.prior_findings("anthropic", "model-007", "002-queries/014-select_distinct")
done = time.perf_counter()
print(imported - start, opened - imported, done - opened, index.parsed, len(found))
"""
REPEATS = 9


def run_id(rng: random.Random) -> str:
    return "jn7" + "".join(rng.choice(ALPHABET) for _ in range(29))


def our_reports(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(relative path, text) of `count` reports rendered by our markdown reporter."""
    reporter = MarkdownReporter()
    out = []
    for n in range(count):
        model = f"model-{n % 50:03d}"
        rid = run_id(rng)
        failures = []
        for i, path in enumerate(rng.sample(EVALS, rng.randint(5, 20))):
            category, name = path.split("/")
            cls = rng.choice(CLASSES)
            step = rng.choice(STEPS)
            failures.append(
                ea.FailureAnalysis(
                    eval_id=f"k57{i:029d}", eval_path=path, category=category, name=name, failed_step=step,
                    error=f"{step} failed: something about {name}", classification=cls,
                    verdict=ea.Verdict(cls, f"Synthetic reasoning for {name}. More detail.", 0.7, "rules"),
                )
            )
        summary = ea.RunSummary(ea.RunInfo(rid, model, "anthropic", "default"), 66, 66 - len(failures), len(failures))
        date = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
        analysis = collate(summary, tuple(failures), classifier="rules", date=date)
        out.append((f"anthropic/{model}/{rid[:8]}_{date}.md", reporter.render(analysis)))
    return out


def fixture_reports(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(relative path, text) of `count` copies of the five convex-evals layouts, with new ids, dates and models."""
    templates = [(p.relative_to(FIXTURES).parts, p.read_text()) for p in sorted(FIXTURES.rglob("*.md"))]
    ids = re.compile(r"jn7[0-9a-z]{29}")
    out = []
    for n in range(count):
        (provider, model, _), text = templates[n % len(templates)]
        date = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        text = ids.sub(lambda _m: run_id(rng), text)
        text = re.sub(r"20\d\d-\d\d-\d\d", date, text)
        first = ids.search(text)
        prefix = first.group(0)[:8] if first else run_id(rng)[:8]
        out.append((f"{provider}/{model}-v{n % 40}/{prefix}_{date}.md", text))
    return out


EVALS = [f"{c}/{n:03d}-eval_{i}" for i, c in enumerate(CATEGORIES) for n in range(12)] + ["002-queries/014-select_distinct"]


def write_reports(folder: Path, count: int) -> None:
    rng = random.Random(5)
    ours = count // 2
    for rel, text in our_reports(rng, ours) + fixture_reports(rng, count - ours):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # same prefix and date: the reporter would pick the next free name too
            path = path.with_name(f"{path.stem}_{rng.randrange(10**6)}.md")
        path.write_text(text)


def child(reports: Path, cache: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(reports), str(cache)], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(out.stdout)


def python_startup_ms(repeats: int = REPEATS) -> float:
    """Median wall time of a bare interpreter (`python -c pass`): the floor of every new process."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def warm_lookups(reports: Path, cache: Path, repeats: int = REPEATS) -> tuple[dict[str, float], int]:
    """Medians (ms) of the warm lookup in a new process: the whole process, and its import, open and lookup;
    and how many prior findings it answered."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", WARM_LOOKUP, str(reports), str(cache)], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        imported, opened, looked, parsed, found = out.stdout.split()
        if int(parsed):
            sys.exit("the warm lookup re-parsed reports")
        runs.append((wall, float(imported), float(opened), float(looked), int(found)))
    keys = ("warm_lookup_new_process_ms", "warm_import_ms", "warm_open_ms", "warm_lookup_ms")
    return {key: statistics.median(run[i] for run in runs) * 1000 for i, key in enumerate(keys)}, runs[0][-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000, help="reports to generate (default 10000)")
    parser.add_argument("--dir", type=Path, help="keep the reports and cache here; reuse them when already built")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        folder = args.dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="evalanalysis-history-bench-")))
        reports, cache = folder / "reports", folder / "cache"
        print(machine())
        built = (cache / "history.sqlite3").exists()
        if not built and reports.exists():
            sys.exit(f"{reports} exists without a cache beside it; remove it or pick another --dir")
        if not built:
            t = time.perf_counter()
            write_reports(reports, args.reports)
            print(f"generated in {time.perf_counter() - t:.1f} s")
        files = sum(1 for _ in reports.rglob("*.md"))
        size = sum(p.stat().st_size for p in reports.rglob("*.md"))
        print(f"{files} reports ({size / 1e6:.1f} MB)" + (f" reused from {folder}" if built else ""))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import evalanalysis.history"], check=True)
        startup = time.perf_counter() - start
        print(f"interpreter + import evalanalysis.history: {startup * 1000:.0f} ms")

        result = []
        if not built:
            cold_s, cold = child(reports, cache)
            print(f"cold: {cold_s:.2f} s wall, {cold['cpu_s']:.2f} s CPU; parsed {cold['parsed']} of {cold['reports']} reports "
                  f"(open {cold['open_s']:.2f} s, lookups {cold['lookup_s'] * 1000:.1f} ms)")
        warm_s, warm = child(reports, cache)
        print(f"warm: {warm_s * 1000:.0f} ms wall, {warm['cpu_s'] * 1000:.0f} ms CPU; parsed {warm['parsed']} of {warm['reports']} reports "
              f"(open {warm['open_s'] * 1000:.0f} ms, lookups {warm['lookup_s'] * 1000:.1f} ms; "
              f"{warm['prior']} prior findings for one eval, {warm['model_findings']} findings for one model)")
        print(f"cache file: {(cache / 'history.sqlite3').stat().st_size / 1e6:.1f} MB")
        if warm["parsed"] != 0 or (not built and (warm["prior"], warm["model_findings"]) != (cold["prior"], cold["model_findings"])):
            sys.exit("warm start re-parsed reports or answered differently")
        if not built:
            result += [f"history_cold_s={cold_s:.2f}", f"history_warm_ms={warm_s * 1000:.0f}", f"history_speedup={cold_s / warm_s:.0f}"]
        else:
            result += [f"history_warm_ms={warm_s * 1000:.0f}"]

        bare = python_startup_ms()
        lookup, found = warm_lookups(reports, cache)
        if found != warm["prior"]:
            sys.exit("the warm lookup answered differently")
        print(f"new process, median of {REPEATS}: bare interpreter {bare:.0f} ms; warm lookup {lookup['warm_lookup_new_process_ms']:.0f} ms "
              f"(import {lookup['warm_import_ms']:.0f} ms, open {lookup['warm_open_ms']:.0f} ms, "
              f"one lookup {lookup['warm_lookup_ms']:.0f} ms for {found} prior findings)")
        result += [f"python_startup_ms={bare:.0f}", *(f"{key}={value:.0f}" for key, value in lookup.items())]
        print("RESULT " + " ".join(result))


if __name__ == "__main__":
    main()
