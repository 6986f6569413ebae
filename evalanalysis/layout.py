"""The markdown report layout (SPEC section 7): the headings and labels the `markdown` reporter
writes and the history reader recognises when it reads our own reports back.

One module for both, so a wording changed for the reader cannot silently stop
the next analysis from finding this one's findings. The reader also reads
hand-written reports in many other wordings; these are the ones it must never
miss. `tests/test_history.py` renders a report and reads it back field by field.
"""

from __future__ import annotations

# `# Run analysis: <model>`
TITLE = "Run analysis"

# `## ...` sections, in the order the report has them.
FAILURE_SUMMARY = "Failure summary"
ACROSS_RUNS = "Across runs"  # only in a report over several runs: each eval's failures in k of N runs
CLASSIFICATION_TABLE = "Classification table"
PER_FAILURE = "Per-failure analysis"
PATTERNS = "Cross-cutting patterns"
RECOMMENDATIONS = "Recommendations"
NET_IMPACT = "Net impact"
ACTIONS_TAKEN = "Actions taken"

# `- **Label**: value` lines of the metadata list, with the history field each one is read as.
RUN_ID = "Run ID"
RUN_IDS = "Run IDs"  # a report over several runs: every id quoted, comma-separated
MODEL = "Model"
PROVIDER = "Provider"
EXPERIMENT = "Experiment"
DATE = "Date"
PASS_RATE = "Pass rate"
CORRECTED_PASS_RATE = "Corrected pass rate"
METADATA_FIELDS = {RUN_ID: "run", RUN_IDS: "run", MODEL: "model", PROVIDER: "provider", EXPERIMENT: "experiment", DATE: "date",
                   PASS_RATE: "pass_rate", CORRECTED_PASS_RATE: "corrected_pass_rate"}

# `- **Label**: value` lines under each `### <n>. <category>/<name> -- <step>` failure heading.
FAILURE_SEPARATOR = " -- "
CLASSIFICATION = "Classification"
FAILED_STEP = "Failed step"
ERROR = "Error"
REASON = "Reason"  # why a failure was not analysed
REPEAT = "Repeat"
REASONING = "Reasoning"
RUNS_FAILED = "Runs failed"  # a report over several runs: `2/3 (flaky): id, id`
FAILURE_FIELDS = {CLASSIFICATION: "class", FAILED_STEP: "step", ERROR: "error", REASON: "reasoning",
                  REPEAT: "repeat", REASONING: "reasoning"}

# The repeat line's text: `- **Repeat**: same eval failed in run <id> (<date>), classified <class>`.
REPEAT_PHRASE = "same eval failed in run"


# A class a maintainer corrected (`evalanalysis actions --reclassify`), as the classification table and a
# failure's Classification field show it: `OVERLY_STRICT (corrected from MODEL_FAULT)`. The reader takes
# the class before the parenthesis (taxonomies read qualifiers that way) and the original from inside it.
CORRECTED_FROM = "corrected from"

# The "Actions taken" entry that records a correction (its date prefix added as for any action):
# `2026-12-07: Reclassified `002-queries/014-x` from MODEL_FAULT to OVERLY_STRICT: <reason>`.
RECLASSIFIED = "Reclassified"


def corrected_class(classification: str, original: str) -> str:
    """A corrected class as the table and the Classification field show it."""
    return f"{classification} ({CORRECTED_FROM} {original})"


def failure_heading(index: int, eval_path: str, step: str) -> str:
    """The `###` heading of one failure (its parts already escaped for markdown)."""
    return f"### {index}. {eval_path}{FAILURE_SEPARATOR}{step}"


def repeat_text(run_id: str, date: str, classification: str) -> str:
    """The value of a failure's `Repeat` field (its parts already escaped)."""
    return f"{REPEAT_PHRASE} {run_id} ({date}), classified {classification}"


__all__ = [
    "ACROSS_RUNS",
    "ACTIONS_TAKEN",
    "CLASSIFICATION",
    "CLASSIFICATION_TABLE",
    "CORRECTED_FROM",
    "CORRECTED_PASS_RATE",
    "DATE",
    "ERROR",
    "EXPERIMENT",
    "FAILED_STEP",
    "FAILURE_FIELDS",
    "FAILURE_SEPARATOR",
    "FAILURE_SUMMARY",
    "METADATA_FIELDS",
    "MODEL",
    "NET_IMPACT",
    "PASS_RATE",
    "PATTERNS",
    "PER_FAILURE",
    "PROVIDER",
    "REASON",
    "REASONING",
    "RECLASSIFIED",
    "RECOMMENDATIONS",
    "REPEAT",
    "REPEAT_PHRASE",
    "RUN_ID",
    "RUN_IDS",
    "RUNS_FAILED",
    "TITLE",
    "corrected_class",
    "failure_heading",
    "repeat_text",
]
