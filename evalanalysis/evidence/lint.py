"""What ESLint output says: the rules that fired and the family each belongs to (stylistic,
type safety, Convex's own)."""

from __future__ import annotations

import re

# Lint rules whose failure says nothing about whether the code works.
STYLISTIC_RULES = frozenset(
    {
        "prefer-const",
        "explicit-function-return-type",
        "explicit-module-boundary-types",
        "no-inferrable-types",
        "array-type",
        "consistent-type-definitions",
        "consistent-type-imports",
        "consistent-indexed-object-style",
        "prefer-template",
        "prefer-arrow-callback",
        "object-shorthand",
        "no-useless-rename",
        "no-useless-return",
        "no-else-return",
        "no-unused-vars",
        "no-empty-function",
        "no-unnecessary-type-assertion",
        "require-await",
        "no-empty-interface",
        "no-empty-object-type",
        "ban-ts-comment",
        "prefer-nullish-coalescing",
        "prefer-optional-chain",
        "sort-imports",
        "quotes",
        "semi",
        "eqeqeq",
        "no-var",
        "curly",
        "dot-notation",
    }
)
# Lint rules that catch real type-safety or correctness mistakes.
TYPE_SAFETY_RULES = frozenset(
    {
        "no-explicit-any",
        "no-unsafe-argument",
        "no-unsafe-assignment",
        "no-unsafe-call",
        "no-unsafe-member-access",
        "no-unsafe-return",
        "no-floating-promises",
        "no-misused-promises",
        "await-thenable",
        "restrict-template-expressions",
        "restrict-plus-operands",
        "no-unused-expressions",
        "no-non-null-assertion",
        "no-base-to-string",
        "unbound-method",
    }
)

_ESLINT_LINE = re.compile(r"^\s*\d+:\d+\s+(?:error|warning)\s+.*?\s(@?[a-z][\w-]*(?:/[\w-]+)*)\s*$", re.M)
_SCOPED_RULE = re.compile(r"(?<![\w/])(@[a-z][\w-]*/[a-z][\w-]*)")


def lint_rules(text: str) -> list[str]:
    """ESLint rule ids named in `text`, in order of appearance, without duplicates."""
    found = [m.group(1) for m in _ESLINT_LINE.finditer(text)] + _SCOPED_RULE.findall(text)
    return list(dict.fromkeys(r for r in found if not r.startswith("@types/")))


def rule_base(rule: str) -> str:
    """`@typescript-eslint/no-explicit-any` -> `no-explicit-any`."""
    return rule.rsplit("/", 1)[-1]


def rule_family(rule: str) -> str:
    """`stylistic`, `type_safety`, `convex` (Convex's own best-practice rules) or `other`."""
    if rule.startswith("@convex-dev/"):
        return "convex"
    base = rule_base(rule)
    if base in STYLISTIC_RULES:
        return "stylistic"
    if base in TYPE_SAFETY_RULES or base.startswith("no-unsafe-"):
        return "type_safety"
    return "other"
