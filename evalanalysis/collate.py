"""Collation: from per-failure verdicts to the run's summary, patterns, recommendations and net impact.

Deterministic: the same failures always give the same report. LLM synthesis
(when a classifier offers it) adds to this base; it never replaces it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from .model import (
    DEFAULT_TAXONOMY,
    FailureAnalysis,
    NetImpact,
    Pattern,
    PriorFinding,
    RecordedAction,
    Recommendation,
    RunAnalysis,
    RunSummary,
    Taxonomy,
    Usage,
    _rate,
)
from .history.fields import model_key
from .history.matching import actions_of_priors, recorded_action_for
from .signals import error_signature, infrastructure_signals, lint_rules, missing_apis, rule_family, ts_error_codes

MIN_SHARED = 2  # failures needed before something counts as cross-cutting
MIN_MODELS = 3  # models (this one included) failing an eval before it counts as cross-model


def collate(
    summary: RunSummary,
    failures: tuple[FailureAnalysis, ...],
    *,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    classifier: str,
    date: str,
    prior_actions: tuple[RecordedAction, ...] = (),
) -> RunAnalysis:
    """Build the `RunAnalysis` of a run from its analysed failures.

    `prior_actions` are earlier reports' "Actions taken" entries (newest first):
    a recommendation one of them already carried out is cited, not repeated.
    """
    failures = tuple(sorted(failures, key=lambda f: f.eval_path))
    by_step = Counter(f.failed_step or "unknown" for f in failures)
    counts_as_pass = sum(1 for f in failures if _role_flag(taxonomy, f, "counts_as_pass"))
    return RunAnalysis(
        run=summary.run,
        date=date,
        total_evals=summary.total_evals,
        passed_count=summary.passed_count,
        failed_count=summary.failed_count,
        failures=failures,
        failures_by_step=dict(by_step.most_common()),
        patterns=tuple(find_patterns(failures, taxonomy, model=summary.run.model)),
        recommendations=tuple(cite_recorded_actions(recommend(failures, taxonomy), failures, prior_actions)),
        net_impact=net_impact(summary, failures, taxonomy),
        classifier=classifier,
        taxonomy=taxonomy,
        usage=sum((f.verdict.usage for f in failures if f.verdict and f.verdict.usage), start=Usage()),
        corrected_passed_count=summary.passed_count + counts_as_pass,
        warnings=tuple(count_warnings(summary)),
    )


def count_warnings(summary: RunSummary) -> list[str]:
    """What in the summary's counts disagrees with itself, for a reader who would otherwise trust the pass rate."""
    warnings = []
    listed = len(summary.failed_evals)
    if summary.failed_count != listed:
        warnings.append(
            f"the failure summary counts {summary.failed_count} failed evals but lists {listed}; "
            f"this report covers the {listed} listed"
        )
    if summary.passed_count + summary.failed_count > summary.total_evals:
        warnings.append(
            f"passedCount {summary.passed_count} plus failedCount {summary.failed_count} "
            f"is more than totalEvals {summary.total_evals}"
        )
    return warnings


def _role(taxonomy: Taxonomy, failure: FailureAnalysis) -> str | None:
    cls = taxonomy.get(failure.classification) if failure.classification else None
    return cls.role if cls else None


def _role_flag(taxonomy: Taxonomy, failure: FailureAnalysis, flag: str) -> bool:
    cls = taxonomy.get(failure.classification) if failure.classification else None
    return bool(cls and getattr(cls, flag))


def _evidence(failure: FailureAnalysis, kind: str) -> list[str]:
    return [e.detail for e in failure.verdict.evidence if e.kind == kind] if failure.verdict else []


def _rules_of(failure: FailureAnalysis) -> list[str]:
    return list(dict.fromkeys(_evidence(failure, "lint_rule") + lint_rules(failure.error)))


def _codes_of(failure: FailureAnalysis) -> list[str]:
    return list(dict.fromkeys(_evidence(failure, "error_code") + ts_error_codes(failure.error)))


def _paths(failures: Iterable[FailureAnalysis]) -> tuple[str, ...]:
    return tuple(f.eval_path for f in failures)


