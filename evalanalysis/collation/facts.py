"""What collation reads off analysed failures: their class's role, evidence, lint rules and error codes.

Shared by the pattern finder, the recommendations and the net impact, so each
reads a failure the same way.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..model import FailureAnalysis, Taxonomy
from ..evidence import lint_rules, ts_error_codes


def role_of(taxonomy: Taxonomy, failure: FailureAnalysis) -> str | None:
    """The role of the failure's class in `taxonomy` (None when not analysed or unknown)."""
    cls = taxonomy.get(failure.classification) if failure.classification else None
    return cls.role if cls else None


def has_flag(taxonomy: Taxonomy, failure: FailureAnalysis, flag: str) -> bool:
    """Whether the failure's class sets `flag` (`counts_as_pass`, `actionable`)."""
    cls = taxonomy.get(failure.classification) if failure.classification else None
    return bool(cls and getattr(cls, flag))


def evidence_of(failure: FailureAnalysis, kind: str) -> list[str]:
    """The details of the verdict's evidence of `kind`."""
    return [e.detail for e in failure.verdict.evidence if e.kind == kind] if failure.verdict else []


def rules_of(failure: FailureAnalysis) -> list[str]:
    """The lint rules the verdict or the error names."""
    return list(dict.fromkeys(evidence_of(failure, "lint_rule") + lint_rules(failure.error)))


def codes_of(failure: FailureAnalysis) -> list[str]:
    """The TypeScript error codes the verdict or the error names."""
    return list(dict.fromkeys(evidence_of(failure, "error_code") + ts_error_codes(failure.error)))


def eval_paths(failures: Iterable[FailureAnalysis]) -> tuple[str, ...]:
    """The eval paths of `failures`, in order."""
    return tuple(f.eval_path for f in failures)


def plural(n: int, word: str) -> str:
    """`1 failure`, `2 failures`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def first_sentence(text: str) -> str:
    """The first sentence of `text`, whitespace collapsed."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()] if match else text
