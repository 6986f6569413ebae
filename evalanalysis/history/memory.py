"""`HistorySnapshot`: what earlier reports say about one run's failures, read once and held in memory.

The composition root takes it (off the event loop) after the run's summary is
fetched and before the failures fan out, so `analyze_run` looks prior findings
up in a dictionary: it opens no file, directory or database.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from attrs import field, frozen

from ..model import PriorFinding, RecordedAction
from ..protocols import ActionLog, History
from ..names import model_key


@frozen
class HistorySnapshot:
    """Prior findings for a set of (model, eval path) pairs, and the recorded actions (the `History`
    and `ActionLog` roles), answered from memory.

    A lookup the snapshot was not taken for answers no findings; one whose reading
    failed raises what the history raised, so the caller words it as before.
    """

    findings: Mapping[tuple[str, str], tuple[PriorFinding, ...]] = field(factory=dict)
    actions: tuple[RecordedAction, ...] = ()
    errors: Mapping[tuple[str, str], Exception] = field(factory=dict)

    @classmethod
    def take(cls, history: History, provider: str, model: str, eval_paths: Iterable[str]) -> HistorySnapshot:
        """Ask `history` (which may read files) about each of `eval_paths` for this model, and for its actions."""
        found: dict[tuple[str, str], tuple[PriorFinding, ...]] = {}
        errors: dict[tuple[str, str], Exception] = {}
        key = model_key(model)
        paths = list(dict.fromkeys(eval_paths))
        for path in paths:
            try:
                found[(key, path)] = tuple(history.prior_findings(provider, model, path))
            except Exception as exc:  # one unreadable lookup costs only that eval its priors
                errors[(key, path)] = exc
        actions: tuple[RecordedAction, ...] = ()
        if paths and isinstance(history, ActionLog):
            try:
                actions = tuple(history.recorded_actions())
            except Exception:  # recorded actions only refine recommendations; without them the report still stands
                actions = ()
        return cls(found, actions, errors)

    def prior_findings(self, provider: str, model: str, eval_path: str) -> tuple[PriorFinding, ...]:
        key = (model_key(model), eval_path)
        if key in self.errors:
            raise self.errors[key]
        return self.findings.get(key, ())

    def recorded_actions(self) -> tuple[RecordedAction, ...]:
        return self.actions

