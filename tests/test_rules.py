"""The offline rules classifier: each class from the signals a maintainer would use, with its evidence."""

from __future__ import annotations

import asyncio

import evalanalysis as ea

from . import bundles

GAPS = "data_modeling, literals:\n\n- For some reason, it didn't generate the \"package.json\" file or \"tsconfig.json\" file.\n"
HARNESS = ea.Taxonomy(
    (
        ea.TaxonomyClass("MODEL_FAULT", "model", "model_fault"),
        ea.TaxonomyClass("HARNESS_FAILURE", "harness", "infrastructure", True, True),
        ea.TaxonomyClass("TEST_FAILURE", "test", "overly_strict", True, True),
    )
)


def classify(entry_debug, taxonomy=ea.DEFAULT_TAXONOMY, priors=()) -> ea.Verdict:
    from evalanalysis_plugins.rules import RulesClassifier  # the plugin under test, loaded as installed

    entry, debug = entry_debug
    context = ea.FailureContext(
        failed=ea.structure_run_summary(bundles.bundle([entry_debug])["summary"]).failed_evals[0],
        detail=ea.structure_eval_detail(debug),
        taxonomy=taxonomy,
        prior_findings=tuple(priors),
        run=ea.RunInfo("jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "test-model", "acme"),
    )
    return asyncio.run(RulesClassifier().classify(context))


def kinds(verdict):
    return {(e.kind, e.detail) for e in verdict.evidence}


def test_stylistic_lint_with_passing_tests_is_overly_strict():
    v = classify(bundles.failure(1, "002-queries/014-select_distinct", "eslint",
                                 "convex/index.ts\n  14:7  error  'firstDoc' is never reassigned  prefer-const\n"))
    assert v.classification == "OVERLY_STRICT"
    assert ("lint_rule", "prefer-const") in kinds(v) and ("step_outcome", "tests passed") in kinds(v)
    assert "tests_passed" in v.tags and v.confidence >= 0.8


def test_type_safety_lint_is_the_models_fault_even_when_tests_pass():
    v = classify(bundles.failure(2, "003-mutations/005-cascade_delete_nested", "eslint",
                                 "  9:40  error  Unexpected any. Specify a different type  @typescript-eslint/no-explicit-any"))
    assert v.classification == "MODEL_FAULT"
    assert ("lint_rule", "@typescript-eslint/no-explicit-any") in kinds(v)


def test_lint_failure_with_failing_tests_is_the_models_fault():
    v = classify(bundles.failure(3, "a/b", "eslint", "  1:1  error  x  prefer-const",
                                 steps={"tests": bundles.failed("Tests: 2 failed | 1 passed (3)")}))
    assert v.classification == "MODEL_FAULT"


def test_wrong_import_at_deploy_is_the_models_fault_with_the_code():
    v = classify(bundles.failure(4, "000-fundamentals/003-crons", "deploy",
                                 "convex/crons.ts(3,10): error TS2305: Module '\"convex/server\"' has no exported member 'v'.",
                                 outputs={"convex/crons.ts": "import { cronJobs } from 'convex/server';\nimport { v } from 'convex/server';\nexport default 1;\n"},
                                 sources={"answer/convex/crons.ts": "import { cronJobs } from 'convex/server';\nimport { v } from 'convex/values';\nexport default 1;\n"}))
    assert v.classification == "MODEL_FAULT"
    assert ("error_code", "TS2305") in kinds(v)
    assert "import { v } from 'convex/server';" in v.model_snippet
    assert "import { v } from 'convex/values';" in v.expected_snippet


def test_gaps_entry_matching_the_failure_is_a_known_gap():
    v = classify(bundles.failure(5, "001-data_modeling/006-literals", "install",
                                 "npm ERR! enoent Could not read package.json: no such file 'package.json'",
                                 sources={"GAPS.txt": GAPS}))
    assert v.classification == "KNOWN_GAP"
    assert any(kind == "gaps" and "package.json" in detail for kind, detail in kinds(v))


def test_unrelated_gaps_entry_does_not_decide():
    v = classify(bundles.failure(6, "001-data_modeling/006-literals", "deploy",
                                 "convex/schema.ts(4,3): error TS2345: Argument of type 'string' is not assignable",
                                 sources={"GAPS.txt": GAPS}))
    assert v.classification == "MODEL_FAULT"


def test_connection_errors_in_tests_are_infrastructure():
    v = classify(bundles.failure(7, "000-fundamentals/002-basic_http_endpoint", "tests",
                                 "TypeError: fetch failed\n  cause: connect ECONNREFUSED 127.0.0.1:3211"))
    assert v.classification == "AMBIGUOUS_TASK" and "infrastructure" in v.tags
    assert ("infrastructure", "ECONNREFUSED") in kinds(v)


def test_a_custom_taxonomy_gets_its_own_class_names():
    v = classify(bundles.failure(8, "a/b", "tests", "TypeError: fetch failed"), taxonomy=HARNESS)
    assert v.classification == "HARNESS_FAILURE"
    v = classify(bundles.failure(9, "a/b", "eslint", "  1:1  error  x  prefer-const"), taxonomy=HARNESS)
    assert v.classification == "TEST_FAILURE"


def test_a_grader_checking_names_the_task_never_gave_is_ambiguous():
    v = classify(bundles.failure(10, "002-queries/015-pagination", "tests",
                                 "AssertionError: expected { page: [] } to deeply equal { page: [], isDone: true }\nTests: 1 failed | 5 passed (6)",
                                 task="Return a page of results."))
    assert v.classification == "AMBIGUOUS_TASK"
    assert "isDone" in v.reasoning


def test_a_grader_checking_names_the_task_gave_is_the_models_fault():
    v = classify(bundles.failure(11, "002-queries/015-pagination", "tests",
                                 "AssertionError: expected { page: [] } to deeply equal { page: [], isDone: true }\nTests: 1 failed | 5 passed (6)",
                                 task="Return { page, isDone } from the query."))
    assert v.classification == "MODEL_FAULT"
    assert "5/6 tests passed" in v.reasoning


def test_an_earlier_known_gap_for_this_eval_is_strong_evidence():
    prior = ea.PriorFinding("reports/acme/other/jn7x_2026-01-01.md", "jn7x", "2026-01-01", "acme", "other",
                            "a/b", "KNOWN_GAP", "KNOWN_GAP")
    v = classify(bundles.failure(12, "a/b", "tests", "AssertionError: expected 1 to be 2"), priors=[prior])
    assert v.classification == "KNOWN_GAP"
    assert any(kind == "prior_report" for kind, _ in kinds(v))
