"""Classifier `keyword`: the first configured pattern found in the error decides the class.

Configure it in evalanalysis.toml:

    [classifier]
    name = "keyword"

    [plugins.keyword]
    default = "MODEL_FAULT"
    rules = [
      { pattern = "fetch failed|ECONNREFUSED", classification = "AMBIGUOUS_TASK" },
      { pattern = "prefer-const", classification = "OVERLY_STRICT" },
    ]
"""

from __future__ import annotations

import re

from evalanalysis import ClassifierError, Evidence, FailureContext, Settings, Verdict, hookimpl


@hookimpl
def register_classifiers(register):
    register("keyword", KeywordClassifier.from_settings)


class KeywordClassifier:
    name = "keyword"

    def __init__(self, rules: list[tuple[re.Pattern[str], str]], default: str):
        self.rules = rules
        self.default = default

    @classmethod
    def from_settings(cls, settings: Settings) -> "KeywordClassifier":
        options = settings.plugin_options("keyword")
        taxonomy = settings.taxonomy
        rules = []
        for rule in options.get("rules", []):
            if rule.get("classification") not in taxonomy.names:
                raise ClassifierError(f"[plugins.keyword] class {rule.get('classification')!r} is not in the taxonomy")
            rules.append((re.compile(rule["pattern"], re.I), rule["classification"]))
        default = options.get("default", taxonomy.names[0])
        if default not in taxonomy.names:
            raise ClassifierError(f"[plugins.keyword] default {default!r} is not in the taxonomy")
        return cls(rules, default)

    async def classify(self, failure: FailureContext) -> Verdict:
        step = failure.failed.failed_step
        error = (step.failure_reason if step else None) or failure.failed.failure_reason or ""
        for pattern, classification in self.rules:
            if pattern.search(error):
                return Verdict(
                    classification=classification,
                    reasoning=f"The error matches the configured pattern /{pattern.pattern}/.",
                    confidence=0.9,
                    classifier=self.name,
                    evidence=(Evidence("keyword", pattern.pattern),),
                )
        return Verdict(
            classification=self.default,
            reasoning="No configured pattern matches the error.",
            confidence=0.3,
            classifier=self.name,
        )
