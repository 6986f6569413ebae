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

import math
import re
import typing
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.gen import make_dict_structure_fn, override
from cattrs.v import format_exception

from . import model
from .errors import BadInput

# The `format` of a run bundle (`evalanalysis snapshot`; SPEC section 4).
BUNDLE_FORMAT = "evalanalysis.bundle/1"

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


def json_type(value: Any) -> str:
    """What `value` is, in JSON's words (for messages about untrusted payloads)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# Convex numbers are float64: no count, size or setting beyond 2**53 is exact there, or meant.
MAX_INT = 2**53
# Real payloads nest under ten levels; far deeper input is hostile, and would exhaust the stack
# of whatever walks it next (cattrs, json.dumps in a snapshot, a reporter).
MAX_NESTING = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def _digits(value: int) -> str:
    return f"a {len(str(abs(value))) if value.bit_length() < 10_000 else 'many thousand'}-digit number"


def _structure_int(value: Any, _: type) -> int:
    # Convex sends every number as a float (66.0); a fractional count is a real error.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected an integer, got {json_type(value)}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected an integer, got {value!r}")
    if abs(value) > MAX_INT:
        shown = _digits(value) if isinstance(value, int) else repr(value)
        raise ValueError(f"expected an integer of at most 2**53, got {shown}")
    return int(value)


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {json_type(value)}")
    if isinstance(value, int) and abs(value) > MAX_INT:  # float() of a 400-digit integer overflows
        raise ValueError(f"expected a number of at most 2**53, got {_digits(value)}")
    if not math.isfinite(value):  # Python's json reads NaN and Infinity; no count, time or setting means them
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def _structure_str(value: Any, _: type) -> str:
    # cattrs would turn None or 3 into "None" or "3"; untrusted payloads must not pass that way.
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {json_type(value)}")
    return without_surrogates(value)


def without_surrogates(text: str) -> str:
    """`text` with every lone surrogate (JSON allows `"\\ud800"`, UTF-8 cannot hold it) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def nesting_depth_over(value: Any, limit: int = MAX_NESTING) -> bool:
    """True when lists and objects in `value` nest deeper than `limit` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, tuple)))
    return False


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {json_type(value)}")
    return value


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _strict_tuple_factory(tp: Any, conv: cattrs.Converter) -> Any:
    # cattrs turns any iterable into a tuple: a string into its characters, an object into its keys.
    items = homogenous_tuple_structure_factory(tp, conv)

    def structure_tuple(value: Any, cls: Any) -> tuple:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {json_type(value)}")
        return items(value, cls)

    return structure_tuple


def _objects_only(fn: Any) -> Any:
    """A structure hook for an attrs class that names a non-object value instead of failing inside cattrs."""

    def structure_object(value: Any, cls: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {json_type(value)}")
        return fn(value, cls)

    return structure_object


def _base_converter(forbid_extra_keys: bool = False) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple_factory)
    conv.register_structure_hook_factory(attrs.has, lambda cls, c: _objects_only(make_dict_structure_fn(cls, c)))
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
        conv.register_structure_hook(cls, _objects_only(make_dict_structure_fn(cls, conv, **renames)))
    return conv


def make_report_converter() -> cattrs.Converter:
    """A converter for our own JSON: snake_case, tuples as lists."""
    return _base_converter()


def make_strict_converter() -> cattrs.Converter:
    """A converter for configuration: unknown keys are errors."""
    return _base_converter(forbid_extra_keys=True)


# `wire`, `report` and `strict` are built on first use (a wire converter generates code for every wire
# class): a command that only reads settings builds `strict` alone, and `import` builds none.
_CONVERTERS = {"wire": make_wire_converter, "report": make_report_converter, "strict": make_strict_converter}


def __getattr__(name: str) -> Any:
    make = _CONVERTERS.get(name)
    if make is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals().setdefault(name, make())


def _converter(name: str) -> cattrs.Converter:
    """The module's converter `name`, built on first use."""
    return globals()[name] if name in globals() else __getattr__(name)


def _format_exception(exc: BaseException, tp: type | None) -> str:
    # Our hooks' messages say what was expected and what came; cattrs' default would hide the latter.
    if isinstance(exc, (TypeError, ValueError)) and str(exc).startswith("expected "):
        return str(exc)
    return format_exception(exc, tp)


def error_messages(exc: BaseException, path: str = "$", wire_names: bool = False) -> list[str]:
    """Every field error of a cattrs failure, each ending with its `@ $.path`.

    With `wire_names`, path segments are spelled as in the Convex payload.
    """
    messages = cattrs.transform_error(exc, path=path, format_exception=_format_exception)
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
        raise BadInput(f"{what} is malformed: expected an object, got {json_type(data)}")
    try:
        return conv.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        messages = error_messages(exc, wire_names=conv is globals().get("wire"))  # unbuilt, it cannot be `conv`
        shown = "; ".join(messages[:3]) + (f"; and {len(messages) - 3} more" if len(messages) > 3 else "")
        raise BadInput(f"{what} is malformed: {shown}") from exc


def structure_run_summary(data: Any) -> model.RunSummary:
    """A `getFailedEvalsForRun` value as a `RunSummary`.

    Counts that cannot be true (negative, more passed than run) and an eval
    listed twice are errors too: they would make the pass rate or the report nonsense.
    """
    summary = structure(_converter("wire"), data, model.RunSummary, "failure summary")
    problems = [
        f"expected a count of 0 or more, got {value} @ $.{name}"
        for name, value in (("totalEvals", summary.total_evals), ("passedCount", summary.passed_count),
                            ("failedCount", summary.failed_count))
        if value < 0
    ]
    if summary.passed_count > summary.total_evals >= 0:
        problems.append(f"passedCount {summary.passed_count} is more than totalEvals {summary.total_evals} @ $.passedCount")
    seen: set[str] = set()
    for i, failed in enumerate(summary.failed_evals):
        if failed.id in seen:
            problems.append(f"eval {failed.id} is listed twice @ $.failedEvals[{i}]._id")
        seen.add(failed.id)
    if problems:
        raise BadInput("failure summary is malformed: " + "; ".join(problems[:3]))
    return summary


def structure_eval_detail(data: Any) -> model.EvalDetail:
    """A `getEvalDebugInfo` value (not its `{error}` form) as an `EvalDetail`."""
    return structure(_converter("wire"), data, model.EvalDetail, "eval debug info")


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
    return _converter("report").unstructure(analysis)


def analysis_from_json(data: Any) -> model.RunAnalysis:
    """A JSON report's data back into a `RunAnalysis`."""
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("evalanalysis.analysis/"):
        raise BadInput("not an evalanalysis JSON report (missing 'schema': 'evalanalysis.analysis/1')")
    return structure(_converter("report"), data, model.RunAnalysis, "JSON report")
