"""The one place cattrs converters are built.

- `wire`: structures Convex payloads (camelCase keys, `_id`, every number a JSON
  float) into the wire classes of `evalanalysis.model`. Unknown keys are
  ignored: the backend may add fields.
- `report`: (un)structures `RunAnalysis` and friends as snake_case JSON, so a
  JSON report loads back into the same objects.
- `strict`: structures configuration, rejecting unknown keys.

Errors become `BadInput` with one message per bad field carrying its path
(`... @ $.failedEvals[3].failedStep`).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from . import model
from .errors import BadInput

T = TypeVar("T")

WIRE_CLASSES = (
    model.RunStatus,
    model.RunInfo,
    model.FailedStep,
    model.FailedEval,
    model.RunSummary,
    model.StepStatus,
    model.Step,
    model.EvalStatus,
    model.EvalInfo,
    model.DebugRunInfo,
    model.EvalDetail,
)

# Where the Convex name is not the camelCase of ours.
_WIRE_RENAMES = {"id": "_id"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _structure_int(value: Any, _: type) -> int:
    # Convex sends every number as a float (66.0); a fractional count is a real error.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected an integer, got {value!r}")
    return int(value)


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _structure_str(value: Any, _: type) -> str:
    # cattrs would turn None or 3 into "None" or "3"; untrusted payloads must not pass that way.
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {type(value).__name__}")
    return value


def _base_converter(forbid_extra_keys: bool = False) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    return conv


def make_wire_converter() -> cattrs.Converter:
    """A converter for Convex payloads: camelCase and `_id` keys, float counts."""
    conv = _base_converter()
    for cls in WIRE_CLASSES:
        renames = {
            a.name: override(rename=_WIRE_RENAMES.get(a.name, _camel(a.name))) for a in attrs.fields(cls)
        }
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv, **renames))
    return conv


def make_report_converter() -> cattrs.Converter:
    """A converter for our own JSON: snake_case, tuples as lists."""
    return _base_converter()


def make_strict_converter() -> cattrs.Converter:
    """A converter for configuration: unknown keys are errors."""
    return _base_converter(forbid_extra_keys=True)


wire = make_wire_converter()
report = make_report_converter()
strict = make_strict_converter()


def error_messages(exc: BaseException, path: str = "$", wire_names: bool = False) -> list[str]:
    """Every field error of a cattrs failure, each ending with its `@ $.path`.

    With `wire_names`, path segments are spelled as in the Convex payload.
    """
    messages = cattrs.transform_error(exc, path=path)
    if not wire_names:
        return messages

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        return "." + _WIRE_RENAMES.get(name, _camel(name))

    renamed = []
    for msg in messages:
        text, sep, where = msg.rpartition(" @ ")
        renamed.append(text + sep + re.sub(r"\.([a-z_]+)", rename, where) if sep else msg)
    return renamed


def structure(conv: cattrs.Converter, data: Any, cls: type[T], what: str) -> T:
    """Structure `data` as `cls`, turning any failure into one readable `BadInput`."""
    if attrs.has(cls) and not isinstance(data, dict):
        raise BadInput(f"{what} is malformed: expected a JSON object, got {type(data).__name__}")
    try:
        return conv.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        messages = error_messages(exc, wire_names=conv is wire)
        shown = "; ".join(messages[:3]) + (f"; and {len(messages) - 3} more" if len(messages) > 3 else "")
        raise BadInput(f"{what} is malformed: {shown}") from exc


def structure_run_summary(data: Any) -> model.RunSummary:
    """A `getFailedEvalsForRun` value as a `RunSummary`."""
    return structure(wire, data, model.RunSummary, "failure summary")


def structure_eval_detail(data: Any) -> model.EvalDetail:
    """A `getEvalDebugInfo` value (not its `{error}` form) as an `EvalDetail`."""
    return structure(wire, data, model.EvalDetail, "eval debug info")


def unstructure_wire(obj: Any) -> Any:
    """A wire object back to the Convex JSON shape (camelCase, `_id`), for bundles."""
    if attrs.has(type(obj)):
        out = {}
        for a in attrs.fields(type(obj)):
            value = getattr(obj, a.name)
            out[_WIRE_RENAMES.get(a.name, _camel(a.name))] = unstructure_wire(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [unstructure_wire(v) for v in obj]
    if isinstance(obj, dict):
        return {k: unstructure_wire(v) for k, v in obj.items()}
    return obj


def analysis_to_json(analysis: model.RunAnalysis) -> dict[str, Any]:
    """`RunAnalysis` as plain JSON data (the JSON report's content)."""
    return report.unstructure(analysis)


def analysis_from_json(data: Any) -> model.RunAnalysis:
    """A JSON report's data back into a `RunAnalysis`."""
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("evalanalysis.analysis/"):
        raise BadInput("not an evalanalysis JSON report (missing 'schema': 'evalanalysis.analysis/1')")
    return structure(report, data, model.RunAnalysis, "JSON report")
