"""Benchmark of `evalanalysis site` over 1,000 reports: a cold build (empty cache), then a warm one.

Run from a clone with the project installed: `python benchmarks/site.py [--reports N] [--dir DIR]`.
It writes a reports directory in a temporary folder (or DIR, kept), as
benchmarks/history.py does: half our own reports (markdown with its JSON
sibling, every other one with its HTML page too; one eval fails the same way for
most of the 50 models, so the page has a known-gap candidate), half copies of
the convex-evals layouts of tests/data/reports with fresh ids, dates and
models (markdown only). Then, each in a fresh process with the same cache
directory, `evalanalysis site --reports-dir R -o OUT`: cold (every report read
and cached) and warm (the history index and the JSON facts from the cache).
Times are wall clock of the whole child process (interpreter start included),
with its CPU time beside them (a steadier figure on a busy machine).
Prints the figures and ends with one line:

    RESULT site_1000_reports_s=<warm> site_warm_cpu_s=<cpu> site_cold_s=<cold> site_page_kb=<size>
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import evalanalysis as ea
from evalanalysis.collation.collate import collate
from evalanalysis_plugins.html import HtmlReporter
from evalanalysis_plugins.json_report import JsonReporter
from evalanalysis_plugins.markdown import MarkdownReporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_runs import machine  # noqa: E402
from history import CLASSES, EVALS, STEPS, fixture_reports, run_id  # noqa: E402  (benchmarks/history.py)

GAP_EVAL = "002-queries/014-select_distinct"
GAP_ERROR = "TypeError: ctx.db.query(...).distinct is not a function at convex/messages.ts:14:22"


def our_reports(rng: random.Random, count: int) -> list[tuple[str, dict[str, str]]]:
    """(relative stem, {suffix: text}) of `count` reports: markdown and JSON, every other one HTML too."""
    markdown, as_json = MarkdownReporter(), JsonReporter()
    html = HtmlReporter.from_settings(ea.Settings())
    out = []
    for n in range(count):
        model = f"model-{n % 50:03d}"
        rid = run_id(rng)
        failures = []
        paths = rng.sample([e for e in EVALS if e != GAP_EVAL], rng.randint(5, 20))
        if n % 50 < 40:  # 40 of the 50 models fail this eval with one error
            paths.append(GAP_EVAL)
        for i, path in enumerate(paths):
            category, name = path.split("/")
            cls, step = (("KNOWN_GAP", "tests") if path == GAP_EVAL else (rng.choice(CLASSES), rng.choice(STEPS)))
            error = GAP_ERROR if path == GAP_EVAL else f"{step} failed: something about {name}"
            failures.append(
                ea.FailureAnalysis(
                    eval_id=f"k57{i:029d}", eval_path=path, category=category, name=name, failed_step=step,
                    error=error, classification=cls,
                    verdict=ea.Verdict(cls, f"Synthetic reasoning for {name}. More detail.", 0.7, "rules"),
                )
            )
        summary = ea.RunSummary(ea.RunInfo(rid, model, "anthropic", "default"), 66, 66 - len(failures), len(failures))
        date = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
        analysis = collate(summary, tuple(failures), classifier="rules", date=date)
        files = {".md": markdown.render(analysis), ".json": as_json.render(analysis)}
        if n % 2 == 0:
            files[".html"] = html.render(analysis)
        out.append((f"anthropic/{model}/{rid[:8]}_{date}", files))
    return out


def write_reports(folder: Path, count: int) -> None:
    rng = random.Random(7)
    ours = count // 2
    for stem, files in our_reports(rng, ours):
        for suffix, text in files.items():
            path = folder / f"{stem}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for rel, text in fixture_reports(rng, count - ours):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path = path.with_name(f"{path.stem}_{rng.randrange(10**6)}.md")
        path.write_text(text)


def build(reports: Path, out: Path, cache: Path) -> tuple[float, float, str]:
    """(wall s, CPU s, what it printed) of one `evalanalysis site` in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVALANALYSIS_")}
    env["EVALANALYSIS_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evalanalysis", "site", "--reports-dir", str(reports), "-o", str(out)],
        capture_output=True, text=True, env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"evalanalysis site failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports to generate (default 1000)")
    parser.add_argument("--dir", type=Path, help="keep the reports here; reuse them when already generated")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        folder = args.dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="evalanalysis-site-bench-")))
        reports, cache, out = folder / "reports", folder / "cache", folder / "site"
        print(machine())
        if not reports.exists():
            t = time.perf_counter()
            write_reports(reports, args.reports)
            print(f"generated in {time.perf_counter() - t:.1f} s")
        files = sum(1 for _ in reports.rglob("*.md"))
        print(f"{files} reports, {sum(1 for _ in reports.rglob('*.json'))} JSON and {sum(1 for _ in reports.rglob('*.html'))} HTML siblings")
        for stale in (cache / "history.sqlite3", cache / "site-reports.json"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        cold_s, cold_cpu, said = build(reports, out, cache)
        print(f"cold: {cold_s:.2f} s wall, {cold_cpu:.2f} s CPU ({said})")
        warm_s, warm_cpu, said_again = build(reports, out, cache)
        print(f"warm: {warm_s:.2f} s wall, {warm_cpu:.2f} s CPU ({said_again})")
        if said_again != said:
            sys.exit("the warm build said something else than the cold one")
        if re.search(r"\b0 known-gap candidates", said):
            sys.exit("the generated known gap was not found")
        size = (out / "index.html").stat().st_size
        print(f"page: {size / 1000:.0f} kB")
        print(f"RESULT site_1000_reports_s={warm_s:.2f} site_warm_cpu_s={warm_cpu:.2f} site_cold_s={cold_s:.2f} "
              f"site_page_kb={size / 1000:.0f}")


if __name__ == "__main__":
    main()
