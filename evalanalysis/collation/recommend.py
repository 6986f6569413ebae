"""Recommendations in the seed's four groups, and earlier recorded actions cited instead of repeated."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .facts import codes_of, eval_paths, first_sentence, role_of, rules_of
from .matching import actions_of_priors, recorded_action_for
from ..model import DEFAULT_TAXONOMY, FailureAnalysis, RecordedAction, Recommendation, Taxonomy
from .patterns import MIN_SHARED, misused_apis, run_label
from ..evidence import rule_family


def recommend(failures: tuple[FailureAnalysis, ...], taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> list[Recommendation]:
    """Recommendations in the four seed groups, derived from each failure's class and evidence."""
    recs: list[Recommendation] = []
    strict_rules: dict[str, list[FailureAnalysis]] = defaultdict(list)
    model_faults: list[FailureAnalysis] = []
    for f in failures:
        role = role_of(taxonomy, f)
        reason = first_sentence(f.verdict.reasoning) if f.verdict else ""
        if role == "overly_strict":
            rules = [r for r in rules_of(f) if rule_family(r) != "type_safety"] or rules_of(f)
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
                eval_paths(group),
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
        when = f"run {run_label(done.run_id, done.report)}" + (f", {done.date}" if done.date else "")
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
        for key in rules_of(f) + codes_of(f):
            shared[key].append(f)
    for key, group in sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) >= MIN_SHARED:
            notes.append(
                Recommendation(
                    "model_specific",
                    f"This model repeatedly trips `{key}` ({len(group)} genuine faults).",
                    eval_paths(group),
                )
            )
    misused = misused_apis(model_faults)
    if len(misused) >= MIN_SHARED:
        apis = ", ".join(dict.fromkeys(api for _, apis in misused for api in apis))
        notes.append(
            Recommendation(
                "model_specific",
                f"This model uses APIs that do not exist ({len(misused)} genuine faults): {apis}.",
                eval_paths(f for f, _ in misused),
            )
        )
    categories = Counter(f.category for f in model_faults)
    for category, count in sorted(categories.items()):
        if count >= MIN_SHARED + 1:
            notes.append(
                Recommendation(
                    "model_specific",
                    f"{count} genuine faults in {category}: this model struggles with that area.",
                    eval_paths(f for f in model_faults if f.category == category),
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


def _action_text(entry: str) -> str:
    """An "Actions taken" entry without the date prefix and evals suffix that `evalanalysis actions` writes."""
    text = re.sub(r"^\d{4}-\d{2}-\d{2}:\s*", "", entry.strip())
    return re.sub(r"\s*\(evals?: [^()]*\)\s*$", "", text) or entry
