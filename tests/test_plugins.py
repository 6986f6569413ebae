"""Plugin discovery, selection by name, and the boundary between core and built-in plugins."""

from __future__ import annotations

import ast
import re
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


def test_misspelled_hook_leaves_the_plugin_out_as_broken():
    class Typo:
        @hookimpl
        def register_classifier(self, register):  # missing "s"
            pass

    pm = get_plugin_manager(env={}, plugins=(Typo(),))
    registry = PluginRegistry(pm)
    (broken,) = registry.broken
    assert "register_classifier, which is not a hook" in broken.reason
    assert "rules" in registry.names("classifier")  # the others still work


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


def _boundary_offences(path: Path) -> list[str]:
    """Imports in a plugin module that reach past the public `evalanalysis` package root.

    A name imported from the root must be in its `__all__`: `from evalanalysis
    import config` reaches into the core as much as `from evalanalysis.config
    import ...` does. Relative imports may not leave the plugin package.
    """
    import evalanalysis

    public = set(evalanalysis.__all__)
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith(("evalanalysis.", "evalanalysis_plugins"))]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level > 1 or (node.level == 0 and module.startswith(("evalanalysis.", "evalanalysis_plugins"))):
                found.append("." * node.level + module)
            elif node.level == 0 and module == "evalanalysis":
                found += [f"evalanalysis.{a.name}" for a in node.names if a.name not in public]
    return found


def test_the_written_out_all_matches_the_lazy_exports():
    """`__all__` is a literal list; it must name exactly what `_EXPORTS` loads, plus the public subpackage."""
    import evalanalysis

    exported = [name for names in evalanalysis._EXPORTS.values() for name in names]
    assert len(exported) == len(set(exported)), "a name exported from two modules"
    assert len(evalanalysis.__all__) == len(set(evalanalysis.__all__)), "a name listed twice in __all__"
    assert set(evalanalysis.__all__) == {*exported, "evidence", "layout"}
    assert set(evalanalysis._PACKAGES) - set(evalanalysis.__all__) == {"signals"}  # the old alias stays unlisted
    for name in evalanalysis.__all__:
        assert getattr(evalanalysis, name) is not None, name


def test_built_in_plugins_use_only_the_public_api():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for folder in (ROOT / "plugins", ROOT / "docs" / "example-plugin")  # the tutorial's plugin too
        for path in sorted(folder.rglob("*.py"))
        for name in _boundary_offences(path)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "line",
    [
        "from evalanalysis.model import Verdict",
        "import evalanalysis.config",
        "from evalanalysis import config",
        "from evalanalysis import Verdict, collate",
        "from evalanalysis_plugins.rules import RulesClassifier",
        "from ..evalanalysis import model",
    ],
)
def test_the_boundary_check_catches_every_way_into_the_core(tmp_path, line):
    module = tmp_path / "plugin.py"
    module.write_text(f"{line}\nfrom evalanalysis import Verdict, hookimpl, evidence\nfrom .rules_steps import by_step\n")
    assert len(_boundary_offences(module)) == 1


def test_the_core_imports_no_provider_sdk():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "evalanalysis").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in ("anthropic", "openai", "evalanalysis_plugins")
    ]
    assert offenders == []


