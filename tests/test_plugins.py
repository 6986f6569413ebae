"""Plugin discovery, selection by name, and the boundary between core and built-in plugins."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from evalanalysis import EvalAnalysisError, PluginNotFound, PluginRegistry, get_plugin_manager, hookimpl

ROOT = Path(__file__).resolve().parents[1]


def test_built_in_plugins_come_from_entry_points():
    reg = PluginRegistry(get_plugin_manager(env={}))
    assert {"bundle"} <= set(reg.names("source"))
    assert {"rules"} <= set(reg.names("classifier"))
    assert {"markdown", "json"} <= set(reg.names("reporter"))
    assert reg.registrations("source")[0].module.startswith("evalanalysis_plugins.")


def test_allowlist_loads_only_named_plugins():
    reg = PluginRegistry(get_plugin_manager(env={"EVALANALYSIS_LOAD_PLUGINS": "rules,markdown"}))
    assert reg.names("classifier") == ["rules"]
    assert reg.names("reporter") == ["markdown"]
    assert reg.names("source") == []
    assert PluginRegistry(get_plugin_manager(env={"EVALANALYSIS_LOAD_PLUGINS": ""})).names("classifier") == []


def test_unknown_name_lists_the_known_ones():
    reg = PluginRegistry(get_plugin_manager(env={}))
    with pytest.raises(PluginNotFound) as err:
        reg.create("classifier", "gpt-judge", None)
    assert "unknown classifier 'gpt-judge'" in str(err.value)
    assert "rules" in str(err.value)
    assert err.value.exit_code == 2


def test_a_throwaway_plugin_registers_and_unregisters():
    class Plugin:
        @hookimpl
        def register_classifiers(self, register):
            register("always-gap", lambda settings: "built")

    plugin = Plugin()
    pm = get_plugin_manager(env={}, plugins=(plugin,))
    try:
        assert PluginRegistry(pm).create("classifier", "always-gap", None) == "built"
    finally:
        pm.unregister(plugin)
    assert "always-gap" not in PluginRegistry(pm).names("classifier")


def test_a_plugin_added_later_overrides_a_built_in_name_with_a_warning(capsys):
    class Plugin:
        @hookimpl
        def register_classifiers(self, register):
            register("rules", lambda settings: "mine")

    registry = PluginRegistry(get_plugin_manager(env={}, plugins=(Plugin(),)))
    assert registry.create("classifier", "rules", None) == "mine"
    warning = capsys.readouterr().err
    assert "classifier 'rules' is registered by both" in warning and "evalanalysis_plugins.rules" in warning


def test_misspelled_hook_is_rejected():
    class Typo:
        @hookimpl
        def register_classifier(self, register):  # missing "s"
            pass

    with pytest.raises(EvalAnalysisError, match="unknown hook"):
        get_plugin_manager(env={}, plugins=(Typo(),))


def test_plugin_tracing_writes_hook_calls_to_stderr(capsys):
    PluginRegistry(get_plugin_manager(env={"EVALANALYSIS_TRACE_PLUGINS": "1"}))
    assert "register_classifiers" in capsys.readouterr().err


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_built_in_plugins_use_only_the_public_api():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "plugins").rglob("*.py"))
        for name in _imports(path)
        if name.startswith("evalanalysis.") or name.startswith("evalanalysis_plugins")
    ]
    assert offenders == []


def test_the_core_imports_no_provider_sdk():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "evalanalysis").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in ("anthropic", "openai", "evalanalysis_plugins")
    ]
    assert offenders == []


def test_every_hook_is_documented():
    from evalanalysis import hookspecs

    doc = (ROOT / "docs" / "plugins.md").read_text()
    for name in ("register_sources", "register_classifiers", "register_reporters"):
        assert callable(getattr(hookspecs, name))
        assert f"### `{name}(register)`" in doc


def test_loading_every_plugin_imports_no_provider_sdk():
    """Commands that never call an LLM should not pay the SDKs' import time."""
    import subprocess
    import sys

    code = (
        "import sys; from evalanalysis import PluginRegistry, get_plugin_manager; "
        "PluginRegistry(get_plugin_manager()); "
        "print(sorted(m for m in ('anthropic', 'openai') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
