"""Reports directories for the site tests, written by `evalanalysis analyze` on bundles (plus copies of
the maintainer reports of tests/data/reports)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from evalanalysis.cli import main

from . import bundles, hostile

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
OPENROUTER = ROOT / "examples" / "runs" / "openrouter-run.json"  # model `moonshotai/kimi-k2`: a slug with a slash
FIXTURES = ROOT / "tests" / "data" / "reports"

GAP_EVAL = "002-queries/014-select_distinct"
# The same failure as three runs print it: other file, other position.
GAP_ERRORS = [
    "TypeError: ctx.db.query(...).distinct is not a function\n    at handler (convex/messages.ts:14:22)",
    "TypeError: ctx.db.query(...).distinct is not a function\n    at handler (convex/queries.ts:9:5)",
    "TypeError: ctx.db.query(...).distinct is not a function\n    at handler (convex/list.ts:31:17)",
]
OTHER_ERROR = "AssertionError: expected [ 'a', 'b' ] to deeply equal [ 'a' ]"
PAIR_EVAL = "000-fundamentals/003-crons"  # same error for two models only: below the threshold of 3
PAIR_ERROR = "Error: crons.interval expects a positive number of seconds"


def run_id(n: int) -> str:
    return "jn7" + f"{n:05d}" + "q" * 24


def analyze(runner: CliRunner, bundle: Path, reports: Path, date: str, formats: str = "markdown,json,html") -> str:
    result = runner.invoke(main, ["analyze", str(bundle), "--reports-dir", str(reports), "--date", date,
                                  "--format", formats, "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = [line for line in result.output.splitlines() if line.endswith(".md")]
    assert written, result.output
    return written[0]


def gap_bundles(folder: Path) -> list[tuple[Path, str]]:
    """(bundle, date) of five models: three fail GAP_EVAL with one error (printed differently), one
    with another error, one not at all; two share PAIR_EVAL's error."""
    out = []
    for n, model in enumerate(["alpha-1", "beta-2", "gamma-3", "delta-4", "epsilon-5"]):
        failures = [bundles.failure(10, "001-data_modeling/002-other", "tsc", f"error TS2322: model {n} typed it wrong")]
        if n < 3:
            failures.append(bundles.failure(11, GAP_EVAL, "tests", GAP_ERRORS[n]))
        elif n == 3:
            failures.append(bundles.failure(11, GAP_EVAL, "tests", OTHER_ERROR))
        if n in (0, 1):
            failures.append(bundles.failure(12, PAIR_EVAL, "tests", PAIR_ERROR))
        data = bundles.bundle(failures, model=model, provider="acme", run_id=run_id(n + 1), total=30)
        out.append((bundles.write(folder / f"{model}.json", data), f"2026-03-0{n + 1}"))
    return out


def gap_reports(folder: Path) -> Path:
    """A reports directory of the five models of `gap_bundles`."""
    runner = CliRunner()
    reports = folder / "reports"
    for bundle, date in gap_bundles(folder):
        analyze(runner, bundle, reports, date, formats="markdown,json")
    return reports


def full_reports(folder: Path) -> Path:
    """Every kind of report: the mixed and OpenRouter example runs (markdown, JSON, HTML), the gap models, a second run
    of alpha-1 a week later (markdown and JSON), the same run analysed again (a superseded report), a
    markdown-only report, the maintainer reports, a hostile bundle's reports, and a file name that
    needs percent-encoding."""
    runner = CliRunner()
    reports = folder / "reports"
    analyze(runner, MIXED, reports, "2026-11-01")
    analyze(runner, OPENROUTER, reports, "2026-11-02")
    for bundle, date in gap_bundles(folder):
        analyze(runner, bundle, reports, date, formats="markdown,json,html")
    later = bundles.bundle([bundles.failure(10, "001-data_modeling/002-other", "tsc", "error TS2322: still wrong")],
                           model="alpha-1", provider="acme", run_id=run_id(7), total=30)
    analyze(runner, bundles.write(folder / "alpha-later.json", later), reports, "2026-03-08", formats="markdown,json")
    analyze(runner, bundles.write(folder / "alpha-again.json", later), reports, "2026-03-09", formats="markdown")
    shutil.copytree(FIXTURES, reports, dirs_exist_ok=True)
    analyze(runner, hostile.hostile_bundle(folder / "hostile.json"), reports, "2026-04-01", formats="markdown,json,html")
    odd = reports / "acme" / "zeta-6"
    odd.mkdir(parents=True)
    text = (FIXTURES / "openai" / "gpt-5.2-codex" / "jn76nmvg_2026-02-11.md").read_text()
    (odd / "notes #1 100% ?.md").write_text(text.replace("gpt-5.2-codex", "zeta-6"))
    return reports
