"""What the grader's test output says: counts, the failed tests, and the expected side of a
schema or function-spec comparison."""

from __future__ import annotations

import re

from attrs import frozen

_TESTS_VITEST = re.compile(r"Tests?:?\s+(?:(\d+)\s+failed)?(?:\s*\|\s*)?(?:(\d+)\s+passed)?\s*\((\d+)\)")


@frozen
class TestCounts:
    failed: int
    passed: int
    total: int


def test_counts(text: str) -> TestCounts | None:
    """Failed/passed/total from a vitest-style `Tests: 3 failed | 5 passed (8)` line."""
    for m in _TESTS_VITEST.finditer(text):
        failed, passed, total = (int(g) if g else 0 for g in m.groups())
        if total and (failed or passed):
            return TestCounts(failed, passed or max(total - failed, 0), total)
    return None


_FAILED_TEST = re.compile(r"^\s*FAIL\s+\S+\s+>\s+(.+?)\s*$", re.M)
_SPEC_TEST = re.compile(r"^compare (?:schema|function spec)$", re.I)
# Keys and type names of the grader's schema/function-spec JSON: structure, not names a task gives.
SPEC_FORMAT_WORDS = frozenset(
    """type value values keys fieldType fieldName optional tables tableName indexes indexDescriptor fields
    searchIndexes vectorIndexes documentType schemaValidation args returns functionType identifier visibility
    kind public internal Query Mutation Action HttpAction object array record union literal id string number
    float64 int64 boolean bytes null any""".split()
)


def failed_tests(text: str) -> list[str]:
    """Names of the failed tests in vitest output, in order."""
    return list(dict.fromkeys(_FAILED_TEST.findall(text)))


def is_spec_comparison(test_name: str) -> bool:
    """True for the graders' schema and function-spec comparisons (`compare schema`, `compare function spec`)."""
    return _SPEC_TEST.match(test_name.strip()) is not None


def expected_side(text: str) -> str:
    """The expected side of the assertion diffs in vitest output: the `-` lines after `- Expected`."""
    lines, inside = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "- Expected":
            inside = True
            continue
        if inside and (stripped.startswith("❯") or stripped.startswith("FAIL") or stripped.startswith("⎯")):
            inside = False
        if inside and stripped.startswith("-") and stripped != "- Expected":
            lines.append(stripped[1:].strip())
    return "\n".join(lines)


def spec_values(diff_side: str) -> list[str]:
    """Quoted names and values in a schema/spec diff, without the format's own keys and type names."""
    quoted = re.findall(r'"([^"\n]{1,80})"', diff_side)
    return [q for q in dict.fromkeys(quoted) if q not in SPEC_FORMAT_WORDS]