def find_patterns(
    failures: tuple[FailureAnalysis, ...], taxonomy: Taxonomy = DEFAULT_TAXONOMY, *, model: str | None = None
) -> list[Pattern]:
    """Cross-cutting patterns: shared lint rules and error codes, APIs that do not exist, shared
    error signatures, hard categories, GAPS-documented failures, infrastructure trouble, lint-only
    failures, repeats from earlier runs of this `model`, and evals that earlier reports show
    failing for other models too."""
    patterns: list[Pattern] = []
    grouped: set[str] = set()

    by_rule: dict[str, list[FailureAnalysis]] = defaultdict(list)
    by_code: dict[str, list[FailureAnalysis]] = defaultdict(list)
    for f in failures:
        for rule in _rules_of(f):
            by_rule[rule].append(f)
        for code in _codes_of(f):
            by_code[code].append(f)
    for rule, group in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) >= MIN_SHARED:
            grouped.update(_paths(group))
            patterns.append(
                Pattern(
                    "lint_rule",
                    f"Same lint rule: `{rule}` ({plural(len(group), 'failure')})",
                    f"`{rule}` ({rule_family(rule).replace('_', ' ')} rule) failed {len(group)} evals.",
                    _paths(group),
                )
            )
    for code, group in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) >= MIN_SHARED:
            grouped.update(_paths(group))
            patterns.append(
                Pattern(
                    "error_code",
                    f"Same TypeScript error: {code} ({plural(len(group), 'failure')})",
                    f"{code} appears in the errors of {len(group)} evals.",
                    _paths(group),
                )
            )

    api_pattern = _api_misuse_pattern(failures)
    if api_pattern is not None:
        grouped.update(api_pattern.evals)
        patterns.append(api_pattern)

    by_signature: dict[str, list[FailureAnalysis]] = defaultdict(list)
    for f in failures:
        if f.eval_path not in grouped:
            by_signature[error_signature(f.error)].append(f)
    for signature, group in sorted(by_signature.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) >= MIN_SHARED and signature and signature != "(no error text)":
            patterns.append(
                Pattern(
                    "error_signature",
                    f"Same error ({plural(len(group), 'failure')})",
                    f"These failures share the error `{signature}`.",
                    _paths(group),
                )
            )

    infra = [f for f in failures if "infrastructure" in (f.verdict.tags if f.verdict else ()) or infrastructure_signals(f.error)]
    if infra:
        signals = sorted({s for f in infra for s in infrastructure_signals(f.error) + _evidence(f, "infrastructure")})
        patterns.append(
            Pattern(
                "infrastructure",
                f"Grader or harness infrastructure ({plural(len(infra), 'failure')})",
                "Errors come from the environment rather than the model's code"
                + (f" ({', '.join(signals)})." if signals else "."),
                _paths(infra),
            )
        )

    lint_only = [f for f in failures if "tests_passed" in (f.verdict.tags if f.verdict else ())]
    if lint_only:
        patterns.append(
            Pattern(
                "lint_only",
                f"Lint failures in working code ({plural(len(lint_only), 'failure')})",
                "The tests passed; only a lint or type-check step failed.",
                _paths(lint_only),
            )
        )

    gaps = [f for f in failures if _evidence(f, "gaps")]
    if gaps:
        patterns.append(
            Pattern(
                "gaps",
                f"Already documented in GAPS.txt ({plural(len(gaps), 'failure')})",
                "The eval's GAPS.txt describes these failures.",
                _paths(gaps),
            )
        )

    by_category = Counter(f.category for f in failures)
    if len(failures) >= 3 and by_category:
        category, count = sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if count >= MIN_SHARED:
            patterns.append(
                Pattern(
                    "category",
                    f"Hardest category: {category} ({count}/{len(failures)} failures)",
                    f"{category} has the most failures of this run ({count} of {len(failures)}).",
                    _paths(f for f in failures if f.category == category),
                )
            )

    patterns += _repeat_patterns(failures)
    patterns += _cross_model_patterns(failures, model)
    return patterns


def _misused_apis(failures: Iterable[FailureAnalysis]) -> list[tuple[FailureAnalysis, list[str]]]:
    """Each failure whose error names an API that does not exist, with those APIs."""
    return [(f, apis) for f in failures if (apis := missing_apis(f.error))]


def _api_misuse_pattern(failures: tuple[FailureAnalysis, ...]) -> Pattern | None:
    """Failures over APIs that do not exist (an invented method, an import from the wrong module).

    One API in every one of them is the "same API misuse"; several are the model
    guessing at APIs in several ways. Either way the fix is on the model's side.
    """
    misused = _misused_apis(failures)
    if len(misused) < MIN_SHARED:
        return None
    distinct = list(dict.fromkeys(api for _, apis in misused for api in apis))
    n = plural(len(misused), "failure")
    title = f"Same API misuse: {distinct[0]} ({n})" if len(distinct) == 1 else f"APIs that do not exist ({n})"
    listed = "; ".join(f"{', '.join(apis)} ({f.eval_path})" for f, apis in misused)
    return Pattern("api_misuse", title, f"The model used APIs that do not exist: {listed}.", _paths(f for f, _ in misused))


def _run_label(run_id: str | None, report: str) -> str:
    return run_id[:8] if run_id else report


