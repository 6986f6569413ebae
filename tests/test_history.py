"""The history reader and index: every layout of earlier reports read into findings, cached per file version."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalanalysis as ea
from evalanalysis import open_history
from evalanalysis.history import parse_report, read_report

from . import history_expected as expected

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "tests" / "data" / "reports"


@pytest.fixture
def reports(tmp_path) -> Path:
    """A writable copy of the five convex-evals reports in their {provider}/{model}/ layout."""
    target = tmp_path / "reports"
    shutil.copytree(REPORTS, target)
    return target


@pytest.mark.parametrize("rel", sorted(expected.FINDINGS))
def test_each_fixture_report_yields_its_findings_as_read_by_hand(rel):
    record = read_report(REPORTS, rel)
    assert record.warnings == ()
    got = [(f.eval_path, f.failed_step, f.classification_raw) for f in record.findings]
    assert got == expected.FINDINGS[rel]


@pytest.mark.parametrize("rel", sorted(expected.METADATA))
def test_each_fixture_report_yields_its_run_metadata(rel):
    record = read_report(REPORTS, rel)
    assert (record.run_ids, record.provider, record.model, record.experiment, record.date, record.pass_rate) == expected.METADATA[rel]
    assert len(record.actions) == expected.ACTION_COUNTS[rel]


def test_repeats_and_actions_of_the_opus_report():
    record = read_report(REPORTS, expected.OPUS)
    assert {f.eval_path for f in record.findings if f.repeat} == expected.OPUS_REPEATS
    crons = next(f for f in record.findings if f.eval_path == "000-fundamentals/003-crons")
    assert crons.note == "Same issue as previous run (jn7922)."
    # Per-failure "Action taken" lists and the report's actions that name the eval both attach to it.
    http = next(f for f in record.findings if f.eval_path == "000-fundamentals/002-basic_http_endpoint")
    assert any("CONVEX_SITE_PORT` env var to `scorer.ts`" in a for a in http.actions)
    assert any("primary fix for `002-basic_http_endpoint`" in a for a in http.actions)
    prefer_const = next(a for a in record.actions if "prefer-const" in a.text)
    assert prefer_const.evals == ("002-queries/014-select_distinct",)


def test_custom_classes_normalise_to_the_configured_taxonomy():
    default = ea.DEFAULT_TAXONOMY
    assert default.normalise("HARNESS_FAILURE") == "AMBIGUOUS_TASK"  # infrastructure lands in AMBIGUOUS_TASK
    assert default.normalise("MODEL_FAULT (not analyzed in detail)") == "MODEL_FAULT"
    assert default.normalise("AMBIGUOUS_TASK (infrastructure)") == "AMBIGUOUS_TASK"
    assert default.normalise("Overly strict") == "OVERLY_STRICT"
    assert default.normalise("NOT_ANALYSED") is None
    team = ea.Taxonomy(
        (
            ea.TaxonomyClass("BUG", "the model's", role="model_fault"),
            ea.TaxonomyClass("HARNESS_FAILURE", "the grader's", role="infrastructure", counts_as_pass=True),
            ea.TaxonomyClass("UNCLEAR", "the task's", role="ambiguous_task", counts_as_pass=True),
        )
    )
    assert team.normalise("HARNESS_FAILURE") == "HARNESS_FAILURE"
    assert team.normalise("TEST_FAILURE") == "HARNESS_FAILURE"
    assert team.normalise("AMBIGUOUS_TASK (infrastructure)") == "HARNESS_FAILURE"
    assert team.normalise("AMBIGUOUS_TASK") == "UNCLEAR"
    assert team.normalise("MODEL_FAULT") == "BUG"
    assert team.normalise("KNOWN_GAP") is None  # the team has no such class: not forced into another


def test_index_normalises_classes_with_the_taxonomy_it_is_given(reports, tmp_path):
    team = ea.Taxonomy((ea.TaxonomyClass("BUG", "b"), ea.TaxonomyClass("HARNESS_FAILURE", "h", role="infrastructure")))
    index = open_history(reports, taxonomy=team, cache_dir=tmp_path / "cache")
    found = index.prior_findings("anthropic", "claude-fable-5", "000-fundamentals/000-empty_functions")
    assert [(f.classification, f.classification_raw) for f in found] == [("HARNESS_FAILURE", "HARNESS_FAILURE")]
    default = open_history(reports, cache_dir=tmp_path / "cache")
    assert default.prior_findings("x", "y", "000-fundamentals/000-empty_functions")[0].classification == "AMBIGUOUS_TASK"


def test_prior_findings_put_this_models_first_each_newest_first(reports, tmp_path):
    index = open_history(reports, cache_dir=tmp_path / "cache")
    found = index.prior_findings("minimax", "minimax-m2.5", "004-actions/005-storage_http_action")
    assert [(f.model, f.date, f.classification) for f in found] == [
        ("minimax/minimax-m2.5", "2026-02-19", "MODEL_FAULT"),  # this model (provider prefix ignored)
        ("claude-fable-5", "2026-06-10", "MODEL_FAULT"),
        ("qwen/qwen3.5-plus-02-15", "2026-02-18", "MODEL_FAULT"),
        ("gpt-5.2-codex", "2026-02-11", "KNOWN_GAP"),
        ("claude-opus-4-6", "2026-02-06", "KNOWN_GAP"),
    ]
    assert found[0].report == str(reports / expected.MINIMAX)
    assert found[0].run_id == "jn7cecy64b9apjqn99ecq2993h81e9t7"
    assert index.prior_findings("acme", "m", "004-actions/999-nothing") == ()


UNSEEN = """\
# Analysis of gpt-4o

