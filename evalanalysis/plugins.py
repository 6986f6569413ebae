"""Plugin discovery and lookup by name.

`get_plugin_manager()` loads the `evalanalysis` entry-point group (built-in
plugins register there too). `EVALANALYSIS_LOAD_PLUGINS=a,b` loads only the
named entry points (empty string: none); `EVALANALYSIS_TRACE_PLUGINS=1` prints
every hook call to stderr.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from typing import Any, Callable, Mapping

import pluggy
from attrs import frozen

from . import hookspecs
from .errors import EvalAnalysisError, PluginNotFound

ENTRY_POINT_GROUP = "evalanalysis"


def get_plugin_manager(
    *, load_entry_points: bool = True, env: Mapping[str, str] | None = None, plugins: tuple[object, ...] = ()
) -> pluggy.PluginManager:
    """A fresh plugin manager with the installed plugins (and `plugins`) registered."""
    env = os.environ if env is None else env
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    if load_entry_points:
        allow = env.get("EVALANALYSIS_LOAD_PLUGINS")
        if allow is None:
            _load_all(pm)
        else:
            wanted = {name.strip() for name in allow.split(",") if name.strip()}
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.name in wanted and pm.get_plugin(ep.name) is None and (plugin := _load(ep)) is not None:
                    pm.register(plugin, name=ep.name)
    for plugin in plugins:
        pm.register(plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise EvalAnalysisError(f"a plugin implements an unknown hook: {exc}") from None
    if env.get("EVALANALYSIS_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def _load_all(pm: pluggy.PluginManager) -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if pm.get_plugin(ep.name) is None and not pm.is_blocked(ep.name):
            plugin = _load(ep)
            if plugin is not None:
                pm.register(plugin, name=ep.name)


def _load(ep: Any) -> object | None:
    """The entry point's module; a broken plugin is reported and skipped so the others still work."""
    try:
        return ep.load()
    except Exception as exc:
        sys.stderr.write(f"warning: plugin {ep.name!r} ({ep.value}) failed to load and is skipped: {exc}\n")
        return None


@frozen
class Registration:
    """One named factory and the module that defines it."""

    name: str
    factory: Callable[..., Any]
    module: str


class PluginRegistry:
    """What the installed plugins registered, by role, looked up by name."""

    ROLES = {"source": "register_sources", "classifier": "register_classifiers", "reporter": "register_reporters"}

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self._by_role: dict[str, dict[str, Registration]] = {}
        for role, hook_name in self.ROLES.items():
            found: dict[str, Registration] = {}

            def register(name: str, factory: Callable[..., Any], _found: dict = found, _role: str = role) -> None:
                # pluggy calls the plugin registered last first, so a plugin added later overrides an earlier one.
                module = getattr(factory, "__module__", "?")
                if name in _found:
                    sys.stderr.write(
                        f"warning: {_role} {name!r} is registered by both {_found[name].module} and {module}; "
                        f"using {_found[name].module}\n"
                    )
                    return
                _found[name] = Registration(name, factory, module)

            getattr(pm.hook, hook_name)(register=register)
            self._by_role[role] = found

    def names(self, role: str) -> list[str]:
        return sorted(self._by_role[role])

    def registrations(self, role: str) -> list[Registration]:
        return [self._by_role[role][n] for n in self.names(role)]

    def factory(self, role: str, name: str) -> Callable[..., Any]:
        try:
            return self._by_role[role][name].factory
        except KeyError:
            raise PluginNotFound(role, name, self.names(role)) from None

    def create(self, role: str, name: str, settings: Any) -> Any:
        """Build the named plugin object from `settings`."""
        return self.factory(role, name)(settings)
