"""Evidence: the facts read off a failure's text and files, shared by every classifier.

Pure functions, so the rules classifier, the LLM prompt builder and collation
read a failure the same way. This package is public plugin API (docs/plugins.md):
import it as `from evalanalysis import evidence` and call `evidence.lint_rules(...)`.
Each part reads one thing:

- `errortext`: a step's error text (its telling line, signature, infrastructure trouble)
- `lint`: ESLint output (rules and their families)
- `typescript`: compiler and bundler errors (TS codes, APIs that do not exist)
- `testlog`: the grader's test output (counts, failed tests, spec comparisons)
- `files`: the model's files beside the reference answer
- `fingerprint`: what makes two failures the same failure across runs (step plus normalised error)
- `gaps`: an eval's GAPS.txt, and which entries match an error
- `priors`: whether an earlier report's finding is about the same error as this failure
- `injection`: text in the evidence aimed at the grader (used by the pipeline on every verdict)
"""

from __future__ import annotations

from .errortext import (
    INFRASTRUCTURE_SIGNATURES,
    PIPELINE_STEPS,
    error_core,
    error_signature,
    has_diagnostic,
    infrastructure_signals,
    mentions_timeout,
    one_line,
    step_outcomes,
)
from .files import (
    SOURCE_SUFFIXES,
    answer_path_for,
    changed_lines,
    files_named_in,
    line_numbers_named,
    matches_answer,
    paired_files,
    pointed_lines,
    snippet_around,
    unified_diff,
)
from .fingerprint import Fingerprint, error_fingerprint, normalise_error
from .gaps import GapMatch, code_quotes, concept_words, is_open, match_gaps, parse_gaps, significant_words
from .priors import note_describes
from .lint import STYLISTIC_RULES, TYPE_SAFETY_RULES, lint_rules, rule_base, rule_family
from .testlog import SPEC_FORMAT_WORDS, TestCounts, expected_side, failed_tests, is_spec_comparison, spec_values, test_counts
from .typescript import missing_apis, ts_error_codes

__all__ = [
    "INFRASTRUCTURE_SIGNATURES",
    "PIPELINE_STEPS",
    "SOURCE_SUFFIXES",
    "SPEC_FORMAT_WORDS",
    "STYLISTIC_RULES",
    "TYPE_SAFETY_RULES",
    "Fingerprint",
    "GapMatch",
    "TestCounts",
    "answer_path_for",
    "changed_lines",
    "code_quotes",
    "concept_words",
    "error_core",
    "error_fingerprint",
    "error_signature",
    "expected_side",
    "failed_tests",
    "files_named_in",
    "has_diagnostic",
    "infrastructure_signals",
    "is_open",
    "is_spec_comparison",
    "line_numbers_named",
    "lint_rules",
    "match_gaps",
    "matches_answer",
    "normalise_error",
    "note_describes",
    "mentions_timeout",
    "missing_apis",
    "one_line",
    "paired_files",
    "parse_gaps",
    "pointed_lines",
    "rule_base",
    "rule_family",
    "significant_words",
    "snippet_around",
    "spec_values",
    "step_outcomes",
    "test_counts",
    "ts_error_codes",
    "unified_diff",
]