| Key | Value |
|---|---|
| Run | `jn7xyzab1234567890abcdefghjkmnpq` |
| Model | `gpt-4o` |
| Pass rate | **50/66** |

## Failures

### Failure 1
- Eval: 003-crons (000-fundamentals)
- Failed step: deploy
- Classification: MODEL_FAULT
- Reasoning: Left out the args object.

### 2. 002-queries/014-select_distinct

| Field | Value |
|-------|-------|
| Classification | OVERLY_STRICT |
| Failed step | eslint |
| Repeat | yes, failed the same way in jn7abcdef |

### 004-actions

#### 006-node - deploy
Classification: KNOWN_GAP (documented in GAPS.txt)
Uses `process.env` without node types.

#### 007-http_action_routing – tests
**Classification** — AMBIGUOUS_TASK

## By category

| # | Category | Test | Step | Verdict | Notes |
|---|---|---|---|---|---|
| 1 | 005-idioms | 002-batch_queries | deploy | Model fault | helper typing |
| 2 | 006-clients | 001-use_mutation | eslint | GRADER_BUG | lint rule |

## Other notes

- `001-data_modeling/009-normalize_json`: MODEL_FAULT (tests) — omitted age
- 000-fundamentals/008-helper_fns was flaky, rerun passed

## Cross-cutting patterns

- 003-crons: MODEL_FAULT again, recurring from run jn7abcdef

## Net impact

| Classification | Count |
|---|---|
| MODEL_FAULT | 3 |

## Actions taken

