"""evalanalysis: triage failed LLM-eval runs.

The public API: the data model, `analyze_run` (async, pure) and `analyze`
(sync), configuration, the plugin machinery and the signal helpers plugins
build on. Plugins import only names from this package root; `signals` is the
one public module (the core's other modules are not API).

Names are imported on first use, so `import evalanalysis` (and so the
`evalanalysis` command's first moments, when a Ctrl-C must still end in a
plain `interrupted`) costs milliseconds rather than the whole library.
"""

from __future__ import annotations

import importlib
from typing import Any

# module -> the names it exports from the package root
_EXPORTS: dict[str, tuple[str, ...]] = {
    "answers": ("AnswerError", "AnswerSchema"),
    "api": ("analyze", "make_source", "write_analysis"),
    "cache": ("ResultCache",),
    "config": ("Settings", "load_config"),
    "converter": (
        "MAX_NESTING",
        "analysis_from_json",
        "analysis_to_json",
        "nesting_depth_over",
        "structure_eval_detail",
        "structure_run_summary",
        "unstructure_wire",
    ),
    "errors": (
        "BadInput",
        "ClassifierError",
        "ClassifierUnavailable",
        "ConfigError",
        "EvalAnalysisError",
        "PluginBroken",
        "PluginFailed",
        "PluginNotFound",
        "RunNotFound",
        "SourceError",
        "SourceUnavailable",
        "Unavailable",
        "UsageError",
    ),
    "history": ("model_key", "open_history", "other_models"),
    "hookspecs": ("hookimpl",),
    "facts": ("first_sentence",),
    "llm": ("DryRun", "LLMClassifier", "request_failed", "require_key", "shared_ssl_context"),
    "model": (
        "DEFAULT_TAXONOMY",
        "RECOMMENDATION_GROUPS",
        "DebugRunInfo",
        "EvalDetail",
        "EvalInfo",
        "EvalStatus",
        "Evidence",
        "FailedEval",
        "FailedStep",
        "FailureAnalysis",
        "FailureContext",
        "NetImpact",
        "Pattern",
        "PriorFinding",
        "RecordedAction",
        "Recommendation",
        "RunAnalysis",
        "RunInfo",
        "RunStatus",
        "RunSummary",
        "Step",
        "StepStatus",
        "Taxonomy",
        "TaxonomyClass",
        "Usage",
        "Verdict",
    ),
    "orchestrate": ("Progress", "analyze_run"),
    "plugins": ("BrokenPlugin", "PluginRegistry", "get_plugin_manager"),
    "prompt": ("PROMPT_VERSION", "Prompt", "build_classification_prompt", "estimate_tokens"),
    "protocols": ("ActionLog", "Classifier", "History", "PayloadSource", "Reporter", "Source", "Synthesizer"),
    "redaction": ("Redactor", "redact", "redact_data", "register_secret"),
    "reportfile": ("write_reports",),
    "retries": ("send_with_retries",),
    "runref": ("RunRef", "is_convex_id", "resolve_run"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["signals", *_HOME]


def __getattr__(name: str) -> Any:
    if name == "signals":
        return importlib.import_module(".signals", __name__)
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
