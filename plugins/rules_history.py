"""What earlier reports say about a failure, weighed as evidence rather than copied.

An earlier verdict counts for this failure only when it is about the same failed
step and does not describe a different error: its note is read the way a
GAPS.txt entry is (code it quotes, its content words, what known error
signatures mean), so "used `runtime: "node"`" says nothing about a failure that
reports a missing `@types/node`. Each model's latest such verdict is one vote;
a verdict whose note describes this very failure weighs double, this
model's own verdict half again, and every verdict halves with each
`HALF_LIFE_DAYS` of age. A verdict on the eval's side recorded before an
action that names the eval (a rule relaxed, a grader fixed) no longer votes: a
repeat after the fix is news, and the reasoning says so.

Known gaps follow upstream's meaning: a limitation of the eval that affects all
models, established by the maintainers' earlier KNOWN_GAP verdicts or, as a
suggestion for review only, by several models failing the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from attrs import frozen

from evalanalysis import Evidence, FailureContext, PriorFinding, evidence, model_key, same_run

from .rules_steps import Decision

SAME, DIFFERENT, UNKNOWN = "same", "different", "unknown"  # as `evidence.note_describes` answers
WEIGHT = {SAME: 2.0, UNKNOWN: 1.0}
OWN_MODEL = 1.5
CORRECTED = 2.0  # a maintainer's correction (`actions --reclassify`) is a given verdict, not a classifier's
# An earlier verdict's weight halves every this many days of age (the eval, the grader and the models move on).
HALF_LIFE_DAYS = 90
# Models failing an eval at the same step with the same fingerprint before a known-gap candidate is named.
CANDIDATE_MODELS = 3


@frozen
class PriorVote:
    prior: PriorFinding
    role: str | None
    similarity: str
    weight: float
    fixed_since: str | None = None  # the action, dated after this verdict, that addressed the eval


@frozen
class HistoryReading:
    """The earlier reports' word on a failure: cited evidence, a decision when they establish one,
    the role the weighted votes favour (None without votes) and how sure that majority is."""

    cited: tuple[Evidence, ...] = ()
    decision: Decision | None = None
    role: str | None = None
    share: float = 0.0
    same_error: bool = False
    models: int = 0  # how many models' latest verdicts make up the majority
    fixed: tuple[PriorVote, ...] = ()
    candidate: str | None = None  # review text naming a known-gap candidate from cross-model evidence
    given: bool = False  # a maintainer corrected this very failure (this run's own report): the verdict is theirs


def similarity(prior: PriorFinding, error: str, code_text: str, quote_text: str, task: str) -> str:
    """`same` when the earlier note describes this error, `different` when it describes another, else `unknown`."""
    return evidence.note_describes(prior.note, error, code_text=code_text, quote_text=quote_text, task=task,
                                   earlier_error=prior.error)


def read_history(failure: FailureContext, step: str | None, error: str, code_text: str, quote_text: str) -> HistoryReading:
    """Weigh the prior findings at this failed step (see the module docstring)."""
    priors = [
        p for p in failure.prior_findings
        if p.classification and (not step or not p.failed_step or p.failed_step == step)
    ]
    if not priors:
        return HistoryReading()
    priors.sort(key=lambda p: not p.corrected)  # a maintainer's correction is each model's latest word
    task = failure.detail.eval.task or failure.detail.source_file("TASK.txt") or ""
    this_model = model_key(failure.run.model if failure.run else None)
    this_run = failure.run.id if failure.run else None
    votes: dict[str, PriorVote] = {}
    fixed: list[PriorVote] = []
    for p in priors:  # this model's first, then others', each newest first: the first kept per model is its latest
        key = model_key(p.model) or p.report
        if key in votes:
            continue
        own_run = this_run is not None and any(same_run(r, this_run) for r in (p.run_id, *p.run_ids))
        sim = SAME if own_run else similarity(p, error, code_text, quote_text, task)  # this run's own, corrected
        if sim == DIFFERENT:
            continue
        role = _role(failure, p)
        weight = (WEIGHT[sim] * (OWN_MODEL if key == this_model else 1.0) * (CORRECTED if p.corrected else 1.0)
                  * age_factor(failure.date, p.date))
        vote = PriorVote(p, role, sim, weight, _fix_after(failure, p, role))
        if own_run and p.correction is not None and role is not None:
            reasoning = (f"A maintainer corrected this failure to {p.classification} (from {p.correction.original}"
                         f"{', ' + p.correction.date if p.correction.date else ''}): {p.correction.reason}")
            return HistoryReading((_cite_vote(vote),), Decision(role, 0.95, reasoning, ("corrected",)), role, 1.0, True, 1,
                                  given=True)
        if vote.fixed_since:
            fixed.append(vote)
            continue
        votes[key] = vote
    cited = tuple(_cite_vote(v) for v in [*votes.values(), *fixed][:3])
    candidate = _candidate(failure, priors, step, error, this_model)
    if not votes:
        return HistoryReading(cited, None, None, 0.0, False, 0, tuple(fixed), candidate)
    weights: dict[str | None, float] = defaultdict(float)
    for vote in votes.values():
        weights[vote.role] += vote.weight
    role, top = max(weights.items(), key=lambda kv: kv[1])
    share = top / sum(weights.values())
    agreeing = [v for v in votes.values() if v.role == role]
    same_error = any(v.similarity == SAME for v in agreeing)
    decision = _decision(failure, role, share, agreeing, same_error, step, this_model) if share > 0.5 else None
    majority = len({model_key(v.prior.model) for v in agreeing}) if share > 0.5 else 0
    return HistoryReading(cited, decision, role if share > 0.5 else None, share, same_error, majority, tuple(fixed), candidate)


def _decision(failure, role, share, agreeing, same_error, step, this_model) -> Decision | None:
    """A decision only for what history can establish: a known gap, or the eval's side across models."""
    if role in (None, "model_fault"):
        return None
    models = len({model_key(v.prior.model) for v in agreeing})
    mine = any(model_key(v.prior.model) == this_model for v in agreeing)
    if role != "known_gap" and models < 2:
        return None  # one other model's eval-side verdict is a hint, not an established fact
    confidence = 0.5 + 0.1 * same_error + 0.05 * min(models - 1, 2) + 0.05 * mine + 0.1 * (share - 0.5)
    latest = agreeing[0].prior
    described = " and its note describes this same error" if same_error else ""
    if role == "known_gap":
        reasoning = (f"An earlier report ({_cite(latest)}) established this failure as a known gap of the eval{described}"
                     + (f", and {models - 1} more agree." if models > 1 else "."))
        tags = ("repeat",) if mine else ("prior_report",)
    else:
        reasoning = (f"{models} {'models' if mine else 'other models'} failed this eval{' at the ' + step + ' step' if step else ''} in earlier reports, "
                     f"judged {role.upper()}{described}; a failure shared across models points at the eval.")
        infra = any(re.search(r"INFRA|HARNESS|GRADER", (v.prior.classification_raw or "").upper()) for v in agreeing)
        tags = ("cross_model", "infrastructure") if infra else ("cross_model",)
    review = None if same_error or models >= 2 else "earlier reports' notes do not say whether they saw this same error"
    return Decision(role, min(confidence, 0.8), reasoning, tags, review)


