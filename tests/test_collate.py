"""Collation on hand-built verdicts: each cross-cutting pattern, the four recommendation groups, net impact."""

from __future__ import annotations

import pytest

import evalanalysis as ea
from evalanalysis.collation.collate import collate

RUN = ea.RunInfo(id="jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", model="m1", provider="acme", experiment="default")


def failure(path: str, step: str, error: str, cls: str, *evidence: ea.Evidence, tags: tuple[str, ...] = ()) -> ea.FailureAnalysis:
    category, name = path.split("/")
    verdict = ea.Verdict(cls, f"Because of {step}. More detail.", 0.8, "rules", evidence=evidence, tags=tags)
    return ea.FailureAnalysis(f"k57{abs(hash(path)) % 10**29:029d}", path, category, name, step, error, cls, verdict)


def analyse(*failures: ea.FailureAnalysis, total: int = 40) -> ea.RunAnalysis:
    summary = ea.RunSummary(RUN, total, total - len(failures), len(failures))
    return collate(summary, failures, classifier="rules", date="2026-11-25")


def patterns(analysis: ea.RunAnalysis, kind: str) -> list[ea.Pattern]:
    return [p for p in analysis.patterns if p.kind == kind]


LINT = "  3:7  error  Unexpected any. Specify a different type  @typescript-eslint/no-explicit-any"


def test_the_same_lint_rule_error_code_and_error_signature_are_patterns():
    analysis = analyse(
        failure("000-a/001-x", "eslint", LINT, "MODEL_FAULT", ea.Evidence("lint_rule", "@typescript-eslint/no-explicit-any")),
        failure("001-b/002-y", "eslint", LINT, "MODEL_FAULT"),
        failure("002-c/003-z", "tsc", "convex/a.ts(3,5): error TS2345: Argument of type 'string'", "MODEL_FAULT"),
        failure("003-d/004-w", "deploy", "convex/b.ts:9:1 - error TS2345: Argument of type 'number'", "MODEL_FAULT"),
        failure("004-e/005-v", "tests", "AssertionError: expected 3 to be 4", "MODEL_FAULT"),
        failure("005-f/006-u", "tests", "AssertionError: expected 10 to be 12", "MODEL_FAULT"),
    )
    [lint] = patterns(analysis, "lint_rule")
    assert lint.title == "Same lint rule: `@typescript-eslint/no-explicit-any` (2 failures)"
    assert lint.evals == ("000-a/001-x", "001-b/002-y")
    [code] = patterns(analysis, "error_code")
    assert code.title == "Same TypeScript error: TS2345 (2 failures)" and code.evals == ("002-c/003-z", "003-d/004-w")
    [signature] = patterns(analysis, "error_signature")
    assert signature.evals == ("004-e/005-v", "005-f/006-u")
    assert "`AssertionError: expected <n> to be <n>`" in signature.detail
    notes = [r.text for r in analysis.recommendations if r.group == "model_specific"]
    assert "This model repeatedly trips `@typescript-eslint/no-explicit-any` (2 genuine faults)." in notes


def test_one_failure_alone_makes_no_shared_pattern():
    analysis = analyse(failure("000-a/001-x", "eslint", LINT, "MODEL_FAULT"), failure("001-b/002-y", "tests", "boom", "MODEL_FAULT"))
    assert not patterns(analysis, "lint_rule") and not patterns(analysis, "error_signature")


def test_categories_gaps_infrastructure_and_lint_only_failures_are_patterns():
    analysis = analyse(
        failure("002-queries/001-a", "tests", "AssertionError: one", "MODEL_FAULT"),
        failure("002-queries/002-b", "tests", "TypeError: fetch failed", "AMBIGUOUS_TASK", tags=("infrastructure",)),
        failure("002-queries/003-c", "install", "npm error enoent", "KNOWN_GAP", ea.Evidence("gaps", "no package.json", "GAPS.txt")),
        failure("003-mutations/004-d", "eslint", "  1:1  error  x  prefer-const", "OVERLY_STRICT", tags=("tests_passed",)),
    )
    [category] = patterns(analysis, "category")
    assert category.title == "Hardest category: 002-queries (3/4 failures)"
    assert patterns(analysis, "gaps")[0].evals == ("002-queries/003-c",)
    [infra] = patterns(analysis, "infrastructure")
    assert infra.evals == ("002-queries/002-b",) and "fetch failed" in infra.detail
    assert patterns(analysis, "lint_only")[0].evals == ("003-mutations/004-d",)


