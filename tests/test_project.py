"""What a fresh clone promises: CI runs the README's test command, and the examples show what they claim."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "examples" / "runs"
STEPS = {"filesystem", "install", "deploy", "tsc", "eslint", "tests"}


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    [command] = [line for block in blocks for line in block.splitlines() if "pytest" in line]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.lstrip().startswith("#")]
    assert ci[-1] == command


def test_the_example_runs_hold_what_the_walking_skeleton_asks_for():
    bundles = {path.name: json.loads(path.read_text()) for path in sorted(RUNS.glob("*.json"))}
    assert len(bundles) >= 3

    def steps(bundle: dict) -> set[str]:
        return {(f["failedStep"] or {}).get("name") for f in bundle["summary"]["failedEvals"]}

    big = [name for name, b in bundles.items() if len(b["summary"]["failedEvals"]) >= 10 and steps(b) >= STEPS]
    assert big, "one bundle needs 10+ failures over every step type"
    assert any(not b["summary"]["failedEvals"] and not b["evals"] for b in bundles.values()), "one bundle without failures"
    largest = max(
        len(text.encode())
        for b in bundles.values()
        for info in b["evals"].values()
        for text in (info.get("outputFiles") or {}).values()
    )
    assert largest > 1_000_000, "one bundle needs an output file over 1 MB"
    labels = [json.loads(line) for line in (ROOT / "examples" / "labels" / "examples.jsonl").read_text().splitlines()]
    assert {label["classification"] for label in labels} >= {"MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP"}


def test_the_core_shows_its_parts_with_at_most_14_modules_at_its_top():
    """The LLM machinery, collation, evidence, the pipeline, history and the CLI are subpackages."""
    core = ROOT / "evalanalysis"
    modules = sorted(p.name for p in core.glob("*.py"))
    assert len(modules) <= 14, modules
    parts = {p.name for p in core.iterdir() if (p / "__init__.py").is_file()}
    assert parts >= {"llm", "collation", "evidence", "pipeline", "history", "cli"}


def _tree_paths(text: str) -> set[str]:
    """The paths a `tree`-style block lists (`├── name  comment`, four characters per level)."""
    block = text.split("```", 2)[1]
    paths, stack = set(), []
    for line in block.splitlines():
        if not line.strip():
            continue
        match = re.match(r"^((?:│   |    )*)(?:├── |└── )?(\S+)", line)
        depth = len(match.group(1)) // 4 + (1 if re.search(r"├── |└── ", line) else 0)
        stack[depth:] = [match.group(2).rstrip("/")]
        paths.add("/".join(stack))
    return paths


def test_the_architecture_doc_names_every_module_of_the_core():
    listed = _tree_paths((ROOT / "docs" / "architecture.md").read_text())
    modules = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "evalanalysis").rglob("*.py")) if p.name != "__init__.py" or p.parent.name == "evalanalysis"]
    plugins = ["plugins/" + p.name for p in sorted((ROOT / "plugins").glob("*.py")) if p.name != "__init__.py"]
    assert [m for m in modules + plugins if m not in listed] == []
    assert [p for p in listed if p.endswith(".py") and not (ROOT / p).exists()] == []


def test_a_regular_install_ships_every_package_of_the_source_tree():
    """pyproject lists packages by hand; a package missing there imports in an editable install and
    is absent from a wheel, so `pip install .` would break on first use."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "evalanalysis").rglob("__init__.py")}
    found |= {"evalanalysis_plugins"} if (ROOT / "plugins" / "__init__.py").is_file() else set()
    assert listed == found
