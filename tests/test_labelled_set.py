"""The labelled set we score classifiers on: the bundles are current and every failure has exactly one label."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from click.testing import CliRunner

from evalanalysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_RUNS = ROOT / "examples" / "runs" / "fixtures"


def load_generator():
    spec = importlib.util.spec_from_file_location("build_fixture_runs", ROOT / "examples" / "build_fixture_runs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixture_bundles_and_labels_match_their_generator():
    generated = load_generator().build_all()
    stale = [str(p.relative_to(ROOT)) for p, text in generated.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert stale == [], "run `python examples/build_fixture_runs.py` and commit the result"
    assert sorted(FIXTURE_RUNS.glob("*.json")) == sorted(p for p in generated if p.suffix == ".json")


def test_every_fixture_failure_has_one_label_and_every_label_a_failure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    labels = ROOT / "examples" / "labels" / "fixture-runs.jsonl"
    runs = sorted(str(p) for p in FIXTURE_RUNS.glob("*.json"))
    result = CliRunner().invoke(main, ["evaluate", "--labels", str(labels), *runs, "--json"], catch_exceptions=False)
    data = json.loads(result.output)
    assert data["evaluated"] == len(labels.read_text().splitlines()) == 87
    assert data["missing"] == [] and data["unlabelled"] == [] and data["not_analysed"] == []
    reported = {json.loads(line)["reported_as"] for line in labels.read_text().splitlines()}
    assert {"HARNESS_FAILURE", "TEST_FAILURE", "AMBIGUOUS_TASK (infrastructure)"} <= reported


def test_the_rules_engine_names_no_labelled_eval():
    """Issue 7: the rules earn their score with general signals, never by naming the evals they are scored on."""
    import re

    paths = {
        json.loads(line)["eval_path"]
        for labels in (ROOT / "examples" / "labels").glob("*.jsonl")
        for line in labels.read_text().splitlines()
        if line.strip()
    }
    needles = set()
    for path in paths:
        name = path.rsplit("/", 1)[-1]  # 014-select_distinct
        bare = re.sub(r"^\d+-", "", name)  # select_distinct; one plain word (`storage`) is a topic, not a name
        needles |= {path, name} | ({bare} if "_" in bare else set())
    engine = [ROOT / "plugins" / "rules.py", ROOT / "plugins" / "rules_steps.py",
              *sorted((ROOT / "evalanalysis" / "evidence").glob("*.py"))]
    named = [
        f"{source.relative_to(ROOT)}: {needle}"
        for source in engine
        for needle in sorted(needles)
        if re.search(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])", source.read_text())
    ]
    assert len(paths) > 40 and named == []