def test_recommendations_fall_in_the_four_seed_groups_and_net_impact_counts_the_eval_side():
    analysis = analyse(
        failure("000-a/001-lint", "eslint", "  1:1  error  x  prefer-const", "OVERLY_STRICT"),
        failure("000-a/002-task", "tests", "AssertionError: managerId", "AMBIGUOUS_TASK"),
        failure("000-a/003-grader", "tests", "TypeError: fetch failed", "AMBIGUOUS_TASK", tags=("infrastructure",)),
        failure("000-a/004-gap", "install", "npm error enoent", "KNOWN_GAP"),
        failure("000-a/005-model", "tests", "AssertionError: NaN", "MODEL_FAULT"),
        total=10,
    )
    groups = {r.group: [] for r in analysis.recommendations}
    for r in analysis.recommendations:
        groups[r.group].append(r.text)
    assert list(groups) == ["eval_improvements", "lint_config", "no_action"]  # in the seed's order
    assert groups["lint_config"] == ['Downgrade `prefer-const` to "warn": it failed code that otherwise worked (`000-a/001-lint`).']
    assert any(t.startswith("Clarify the task of `000-a/002-task`") for t in groups["eval_improvements"])
    assert any(t.startswith("Fix the grader/harness of `000-a/003-grader`") for t in groups["eval_improvements"])
    assert any(t.startswith("`000-a/004-gap`: known gap") for t in groups["no_action"])
    assert any(t.startswith("`000-a/005-model`: genuine model fault") for t in groups["no_action"])
    impact = analysis.net_impact
    assert (impact.actionable, impact.model_faults, impact.known_gaps, impact.not_analysed) == (3, 1, 1, 0)
    assert impact.summary.endswith("would raise the pass rate from 5/10 (50.0%) to 8/10 (80.0%).")
    assert analysis.corrected_pass_rate == "9/10 (90.0%)"  # OVERLY_STRICT, AMBIGUOUS_TASK and KNOWN_GAP count as passes
    assert analysis.actions_taken == ()


MISSING_APIS = [
    ("convex/public.ts:18:12 - error TS2339: Property 'between' does not exist on type 'IndexRangeBuilder<{ _id: Id<\"t\"> }>'.",
     "`between` on `IndexRangeBuilder`"),
    ("src/App.tsx(27,51): error TS2339: Property 'isPending' does not exist on type 'ReactMutation<FunctionReference<\"mutation\">>'.",
     "`isPending` on `ReactMutation`"),
    ("error TS2551: Property 'colect' does not exist on type 'Query<any>'. Did you mean 'collect'?", "`colect` on `Query`"),
    ('✘ [ERROR] No matching export in "node_modules/convex/dist/esm/server/index.js" for import "v"', "`v` from `convex/server`"),
    ("convex/schema.ts(1,10): error TS2305: Module '\"convex/server\"' has no exported member 'v'.", "`v` from `convex/server`"),
    ("error TS2724: '\"convex/react\"' has no exported member named 'useQueries'. Did you mean 'useQuery'?",
     "`useQueries` from `convex/react`"),
]


@pytest.mark.parametrize(("error", "api"), MISSING_APIS)
def test_the_api_an_error_says_does_not_exist_is_named(error, api):
    assert ea.evidence.missing_apis(error) == [api]


@pytest.mark.parametrize(
    "error",
    [
        "error TS2339: Property 'name' does not exist on type '{ a: string; }'.",  # the model's own object type
        "error TS2339: Property 'x' does not exist on type 'never'.",  # narrowing, not an API
        "AssertionError: expected 'between' to equal 'gte'",
    ],
)
def test_errors_about_the_models_own_code_name_no_api(error):
    assert ea.evidence.missing_apis(error) == []


def test_apis_that_do_not_exist_are_one_pattern_and_a_model_note():
    analysis = analyse(
        failure("002-queries/004-range", "deploy", MISSING_APIS[0][0], "MODEL_FAULT"),
        failure("006-clients/001-mutation", "tsc", MISSING_APIS[1][0], "MODEL_FAULT"),
        failure("001-data/008-nullable", "deploy", MISSING_APIS[3][0], "MODEL_FAULT"),
        failure("001-data/009-other", "tests", "AssertionError: expected 1 to be 2", "MODEL_FAULT"),
    )
    [pattern] = patterns(analysis, "api_misuse")
    assert pattern.title == "APIs that do not exist (3 failures)"
    assert pattern.evals == ("001-data/008-nullable", "002-queries/004-range", "006-clients/001-mutation")
    assert "`v` from `convex/server` (001-data/008-nullable)" in pattern.detail
    assert "`between` on `IndexRangeBuilder` (002-queries/004-range)" in pattern.detail
    notes = [r for r in analysis.recommendations if r.group == "model_specific" and "do not exist" in r.text]
    assert len(notes) == 1 and notes[0].evals == pattern.evals


def test_the_same_api_misused_in_several_evals_is_named_in_the_title():
    analysis = analyse(
        failure("001-data/001-a", "deploy", MISSING_APIS[3][0], "MODEL_FAULT"),
        failure("001-data/002-b", "tsc", MISSING_APIS[4][0], "MODEL_FAULT"),
    )
    [pattern] = patterns(analysis, "api_misuse")
    assert pattern.title == "Same API misuse: `v` from `convex/server` (2 failures)"
    assert pattern.evals == ("001-data/001-a", "001-data/002-b")


def test_one_api_that_does_not_exist_is_no_pattern():
    analysis = analyse(failure("002-queries/004-range", "deploy", MISSING_APIS[0][0], "MODEL_FAULT"),
                       failure("000-a/001-b", "tests", "AssertionError: x", "MODEL_FAULT"))
    assert patterns(analysis, "api_misuse") == []
