"""What an LLM must answer, as JSON schemas, and the validation of its answers into the data model.

The schemas are strict-mode compatible (every property required, nullable
where optional, no extra keys), so the same schema serves Anthropic tool use
and OpenAI structured output. Validation never trusts the provider to have
enforced them: an OpenAI-compatible server may not.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from attrs import frozen

from ..model import RECOMMENDATION_GROUPS, Evidence, Pattern, Recommendation, Taxonomy, Verdict
from .prompt import EVIDENCE_KINDS

MAX_SNIPPET = 2000
MAX_TEXT = 2000
MAX_TAGS = 8
MAX_PATTERNS = 12
MAX_RECOMMENDATIONS = 24


class AnswerError(ValueError):
    """An LLM answer that does not fit the schema; the message is quoted back to the model on retry.

    A provider's `complete()` may also return one in place of the answer to say why there is none
    (cut off at the output limit, refused): it is then handled like any invalid answer.
    """


class CutOff(AnswerError):
    """The answer stopped at the output limit: a setting to raise, so a fallback for it is not cached."""


@frozen
class AnswerSchema:
    """A named JSON schema: the forced tool of Anthropic, the `json_schema` format of OpenAI."""

    name: str
    description: str
    schema: Mapping[str, Any]


def _nullable(kind: str, description: str) -> dict[str, Any]:
    return {"type": [kind, "null"], "description": description}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def verdict_schema(taxonomy: Taxonomy, name: str = "record_verdict") -> AnswerSchema:
    """The schema of one classification; its class enum is exactly the taxonomy's names."""
    evidence = _object(
        {
            "kind": {"type": "string", "enum": list(EVIDENCE_KINDS)},
            "detail": {"type": "string", "description": "The fact, e.g. the GAPS.txt entry or the lint rule."},
            "source": _nullable("string", "Where it comes from: a file, rule, report or step."),
        }
    )
    return AnswerSchema(
        name=name,
        description="Record the classification of the failed eval, with reasoning and evidence.",
        schema=_object(
            {
                "classification": {"type": "string", "enum": list(taxonomy.names)},
                "reasoning": {"type": "string", "description": "2-3 sentences citing the deciding evidence."},
                "error_summary": {"type": "string", "description": "The error in one line."},
                "model_snippet": _nullable("string", "The model's relevant code, a few lines."),
                "expected_snippet": _nullable("string", "What the answer or task expects instead."),
                "confidence": {"type": "number", "description": "Confidence in the classification, 0 to 1."},
                "evidence": {"type": "array", "items": evidence},
                "tags": {"type": "array", "items": {"type": "string"}},
            }
        ),
    )


def synthesis_schema(name: str = "record_synthesis") -> AnswerSchema:
    """The schema of a run's synthesis: cross-cutting patterns and grouped recommendations."""
    groups = [key for key, _ in RECOMMENDATION_GROUPS]
    evals = {"type": "array", "items": {"type": "string"}, "description": "Exact eval paths (category/name)."}
    return AnswerSchema(
        name=name,
        description="Record the cross-cutting patterns and the recommendations for this run.",
        schema=_object(
            {
                "patterns": {
                    "type": "array",
                    "items": _object(
                        {
                            "kind": {"type": "string", "description": "e.g. root_cause, api_misuse, hard_category, documented, recurring."},
                            "title": {"type": "string"},
                            "detail": {"type": "string"},
                            "evals": evals,
                        }
                    ),
                },
                "recommendations": {
                    "type": "array",
                    "items": _object({"group": {"type": "string", "enum": groups}, "text": {"type": "string"}, "evals": evals}),
                },
            }
        ),
    )