def _repeat_patterns(failures: tuple[FailureAnalysis, ...]) -> list[Pattern]:
    """"Recurring from <run>": failures this model already had in an earlier run, citing run and class."""
    repeats = [f for f in failures if f.repeat_of is not None]
    if not repeats:
        return []
    runs = sorted({_run_label(f.repeat_of.run_id, f.repeat_of.report) for f in repeats if f.repeat_of})
    where = f"run {runs[0]}" if len(runs) == 1 else "earlier runs " + ", ".join(runs)
    cited = []
    for f in repeats:
        p = f.repeat_of
        assert p is not None
        cls = p.classification or p.classification_raw or "unclassified"
        cited.append(f"`{f.eval_path}` was {cls} in run {p.run_id or p.report}" + (f" ({p.date})" if p.date else ""))
    return [
        Pattern(
            "repeat",
            f"Recurring from {where} ({plural(len(repeats), 'failure')})",
            "These evals failed for this model before: " + "; ".join(cited) + ".",
            _paths(repeats),
        )
    ]


def _cross_model_patterns(failures: tuple[FailureAnalysis, ...], model: str | None) -> list[Pattern]:
    """"Fails for N models": evals that earlier reports show failing for other models as well."""
    mine = model_key(model)
    found = []
    for f in failures:
        newest: dict[str, PriorFinding] = {}
        for p in f.prior_findings:  # newest first, so the first finding per model is its latest
            key = model_key(p.model)
            if key and key != mine and key not in newest:
                newest[key] = p
        if len(newest) + 1 >= MIN_MODELS:
            found.append((f, list(newest.values())))
    patterns = []
    for f, others in sorted(found, key=lambda fo: (-len(fo[1]), fo[0].eval_path)):
        listed = ", ".join(
            f"{p.model} ({p.classification or p.classification_raw or 'unclassified'}, run {_run_label(p.run_id, p.report)})"
            for p in others
        )
        patterns.append(
            Pattern(
                "cross_model",
                f"`{f.eval_path}` fails for {len(others) + 1} models",
                f"Earlier reports show it failing for {listed}. A failure many models share points at the eval.",
                (f.eval_path,),
            )
        )
    return patterns