None.
"""


def test_layouts_the_fixtures_do_not_show():
    record = parse_report(UNSEEN, "openai/gpt-4o/jn7xyzab_2026-03-01.md")
    assert (record.run_ids, record.provider, record.model, record.date, record.pass_rate) == (
        ("jn7xyzab1234567890abcdefghjkmnpq",), "openai", "gpt-4o", "2026-03-01", "50/66")
    assert [(f.eval_path, f.failed_step, f.classification_raw, f.repeat) for f in record.findings] == [
        ("000-fundamentals/003-crons", "deploy", "MODEL_FAULT", True),  # repeat from the patterns line
        ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT", True),  # field table's Repeat row
        ("004-actions/006-node", "deploy", "KNOWN_GAP (documented in GAPS.txt)", False),
        ("004-actions/007-http_action_routing", "tests", "AMBIGUOUS_TASK", False),
        ("005-idioms/002-batch_queries", "deploy", "Model fault", False),
        ("006-clients/001-use_mutation", "eslint", "GRADER_BUG", False),
        ("001-data_modeling/009-normalize_json", "tests", "MODEL_FAULT", False),
    ]
    assert record.actions == ()
    assert ea.DEFAULT_TAXONOMY.normalise("Model fault") == "MODEL_FAULT"
    assert ea.DEFAULT_TAXONOMY.normalise("GRADER_BUG") == "AMBIGUOUS_TASK"


# Layouts a person writes that read unambiguously, each with the findings and run facts a reader takes from it.
HAND_WRITTEN = {
    "spaced-classes-in-a-table": (
        "# Run analysis — gpt-5.3 (openai)\n\nRun: jn7abcdefghjkmnpqrstvwxyz0123456 · Date: 2026-03-02 · Pass rate: 60/66\n\n"
        "## Findings\n\n| Eval | Step | Verdict | Notes |\n|---|---|---|---|\n"
        "| 000-fundamentals/003-crons | deploy | Model fault | forgot the args object |\n"
        "| 002-queries/014-select_distinct | eslint | overly strict | prefer-const only |\n",
        ("jn7abcdefghjkmnpqrstvwxyz0123456", "openai", "gpt-5.3", "2026-03-02", "60/66"),
        [("000-fundamentals/003-crons", "deploy", "MODEL_FAULT"), ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT")],
    ),
    "classes-as-words-in-headings": (
        "# Run Analysis: m1\n\n## Per-failure analysis\n\n### 1. 000-fundamentals/003-crons — model fault\nMissing args.\n\n"
        "### 2. 002-queries/014-select_distinct — Overly Strict (eslint)\nprefer-const.\n\n"
        "### 3. 004-actions/006-node — deploy — Known gap\nGAPS.\n\n"
        "### 4) 005-idioms/002-batch_queries (deploy) — ❌ MODEL_FAULT\n\n### [KNOWN_GAP] 006-clients/001-use_mutation (eslint)\n",
        (None, None, "m1", None, None),
        [("000-fundamentals/003-crons", None, "MODEL_FAULT"), ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT"),
         ("004-actions/006-node", "deploy", "KNOWN_GAP"), ("005-idioms/002-batch_queries", "deploy", "MODEL_FAULT"),
         ("006-clients/001-use_mutation", "eslint", "KNOWN_GAP")],
    ),
    "classes-as-words-in-list-items": (
        "# Run Analysis: m1\n\n## Failures\n\n1. **000-fundamentals/003-crons** (deploy) — Model Fault: missing args\n"
        "2. `002-queries/014-select_distinct` — eslint — **Overly strict**. prefer-const.\n"
        "3. 006-clients/001-use_mutation — not a model fault: known gap\n",
        (None, None, "m1", None, None),
        [("000-fundamentals/003-crons", "deploy", "MODEL_FAULT"), ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT"),
         ("006-clients/001-use_mutation", None, "KNOWN_GAP")],
    ),
    "step-in-parentheses-under-a-category": (
        "# Run Analysis: m1\n\n## Per-failure analysis\n\n### 000-fundamentals\n\n#### 003-crons (deploy)\n"
        "Classification: Model fault\n\n#### 004-scheduler (tests)\nClassification: ambiguous task\n",
        (None, None, "m1", None, None),
        [("000-fundamentals/003-crons", "deploy", "MODEL_FAULT"), ("000-fundamentals/004-scheduler", "tests", "AMBIGUOUS_TASK")],
    ),
    "byte-order-mark-of-a-windows-editor": (
        "\ufeff# Run Analysis: m1\r\n\r\n### 1. 000-fundamentals/003-crons -- deploy\r\n\r\n**Classification**: MODEL_FAULT\r\n",
        (None, None, "m1", None, None),
        [("000-fundamentals/003-crons", "deploy", "MODEL_FAULT")],
    ),
    "front-matter-crlf-and-emoji": (
        "---\r\nmodel: deepseek-v4\r\nprovider: deepseek\r\nrun_id: jn7abcdefghjkmnpqrstvwxyz0123459\r\ndate: 2026-03-05\r\n---\r\n\r\n"
        "# Run Analysis 🔍\r\n\r\n## Per-Failure Analysis\r\n\r\n### 🔴 000-fundamentals/003-crons — deploy\r\n"
        "- **Classification:** ❌ MODEL_FAULT\r\n\r\n### 🟡 002-queries/014-select_distinct — eslint\r\n- **Verdict:** ⚠️ overly strict\r\n",
        ("jn7abcdefghjkmnpqrstvwxyz0123459", "deepseek", "deepseek-v4", "2026-03-05", None),
        [("000-fundamentals/003-crons", "deploy", "MODEL_FAULT"), ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT")],
    ),
}


@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_hand_written_layouts_read_as_a_person_reads_them(name):
    text, facts, findings = HAND_WRITTEN[name]
    record = parse_report(text, "notes.md")
    assert (record.run_id, record.provider, record.model, record.date, record.pass_rate) == facts
    got = [(f.eval_path, f.failed_step, ea.DEFAULT_TAXONOMY.normalise(f.classification_raw)) for f in record.findings]
    assert got == findings
    assert record.warnings == ()


def test_a_file_name_that_is_not_ours_gives_no_run_id():
    assert parse_report("# Run Analysis: m1\n", "acme/m1/summary.md").run_ids == ()
    assert parse_report("# Run Analysis: m1\n", "acme/m1/jn7abcdef_2026-01-02_2.md").run_ids == ("jn7abcdef",)


def test_a_category_written_without_its_number_is_the_same_eval(tmp_path):
    folder = tmp_path / "reports" / "acme"
    (folder / "m1").mkdir(parents=True)
    (folder / "m2").mkdir(parents=True)
    (folder / "m1" / "jn7aaaaa_2026-01-01.md").write_text(
        "# Run analysis: m1\n\n### 3) queries/014-select_distinct — eslint\n\n**Verdict:** overly strict\n")
    (folder / "m2" / "jn7bbbbb_2026-01-02.md").write_text(
        "# Run analysis: m2\n\n### 002-queries/014-select_distinct -- eslint\n\n**Classification**: MODEL_FAULT\n")
    index = open_history(tmp_path / "reports")
    found = index.prior_findings("acme", "m1", "002-queries/014-select_distinct")
    assert [(f.model, f.eval_path, f.classification) for f in found] == [
        ("m1", "002-queries/014-select_distinct", "OVERLY_STRICT"),
        ("m2", "002-queries/014-select_distinct", "MODEL_FAULT"),
    ]
    assert {f.eval_path for f in index.findings()} == {"002-queries/014-select_distinct"}
    assert index.prior_findings("acme", "m1", "001-queries/014-select_distinct") == ()


def test_bare_names_take_their_category_from_other_reports(tmp_path):
    folder = tmp_path / "reports" / "acme" / "m1"
    folder.mkdir(parents=True)
    (folder / "jn7aaaaa_2026-01-01.md").write_text("# Run analysis: m1\n\n### 1. 003-crons -- deploy\n\n**Classification**: MODEL_FAULT\n")
    other = tmp_path / "reports" / "acme" / "m2"
    other.mkdir(parents=True)
    (other / "jn7bbbbb_2026-01-02.md").write_text("# Run analysis: m2\n\n### 000-fundamentals/003-crons -- tests\n\n**Classification**: OVERLY_STRICT\n")
    index = open_history(tmp_path / "reports", cache_dir=tmp_path / "cache")
    found = index.prior_findings("acme", "m1", "000-fundamentals/003-crons")
    assert [(f.model, f.eval_path, f.classification) for f in found] == [
        ("m1", "000-fundamentals/003-crons", "MODEL_FAULT"),
        ("m2", "000-fundamentals/003-crons", "OVERLY_STRICT"),
    ]
    assert {f.eval_path for f in index.findings()} == {"000-fundamentals/003-crons"}


def test_a_readme_in_the_reports_directory_is_not_read(reports, tmp_path):
    (reports / "README.md").write_text("# Example reports\n\nGenerated from the bundles in examples/.\n")
    (reports / "anthropic" / "Readme.md").write_text("Notes.\n")
    index = open_history(reports, cache_dir=tmp_path / "cache")
    assert index.reports == 5 and index.warnings == ()


def test_unreadable_reports_become_warnings_naming_the_file(tmp_path):
    folder = tmp_path / "reports" / "acme" / "m1"
    folder.mkdir(parents=True)
    (folder / "notes.md").write_text("Just some notes, nothing about a run.\n")
    (folder / "binary.md").write_bytes(b"\xff\xfe\x00garbage\x80\x81 ### 003-crons\n")
    (folder / "jn7aaaaa_2026-01-01.md").write_text("# Run analysis: m1\n\n### 000-fundamentals/003-crons -- deploy\n\n- **Classification**: MODEL_FAULT\n")
    index = open_history(tmp_path / "reports", cache_dir=tmp_path / "cache")
    assert any(str(folder / "notes.md") in w and "no run metadata or findings" in w for w in index.warnings)
    assert any(str(folder / "binary.md") in w and "not valid UTF-8" in w for w in index.warnings)
    assert [f.eval_path for f in index.findings()] == ["000-fundamentals/003-crons"]


MARKDOWN_BITS = st.sampled_from(
    ["# ", "## ", "### ", "#### ", "- ", "1. ", "1) ", "| ", " | ", "|---|---|\n", "**", "`", "```\n", "\n", "\n\n",
     "Classification: ", "**Classification**: ", "Run ID: ", "Model: ", "Actions taken", "Failed step: ",
     "000-fundamentals/003-crons", "003-crons (000-fundamentals)", "003-crons", " -- ", " — ", " - ",
     "MODEL_FAULT", "KNOWN_GAP (infrastructure)", "HARNESS_FAILURE", "(", ")", "jn72t14a0tmje3jrj9wwng78gh80mdfw",
     "Recurring from previous run", "Same issue as previous run", "None", "> ", "    ", "\r\n", "\x00", "é"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=12)), max_size=80).map("".join)))
def test_the_reader_never_raises_on_arbitrary_text(text):
    record = parse_report(text, "p/m/jn7aaaaa_2026-01-01.md")
    for f in record.findings:
        assert f.eval_path and f.classification_raw


def test_a_second_index_and_a_second_process_parse_nothing(reports, tmp_path):
    cache = tmp_path / "cache"
    first = open_history(reports, cache_dir=cache)
    assert (first.reports, first.parsed) == (5, 5)
    assert open_history(reports, cache_dir=cache).parsed == 0
    script = (
        "import sys; from evalanalysis import open_history; "
        "ix = open_history(sys.argv[1], cache_dir=sys.argv[2]); "
        "print(ix.parsed, len(ix.findings()))"
    )
    out = subprocess.run([sys.executable, "-c", script, str(reports), str(cache)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "73"]


def test_changed_added_and_deleted_reports_are_noticed(reports, tmp_path):
    cache = tmp_path / "cache"
    open_history(reports, cache_dir=cache)
    opus = reports / expected.OPUS
    opus.write_text(opus.read_text().replace("**Classification**: MODEL_FAULT\n\nSame issue", "**Classification**: KNOWN_GAP\n\nSame issue", 1))
    (reports / expected.QWEN).unlink()
    new = reports / "acme" / "m9" / "jn7zzzzz_2026-05-01.md"
    new.parent.mkdir(parents=True)
    new.write_text("# Run analysis: m9\n\n### 1. 000-fundamentals/003-crons -- tsc\n\n- **Classification**: MODEL_FAULT\n")
    index = open_history(reports, cache_dir=cache)
    assert (index.reports, index.parsed) == (5, 2)
    crons = index.findings_about("000-fundamentals/003-crons")
    assert [(f.model, f.classification) for f in crons] == [
        ("m9", "MODEL_FAULT"), ("minimax/minimax-m2.5", "MODEL_FAULT"), ("gpt-5.2-codex", "OVERLY_STRICT"),
        ("claude-opus-4-6", "KNOWN_GAP"),
    ]
    assert not any(f.model == "qwen/qwen3.5-plus-02-15" for f in index.findings())


def test_a_deleted_reports_directory_leaves_the_cache(reports, tmp_path):
    cache = tmp_path / "cache"
    gone = tmp_path / "old-reports"
    shutil.copytree(reports, gone)
    code = (
        "import sys, sqlite3; from evalanalysis import open_history\n"
        "open_history(sys.argv[1], cache_dir=sys.argv[2])\n"
        "db = sqlite3.connect(sys.argv[2] + '/history.sqlite3')\n"
        "print(db.execute('select count(*) from roots').fetchone()[0], db.execute('select count(*) from reports').fetchone()[0])"
    )
    run = lambda folder: subprocess.run([sys.executable, "-c", code, str(folder), str(cache)], capture_output=True, text=True, check=True).stdout.split()  # noqa: E731
    assert run(gone) == ["1", "5"]
    shutil.rmtree(gone)
    assert run(reports) == ["1", "5"]  # the deleted directory's reports are gone; only this one's remain


def test_processes_building_one_cache_at_once_all_succeed(reports, tmp_path):
    cache = tmp_path / "cache"
    script = (
        "import sys; from evalanalysis import open_history; "
        "print(len(open_history(sys.argv[1], cache_dir=sys.argv[2]).findings()))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(reports), str(cache)], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4
    assert outputs == ["73"] * 4


def test_a_damaged_cache_is_moved_aside_and_rebuilt(reports, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    script = "import sys; from evalanalysis import open_history; ix = open_history(sys.argv[1], cache_dir=sys.argv[2]); print(ix.parsed, len(ix.findings()))"
    out = subprocess.run([sys.executable, "-c", script, str(reports), str(cache)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["5", "73"]
    assert any(p.name.startswith("history.sqlite3.broken-") for p in cache.iterdir())
    again = subprocess.run([sys.executable, "-c", script, str(reports), str(cache)], capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["0", "73"]


def test_without_a_disk_cache_nothing_is_written_and_a_second_index_reuses_memory(reports, tmp_path):
    before = set(os.listdir(tmp_path))
    assert open_history(reports).parsed == 5
    assert open_history(reports).parsed == 0
    assert set(os.listdir(tmp_path)) == before


def test_recorded_actions_cite_their_report_newest_first(reports, tmp_path):
    actions = open_history(reports, cache_dir=tmp_path / "cache").recorded_actions()
    assert [a.date for a in actions] == ["2026-06-10"] * 4 + ["2026-02-06"] * 4
    prefer_const = next(a for a in actions if "prefer-const" in a.text)
    assert prefer_const.run_id == "jn72t14a0tmje3jrj9wwng78gh80mdfw"
    assert prefer_const.report == str(reports / expected.OPUS)


def test_an_unusable_cache_directory_falls_back_to_memory_with_a_warning(reports, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    index = open_history(reports, cache_dir=blocker / "cache")
    assert len(index.findings()) == 73
    assert any("history cache" in w and "unusable" in w for w in index.warnings)
    assert blocker.read_text() == "a file where the cache directory should be"


def test_an_eval_named_twice_in_a_report_is_one_finding_and_its_own_section_wins():
    text = (
        "# Run Analysis: m1\n\n## Classification table\n\n| Eval | Step | Classification | Why |\n|---|---|---|---|\n"
        "| 002-queries/014-select_distinct | eslint | OVERLY_STRICT | prefer-const only |\n\n"
        "## Per-failure analysis\n\n### 002-queries/014-select_distinct\n\n**Classification:** MODEL_FAULT\n\n"
        "On a closer look the tests failed too.\n"
    )
    [finding] = parse_report(text, "m.md").findings
    assert (finding.eval_path, finding.failed_step, finding.classification_raw) == ("002-queries/014-select_distinct", "eslint", "MODEL_FAULT")
    assert finding.note == "On a closer look the tests failed too."


def test_our_own_reports_read_back_whatever_the_verdicts_say():
    """Render analyses with the markdown reporter, untrusted text full of look-alikes included, and read them back."""
    import random

    from evalanalysis.collation.collate import collate
    from evalanalysis_plugins.markdown import MarkdownReporter

    rng = random.Random(7)
    tricky = ["MODEL_FAULT", "known gap", "| a | b |", "### 002-queries/001-x — MODEL_FAULT", "**Classification**: OVERLY_STRICT",
              "Same issue as previous run", "`code`", "\n- 003-crons: MODEL_FAULT\n", "## Actions taken", "é😀", "word", "word"]
    for _ in range(40):
        failures = []
        for i in range(rng.randint(1, 6)):
            category = rng.choice(["000-fundamentals", "002-queries", "misc.stuff", "a-b"])
            name = rng.choice(["003-crons", "my_eval", "eval.v2", "q-1"]) + str(i)
            cls = rng.choice(ea.DEFAULT_TAXONOMY.names)
            text = " ".join(rng.choice(tricky) for _ in range(rng.randint(1, 5)))
            failures.append(ea.FailureAnalysis(
                eval_id=f"k57{i:029d}", eval_path=f"{category}/{name}", category=category, name=name,
                failed_step=rng.choice(["deploy", "tsc", "eslint", "tests", None]), error=text, classification=cls,
                verdict=ea.Verdict(cls, text, 0.7, "rules", error_summary=text, model_snippet=text)))
        summary = ea.RunSummary(ea.RunInfo("jn7" + "a" * 29, "m", "acme", "default"), 66, 66 - len(failures), len(failures))
        text = MarkdownReporter().render(collate(summary, tuple(failures), classifier="rules", date="2026-01-01"))
        record = parse_report(text, "acme/m/jn7aaaaa_2026-01-01.md")
        got = sorted((f.eval_path, f.failed_step, ea.DEFAULT_TAXONOMY.normalise(f.classification_raw)) for f in record.findings)
        assert got == sorted((f.eval_path, f.failed_step, f.classification) for f in failures), text


def test_our_markdown_layout_reads_back_field_by_field():
    """The markdown reporter writes `evalanalysis.layout`; the reader gets every run fact and finding back."""
    from evalanalysis import layout

    analysis = ea.analyze(str(ROOT / "examples" / "runs" / "mixed-run.json"), overrides={"analyze.history": False},
                          date="2026-11-25")
    text = ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "markdown", ea.Settings()).render(analysis)
    for heading in (layout.FAILURE_SUMMARY, layout.CLASSIFICATION_TABLE, layout.PER_FAILURE, layout.PATTERNS,
                    layout.RECOMMENDATIONS, layout.NET_IMPACT):
        assert f"\n## {heading}\n" in text
    assert text.startswith(f"# {layout.TITLE}: ")
    record = parse_report(text, "anthropic/claude-sonnet-4-5/run.md")
    assert record.run_ids == (analysis.run.id,)
    assert (record.model, record.provider, record.experiment, record.date) == (
        analysis.run.model, analysis.run.provider, analysis.run.experiment or "default", "2026-11-25")
    assert record.pass_rate == analysis.pass_rate
    assert analysis.corrected_pass_rate and record.corrected_pass_rate == analysis.corrected_pass_rate
    found = {f.eval_path: f for f in record.findings}
    assert len(found) == len(analysis.failures) == 13
    for failure in analysis.failures:
        assert found[failure.eval_path].classification_raw.split(" (")[0] == failure.classification  # "(infrastructure)" kept
        assert found[failure.eval_path].failed_step == failure.failed_step


def test_the_history_package_exports_the_shared_names_it_lists():
    import evalanalysis.history as history

    assert history.model_key("qwen/Qwen3.5-Plus") == ea.model_key("qwen3.5-plus") == "qwen3.5-plus"
    assert history.same_run("jn7easv5ga22s4wb146n8jmszsm1wpjp", "jn7easv5") and history.other_models((), None) == []
    assert all(getattr(history, name) is not None for name in history.__all__)


def test_a_warm_index_takes_the_superseded_reports_from_the_cache_until_a_report_changes(tmp_path, monkeypatch):
    from evalanalysis.history.store import Store

    settings = ea.load_config(overrides={"analyze.reports_dir": str(tmp_path / "reports"), "analyze.history": False,
                                         "cache.dir": str(tmp_path / "cache")})
    mixed = str(ROOT / "examples" / "runs" / "mixed-run.json")
    ea.analyze(mixed, settings=settings, date="2026-11-01", write=True)
    ea.analyze(mixed, settings=settings, date="2026-11-02", write=True)  # the same run again: supersedes the first
    older = next((tmp_path / "reports").rglob("*_2026-11-01.md"))
    first = open_history(tmp_path / "reports", cache_dir=tmp_path / "cache")
    assert first.superseded == {str(older.relative_to(tmp_path / "reports"))}

    def no_heads(self, root):
        raise AssertionError("the run facts of every report were read again")

    monkeypatch.setattr(Store, "heads", no_heads)
    warm = open_history(tmp_path / "reports", cache_dir=tmp_path / "cache")
    assert warm.superseded == first.superseded and warm.reports == 1
    monkeypatch.undo()
    older.write_text(older.read_text() + "\nEdited by hand.\n")  # a changed file: derived again
    calls, real = [], Store.heads
    monkeypatch.setattr(Store, "heads", lambda self, root: calls.append(root) or real(self, root))
    assert open_history(tmp_path / "reports", cache_dir=tmp_path / "cache").superseded == first.superseded
    assert calls


def test_every_report_record_comes_back_from_a_warm_cache_as_the_reader_read_it(reports, tmp_path):
    """`report_records` (what the site reads) answers from the cache with what `read_report` gives,
    the error text of each finding and the corrected pass rate included."""
    cold = open_history(reports, cache_dir=tmp_path / "cache").report_records()
    code = (
        "import json, sys\nfrom evalanalysis.history import open_history\n"
        "index = open_history(sys.argv[1], cache_dir=sys.argv[2])\n"
        "print(json.dumps([index.parsed, [r.to_json() for r in index.report_records()]]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(reports), str(tmp_path / "cache")], capture_output=True, text=True, check=True)
    parsed, warm = json.loads(out.stdout)
    assert parsed == 0
    direct = [read_report(reports, r.path) for r in cold]
    assert [r.path for r in cold] == sorted(str(p.relative_to(reports).as_posix()) for p in reports.rglob("*.md"))
    for record, fresh, again in zip(cold, direct, warm):
        assert json.loads(json.dumps(record.to_json())) == again
        # Bare names are completed from other reports, as `findings` completes them; all else is as read.
        assert [(f.error, f.failed_step, f.classification_raw) for f in record.findings] == [
            (f.error, f.failed_step, f.classification_raw) for f in fresh.findings]
        assert (record.pass_rate, record.corrected_pass_rate, record.model) == (fresh.pass_rate, fresh.corrected_pass_rate, fresh.model)
    assert any(f.error for r in cold for f in r.findings)
    fable = next(r for r in cold if "claude-fable-5" in r.path)
    assert fable.corrected_pass_rate == "73/74, 72/74, 72/74"
