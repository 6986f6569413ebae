"""Which earlier "Actions taken" entry already did what a recommendation asks.

A lint/config recommendation matches an action that names the same rule and
says it was downgraded, disabled or relaxed (`Downgraded \\`prefer-const\\` to
warn` covers `Downgrade \\`prefer-const\\``). An eval recommendation matches an
action that names the same eval (full path, or bare name when the action gives
no category). Model notes and "no action" items never match: there is nothing
to repeat. A recorded correction of a failure's class is not an action on the eval.
"""

from __future__ import annotations

import re

from ..model import PriorFinding, RecordedAction, Recommendation
from ..evidence import STYLISTIC_RULES, TYPE_SAFETY_RULES, lint_rules, rule_base
from ..history.corrections import is_correction
from ..history.fields import eval_refs

_RULE = re.compile(r"^@?[a-z][\w-]*(?:/[a-z][\w-]*)*$")
_BACKTICKED = re.compile(r"`([^`\n]+)`")
_KNOWN_RULE = re.compile(r"(?<![\w/-])(" + "|".join(sorted(map(re.escape, STYLISTIC_RULES | TYPE_SAFETY_RULES), key=len, reverse=True)) + r")(?![\w-])")
_LINT_DONE = re.compile(
    r"downgrad|disabl|relax|turn(?:ed)? off|switch(?:ed)? off|\bwarn|\boff\b|remov|exempt|allow|ignor|configur|loosen", re.I
)


def rule_ids(text: str) -> set[str]:
    """Lint rules a text names: backticked rule ids, ESLint output, well-known rule names; base names."""
    found = {m.strip("\"' ") for m in _BACKTICKED.findall(text)}
    rules = {r for r in found if _RULE.match(r) and "-" in r}
    rules |= set(lint_rules(text)) | set(_KNOWN_RULE.findall(text))
    return {rule_base(r) for r in rules}


def mentions_eval(action: RecordedAction, eval_path: str) -> bool:
    """True when the action names `eval_path` (or its bare name, when it names no category)."""
    name = eval_path.rsplit("/", 1)[-1]
    mentioned = set(action.evals) | {r.path for r in eval_refs(action.text)}
    return eval_path in mentioned or name in mentioned


def recorded_action_for(rec: Recommendation, actions: tuple[RecordedAction, ...]) -> RecordedAction | None:
    """The newest recorded action that already did what `rec` recommends, if any (actions newest first).

    A maintainer's correction of a class (`actions --reclassify`) changed no eval: it never counts.
    """
    actions = tuple(a for a in actions if not is_correction(a.text))
    if rec.group == "lint_config":
        rules = rule_ids(rec.text)
        if not rules:
            return None
        return next((a for a in actions if rules & rule_ids(a.text) and _LINT_DONE.search(a.text)), None)
    if rec.group == "eval_improvements" and rec.evals:
        return next((a for a in actions if any(mentions_eval(a, e) for e in rec.evals)), None)
    return None


def actions_of_priors(priors: tuple[PriorFinding, ...]) -> list[RecordedAction]:
    """The actions earlier reports attached to these findings, as recorded actions about their eval."""
    return [RecordedAction(text, p.report, p.run_id, p.date, (p.eval_path,)) for p in priors for text in p.actions]
