"""Plugin discovery and lookup by name.

`get_plugin_manager()` loads the `evalanalysis` entry-point group (built-in
plugins register there too). `EVALANALYSIS_LOAD_PLUGINS=a,b` loads only the
named entry points (empty string: none); `EVALANALYSIS_TRACE_PLUGINS=1` prints
every hook call to stderr.

A plugin that cannot be used (its module fails to import, it implements a hook
that does not exist, its hook has the wrong arguments, its registration hook
raises) is left out and kept in
`pm.broken` with the reason: `evalanalysis plugins` lists it, and only a
command that selects a name it would have provided stops, saying why.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from typing import Any, Callable, Mapping

import pluggy
from attrs import frozen

from . import hookspecs
from .errors import PluginBroken, PluginNotFound

ENTRY_POINT_GROUP = "evalanalysis"
HOOKS = ("register_sources", "register_classifiers", "register_reporters")


@frozen
class BrokenPlugin:
    """A plugin left out, and why."""

    name: str
    module: str
    reason: str


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus the plugins that could not be registered (`broken`, by name)."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.broken: dict[str, BrokenPlugin] = {}

    def register_checked(self, plugin: object, name: str | None, module: str) -> None:
        """Register `plugin`, or record it as broken when pluggy rejects it (bad hook name or arguments)."""
        try:
            registered = self.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:  # ValueError: the same module under two names
            self.broken[name or module] = BrokenPlugin(name or module, module, _first_line(exc))
            return
        try:
            self.check_pending()
        except pluggy.PluginValidationError:
            unknown = sorted(c.name for c in (self.get_hookcallers(plugin) or []) if not c.has_spec())
            self.unregister(plugin)
            label = name or registered or module
            what = ", ".join(unknown) or "a hook"
            reason = f"implements {what}, which is not a hook; known hooks: {', '.join(HOOKS)}"
            self.broken[label] = BrokenPlugin(label, module, reason)


def get_plugin_manager(
    *, load_entry_points: bool = True, env: Mapping[str, str] | None = None, plugins: tuple[object, ...] = ()
) -> PluginManager:
    """A fresh plugin manager with the installed plugins (and `plugins`) registered; unusable ones in `.broken`."""
    env = os.environ if env is None else env
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    if load_entry_points:
        allow = env.get("EVALANALYSIS_LOAD_PLUGINS")
        wanted = None if allow is None else {name.strip() for name in allow.split(",") if name.strip()}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if wanted is not None and ep.name not in wanted:
                continue
            if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name) or ep.name in pm.broken:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                pm.broken[ep.name] = BrokenPlugin(ep.name, ep.value, f"failed to import: {_first_line(exc)}")
                continue
            pm.register_checked(plugin, ep.name, ep.value)
    for plugin in plugins:
        pm.register_checked(plugin, None, f"{type(plugin).__module__}.{type(plugin).__qualname__}")
    if env.get("EVALANALYSIS_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


class _HookRaised(Exception):
    """A plugin's registration hook raised: that plugin is left out."""

    def __init__(self, plugin_name: str, module: str, reason: str):
        super().__init__(reason)
        self.plugin_name, self.module, self.reason = plugin_name, module, reason


def _culprit(hook: Any, hook_name: str, exc: Exception) -> Exception:
    """Which plugin's implementation of `hook` raises, found by calling each on its own (pluggy stops at the
    first to raise); `exc` itself when none does alone."""
    for impl in reversed(hook.get_hookimpls()):
        try:
            impl.function(register=lambda name, factory: None)
        except Exception as own:
            module = getattr(impl.plugin, "__name__", None) or type(impl.plugin).__module__
            return _HookRaised(impl.plugin_name, module, f"its {hook_name} hook raised {_first_line(own)}")
    return exc


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
        while True:
            try:
                self._by_role, warnings = self._collect()
                break
            except _HookRaised as raised:  # leave that plugin out and collect again, without it
                self._leave_out(raised)
        for warning in warnings:
            sys.stderr.write(warning)

    def _collect(self) -> tuple[dict[str, dict[str, Registration]], list[str]]:
        by_role: dict[str, dict[str, Registration]] = {}
        warnings: list[str] = []
        for role, hook_name in self.ROLES.items():
            found: dict[str, Registration] = {}

            def register(name: str, factory: Callable[..., Any], _found: dict = found, _role: str = role) -> None:
                # pluggy calls the plugin registered last first, so a plugin added later overrides an earlier one.
                module = getattr(factory, "__module__", "?")
                if name in _found:
                    warnings.append(
                        f"warning: {_role} {name!r} is registered by both {_found[name].module} and {module}; "
                        f"using {_found[name].module}\n"
                    )
                    return
                _found[name] = Registration(name, factory, module)

            hook = getattr(self.pm.hook, hook_name)
            try:
                hook(register=register)
            except Exception as exc:
                raise _culprit(hook, hook_name, exc) from exc
            by_role[role] = found
        return by_role, warnings

    def _leave_out(self, raised: _HookRaised) -> None:
        broken = getattr(self.pm, "broken", None)
        if broken is None:  # a plain pluggy manager has nowhere to say why: the error stands
            raise raised.__cause__ or raised
        self.pm.unregister(name=raised.plugin_name)
        broken[raised.plugin_name] = BrokenPlugin(raised.plugin_name, raised.module, raised.reason)

    def names(self, role: str) -> list[str]:
        return sorted(self._by_role[role])

    def registrations(self, role: str) -> list[Registration]:
        return [self._by_role[role][n] for n in self.names(role)]

    @property
    def broken(self) -> list[BrokenPlugin]:
        """The plugins left out, by name."""
        found = getattr(self.pm, "broken", {})
        return [found[n] for n in sorted(found)]

    def factory(self, role: str, name: str) -> Callable[..., Any]:
        try:
            return self._by_role[role][name].factory
        except KeyError:
            pass
        broken = self.broken
        same = next((b for b in broken if b.name == name), None)
        if same is not None:
            raise PluginBroken(
                f"{role} {name!r} is not available: plugin {same.name!r} ({same.module}) is broken: {same.reason}"
            )
        note = ""
        if broken:
            note = "broken plugins that may provide it: " + ", ".join(f"{b.name} ({b.reason})" for b in broken)
        raise PluginNotFound(role, name, self.names(role), note)

    def create(self, role: str, name: str, settings: Any) -> Any:
        """Build the named plugin object from `settings`."""
        return self.factory(role, name)(settings)