def test_every_hook_is_documented():
    """Every hookspec, found by its marker (a new hook cannot be forgotten), has a heading with its signature."""
    import inspect

    from evalanalysis import hookspecs

    specs = {
        name: fn for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "evalanalysis_spec")
    }
    assert set(specs) >= {"register_sources", "register_classifiers", "register_reporters"}
    reference = (ROOT / "docs" / "plugins.md").read_text().split("## Hook reference", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^### `(\w+)\((.*)\)`$", reference, re.M)
    signatures = {name: ", ".join(inspect.signature(fn).parameters) for name, fn in specs.items()}
    assert dict(documented) == signatures


def _api_reference() -> dict[str, str]:
    """Name -> the `### ` heading it is documented under, from the `- `name`` lines of "## API reference"."""
    text = (ROOT / "docs" / "plugins.md").read_text()
    assert "\n## API reference\n" in text
    reference = text.split("\n## API reference\n", 1)[1].split("\n## ", 1)[0]
    documented: dict[str, str] = {}
    heading = ""
    for line in reference.splitlines():
        if line.startswith("### "):
            heading = line[4:]
        elif match := re.match(r"- `(\w+)", line):
            assert match.group(1) not in documented, f"{match.group(1)} documented twice"
            documented[match.group(1)] = heading
    return documented


def _evidence_homes() -> dict[str, str]:
    """Each name of `evidence.__all__` -> the evidence module that defines it (found in its source, by ast)."""
    import evalanalysis.evidence as evidence

    homes = {}
    for path in sorted(Path(evidence.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                homes[node.name] = path.stem
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                homes.update({t.id: path.stem for t in targets if isinstance(t, ast.Name)})
    return {name: homes[name] for name in evidence.__all__}


def test_every_name_a_plugin_uses_is_documented():
    """Every name the built-in plugins and the tutorial's plugin import from `evalanalysis` (found by ast, so
    a new import cannot be forgotten) and every name of `evalanalysis.evidence` has a line in the API reference;
    the evidence names under the heading of the module that defines them."""
    imported: dict[str, list[str]] = {}
    for folder in (ROOT / "plugins", ROOT / "docs" / "example-plugin"):
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "evalanalysis":
                    for alias in node.names:
                        imported.setdefault(alias.name, []).append(str(path.relative_to(ROOT)))
    assert {"hookimpl", "Settings", "evidence"} <= set(imported)  # the walk found the plugins
    documented = _api_reference()
    missing = sorted(f"{name} (imported by {', '.join(where)})" for name, where in imported.items() if name not in documented)
    homes = _evidence_homes()
    missing += sorted(f"evidence.{name} ({module})" for name, module in homes.items() if name not in documented)
    assert missing == [], "not documented in docs/plugins.md's API reference: " + "; ".join(missing)
    misplaced = [
        f"evidence.{name} under {documented[name]!r}"
        for name, module in homes.items()
        if not documented[name].startswith(f"`evidence.{module}`")
    ]
    assert misplaced == []
    import evalanalysis

    unknown = [name for name in documented if name not in evalanalysis.__all__ and name not in homes]
    assert unknown == [], "documented but not public"


def test_the_plugin_docs_name_evidence_not_signals():
    text = (ROOT / "docs" / "plugins.md").read_text()
    assert "from evalanalysis import evidence" in text
    mentions = [line for line in text.splitlines() if re.search(r"\bsignals\b", line)]  # not infrastructure_signals
    assert mentions and all("alias" in line for line in mentions), mentions


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


def test_every_built_in_plugin_builds_an_object_that_plays_its_role(monkeypatch, tmp_path):
    """SPEC section 6: each registered factory builds an object satisfying the role's Protocol."""
    import evalanalysis as ea

    monkeypatch.setenv("CONVEX_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", "prod:fake|0123abcd")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    bundle = ROOT / "examples" / "runs" / "mixed-run.json"
    settings = ea.load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml",
                              overrides={"cache.dir": str(tmp_path / "cache"), "plugins.bundle": {"path": str(bundle)}})
    registry = PluginRegistry(get_plugin_manager(env={}))
    protocols = {"source": ea.Source, "classifier": ea.Classifier, "reporter": ea.Reporter}
    built = {}
    for role, protocol in protocols.items():
        for registration in registry.registrations(role):
            if not registration.module.startswith("evalanalysis_plugins."):
                continue  # a third-party plugin installed in this environment is not ours to judge
            plugin = registry.create(role, registration.name, settings)
            assert isinstance(plugin, protocol), (role, registration.name)
            built[registration.name] = plugin
    assert {"bundle", "convex", "rules", "anthropic", "openai", "markdown", "json", "html"} <= set(built)
    assert {built[n].suffix for n in ("markdown", "json", "html")} == {".md", ".json", ".html"}
