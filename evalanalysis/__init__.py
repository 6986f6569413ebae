"""evalanalysis: triage failed LLM-eval runs.

The public API: the data model, `analyze_run` (async, pure) and `analyze`
(sync), configuration, the plugin machinery and the signal helpers plugins
build on. Plugins import only names from this package root; `signals` is the
one public module (the core's other modules are not API).
"""

from types import ModuleType as _ModuleType

from . import signals
from .answers import AnswerError, AnswerSchema
from .api import analyze, make_source, write_analysis
from .cache import ResultCache
from .config import Settings, load_config
from .converter import (
    MAX_NESTING,
    analysis_from_json,
    analysis_to_json,
    nesting_depth_over,
    structure_eval_detail,
    structure_run_summary,
    unstructure_wire,
)
from .errors import (
    BadInput,
    ClassifierError,
    ClassifierUnavailable,
    ConfigError,
    EvalAnalysisError,
    PluginNotFound,
    RunNotFound,
    SourceError,
    SourceUnavailable,
    Unavailable,
    UsageError,
)
from .history import model_key, open_history, other_models
from .hookspecs import hookimpl
from .facts import first_sentence
from .llm import DryRun, LLMClassifier, request_failed, require_key, shared_ssl_context
from .model import (
    DEFAULT_TAXONOMY,
    RECOMMENDATION_GROUPS,
    DebugRunInfo,
    EvalDetail,
    EvalInfo,
    EvalStatus,
    Evidence,
    FailedEval,
    FailedStep,
    FailureAnalysis,
    FailureContext,
    NetImpact,
    Pattern,
    PriorFinding,
    RecordedAction,
    Recommendation,
    RunAnalysis,
    RunInfo,
    RunStatus,
    RunSummary,
    Step,
    StepStatus,
    Taxonomy,
    TaxonomyClass,
    Usage,
    Verdict,
)
from .orchestrate import Progress, analyze_run
from .plugins import PluginRegistry, get_plugin_manager
from .prompt import PROMPT_VERSION, Prompt, build_classification_prompt, estimate_tokens
from .protocols import ActionLog, Classifier, History, PayloadSource, Reporter, Source, Synthesizer
from .redaction import Redactor, redact, redact_data, register_secret
from .reportfile import write_reports
from .runref import RunRef, is_convex_id, resolve_run

__all__ = [
    name for name, value in dict(globals()).items()
    if not name.startswith("_") and (name == "signals" or not isinstance(value, _ModuleType))
]