def _candidate(failure, priors, step, error, this_model) -> str | None:
    """Several other models failed this eval at this step with the same fingerprint: a known-gap candidate."""
    if not step:
        return None
    mine = evidence.error_fingerprint(step, evidence.one_line(error, 400)).key
    models = sorted({
        p.model or "?" for p in priors
        if model_key(p.model) != this_model and p.failed_step == step and (p.error or p.note)
        and evidence.error_fingerprint(step, evidence.one_line(p.error or p.note, 400)).key == mine
    })
    if len(models) < CANDIDATE_MODELS:
        return None
    return f"{len(models)} other models failed this eval the same way ({', '.join(models[:5])}): a known-gap candidate"


def age_factor(today: str | None, then: str | None) -> float:
    """How much a verdict dated `then` still weighs on `today` (ISO dates): 1 when either is unknown."""
    try:
        days = (dt.date.fromisoformat(today) - dt.date.fromisoformat(then)).days  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return 0.5 ** (max(days, 0) / HALF_LIFE_DAYS)


def _fix_after(failure: FailureContext, prior: PriorFinding, role: str | None) -> str | None:
    """An action naming this eval recorded after `prior`'s eval-side verdict: the eval changed since."""
    if role in (None, "model_fault") or not prior.date:
        return None
    later = [a for a in failure.actions if a.date and a.date > prior.date]
    return later[0].text if later else None


def _role(failure: FailureContext, prior: PriorFinding) -> str | None:
    cls = failure.taxonomy.get(prior.classification or "")
    return cls.role if cls else None


def _cite(prior: PriorFinding) -> str:
    return f"run {prior.run_id or prior.report}, {prior.date or 'undated'}"


def _cite_vote(vote: PriorVote) -> Evidence:
    p = vote.prior
    how = {SAME: "describes this error", UNKNOWN: "does not say which error"}.get(vote.similarity, "")
    text = (f"{p.classification_raw or p.classification} in run {p.run_id or '?'} ({p.model or '?'}, {p.date or '?'})"
            + (f", corrected by a maintainer: {p.correction.reason}" if p.correction is not None
               else (f": {p.note}" if p.note else ""))
            + (f" [{how}]" if how else ""))
    if vote.fixed_since:
        text += f" [before the action: {vote.fixed_since}]"
    return Evidence("prior_report", text, p.report)
