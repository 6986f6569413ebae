"""evalanalysis: triage failed LLM-eval runs.

The public API: the data model, `analyze_run` (async, pure) and `analyze`
(sync), configuration, the plugin machinery and the signal helpers plugins
build on. Plugins import only names from this package root; `evidence` is the
one public subpackage (the core's other modules are not API).

Names are imported on first use, so `import evalanalysis` (and so the
`evalanalysis` command's first moments, when a Ctrl-C must still end in a
plain `interrupted`) costs milliseconds rather than the whole library.
"""

from __future__ import annotations

import importlib
from typing import Any

# module -> the names it exports from the package root
_EXPORTS: dict[str, tuple[str, ...]] = {
    "llm.answers": ("AnswerError", "AnswerSchema"),
    "pipeline.api": ("analyze", "make_source", "write_analysis"),
    "pipeline.workspace": ("ReporterFailed", "Workspace"),
    "history.memory": ("HistorySnapshot",),
    "llm.cache": ("ResultCache",),
    "llm.batch": ("BatchRequest", "BatchStatus"),
    "llm.prices": ("Price", "price_for"),
    "config": ("Settings", "load_config"),
    "converter": (
        "BUNDLE_FORMAT",
        "MAX_NESTING",
        "analysis_from_json",
        "analysis_to_json",
        "json_type",
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
    "history": ("open_history",),
    "taxonomy": ("DEFAULT_TAXONOMY", "Taxonomy", "TaxonomyClass"),
    "names": ("is_convex_id", "model_key", "other_models", "same_run"),
    "hookspecs": ("hookimpl",),
    "collation.facts": ("first_sentence",),
    "llm.base": ("DryRun", "LLMClassifier", "request_failed", "require_key", "shared_ssl_context"),
    "model": (
        "RECOMMENDATION_GROUPS",
        "Correction",
        "DebugRunInfo",
        "EvalDetail",
        "EvalInfo",
        "EvalStatus",
        "Evidence",
        "FailedEval",
        "FailedStep",
        "FailureAnalysis",
        "FailureContext",
        "NOT_ANALYSED",
        "NetImpact",
        "Pattern",
        "PriorFinding",
        "RecordedAction",
        "Recommendation",
        "RunAnalysis",
        "RunInfo",
        "RunStatus",
        "RunSummary",
        "SincePrevious",
        "Step",
        "StepStatus",
        "Usage",
        "Verdict",
    ),
    "pipeline.orchestrate": ("Progress", "analyze_run", "fetch_summary"),
    "plugins": ("BrokenPlugin", "PluginRegistry", "get_plugin_manager"),
    "llm.prompt": ("PROMPT_VERSION", "Prompt", "build_classification_prompt", "estimate_tokens"),
    "protocols": (
        "ActionLog",
        "BatchClassifier",
        "Classifier",
        "DryRunEstimate",
        "DryRunFactory",
        "History",
        "PayloadSource",
        "Reporter",
        "Source",
        "Synthesizer",
    ),
    "llm.redaction": ("Redactor", "redact", "redact_data", "register_secret"),
    "pipeline.reportfile": ("write_reports",),
    "llm.retries": ("send_with_retries",),
    "runref": ("RunRef", "resolve_run"),
}

# Modules that are public API themselves (`from evalanalysis import evidence`, `layout`); `signals` is
# the old name of `evidence`, kept so plugins written against it still load.
_PACKAGES = {"evidence": "evidence", "layout": "layout", "signals": "evidence"}

# Written out, not computed, so the public API reads in one place; tests/test_plugins.py checks it
# against `_EXPORTS` and `_PACKAGES`, so neither can drift.
__all__ = [
    # the public modules: the evidence helpers (`signals` is their old name, reachable but not listed)
    # and the markdown report layout
    "evidence", "layout",
    # llm.answers
    "AnswerError", "AnswerSchema",
    # pipeline.api
    "analyze", "make_source", "write_analysis",
    # pipeline.workspace
    "ReporterFailed", "Workspace",
    # history.memory
    "HistorySnapshot",
    # llm.cache
    "ResultCache",
    # llm.batch
    "BatchRequest", "BatchStatus",
    # llm.prices
    "Price", "price_for",
    # config
    "Settings", "load_config",
    # converter
    "BUNDLE_FORMAT", "MAX_NESTING", "analysis_from_json", "analysis_to_json", "json_type", "nesting_depth_over", "structure_eval_detail",
    "structure_run_summary", "unstructure_wire",
    # errors
    "BadInput", "ClassifierError", "ClassifierUnavailable", "ConfigError", "EvalAnalysisError", "PluginBroken",
    "PluginFailed", "PluginNotFound", "RunNotFound", "SourceError", "SourceUnavailable", "Unavailable", "UsageError",
    # history
    "open_history",
    # taxonomy
    "DEFAULT_TAXONOMY", "Taxonomy", "TaxonomyClass",
    # names
    "is_convex_id", "model_key", "other_models", "same_run",
    # hookspecs
    "hookimpl",
    # collation.facts
    "first_sentence",
    # llm.base
    "DryRun", "LLMClassifier", "request_failed", "require_key", "shared_ssl_context",
    # model
    "RECOMMENDATION_GROUPS", "Correction", "DebugRunInfo", "EvalDetail", "EvalInfo", "EvalStatus", "Evidence",
    "FailedEval", "FailedStep", "FailureAnalysis", "FailureContext", "NOT_ANALYSED", "NetImpact", "Pattern", "PriorFinding",
    "RecordedAction", "Recommendation", "RunAnalysis", "RunInfo", "RunStatus", "RunSummary", "SincePrevious", "Step",
    "StepStatus", "Usage", "Verdict",
    # pipeline.orchestrate
    "Progress", "analyze_run", "fetch_summary",
    # plugins
    "BrokenPlugin", "PluginRegistry", "get_plugin_manager",
    # llm.prompt
    "PROMPT_VERSION", "Prompt", "build_classification_prompt", "estimate_tokens",
    # protocols
    "ActionLog", "BatchClassifier", "Classifier", "DryRunEstimate", "DryRunFactory", "History", "PayloadSource", "Reporter", "Source",
    "Synthesizer",
    # llm.redaction
    "Redactor", "redact", "redact_data", "register_secret",
    # pipeline.reportfile
    "write_reports",
    # llm.retries
    "send_with_retries",
    # runref
    "RunRef", "resolve_run",
]


def lazy_exports(namespace: dict[str, Any], exports: dict[str, tuple[str, ...]], extra: dict[str, str] | None = None):
    """`__getattr__` and `__dir__` for the package whose globals are `namespace`: each name of `exports`
    (module relative to the package, e.g. `llm.base` or `..names` -> names) is imported on first use and
    kept; each name of `extra` is a module of its own."""
    package = namespace["__name__"]
    home = {name: module for module, names in exports.items() for name in names}
    modules = extra or {}

    def relative(module: str) -> str:
        return module if module.startswith(".") else f".{module}"

    def getattr_(name: str) -> Any:
        if name in modules:
            return importlib.import_module(relative(modules[name]), package)
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(relative(module), package), name)
        namespace[name] = value  # looked up once
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *home, *modules})

    return getattr_, dir_


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS, _PACKAGES)
