"""Cross-cutting patterns: what several failures of a run share (a lint rule, an error, an API, a category, a history)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from .facts import codes_of, eval_paths, evidence_of, plural, rules_of
from ..names import model_key
from ..model import DEFAULT_TAXONOMY, FailureAnalysis, Pattern, PriorFinding, Taxonomy
from ..evidence import error_signature, infrastructure_signals, missing_apis, rule_family

MIN_SHARED = 2  # failures needed before something counts as cross-cutting
MIN_MODELS = 3  # models (this one included) failing an eval before it counts as cross-model


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
        for rule in rules_of(f):
            by_rule[rule].append(f)
        for code in codes_of(f):
            by_code[code].append(f)
    shared = [
        ("lint_rule", by_rule, "Same lint rule: `{}`", lambda rule, n: f"`{rule}` ({rule_family(rule).replace('_', ' ')} rule) failed {n} evals."),
        ("error_code", by_code, "Same TypeScript error: {}", lambda code, n: f"{code} appears in the errors of {n} evals."),
    ]
    for kind, groups, title, detail in shared:
        for key, group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if len(group) >= MIN_SHARED:
                grouped.update(eval_paths(group))
                patterns.append(
                    Pattern(
                        kind,
                        f"{title.format(key)} ({plural(len(group), 'failure')})",
                        detail(key, len(group)),
                        eval_paths(group),
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
                    eval_paths(group),
                )
            )

    infra = [f for f in failures if "infrastructure" in (f.verdict.tags if f.verdict else ()) or infrastructure_signals(f.error)]
    if infra:
        signals = sorted({s for f in infra for s in infrastructure_signals(f.error) + evidence_of(f, "infrastructure")})
        patterns.append(
            Pattern(
                "infrastructure",
                f"Grader or harness infrastructure ({plural(len(infra), 'failure')})",
                "Errors come from the environment rather than the model's code"
                + (f" ({', '.join(signals)})." if signals else "."),
                eval_paths(infra),
            )
        )

    lint_only = [f for f in failures if "tests_passed" in (f.verdict.tags if f.verdict else ())]
    if lint_only:
        patterns.append(
            Pattern(
                "lint_only",
                f"Lint failures in working code ({plural(len(lint_only), 'failure')})",
                "The tests passed; only a lint or type-check step failed.",
                eval_paths(lint_only),
            )
        )

    gaps = [f for f in failures if evidence_of(f, "gaps")]
    if gaps:
        patterns.append(
            Pattern(
                "gaps",
                f"Already documented in GAPS.txt ({plural(len(gaps), 'failure')})",
                "The eval's GAPS.txt describes these failures.",
                eval_paths(gaps),
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
                    eval_paths(f for f in failures if f.category == category),
                )
            )

    patterns += _repeat_patterns(failures)
    patterns += _cross_model_patterns(failures, model)
    return patterns


def misused_apis(failures: Iterable[FailureAnalysis]) -> list[tuple[FailureAnalysis, list[str]]]:
    """Each failure whose error names an API that does not exist, with those APIs."""
    return [(f, apis) for f in failures if (apis := missing_apis(f.error))]


def _api_misuse_pattern(failures: tuple[FailureAnalysis, ...]) -> Pattern | None:
    """Failures over APIs that do not exist (an invented method, an import from the wrong module).

    One API in every one of them is the "same API misuse"; several are the model
    guessing at APIs in several ways. Either way the fix is on the model's side.
    """
    misused = misused_apis(failures)
    if len(misused) < MIN_SHARED:
        return None
    distinct = list(dict.fromkeys(api for _, apis in misused for api in apis))
    n = plural(len(misused), "failure")
    title = f"Same API misuse: {distinct[0]} ({n})" if len(distinct) == 1 else f"APIs that do not exist ({n})"
    listed = "; ".join(f"{', '.join(apis)} ({f.eval_path})" for f, apis in misused)
    return Pattern("api_misuse", title, f"The model used APIs that do not exist: {listed}.", eval_paths(f for f, _ in misused))


def run_label(run_id: str | None, report: str) -> str:
    """An earlier run as reports cite it: its id prefix, or the report when the id is unknown."""
    return run_id[:8] if run_id else report


def _repeat_patterns(failures: tuple[FailureAnalysis, ...]) -> list[Pattern]:
    """"Recurring from <run>": failures this model already had in an earlier run, citing run and class."""
    repeats = [f for f in failures if f.repeat_of is not None]
    if not repeats:
        return []
    runs = sorted({run_label(f.repeat_of.run_id, f.repeat_of.report) for f in repeats if f.repeat_of})
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
            eval_paths(repeats),
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
            f"{p.model} ({p.classification or p.classification_raw or 'unclassified'}, run {run_label(p.run_id, p.report)})"
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
