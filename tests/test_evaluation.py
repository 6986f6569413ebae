"""`evaluate`: the metrics against hand-computed values, and the command on bundles with labels."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import evalanalysis as ea
from evalanalysis.pipeline.evaluation import (
    accuracy,
    calibration,
    class_scores,
    cohen_kappa,
    confusion_matrix,
    evaluate_analyses,
    load_labels,
    macro_f1,
)

from . import bundles

ROOT = Path(__file__).resolve().parents[1]

# Six items, three classes: A tp=2 of 3 predicted / 3 expected, B 1 of 2 / 2, C 1 of 1 / 1.
PAIRS = [("A", "A"), ("A", "A"), ("A", "B"), ("B", "B"), ("B", "A"), ("C", "C")]


def test_accuracy_and_per_class_scores_match_hand_computation():
    assert accuracy(PAIRS) == pytest.approx(4 / 6)
    a, b, c = class_scores(PAIRS, ["A", "B", "C"])
    assert (a.precision, a.recall, a.f1, a.support, a.predicted) == pytest.approx((2 / 3, 2 / 3, 2 / 3, 3, 3))
    assert (b.precision, b.recall, b.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert macro_f1(PAIRS, ["A", "B", "C", "D"]) == pytest.approx((2 / 3 + 0.5 + 1) / 3)  # D never occurs


def test_confusion_matrix_rows_are_expected_columns_are_predicted():
    assert confusion_matrix(PAIRS, ["A", "B", "C"]) == ((2, 1, 0), (1, 1, 0), (0, 0, 1))


def test_cohen_kappa_of_the_textbook_example():
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa(PAIRS) == pytest.approx((4 / 6 - 14 / 36) / (1 - 14 / 36))


def test_kappa_edge_cases():
    assert cohen_kappa([("A", "A"), ("A", "A")]) is None  # one class on both sides: undefined
    assert cohen_kappa([("A", "B"), ("B", "A")]) == pytest.approx(-1.0)
    assert cohen_kappa([]) is None


def test_a_class_never_predicted_scores_zero_not_an_error():
    (a, b) = class_scores([("A", "B"), ("B", "B")], ["A", "B"])
    assert (a.precision, a.recall, a.f1) == (0.0, 0.0, 0.0)
    assert (b.precision, b.recall) == (0.5, 1.0)


def write_labels(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_labels_accept_qualified_and_synonym_classes(tmp_path):
    labels = load_labels(write_labels(tmp_path / "l.jsonl", [
        {"run_id": "r", "eval_path": "a/b", "classification": "AMBIGUOUS_TASK (infrastructure)", "note": "from a report"},
        "",
        {"run_id": "r", "eval_path": "a/c", "classification": "HARNESS_FAILURE"},
    ]), ea.DEFAULT_TAXONOMY)
    assert [(l.eval_path, l.classification, l.line) for l in labels] == [("a/b", "AMBIGUOUS_TASK", 1), ("a/c", "AMBIGUOUS_TASK", 3)]


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not JSON"),
        ('["a"]', "expected an object"),
        ('{"run_id": "r", "eval_path": "a/b"}', "'classification' must be a non-empty string"),
        ('{"run_id": "r", "eval_path": "a/b", "classification": "WHATEVER"}', "unknown classification 'WHATEVER'"),
        ('{"run_id": "r", "eval_path": "a/x", "classification": "MODEL_FAULT"}', "second label for a/x"),
    ],
)
def test_bad_label_lines_name_file_and_line(tmp_path, line, message):
    path = write_labels(tmp_path / "l.jsonl", ['{"run_id": "r", "eval_path": "a/x", "classification": "KNOWN_GAP"}', line])
    with pytest.raises(ea.BadInput) as err:
        load_labels(path, ea.DEFAULT_TAXONOMY)
    assert f"{path}:2:" in str(err.value) and message in str(err.value)


# --------------------------------------------------------------------------- the command

STYLE = bundles.failure(1, "002-queries/014-select_distinct", "eslint",
                        "convex/index.ts\n  14:7  error  'firstDoc' is never reassigned  prefer-const\n")
INFRA = bundles.failure(2, "000-fundamentals/002-basic_http_endpoint", "tests",
                        "TypeError: fetch failed\n  cause: connect ECONNREFUSED 127.0.0.1:3211")
WRONG = bundles.failure(3, "002-queries/010-parallel_fetch", "tests",
                        "AssertionError: expected 3 to be 15\nTests: 1 failed | 4 passed (5)")




@pytest.fixture
def bundle_and_labels(tmp_path):
    bundle = bundles.write(tmp_path / "run.json", bundles.bundle([STYLE, INFRA, WRONG]))
    labels = write_labels(tmp_path / "labels.jsonl", [
        {"run_id": bundles.RUN_ID, "eval_path": "002-queries/014-select_distinct", "classification": "OVERLY_STRICT"},
        {"run_id": bundles.RUN_ID, "eval_path": "000-fundamentals/002-basic_http_endpoint", "classification": "AMBIGUOUS_TASK"},
        {"run_id": bundles.RUN_ID, "eval_path": "002-queries/010-parallel_fetch", "classification": "KNOWN_GAP"},
        {"run_id": bundles.RUN_ID, "eval_path": "009-gone/000-missing", "classification": "MODEL_FAULT"},
    ])
    return bundle, labels


def test_evaluate_prints_metrics_matrix_and_disagreements(cli, bundle_and_labels):
    bundle, labels = bundle_and_labels
    result = cli("evaluate", "--labels", str(labels), str(bundle))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Classifier rules on 3 labelled failures from 1 run(s)." in out
    assert "accuracy   0.667 (2/3)" in out
    # pairs: OS/OS, AT/AT, KG/MF -> p_o 2/3, p_e (1+1)/9 -> kappa 4/7; F1: OS 1, AT 1, KG 0, MF 0 -> macro 0.5
    assert "macro-F1   0.500" in out and "kappa      0.571" in out
    assert "- 002-queries/010-parallel_fetch [run jn7aaaaa]: expected KNOWN_GAP, got MODEL_FAULT" in out
    assert "The grader's tests failed (4/5 tests passed)" in out  # the classifier's reasoning
    assert "Labels with no failure in the runs (1):\n- 009-gone/000-missing [run jn7aaaaa]: line 4" in out
    matrix = out.split("Confusion matrix (rows: expected, columns: got):\n", 1)[1].splitlines()
    assert matrix[4].split() == ["KNOWN_GAP", "1", "0", "0", "0"]


def test_evaluate_json_and_unlabelled_failures(cli, bundle_and_labels, tmp_path):
    bundle, labels = bundle_and_labels
    rows = labels.read_text().splitlines()
    write_labels(labels, [rows[0], rows[1]])
    data = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json").output)
    assert data["evaluated"] == 2 and data["accuracy"] == 1.0 and data["kappa"] == 1.0
    assert data["confusion"]["OVERLY_STRICT"] == {"MODEL_FAULT": 0, "OVERLY_STRICT": 1, "AMBIGUOUS_TASK": 0, "KNOWN_GAP": 0}
    assert data["per_class"]["AMBIGUOUS_TASK"]["recall"] == 1.0
    assert [(u["eval_path"], u["detail"]) for u in data["unlabelled"]] == [("002-queries/010-parallel_fetch", "MODEL_FAULT")]
    assert data["missing"] == [] and data["disagreements"] == []


def test_evaluate_rejects_bad_labels_and_labels_matching_nothing(cli, bundle_and_labels, tmp_path):
    bundle, labels = bundle_and_labels
    bad = write_labels(tmp_path / "bad.jsonl", ['{"run_id": "r", "eval_path": "a/b", "classification": "MODEL_FAULT"}', "oops"])
    result = cli("evaluate", "--labels", str(bad), str(bundle))
    assert result.exit_code == 2 and f"{bad}:2: not JSON" in result.output
    other = write_labels(tmp_path / "other.jsonl", [{"run_id": "jn7zzz", "eval_path": "a/b", "classification": "MODEL_FAULT"}])
    result = cli("evaluate", "--labels", str(other), str(bundle))
    assert result.exit_code == 2 and "no label in" in result.output and "Traceback" not in result.output


def test_the_example_labels_cover_every_example_failure(cli):
    labels = ROOT / "examples" / "labels" / "examples.jsonl"
    runs = sorted(str(p) for p in (ROOT / "examples" / "runs").glob("*.json"))
    data = json.loads(cli("evaluate", "--labels", str(labels), *runs, "--json").output)
    assert data["evaluated"] == 22 and data["missing"] == [] and data["unlabelled"] == [] and data["not_analysed"] == []


def test_reports_dir_feeds_prior_findings_to_the_classifier(cli, tmp_path):
    """Two earlier reports call this deploy failure a known gap, in notes that describe this error (a third, with
    no note, says model fault): only with --reports-dir does the verdict say so."""
    entry = bundles.failure(4, "003-mutations/006-no_storage", "deploy",
                            "convex/index.ts:9:41 - error TS2339: Property 'store' does not exist on type 'StorageWriter'.")
    bundle = bundles.write(tmp_path / "run.json", bundles.bundle([entry]))
    labels = write_labels(tmp_path / "labels.jsonl", [
        {"run_id": bundles.RUN_ID, "eval_path": "003-mutations/006-no_storage", "classification": "KNOWN_GAP"},
    ])
    alone = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json").output)
    assert alone["accuracy"] == 0.0 and alone["disagreements"][0]["got"] == "MODEL_FAULT"
    reports = ROOT / "tests" / "data" / "reports"
    with_history = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--reports-dir", str(reports), "--json").output)
    assert with_history["accuracy"] == 1.0 and with_history["disagreements"] == []


def test_labels_from_several_files_and_a_failure_labelled_twice(cli, bundle_and_labels, tmp_path):
    bundle, labels = bundle_and_labels
    rows = labels.read_text().splitlines()
    first = write_labels(tmp_path / "a.jsonl", rows[:2])
    second = write_labels(tmp_path / "b.jsonl", rows[2:])
    data = json.loads(cli("evaluate", "--labels", str(first), "--labels", str(second), str(bundle), "--json").output)
    assert data["evaluated"] == 3 and len(data["missing"]) == 1
    again = write_labels(tmp_path / "c.jsonl", rows[:1])
    result = cli("evaluate", "--labels", str(first), "--labels", str(again), str(bundle))
    assert result.exit_code == 2 and f"{again}:1: second label for 002-queries/014-select_distinct" in result.output
    assert f"first at {first}:1" in result.output


def test_evaluate_an_llm_classifier_against_the_fake_api(cli, bundle_and_labels, monkeypatch, tmp_path):
    """The same command scores an LLM classifier; here the fake answers KNOWN_GAP for everything."""
    from .fakes.llm_servers import FakeAnthropic, Reply

    bundle, labels = bundle_and_labels
    answer = {"classification": "KNOWN_GAP", "reasoning": "The fake says it is documented.", "confidence": 0.7,
              "error_summary": None, "model_snippet": None, "expected_snippet": None, "evidence": [], "tags": []}
    with FakeAnthropic() as fake:
        fake.responder = lambda body: Reply.json(answer)
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("EVALANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
        data = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--classifier", "anthropic", "--json").output)
        requests = fake.count
    assert requests == 3  # one per failure, no synthesis
    assert data["classifier"] == "anthropic:claude-sonnet-5-5"
    assert data["per_class"]["KNOWN_GAP"]["predicted"] == 3 and data["accuracy"] == pytest.approx(1 / 3)
    assert {d["reasoning"] for d in data["disagreements"]} == {"The fake says it is documented."}
    # The same calibration as for the rules: every verdict in the 0.6-0.8 bin, a third of them right.
    cal = data["calibration"]
    assert [b["count"] for b in cal["bins"]] == [0, 0, 0, 3, 0] and cal["bins"][3]["accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert cal["ece"] == pytest.approx(0.7 - 1 / 3, abs=1e-3) and cal["unreviewed"]["count"] == 3
    assert data["by_evidence"] == {"unstated": {"count": 3, "accuracy": 0.333, "mean_confidence": 0.7}}


def test_nothing_scored_reads_as_no_score_not_as_zero():
    from evalanalysis.cli.evaluate import evaluation_to_json, render_evaluation
    from evalanalysis.pipeline.evaluation import Unmatched

    nothing = evaluate_analyses([], [], ea.DEFAULT_TAXONOMY, "rules")
    nothing = attrs.evolve(nothing, not_analysed=(Unmatched("jn7aaaaa", "000-fundamentals/003-crons", "timed out"),))
    text = render_evaluation(nothing, 1)
    assert "No labelled failure could be scored" in text and "000-fundamentals/003-crons [run jn7aaaaa]: timed out" in text
    assert "accuracy" not in text and "kappa" not in text
    data = evaluation_to_json(nothing)
    assert data["accuracy"] is None and data["macro_f1"] is None and data["kappa"] is None


def test_calibration_matches_hand_computation():
    scored = [
        ("MODEL_FAULT", "MODEL_FAULT", 0.9, False),   # 0.8-1.0: right
        ("MODEL_FAULT", "KNOWN_GAP", 0.85, False),    # 0.8-1.0: wrong
        ("OVERLY_STRICT", "OVERLY_STRICT", 0.7, False),  # 0.6-0.8: right, eval side found
        ("AMBIGUOUS_TASK", "MODEL_FAULT", 0.5, True),  # 0.4-0.6: wrong, eval side missed
        ("MODEL_FAULT", "OVERLY_STRICT", 1.0, True),   # 0.8-1.0 (1.0 included): wrong, eval side false alarm
    ]
    cal = calibration(scored, ea.DEFAULT_TAXONOMY)
    top = cal.bins[-1]
    assert (top.count, top.accuracy, top.mean_confidence) == (3, 0.333, 0.917)
    assert [b.count for b in cal.bins] == [0, 0, 1, 1, 3]
    # ECE: (3 * |1/3 - 0.9167| + 1 * |1 - 0.7| + 1 * |0 - 0.5|) / 5
    assert cal.ece == round((3 * abs(1 / 3 - 2.75 / 3) + 0.3 + 0.5) / 5, 3)
    assert (cal.reviewed.count, cal.reviewed.share, cal.reviewed.accuracy) == (2, 0.4, 0.0)
    assert (cal.unreviewed.count, cal.unreviewed.accuracy) == (3, 0.667)
    side = cal.eval_side
    assert (side.labelled, side.predicted, side.found, side.precision, side.recall) == (2, 2, 1, 0.5, 0.5)


def test_evaluate_prints_and_returns_calibration(cli, bundle_and_labels):
    bundle, labels = bundle_and_labels
    text = cli("evaluate", "--labels", str(labels), str(bundle)).output
    assert "Calibration (ECE " in text and "marked needs_review" in text and "eval-side (overly strict, ambiguous):" in text
    data = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json").output)
    cal = data["calibration"]
    assert len(cal["bins"]) == 5 and sum(b["count"] for b in cal["bins"]) == data["evaluated"]
    assert cal["reviewed"]["count"] + cal["unreviewed"]["count"] == data["evaluated"]
    assert 0 <= cal["ece"] <= 1


def test_without_gaps_hides_gaps_txt_from_the_classifier(cli, tmp_path):
    """The same failure, documented in its GAPS.txt: a known gap with it, something else once upstream's
    deletion of every GAPS.txt is replayed with --without-gaps."""
    gap = bundles.failure(1, "000-fundamentals/003-crons", "deploy", '✘ [ERROR] Could not resolve "convex/crons"',
                          sources={"GAPS.txt": "- Could not resolve convex/crons"})
    bundle = bundles.write(tmp_path / "run.json", bundles.bundle([gap]))
    labels = write_labels(tmp_path / "labels.jsonl", [
        {"run_id": bundles.RUN_ID, "eval_path": "000-fundamentals/003-crons", "classification": "KNOWN_GAP"},
    ])
    with_gaps = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json").output)
    assert with_gaps["accuracy"] == 1.0
    without = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json", "--without-gaps").output)
    assert without["accuracy"] == 0.0
    assert without["disagreements"][0]["got"] != "KNOWN_GAP"
    assert "GAPS.txt" not in without["disagreements"][0]["reasoning"]


RUN_A = "jn7aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
RUN_B = "jn7bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
RUN_C = "jn7ccccccccccccccccccccccccccccc"


class _Index:
    """An index of three reports: run A (2026-01-01), the evaluated run B (2026-02-01), run C (2026-03-01)."""

    def __init__(self):
        self.all = tuple(
            ea.PriorFinding(f"{run}.md", run, date, "acme", "m", "000-x/001-y", "KNOWN_GAP")
            for run, date in ((RUN_A, "2026-01-01"), (RUN_B, "2026-02-01"), (RUN_C, "2026-03-01"))
        )

    def findings(self, model=None):
        return list(self.all)

    def prior_findings(self, provider, model, eval_path):
        return self.all

    def recorded_actions(self):
        return tuple(ea.RecordedAction(f"fixed in {f.run_id}", f.report, f.run_id, f.date) for f in self.all)


def test_held_out_history_holds_only_reports_written_before_the_runs_own():
    from evalanalysis.pipeline.evaluation import ReportsBefore

    held = ReportsBefore(_Index(), RUN_B[:8])  # a prefix names the run too
    assert held.cutoff == "2026-02-01"
    assert [p.run_id for p in held.prior_findings("acme", "m", "000-x/001-y")] == [RUN_A]
    assert [a.run_id for a in held.recorded_actions()] == [RUN_A]
    unplaced = ReportsBefore(_Index(), "jn7ddddddddddddddddddddddddddddd")
    assert unplaced.cutoff is None and len(unplaced.prior_findings("acme", "m", "000-x/001-y")) == 3


def test_held_out_needs_a_reports_directory(cli, bundle_and_labels):
    bundle, labels = bundle_and_labels
    result = cli("evaluate", "--labels", str(labels), str(bundle), "--held-out")
    assert result.exit_code == 2
    assert "--held-out needs --reports-dir" in result.output


def test_evaluate_says_which_history_and_gaps_it_measured_with(cli, bundle_and_labels, tmp_path):
    bundle, labels = bundle_and_labels
    plain = cli("evaluate", "--labels", str(labels), str(bundle)).output
    assert plain.splitlines()[1] == "(no history; GAPS.txt shown)"
    (tmp_path / "reports").mkdir()
    held = cli("evaluate", "--labels", str(labels), str(bundle), "--held-out", "--reports-dir", str(tmp_path / "reports"),
               "--without-gaps").output
    assert held.splitlines()[1] == "(history held out: only the reports written before the run's own; GAPS.txt hidden)"
    data = json.loads(cli("evaluate", "--labels", str(labels), str(bundle), "--json", "--reports-dir",
                          str(tmp_path / "reports")).output)
    assert data["mode"] == {"history": "other_reports", "gaps_txt": True}


def test_the_prior_reliability_the_llm_prompt_states_is_what_held_out_evaluate_measures(cli):
    """The system text tells the LLM how often earlier verdicts matched the maintainers' labels; those
    figures are re-measured here, held out on the shipped labels, so the prompt cannot drift from them."""
    from evalanalysis.llm.prompt import PRIOR_RELIABILITY

    runs = sorted((ROOT / "examples" / "runs").glob("*.json")) + sorted((ROOT / "examples" / "runs" / "fixtures").glob("*.json"))
    labels = sorted((ROOT / "examples" / "labels").glob("*.jsonl"))
    result = cli("evaluate", "--held-out", "--reports-dir", str(ROOT / "tests" / "data" / "reports"),
                 *[a for path in labels for a in ("--labels", str(path))], *map(str, runs), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    measured = {relation: (p["agreed"], p["count"]) for relation, p in data["priors"].items()}
    assert measured == PRIOR_RELIABILITY
    # Each verdict names what decided it; the groups add up to every scored verdict.
    assert sum(g["count"] for g in data["by_evidence"].values()) == data["evaluated"]
    assert data["by_evidence"]["an infrastructure error signature"]["count"] >= 1
    text = cli("evaluate", "--held-out", "--reports-dir", str(ROOT / "tests" / "data" / "reports"),
               *[a for path in labels for a in ("--labels", str(path))], *map(str, runs)).output
    assert "  note describes this error     5 of    7  (0.714)" in text
    assert "By the evidence that decided:" in text