def recommend(failures: tuple[FailureAnalysis, ...], taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> list[Recommendation]:
    """Recommendations in the four seed groups, derived from each failure's class and evidence."""
    recs: list[Recommendation] = []
    strict_rules: dict[str, list[FailureAnalysis]] = defaultdict(list)
    model_faults: list[FailureAnalysis] = []
    for f in failures:
        role = _role(taxonomy, f)
        reason = _first_sentence(f.verdict.reasoning) if f.verdict else ""
        if role == "overly_strict":
            rules = [r for r in _rules_of(f) if rule_family(r) != "type_safety"] or _rules_of(f)
            if f.failed_step == "eslint" and rules:
                strict_rules[rules[0]].append(f)
            else:
                recs.append(Recommendation("eval_improvements", f"Relax the {f.failed_step or 'grading'} check of `{f.eval_path}`: {reason}", (f.eval_path,)))
        elif role in ("ambiguous_task", "infrastructure"):
            if "infrastructure" in (f.verdict.tags if f.verdict else ()):
                recs.append(Recommendation("eval_improvements", f"Fix the grader/harness of `{f.eval_path}`: {reason}", (f.eval_path,)))
            else:
                recs.append(Recommendation("eval_improvements", f"Clarify the task of `{f.eval_path}`: {reason}", (f.eval_path,)))
        elif role == "known_gap":
            recs.append(Recommendation("no_action", f"`{f.eval_path}`: known gap, already documented. {reason}", (f.eval_path,)))
        elif role == "model_fault":
            model_faults.append(f)
            recs.append(Recommendation("no_action", f"`{f.eval_path}`: genuine model fault. {reason}", (f.eval_path,)))
    for rule, group in sorted(strict_rules.items()):
        names = ", ".join(f"`{f.eval_path}`" for f in group)
        recs.append(
            Recommendation(
                "lint_config",
                f"Downgrade `{rule}` to \"warn\": it failed code that otherwise worked ({names}).",
                _paths(group),
            )
        )
    recs.extend(_model_notes(model_faults))
    order = {"eval_improvements": 0, "lint_config": 1, "model_specific": 2, "no_action": 3}
    return sorted(recs, key=lambda r: order.get(r.group, 9))


def cite_recorded_actions(
    recs: list[Recommendation], failures: tuple[FailureAnalysis, ...], prior_actions: tuple[RecordedAction, ...] = ()
) -> list[Recommendation]:
    """Replace each recommendation an earlier report's "Actions taken" already carried out by a citation of it."""
    seen: set[tuple[str, str]] = set()
    actions = []
    for action in [*prior_actions, *(a for f in failures for a in actions_of_priors(f.prior_findings))]:
        if (action.text, action.report) not in seen:
            seen.add((action.text, action.report))
            actions.append(action)
    actions.sort(key=lambda a: (a.date or "", a.report), reverse=True)
    out = []
    for rec in recs:
        done = recorded_action_for(rec, tuple(actions))
        if done is None:
            out.append(rec)
            continue
        subject = ", ".join(f"`{e}`" for e in rec.evals) or "this"
        when = f"run {_run_label(done.run_id, done.report)}" + (f", {done.date}" if done.date else "")
        out.append(
            Recommendation(
                "no_action",
                f"Already done, recorded in the report of {when}: \"{_action_text(done.text)}\". "
                f"Not recommended again for {subject}; if it fails again, check that the change reached the eval.",
                rec.evals,
                source=rec.source,
            )
        )
    order = {"eval_improvements": 0, "lint_config": 1, "model_specific": 2, "no_action": 3}
    return sorted(out, key=lambda r: order.get(r.group, 9))


def _model_notes(model_faults: list[FailureAnalysis]) -> list[Recommendation]:
    notes = []
    shared: dict[str, list[FailureAnalysis]] = defaultdict(list)
    for f in model_faults:
        for key in _rules_of(f) + _codes_of(f):
            shared[key].append(f)
    for key, group in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) >= MIN_SHARED:
            notes.append(
                Recommendation(
                    "model_specific",
                    f"This model repeatedly trips `{key}` ({len(group)} genuine faults).",
                    _paths(group),
                )
            )
    misused = _misused_apis(model_faults)
    if len(misused) >= MIN_SHARED:
        apis = ", ".join(dict.fromkeys(api for _, apis in misused for api in apis))
        notes.append(
            Recommendation(
                "model_specific",
                f"This model uses APIs that do not exist ({len(misused)} genuine faults): {apis}.",
                _paths(f for f, _ in misused),
            )
        )
    categories = Counter(f.category for f in model_faults)
    for category, count in sorted(categories.items()):
        if count >= MIN_SHARED + 1:
            notes.append(
                Recommendation(
                    "model_specific",
                    f"{count} genuine faults in {category}: this model struggles with that area.",
                    _paths(f for f in model_faults if f.category == category),
                )
            )
    for f in model_faults:
        if f.repeat_of is not None:
            notes.append(
                Recommendation(
                    "model_specific",
                    f"`{f.eval_path}` failed for this model before too: run {f.repeat_of.run_id or f.repeat_of.report}"
                    + (f" ({f.repeat_of.date})" if f.repeat_of.date else "")
                    + f", classified {f.repeat_of.classification or f.repeat_of.classification_raw or 'unclassified'}.",
                    (f.eval_path,),
                )
            )
    return notes


def net_impact(summary: RunSummary, failures: tuple[FailureAnalysis, ...], taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> NetImpact:
    """How many failures are the eval side's to act on, and what fixing them would do to the pass rate."""
    actionable = [f for f in failures if _role_flag(taxonomy, f, "actionable")]
    model_faults = [f for f in failures if _role(taxonomy, f) == "model_fault"]
    known = [f for f in failures if _role(taxonomy, f) == "known_gap"]
    missing = [f for f in failures if not f.analysed]
    total = len(failures)
    parts = [f"{len(actionable)} of {total} failures are actionable on the eval side"]
    if actionable:
        by_class = Counter(f.classification for f in actionable)
        parts[0] += " (" + ", ".join(f"{c} {n}" for c, n in sorted(by_class.items())) + ")"
    parts.append(f"{plural(len(model_faults), 'genuine model fault')}")
    parts.append(f"{plural(len(known), 'known gap')}")
    if missing:
        parts.append(f"{len(missing)} not analysed")
    text = "; ".join(parts) + "."
    if actionable:
        text += (
            f" Fixing the actionable ones would raise the pass rate from "
            f"{_rate(summary.passed_count, summary.total_evals)} to "
            f"{_rate(summary.passed_count + len(actionable), summary.total_evals)}."
        )
    return NetImpact(len(actionable), len(model_faults), len(known), len(missing), text)


def _action_text(entry: str) -> str:
    """An "Actions taken" entry without the date prefix and evals suffix that `evalanalysis actions` writes."""
    text = re.sub(r"^\d{4}-\d{2}-\d{2}:\s*", "", entry.strip())
    return re.sub(r"\s*\(evals?: [^()]*\)\s*$", "", text) or entry


def plural(n: int, word: str) -> str:
    """`1 failure`, `2 failures`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in text:
            return text.split(end, 1)[0] + end.strip()
    return text
