"""What the reader gets out of one report, before any taxonomy is applied (so it can be cached)."""

from __future__ import annotations

from typing import Any

from attrs import asdict, frozen


@frozen
class ReportFinding:
    """One per-failure finding as the report states it.

    `eval_path` is `category/name`, or the bare name when the report never says
    the category (the index resolves it from other reports when it can).
    `classification_raw` is the class as written, qualifiers included. `error` is
    the error text as the report quotes it (whole, when it is one code span, as our
    own reports write it), or None when the report gives none. A class a
    maintainer corrected (`actions --reclassify`) reads `NEW (corrected from OLD)`,
    with `corrected_from` the class before the first correction and the latest
    correction's reason and date.
    """

    eval_path: str
    classification_raw: str | None
    failed_step: str | None = None
    repeat: bool = False
    note: str | None = None
    actions: tuple[str, ...] = ()
    run_id: str | None = None
    error: str | None = None
    corrected_from: str | None = None
    correction_reason: str | None = None
    correction_date: str | None = None

    @property
    def name(self) -> str:
        return self.eval_path.rsplit("/", 1)[-1]


@frozen
class ActionEntry:
    """One "Actions taken" entry and the evals it mentions."""

    text: str
    evals: tuple[str, ...] = ()


@frozen
class ReportRecord:
    """A report's run metadata, findings and actions; `warnings` say what could not be read.

    `pass_rate` and `corrected_pass_rate` are as written (`55/66 (83.3%)`, `68/74, 67/74`), or None.
    """

    path: str
    run_ids: tuple[str, ...] = ()
    provider: str | None = None
    model: str | None = None
    experiment: str | None = None
    date: str | None = None
    pass_rate: str | None = None
    findings: tuple[ReportFinding, ...] = ()
    actions: tuple[ActionEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    corrected_pass_rate: str | None = None

    @property
    def run_id(self) -> str | None:
        return self.run_ids[0] if self.run_ids else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self, recurse=True)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportRecord:
        return cls(
            path=data["path"],
            run_ids=tuple(data.get("run_ids", ())),
            provider=data.get("provider"),
            model=data.get("model"),
            experiment=data.get("experiment"),
            date=data.get("date"),
            pass_rate=data.get("pass_rate"),
            findings=tuple(finding_from_json(f) for f in data.get("findings", ())),
            actions=tuple(ActionEntry(a["text"], tuple(a.get("evals", ()))) for a in data.get("actions", ())),
            warnings=tuple(data.get("warnings", ())),
            corrected_pass_rate=data.get("corrected_pass_rate"),
        )


def finding_from_json(data: dict[str, Any]) -> ReportFinding:
    return ReportFinding(
        eval_path=data["eval_path"],
        classification_raw=data.get("classification_raw"),
        failed_step=data.get("failed_step"),
        repeat=bool(data.get("repeat", False)),
        note=data.get("note"),
        actions=tuple(data.get("actions", ())),
        run_id=data.get("run_id"),
        error=data.get("error"),
        corrected_from=data.get("corrected_from"),
        correction_reason=data.get("correction_reason"),
        correction_date=data.get("correction_date"),
    )
