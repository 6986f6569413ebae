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


def classify(entry_debug, taxonomy=ea.DEFAULT_TAXONOMY, priors=(), actions=(), date=None) -> ea.Verdict:
    from evalanalysis_plugins.rules import RulesClassifier  # the plugin under test, loaded as installed

    entry, debug = entry_debug
    context = ea.FailureContext(
        failed=ea.structure_run_summary(bundles.bundle([entry_debug])["summary"]).failed_evals[0],
        detail=ea.structure_eval_detail(debug),
        taxonomy=taxonomy,
        prior_findings=tuple(priors),
        run=ea.RunInfo("jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "test-model", "acme"),
        actions=tuple(actions),
        date=date,
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


def test_an_earlier_known_gap_that_does_not_say_which_error_is_weighed_against_the_step_and_asks_for_review():
    prior = ea.PriorFinding("reports/acme/other/jn7x_2026-01-01.md", "jn7x", "2026-01-01", "acme", "other",
                            "a/b", "KNOWN_GAP", "KNOWN_GAP")
    v = classify(bundles.failure(12, "a/b", "tests", "AssertionError: expected 1 to be 2"), priors=[prior])
    assert v.classification == "MODEL_FAULT" and v.needs_review and v.confidence <= 0.4
    assert v.review_reason == "earlier reports point to KNOWN_GAP instead"
    assert any(kind == "prior_report" and "does not say which error" in text for kind, text in kinds(v))


PAGINATION_ERROR = "convex/index.ts:21:3 - error TS2322: Type 'null' is not assignable; `splitCursor` must be optional"


def test_an_earlier_known_gap_whose_note_describes_this_error_is_a_known_gap():
    prior = ea.PriorFinding("reports/acme/other/jn7x_2026-01-01.md", "jn7x", "2026-01-01", "acme", "other",
                            "a/b", "KNOWN_GAP", "KNOWN_GAP", failed_step="deploy",
                            note="The `splitCursor` validator is not optional; GAPS.txt documents pagination validators.")
    v = classify(bundles.failure(12, "a/b", "deploy", PAGINATION_ERROR), priors=[prior])
    assert v.classification == "KNOWN_GAP" and v.decided_by == "earlier reports' verdicts on this eval"
    assert any(kind == "prior_report" and "describes this error" in text for kind, text in kinds(v))
    assert "describes this same error" in v.reasoning


def test_an_earlier_known_gap_about_a_different_error_does_not_count():
    prior = ea.PriorFinding("reports/acme/other/jn7x_2026-01-01.md", "jn7x", "2026-01-01", "acme", "other",
                            "a/b", "KNOWN_GAP", "KNOWN_GAP", failed_step="deploy",
                            note='Used `runtime: "node"` instead of the `"use node"` directive (documented gap).')
    v = classify(bundles.failure(12, "a/b", "deploy", PAGINATION_ERROR), priors=[prior])
    assert v.classification == "MODEL_FAULT" and not v.needs_review and v.decided_by == "the deploy step's own output"
    assert not any(kind == "prior_report" for kind, _ in kinds(v))


def test_a_repeat_after_a_recorded_fix_is_news():
    prior = ea.PriorFinding("reports/acme/m/jn7x_2026-01-01.md", "jn7x", "2026-01-01", "acme", "m",
                            "a/b", "OVERLY_STRICT", "OVERLY_STRICT", failed_step="eslint",
                            note="`prefer-const` on a let that is never reassigned")
    fix = ea.RecordedAction("Downgraded prefer-const to warn", "reports/acme/m/jn7x_2026-01-01.md", "jn7x", "2026-01-05", ("a/b",))
    v = classify(bundles.failure(12, "a/b", "eslint", "convex/index.ts\n  3:7  error  'x' is never reassigned  prefer-const"),
                 priors=[prior], actions=[fix])
    assert "after_fix" in v.tags and "a repeat after the fix is news" in v.reasoning
    assert "Downgraded prefer-const to warn" in v.reasoning


def test_several_models_failing_the_same_way_make_a_known_gap_candidate_for_review():
    error = "convex/index.ts:9:41 - error TS2339: Property 'store' does not exist on type 'StorageWriter'."
    priors = [
        ea.PriorFinding(f"reports/p/{m}/jn7{m}_2026-01-0{i}.md", f"jn7{m}", f"2026-01-0{i}", "p", m, "a/b",
                        "MODEL_FAULT", "MODEL_FAULT", failed_step="deploy",
                        note=error.replace("9:41", f"{i}:4"))
        for i, m in enumerate(["m1", "m2", "m3"], start=1)
    ]
    v = classify(bundles.failure(12, "a/b", "deploy", error), priors=priors)
    assert v.classification == "MODEL_FAULT" and v.needs_review and "known_gap_candidate" in v.tags
    assert v.review_reason.startswith("3 other models failed this eval the same way (m1, m2, m3)")


# --------------------------------------------------------------------------- signals added against the labelled set

NODE_GAPS = 'actions, node:\n\n- It thinks it needs to use NodeRuntime imported from Convex.\n- Doesn\'t know about "use node"'
NODE_CODE = 'import { action } from "./_generated/server";\nimport { createHash } from "crypto";\nexport const h = action({});\n'
NODE_BUNDLE_ERROR = (
    '✘ [ERROR] Could not resolve "crypto"\n\n    convex/index.ts:2:27:\n      2 │ import { createHash } from "crypto";\n\n'
    "It looks like you are using Node APIs from a file without the \"use node\" directive.\n"
)


def test_a_gaps_quote_in_the_error_is_a_known_gap_although_few_words_match():
    v = classify(bundles.failure(13, "004-actions/006-node", "deploy", NODE_BUNDLE_ERROR,
                                 outputs={"convex/index.ts": NODE_CODE}, sources={"GAPS.txt": NODE_GAPS}))
    assert v.classification == "KNOWN_GAP"
    assert ("gaps", 'Doesn\'t know about "use node" (quotes use node)') in kinds(v)
    assert v.decided_by == "a GAPS.txt entry matching the error"


def test_a_node_types_error_is_not_the_use_node_gap():
    error = "convex/index.ts(2,28): error TS2307: Cannot find module 'crypto' or its corresponding type declarations."
    v = classify(bundles.failure(14, "004-actions/006-node", "deploy", error,
                                 outputs={"convex/index.ts": '"use node";\n' + NODE_CODE}, sources={"GAPS.txt": NODE_GAPS}))
    assert v.classification == "MODEL_FAULT"


def test_resolved_and_guideline_entries_document_no_open_gap():
    gaps = ("queries, async_iterator_filter:\n\n- covered by guideline: iterate queries with `for await (const row of query)` "
            "directly; do not use `.iter()`.\n- (resolved) The `.iter()` lint rule was removed.\n")
    error = "convex/index.ts(9,52): error TS2339: Property 'iter' does not exist on type 'QueryInitializer<...>'.\n"
    v = classify(bundles.failure(15, "002-queries/013-async_iterator_filter", "deploy", error,
                                 outputs={"convex/index.ts": "\n" * 8 + 'for await (const t of ctx.db.query("teams").iter()) {}\n'},
                                 sources={"GAPS.txt": gaps}))
    assert v.classification == "MODEL_FAULT" and not any(kind == "gaps" for kind, _ in kinds(v))


def test_a_gap_about_the_wrong_call_does_not_match_code_making_the_right_one():
    gaps = "actions, x:\n\n- Struggling with api.saveFetchResult instead of api.index.saveFetchResult.\n"
    code = "const a = 1;\nawait ctx.runMutation(api.index.saveFetchResult, { data });\n"
    error = "convex/index.ts\n  2:50  error  Unsafe assignment of an `any` value  @typescript-eslint/no-unsafe-assignment\n"
    v = classify(bundles.failure(16, "004-actions/002-run_query_mutation", "eslint", error,
                                 outputs={"convex/index.ts": code}, sources={"GAPS.txt": gaps}))
    assert v.classification == "MODEL_FAULT"


def test_an_error_signature_stands_for_the_words_a_gap_uses():
    gaps = "mutations, no_storage:\n\n- Trying to store a file from a mutation\n"
    error = "convex/index.ts:2:41 - error TS2339: Property 'store' does not exist on type 'StorageWriter'.\n"
    v = classify(bundles.failure(17, "003-mutations/006-no_storage", "deploy", error,
                                 outputs={"convex/index.ts": "export const up = mutation({});\nawait ctx.storage.store(blob);\n"},
                                 sources={"GAPS.txt": gaps}))
    assert v.classification == "KNOWN_GAP"


ROUTING_GAPS = 'actions, http_action_routing:\n\n- It wants `path: "/api/*"` instead of `prefixPath: "/api/"`\n'
ROUTING_ANSWER = 'http.route({ pathPrefix: "/api/", method: "GET", handler: ok });\n'
ROUTING_MODEL = 'http.route({ path: "/api/*", method: "GET", handler: ok });\n'


def test_a_failed_test_is_the_gap_when_the_model_wrote_the_code_the_gap_quotes():
    v = classify(bundles.failure(18, "004-actions/007-http_action_routing", "tests",
                                 "AssertionError: expected 404 to be 200 // Object.is equality\nTests: 1 failed | 6 passed (7)",
                                 outputs={"convex/http.ts": ROUTING_MODEL},
                                 sources={"GAPS.txt": ROUTING_GAPS, "answer/convex/http.ts": ROUTING_ANSWER}))
    assert v.classification == "KNOWN_GAP" and 'path: "/api/*"' in v.reasoning


def test_a_deploy_error_of_its_own_outweighs_gap_code_elsewhere_in_the_file():
    error = ('✘ [ERROR] No matching export in "convex/_generated/server.js" for import "httpRouter"\n\n'
             "    convex/http.ts:1:9:\n")
    model = 'import { httpRouter } from "./_generated/server";\n' + ROUTING_MODEL
    v = classify(bundles.failure(19, "004-actions/007-http_action_routing", "deploy", error,
                                 outputs={"convex/http.ts": model},
                                 sources={"GAPS.txt": ROUTING_GAPS, "answer/convex/http.ts": ROUTING_ANSWER}))
    assert v.classification == "MODEL_FAULT"


def test_a_name_the_task_gives_is_no_gap_evidence_when_only_the_error_message_repeats_it():
    gaps = "queries, p:\n\n- It's trying to use `take` with `numItems` like it's an offset.\n"
    error = ("ArgumentValidationError: Object is missing the required field `paginationOpts`.\n"
             "Object: {cursor: null, numItems: 2.0}\nTests: 5 failed | 1 passed (6)")
    v = classify(bundles.failure(20, "002-queries/011-denormalize_pagination", "tests", error,
                                 task="Takes arguments `{ cursor: string | null, numItems: number }`.",
                                 outputs={"convex/index.ts": "args: { paginationOpts: paginationOptsValidator },\n"},
                                 sources={"GAPS.txt": gaps}))
    assert v.classification == "MODEL_FAULT"


MUTATION_GAPS = "clients, use_mutation:\n\n- OpenAI is just failing a maybe-dumb lint: @typescript-eslint/no-misused-promises\n"
MISUSED = "src/App.tsx\n  22:19  error  Promise-returning function provided to attribute where a void return was expected  @typescript-eslint/no-misused-promises\n"


def test_a_lint_gap_explains_the_failure_only_if_it_covers_every_failing_rule():
    alone = classify(bundles.failure(21, "006-clients/001-use_mutation", "eslint", MISUSED, sources={"GAPS.txt": MUTATION_GAPS}))
    assert alone.classification == "KNOWN_GAP"
    undef = "src/App.tsx\n  11:30  error  'React' is not defined  no-undef\n" + MISUSED
    more = classify(bundles.failure(22, "006-clients/001-use_mutation", "eslint", undef, sources={"GAPS.txt": MUTATION_GAPS}))
    assert more.classification == "MODEL_FAULT"


ANSWER_CODE = "export const f = query({ args: {}, handler: async () => null });\n"


def test_the_answer_s_own_code_failing_the_tests_is_overly_strict():
    v = classify(bundles.failure(23, "000-fundamentals/003-crons", "tests",
                                 "AssertionError: expected '[…]' to contain 'run every second'\nTests: 1 failed | 1 passed (2)",
                                 outputs={"convex/crons.ts": ANSWER_CODE, "package.json": '{"name": "mine"}'},
                                 sources={"answer/convex/crons.ts": "export const f = query({ args: {},  handler: async () => null });\n",
                                          "answer/package.json": '{"name": "convexbot"}'}))
    assert v.classification == "OVERLY_STRICT" and ("answer", "the model's source files are the answer's (whitespace aside)") in kinds(v)


def test_the_answer_s_code_failing_to_deploy_is_infrastructure_unless_a_dependency_is_missing():
    files = {"outputs": {"convex/index.ts": ANSWER_CODE, "package.json": '{"dependencies": {"convex": "1"}}'},
             "sources": {"answer/convex/index.ts": ANSWER_CODE,
                         "answer/package.json": '{"dependencies": {"convex": "1"}, "devDependencies": {"@types/node": "2"}}'}}
    error = "convex/index.ts(1,1): error TS2307: Cannot find module 'crypto' or its corresponding type declarations."
    v = classify(bundles.failure(24, "004-actions/006-node", "deploy", error, **files))
    assert v.classification == "MODEL_FAULT"  # without @types/node it is not the answer's project
    files["outputs"]["package.json"] = '{"dependencies": {"convex": "1"}, "devDependencies": {"@types/node": "3"}}'
    v = classify(bundles.failure(25, "004-actions/006-node", "deploy", error, **files))
    assert v.classification == "AMBIGUOUS_TASK" and "infrastructure" in v.tags


def test_a_deploy_log_without_any_diagnostic_asks_for_review_and_a_gaps_file_alone_is_no_known_gap():
    """Upstream's KNOWN_GAP is a limitation shown by the failure, not a GAPS.txt merely existing: an
    entry the log cannot match is named in the review reason as a possible cause, no more."""
    log = "- Preparing Convex functions...\n✖ Failed to deploy\n…(log truncated: 0 of 18,432 bytes kept)\n"
    gaps = "mutations, no_storage:\n\n- Trying to store a file from a mutation\n"
    v = classify(bundles.failure(26, "003-mutations/006-no_storage", "deploy", log, sources={"GAPS.txt": gaps}))
    assert (v.classification, v.needs_review, v.confidence) == ("MODEL_FAULT", True, 0.4)
    assert "no diagnostic" in v.review_reason and "Trying to store a file from a mutation" in v.review_reason
    v = classify(bundles.failure(27, "003-mutations/006-no_storage", "deploy", log))
    assert (v.classification, v.needs_review) == ("MODEL_FAULT", True)
    assert "GAPS.txt" not in v.review_reason


def spec_failure(expected_lines: str) -> str:
    return (" FAIL  evals/a/b/grader.test.ts > compare schema\n"
            "AssertionError: expected { tables: [ …(2) ] } to deeply equal { tables: [ …(2) ] }\n\n"
            f"- Expected\n+ Received\n\n{expected_lines}\n ❯ evals/a/b/grader.test.ts:14:3\n"
            "      Tests  1 failed | 7 passed (8)\n")


def test_a_schema_comparison_failing_over_a_name_the_task_gives_is_the_models_fault():
    v = classify(bundles.failure(28, "002-queries/021-intersection", "tests",
                                 spec_failure('-         "indexDescriptor": "by_published",\n+         "indexDescriptor": "by_author",'),
                                 task='posts: defineTable({...}).index("by_published", ["authorId", "published"])'))
    assert v.classification == "MODEL_FAULT" and "`by_published`" in v.reasoning


def test_a_spec_comparison_failing_over_what_the_task_never_asked_is_overly_strict():
    v = classify(bundles.failure(29, "006-clients/000-use_query", "tests",
                                 spec_failure('-     "returns": {\n-       "type": "array",\n-     },\n+     "returns": { "type": "any" },'),
                                 task="Uses a hook to fetch messages and renders them in a list."))
    assert v.classification == "OVERLY_STRICT" and "`returns`" in v.reasoning


def test_a_grader_calling_a_function_the_task_never_asked_for_is_overly_strict():
    error = ("Error: [CONVEX Q(index:listActivityLogs)] Server Error\n"
             "Could not find public function for 'index:listActivityLogs'. Did you forget to run `npx convex dev`?\n"
             "Tests: 1 failed | 1 passed (2)")
    v = classify(bundles.failure(30, "003-mutations/007-batch_delete_self_schedule", "tests", error,
                                 task="Create a mutation `deleteActivityLogs` that deletes all entries."))
    assert v.classification == "OVERLY_STRICT" and "`listActivityLogs`" in v.reasoning


def test_data_values_in_an_assertion_are_not_names_the_task_failed_to_give():
    error = ("AssertionError: expected [ 'alice', 'bob', 'carol' ] to deeply equal [ 'carol', 'bob', 'alice' ]\n"
             "Tests: 1 failed | 3 passed (4)")
    v = classify(bundles.failure(31, "002-queries/022-unbounded_query_no_collect", "tests", error,
                                 task="Returns audit log entries for that workspace."))
    assert v.classification == "MODEL_FAULT"


def test_websocket_reconnects_and_timeouts_are_infrastructure_and_a_bare_timeout_is_weaker():
    log = ("Error: Test timed out in 5000ms.\nTrying to execute index.js:q as Mutation, but it is defined as Query.\n"
           "WebSocket closed with code 1011: InternalServerError\nAttempting reconnect in 482.61ms\n")
    v = classify(bundles.failure(32, "000-fundamentals/000-empty_functions", "tests", log))
    assert v.classification == "AMBIGUOUS_TASK" and "infrastructure" in v.tags
    assert {("infrastructure", "websocket reconnect"), ("infrastructure", "test timeout")} <= kinds(v)
    bare = classify(bundles.failure(33, "a/b", "tests", "Error: Test timed out in 5000ms."))
    assert bare.classification == "AMBIGUOUS_TASK" and bare.confidence < v.confidence


def test_a_gap_quote_on_the_line_the_error_points_at_counts_even_if_the_task_names_it():
    gaps = "clients, p:\n\n- Neither knows what to do with the `usePaginatedQuery` hook.\n"
    app = "import x;\nconst { results } = usePaginatedQuery(api.items.list, { paginationOpts });\n"
    v = classify(bundles.failure(34, "006-clients/002-use_paginated_query", "tsc",
                                 "src/App.tsx(2,21): error TS2554: Expected 3 arguments, but got 2.",
                                 task="It should use the `usePaginatedQuery` hook.",
                                 outputs={"src/App.tsx": app}, sources={"GAPS.txt": gaps}))
    assert v.classification == "KNOWN_GAP"


def test_a_maintainers_correction_of_this_very_failure_decides_over_every_signal():
    correction = ea.Correction("MODEL_FAULT", "The grader rounds; every model fails it", "2026-12-07")
    prior = ea.PriorFinding("reports/acme/test-model/jn7aaaaa_2026-12-01.md", "jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "2026-12-01",
                            "acme", "test-model", "a/b", "KNOWN_GAP", "KNOWN_GAP (corrected from MODEL_FAULT)",
                            failed_step="tests", correction=correction)
    v = classify(bundles.failure(12, "a/b", "tests", "AssertionError: expected 1 to be 2"), priors=[prior])
    assert (v.classification, v.needs_review, v.confidence) == ("KNOWN_GAP", False, 0.95)
    assert v.decided_by == "a maintainer's correction of this failure"
    assert "corrected" in v.tags and "The grader rounds; every model fails it" in v.reasoning


def test_an_old_verdict_weighs_less_than_a_recent_one():
    old_gap = ea.PriorFinding("reports/acme/m1/jn71_2025-01-01.md", "jn71", "2025-01-01", "acme", "m1", "a/b",
                              "KNOWN_GAP", "KNOWN_GAP", failed_step="tests")
    recent_fault = ea.PriorFinding("reports/acme/m2/jn72_2026-11-01.md", "jn72", "2026-11-01", "acme", "m2", "a/b",
                                   "MODEL_FAULT", "MODEL_FAULT", failed_step="tests")
    failure = bundles.failure(12, "a/b", "tests", "AssertionError: expected 1 to be 2")
    # Undated, the two votes tie and history says nothing; dated, the recent one carries the vote and agrees.
    undated = classify(failure, priors=[old_gap, recent_fault])
    assert "history_agrees" not in undated.tags
    dated = classify(failure, priors=[old_gap, recent_fault], date="2026-12-01")
    assert dated.classification == "MODEL_FAULT" and "history_agrees" in dated.tags
    assert dated.confidence > undated.confidence


def test_age_halves_a_verdicts_weight_every_half_life():
    from evalanalysis_plugins.rules_history import HALF_LIFE_DAYS, age_factor

    assert age_factor("2026-12-01", "2026-12-01") == 1.0
    assert abs(age_factor("2026-12-01", "2026-09-02") - 0.5) < 1e-9 and HALF_LIFE_DAYS == 90
    assert age_factor(None, "2026-01-01") == age_factor("2026-12-01", "undated") == 1.0
