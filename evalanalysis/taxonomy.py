"""The taxonomy: the classes a failure can be put in, the role each plays (model fault, overly
strict, ambiguous task, known gap, infrastructure), the names other teams and older reports use
for them, and the default taxonomy of the seed procedure. A team can configure its own classes;
everything else asks a class for its role, never for its name."""

from __future__ import annotations

import re

from attrs import frozen


@frozen
class TaxonomyClass:
    """One class of the taxonomy.

    `role` ties a team's own class names to the concepts the built-in
    classifiers reason with: model_fault, overly_strict, ambiguous_task,
    known_gap or infrastructure. `counts_as_pass` feeds the corrected pass rate;
    `actionable` says the eval side, not the model, should change.
    """

    name: str
    description: str
    role: str = "model_fault"
    counts_as_pass: bool = False
    actionable: bool = False


@frozen
class Taxonomy:
    """The classes a failure can be given; configuration, not code."""

    classes: tuple[TaxonomyClass, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.classes)

    def get(self, name: str) -> TaxonomyClass | None:
        return next((c for c in self.classes if c.name == name), None)

    def for_role(self, role: str) -> TaxonomyClass:
        """The first class with `role`; infrastructure falls back to ambiguous_task,
        anything else to the first class."""
        for wanted in (role, "ambiguous_task" if role == "infrastructure" else role):
            for c in self.classes:
                if c.role == wanted:
                    return c
        return self.classes[0]

    def normalise(self, raw: str) -> str | None:
        """Map a class as written in a report to a taxonomy name, or None when it names no class.

        Accepts any case, spaces or hyphens for underscores, trailing qualifiers
        (`AMBIGUOUS_TASK (infrastructure)`, `MODEL_FAULT (not analyzed in detail)`),
        role names and common synonyms (`HARNESS_FAILURE`, `GRADER_BUG`, `TOO_STRICT`, ...).
        A class the taxonomy lacks maps through its role: an infrastructure class falls
        back to the ambiguous_task class; `AMBIGUOUS_TASK (infrastructure)` goes to an
        infrastructure class when the taxonomy has one.
        """
        text = raw.strip().strip("*_`").upper()
        head, _, qualifier = text.partition("(")
        head = re.sub(r"[\s\-]+", "_", head.strip().strip(":.,;"))
        first = re.split(r"[\s(/,:;]", text.replace("-", "_"), maxsplit=1)[0]
        for candidate in dict.fromkeys((head, first)):
            token = re.sub(r"[^A-Z0-9_]", "", candidate).strip("_")
            if not token:
                continue
            role = None
            if token in self.names:
                role = self.get(token).role  # type: ignore[union-attr]
                if not ("INFRA" in qualifier and role == "ambiguous_task"):
                    return token
            role = role or (token.lower() if token.lower() in CLASS_ROLES else CLASS_SYNONYMS.get(token))
            if role is None:
                continue
            if role == "ambiguous_task" and "INFRA" in qualifier:
                role = "infrastructure"
            for wanted in (role, "ambiguous_task") if role == "infrastructure" else (role,):
                found = next((c.name for c in self.classes if c.role == wanted), None)
                if found:
                    return found
        return None


CLASS_ROLES = ("model_fault", "overly_strict", "ambiguous_task", "known_gap", "infrastructure")
# Names other teams and older reports use for the seed's concepts (keys upper-case, underscores).
CLASS_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("MODEL_ERROR", "MODEL_FAILURE", "MODEL_BUG", "MODEL_MISTAKE", "GENUINE_FAILURE"), "model_fault"),
    **dict.fromkeys(("TOO_STRICT", "STRICT", "OVERSTRICT", "LINT_TOO_STRICT", "EVAL_TOO_STRICT"), "overly_strict"),
    **dict.fromkeys(("AMBIGUOUS", "UNCLEAR_TASK", "AMBIGUOUS_SPEC", "TASK_AMBIGUOUS"), "ambiguous_task"),
    **dict.fromkeys(("GAP", "DOCUMENTED_GAP", "KNOWN_ISSUE", "KNOWN_LIMITATION"), "known_gap"),
    **dict.fromkeys(
        (
            "INFRA", "INFRA_FAILURE", "INFRASTRUCTURE_FAILURE", "HARNESS", "HARNESS_FAILURE", "HARNESS_BUG",
            "HARNESS_ERROR", "GRADER_FAILURE", "GRADER_BUG", "GRADER_ERROR", "TEST_FAILURE", "TEST_BUG",
            "FLAKY", "FLAKE", "ENVIRONMENT", "ENVIRONMENT_FAILURE",
        ),
        "infrastructure",
    ),
}


DEFAULT_TAXONOMY = Taxonomy(
    classes=(
        TaxonomyClass(
            "MODEL_FAULT",
            "The model genuinely got it wrong.",
            role="model_fault",
        ),
        TaxonomyClass(
            "OVERLY_STRICT",
            "The eval, lint or test demands more than the task asked "
            "(e.g. a stylistic lint rule fails code whose tests all pass).",
            role="overly_strict",
            counts_as_pass=True,
            actionable=True,
        ),
        TaxonomyClass(
            "AMBIGUOUS_TASK",
            "The task is unclear and the model's reading was reasonable "
            "(infrastructure faults of the grader are reported here with an `infrastructure` tag).",
            role="ambiguous_task",
            counts_as_pass=True,
            actionable=True,
        ),
        TaxonomyClass(
            "KNOWN_GAP",
            "A documented limitation of this eval that affects all models: in the eval's "
            "GAPS.txt, or established by prior reports.",
            role="known_gap",
            counts_as_pass=True,
        ),
    )
)
