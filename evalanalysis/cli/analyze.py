"""`evalanalysis analyze RUN`: fetch, classify, collate, write reports, print a summary."""

from __future__ import annotations

import json

import click

from ..converter import analysis_to_json
from ..errors import EvalAnalysisError, UsageError
from ..model import RunAnalysis
from ..runref import resolve_run
from .common import PathArg, check_date, config_option, parse_formats, workspace
from ..llm.prices import dollars
from ..model import Usage
from .terminal import ALL_FLAG, PER_CLASS, AnalysisProgress, print_summary, printable


@click.command("analyze")
@click.argument("runs", metavar="RUN [RUN ...]", nargs=-1, required=True)
@click.option("--source", "source_name", help="Source plugin (default: convex; a .json path selects bundle).")
@click.option("--classifier", help="Classifier plugin: rules (offline, default), anthropic, openai, ...")
@click.option("--model", help="Model id for an LLM classifier.")
@click.option("--format", "formats", help="Report formats, comma-separated: markdown,json,html.")
@click.option("--reports-dir", type=PathArg(file_okay=False), help="Where reports/{provider}/{model}/ live.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Failures fetched and classified at once (default 4).")
@click.option("--date", callback=check_date, help="Report date YYYY-MM-DD (default today), for reproducible output.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the caches (LLM results, parsed earlier reports).")
@click.option("--no-synthesis", is_flag=True, help="Skip the LLM synthesis of patterns and recommendations.")
@click.option("--replace", is_flag=True,
              help="Rewrite this run's report of the same date (keeping its Actions taken) instead of adding a _2 report.")
@click.option("--dry-run", is_flag=True, help="Build every prompt and print counts, tokens and dollars; call no LLM, write nothing.")
@click.option("--batch", is_flag=True,
              help="Send the uncached classifications as one provider batch (half price, slower); an interrupted batch is resumed.")
@click.option("--budget-usd", type=float, metavar="N",
              help="Stop sending LLM requests before they would cost more than N dollars; the rest is marked not analysed.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON (and only JSON).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the report paths.")
@click.option(ALL_FLAG, "all_failures", is_flag=True,
              help=f"List every failure under its class in the summary (default: {PER_CLASS} per class, then 'and N more').")
@config_option
def analyze_command(
    runs: tuple[str, ...],
    source_name: str | None,
    classifier: str | None,
    model: str | None,
    formats: str | None,
    reports_dir: str | None,
    concurrency: int | None,
    date: str | None,
    no_cache: bool,
    no_synthesis: bool,
    replace: bool,
    dry_run: bool,
    batch: bool,
    budget_usd: float | None,
    as_json: bool,
    quiet: bool,
    all_failures: bool,
    config_file: str | None,
) -> None:
    """Analyse the failed evals of RUN: a run id, a visualizer URL or a bundle file.

    Several RUNs (repeat runs of one model and experiment, oldest first) make one
    report: each eval failed in k of N runs, deterministic or flaky, and the pass
    rate of each run with their mean and spread.
    """
    refs = [resolve_run(run) for run in runs]
    if len(refs) > 1 and replace:
        raise UsageError("--replace rewrites one run's report; it cannot be combined with several runs")
    space = workspace(
        config_file,
        {
            "analyze.source": source_name,
            "classifier.name": classifier,
            "classifier.model": model,
            "analyze.formats": parse_formats(formats),
            "analyze.reports_dir": reports_dir,
            "analyze.concurrency": concurrency,
            "cache.enabled": False if no_cache else None,
            "classifier.synthesis": False if no_synthesis else None,
            "classifier.batch": True if batch else None,
            "classifier.budget_usd": budget_usd,
        },
    )
    reporters = space.reporters()
    chosen = space.dry_run() if dry_run else space.classifier()
    with AnalysisProgress.for_command(quiet=quiet or as_json, price=getattr(chosen, "price", None)) as progress:
        if len(refs) == 1:
            analysis = space.analyze(refs[0], classifier=chosen, source_name=source_name, on_progress=progress, date=date)
        else:
            analysis = space.analyze_runs(refs, classifier=chosen, source_name=source_name, on_progress=progress, date=date)
    if dry_run:
        click.echo(json.dumps(chosen.dry_run_counts(), indent=2) if as_json else chosen.dry_run_summary())
        return
    if not as_json:  # --json carries them in its `warnings`
        for warning in analysis.warnings:
            click.echo(f"warning: {printable(warning)}", err=True)
    if not analysis.failures:
        nothing = {"run_id": analysis.run.id, "all_passed": _all_passed(analysis), "reports": []}
        if analysis.runs:
            nothing["run_ids"] = list(analysis.run_ids)
        click.echo(json.dumps(nothing) if as_json else _nothing_to_report(analysis))
        return
    paths = space.write(analysis, reporters=reporters, replace=replace)
    if as_json:
        click.echo(json.dumps({**analysis_to_json(analysis), "reports": [str(p) for p in paths]}, indent=2, ensure_ascii=False))
    elif quiet:
        for path in paths:
            click.echo(str(path))
    else:
        print_summary(analysis, paths, limit=None if all_failures else PER_CLASS)
        if analysis.pass_rates is not None:
            click.echo(_repeat_summary(analysis))
        if analysis.usage.requests:
            click.echo(cost_line(analysis.usage))
    if not any(f.analysed for f in analysis.failures):
        # The report says why for each; a script must still not take this for a finished analysis.
        reasons = {f.not_analysed_reason for f in analysis.failures}
        why = f": {next(iter(reasons))}" if len(reasons) == 1 else " (the report says why for each)"
        raise EvalAnalysisError(f"none of the {len(analysis.failures)} failures could be analysed{why}"[:400])


def cost_line(usage: Usage) -> str:
    """What the LLM requests cost, and what the provider's prompt cache and batches saved."""
    parts = [f"LLM cost: {dollars(usage.cost_usd)}"]
    if usage.cache_read_tokens or usage.cache_write_tokens:
        parts.append(f"prompt cache {usage.cache_read_tokens} tokens read / {usage.cache_write_tokens} written")
    if usage.batched:
        parts.append(f"{usage.batched} requests batched")
    return "; ".join(parts)


def _all_passed(analysis: RunAnalysis) -> bool:
    return analysis.failed_count == 0 and analysis.passed_count == analysis.total_evals


def _repeat_summary(analysis: RunAnalysis) -> str:
    """Two lines for a multi-run report: the pass rates and how many failures are flaky."""
    rates = ", ".join(r.pass_rate for r in analysis.runs)
    flaky = sum(1 for f in analysis.failures if f.flaky)
    spread = analysis.pass_rates.summary if analysis.pass_rates else ""
    return (f"{len(analysis.runs)} runs, pass rates {rates}; {spread}\n"
            f"{len(analysis.failures) - flaky} deterministic and {flaky} flaky failures (flaky ones are flagged for review)")


def _nothing_to_report(analysis: RunAnalysis) -> str:
    """What a run without listed failures means: all passed, or not finished (or a summary that lists none)."""
    if analysis.runs:
        return (f"No failed evals listed in any of the {len(analysis.runs)} runs "
                f"({', '.join(r.pass_rate for r in analysis.runs)} passed); no report written.")
    if _all_passed(analysis):
        return f"All {analysis.total_evals} evals passed in run {analysis.run.id}; no report written."
    status = f", run status {analysis.run.status.kind}" if analysis.run.status else ""
    return (
        f"No failed evals listed for run {analysis.run.id} ({analysis.pass_rate} passed{status}); "
        "nothing to analyse, no report written."
    )


COMMANDS = [analyze_command]