def decode(raw: Any) -> dict[str, Any]:
    """The answer as a JSON object: a tool input as is, text parsed.

    Text may wrap the object in a code fence or in prose (a local model's preamble
    or `<think>` notes): when the whole text is not JSON, the fenced block is
    tried, else the last JSON object standing in the text.
    """
    if isinstance(raw, AnswerError):
        raise raw
    if isinstance(raw, Mapping):
        return dict(raw)
    if not isinstance(raw, str):
        raise AnswerError(f"the answer is a {type(raw).__name__}, not a JSON object")
    text = raw.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)\s*```", text, re.S)
    for candidate in (text, fenced.group(1) if fenced else ""):
        try:
            value = json.loads(candidate)
            break
        except (ValueError, RecursionError):  # nesting deep enough to exhaust the stack is not an answer either
            continue
    else:
        value = _last_object(text)
        if value is None:
            shown = text[:120] + ("..." if len(text) > 120 else "")
            raise AnswerError(f"the answer is not JSON: {shown!r}")
    if not isinstance(value, dict):
        raise AnswerError(f"the answer is JSON {type(value).__name__}, not an object")
    return value


def _last_object(text: str) -> dict[str, Any] | None:
    """The last top-level JSON object in `text` (an answer after a model's notes), or None."""
    decoder, found, start = json.JSONDecoder(), None, text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found = value
        start = text.find("{", end)
    return found


def _string(data: Mapping[str, Any], key: str, *, required: bool = True, limit: int = MAX_TEXT, where: str = "") -> str | None:
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if value is None:
        if required:
            raise AnswerError(f"'{name}' is missing")
        return None
    if not isinstance(value, str):
        raise AnswerError(f"'{name}' must be a string, got {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise AnswerError(f"'{name}' is empty")
    return value[:limit] or None


def _list(data: Mapping[str, Any], key: str, where: str = "") -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise AnswerError(f"'{f'{where}.{key}' if where else key}' must be a list, got {type(value).__name__}")
    return value


def parse_verdict(raw: Any, taxonomy: Taxonomy, classifier: str) -> Verdict:
    """A validated `Verdict` from an LLM answer; `AnswerError` saying what is wrong otherwise."""
    data = decode(raw)
    cls = data.get("classification")
    if cls is None:
        raise AnswerError(f"'classification' is missing; it must be one of {', '.join(taxonomy.names)}")
    name = _class_name(cls, taxonomy)
    if name is None:
        raise AnswerError(f"'classification' is {str(cls)[:80]!r}, which is not one of {', '.join(taxonomy.names)}")
    confidence = data.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise AnswerError("'confidence' must be a number from 0 to 1")
    if not 0 <= confidence <= 1:
        raise AnswerError(f"'confidence' is {confidence}, outside 0 to 1")
    evidence = []
    for i, item in enumerate(_list(data, "evidence")):
        if not isinstance(item, Mapping):
            raise AnswerError(f"'evidence[{i}]' must be an object with kind, detail and source")
        where = f"evidence[{i}]"
        kind = _string(item, "kind", limit=40, where=where)
        detail = _string(item, "detail", where=where)
        source = _string(item, "source", required=False, limit=300, where=where)
        evidence.append(Evidence(kind if kind in EVIDENCE_KINDS else "other", detail or "", source))
    tags = []
    for tag in _list(data, "tags"):
        if not isinstance(tag, str):
            raise AnswerError("'tags' must be a list of strings")
        cleaned = re.sub(r"[^a-z0-9_-]+", "_", tag.strip().lower()).strip("_")[:40]
        if cleaned:
            tags.append(cleaned)
    return Verdict(
        classification=name,
        reasoning=_string(data, "reasoning") or "",
        confidence=round(float(confidence), 3),
        classifier=classifier,
        error_summary=_string(data, "error_summary", required=False, limit=300),
        model_snippet=_string(data, "model_snippet", required=False, limit=MAX_SNIPPET),
        expected_snippet=_string(data, "expected_snippet", required=False, limit=MAX_SNIPPET),
        evidence=tuple(evidence),
        tags=tuple(dict.fromkeys(tags))[:MAX_TAGS],
    )


def _class_name(value: Any, taxonomy: Taxonomy) -> str | None:
    """The taxonomy's name for `value`, which may differ in case, spaces or hyphens ("model fault")."""
    if not isinstance(value, str):
        return None
    wanted = re.sub(r"[\s-]+", "_", value.strip()).upper()
    matches = [name for name in taxonomy.names if name.upper() == wanted]
    return matches[0] if len(matches) == 1 else None


def parse_synthesis(raw: Any, eval_paths: set[str]) -> tuple[tuple[Pattern, ...], tuple[Recommendation, ...]]:
    """Validated LLM patterns and recommendations (`source="llm"`); `AnswerError` otherwise."""
    data = decode(raw)
    if "patterns" not in data and "recommendations" not in data:
        raise AnswerError("the answer has neither 'patterns' nor 'recommendations'")
    groups = {key for key, _ in RECOMMENDATION_GROUPS}

    def evals_of(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
        paths = _list(item, "evals", where)
        unknown = [p for p in paths if not isinstance(p, str) or p not in eval_paths]
        if unknown:
            raise AnswerError(f"'{where}' names evals that are not failures of this run: {', '.join(map(str, unknown[:3]))}")
        return tuple(dict.fromkeys(paths))

    patterns = []
    for i, item in enumerate(_list(data, "patterns")[:MAX_PATTERNS]):
        where = f"patterns[{i}]"
        if not isinstance(item, Mapping):
            raise AnswerError(f"'{where}' must be an object")
        kind = re.sub(r"[^a-z0-9_]+", "_", (_string(item, "kind", limit=40, where=where) or "").lower()).strip("_")
        title = _string(item, "title", limit=200, where=where) or ""
        detail = _string(item, "detail", where=where) or ""
        patterns.append(Pattern(kind or "synthesis", title, detail, evals_of(item, where), source="llm"))
    recommendations = []
    for i, item in enumerate(_list(data, "recommendations")[:MAX_RECOMMENDATIONS]):
        where = f"recommendations[{i}]"
        if not isinstance(item, Mapping):
            raise AnswerError(f"'{where}' must be an object")
        group = item.get("group")
        if not isinstance(group, str) or group not in groups:  # a dict or list is not hashable, let alone a group
            raise AnswerError(f"'{where}.group' is {str(group)[:60]!r}, not one of {', '.join(sorted(groups))}")
        text = _string(item, "text", where=where) or ""
        recommendations.append(Recommendation(group, text, evals_of(item, where), source="llm"))
    return tuple(patterns), tuple(recommendations)
