"""One exception family; the CLI turns each into one or two plain lines and an exit code."""

from __future__ import annotations


class EvalAnalysisError(Exception):
    """Base of every error a user is meant to read. `exit_code` follows SPEC section 5."""

    exit_code = 1


class UsageError(EvalAnalysisError):
    """Bad usage or bad input (argument, bundle, config): exit 2."""

    exit_code = 2


class ConfigError(UsageError):
    """A configuration file or value is wrong."""


class PluginNotFound(UsageError):
    """A plugin name selected by config or flag is not installed."""

    def __init__(self, role: str, name: str, known: list[str], note: str = ""):
        names = ", ".join(sorted(known)) or "none"
        super().__init__(f"unknown {role} {name!r}; installed {role}s: {names}" + (f"; {note}" if note else ""))
        self.role, self.name, self.known = role, name, known


class BadInput(UsageError):
    """Input data (bundle, run reference) is malformed."""


class RunNotFound(EvalAnalysisError):
    """The source has no run with this id: exit 1."""


class SourceError(EvalAnalysisError):
    """The source failed at run level (unreachable, auth refused, function error): exit 1."""


class Unavailable(EvalAnalysisError):
    """A collaborator refuses every request (credentials refused, function or model missing).

    Raised from `fetch_eval` or `classify` it aborts the whole run (exit 1)
    instead of marking each failure as not analysed: nothing could be analysed anyway.
    """

    exit_code = 1


class SourceUnavailable(SourceError, Unavailable):
    """The source refuses every request."""


class ClassifierError(EvalAnalysisError):
    """A classifier cannot work at all (e.g. missing API key): exit 2 when it is the user's to fix."""

    exit_code = 2


class ClassifierUnavailable(ClassifierError, Unavailable):
    """The classifier's provider refuses every request (key refused, unknown model): exit 1."""

    exit_code = 1


class PluginFailed(EvalAnalysisError):
    """A plugin raised something that is not one of its documented errors: a bug in it, so the run stops (exit 1).

    `analyze_run` raises it with the plugin's own exception as `__cause__` (shown by `--debug`).
    """


class PluginBroken(EvalAnalysisError):
    """The plugin that provides a selected name could not be loaded (import error, misspelled hook): exit 1."""
