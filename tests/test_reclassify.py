"""`actions --reclassify`: a maintainer's correction of one failure's class, in the report, in history,
in the next analysis and as a label for `evaluate`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import evalanalysis as ea
from evalanalysis.history import open_history, read_report
from evalanalysis.history.corrections import correction_entry, parse_correction

from . import bundles

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
MIXED_RUN = "jn7easv5ga22s4wb146n8jmszsm1wpjp"
EARLIER_RUN = "jn7fffffffffffffffffffffffffffff"
OPUS = ROOT / "tests" / "data" / "reports" / "anthropic" / "claude-opus-4-6" / "jn72t14a_2026-02-06.md"
AGGREGATION = "002-queries/007-aggregation"
ROW = "| 8 | 002-queries/007-aggregation | tests | {} | 0.70 | The grader's tests failed (5/6 tests passed) on behaviour the task specifies. |\n"


@pytest.fixture
def analysed(cli, tmp_path) -> Path:
    """The example run analysed into `reports/`, with its JSON and HTML reports; the markdown's path."""
    result = cli("analyze", str(MIXED), "--date", "2026-12-01", "--format", "json,html", "-q")
    assert result.exit_code == 0, result.output
    [report] = (tmp_path / "reports").rglob("*.md")
    return report


def reclassify(cli, report: Path, eval_path: str, cls: str, reason: str, date: str = "2026-12-07"):
    return cli("actions", str(report), "--reclassify", eval_path, cls, "--reason", reason, "--date", date)


def test_a_correction_changes_only_the_row_the_field_and_the_actions_of_our_report(cli, analysed):
    before = analysed.read_text()
    assert ROW.format("MODEL_FAULT") in before and before.endswith("## Actions taken\n\nNone\n")
    result = reclassify(cli, analysed, AGGREGATION, "known gap", "The grader's rounding check fails every model")
    assert result.exit_code == 0, result.output
    assert f"recorded in {analysed}: {AGGREGATION} reclassified from MODEL_FAULT to KNOWN_GAP" in result.output
    assert f"updated {analysed.with_suffix('.json')}" in result.output and f"updated {analysed.with_suffix('.html')}" in result.output

    after = analysed.read_text()
    shown = "KNOWN_GAP (corrected from MODEL_FAULT)"
    entry = f"- 2026-12-07: Reclassified `{AGGREGATION}` from MODEL_FAULT to KNOWN_GAP: The grader's rounding check fails every model\n"
    section = after.split(f"### 8. {AGGREGATION} -- tests\n", 1)[1].split("###", 1)[0]
    assert section.startswith(f"\n- **Classification**: {shown}\n- **Failed step**: tests\n")
    # Every other byte is as it was: undo the three changed lines and the file is the original.
    undone = (
        after.replace(ROW.format(shown), ROW.format("MODEL_FAULT"), 1)
        .replace(f"- **Classification**: {shown}\n", "- **Classification**: MODEL_FAULT\n", 1)
        .replace(entry, "None\n", 1)
    )
    assert undone == before
    assert after.count(shown) == 2

    data = json.loads(analysed.with_suffix(".json").read_text())
    [failure] = [f for f in data["failures"] if f["eval_path"] == AGGREGATION]
    assert failure["classification"] == failure["verdict"]["classification"] == "KNOWN_GAP"
    assert failure["verdict"]["correction"] == {
        "original": "MODEL_FAULT", "reason": "The grader's rounding check fails every model", "date": "2026-12-07",
    }
    assert failure["verdict"]["classifier"] == "rules" and failure["verdict"]["reasoning"].startswith("The grader's tests failed")
    assert data["actions_taken"] == [entry[2:-1]]
    untouched = [f for f in data["failures"] if f["eval_path"] != AGGREGATION]
    assert all(f["verdict"]["correction"] is None for f in untouched)
    page = analysed.with_suffix(".html").read_text()
    assert "The grader&#39;s rounding check fails every model" in page or "The grader&#x27;s rounding check" in page

    [finding] = [f for f in read_report(analysed.parent, analysed.name).findings if f.eval_path == AGGREGATION]
    assert (finding.classification_raw, finding.corrected_from) == (shown, "MODEL_FAULT")
    assert finding.correction_reason == "The grader's rounding check fails every model"


def test_history_exposes_the_corrected_class_as_a_maintainers_verdict(cli, analysed, tmp_path):
    assert reclassify(cli, analysed, AGGREGATION, "OVERLY_STRICT", "Rounding is not in the task").exit_code == 0
    index = open_history(tmp_path / "reports")
    [prior] = index.findings_about(AGGREGATION)
    assert prior.classification == "OVERLY_STRICT" and prior.corrected
    assert prior.correction == ea.Correction("MODEL_FAULT", "Rounding is not in the task", "2026-12-07")
    others = [f for f in index.findings() if f.eval_path != AGGREGATION]
    assert others and not any(f.corrected for f in others)
    rows = json.loads(cli("history", "--reports-dir", "reports", "--json").output)
    [row] = [r for r in rows if r["eval_path"] == AGGREGATION]
    assert (row["classification"], row["classification_raw"]) == ("OVERLY_STRICT", "OVERLY_STRICT (corrected from MODEL_FAULT)")


def test_a_second_analysis_of_the_run_hears_the_correction_and_keeps_it(cli, analysed, tmp_path):
    assert reclassify(cli, analysed, AGGREGATION, "KNOWN_GAP", "Rounding fails for every model").exit_code == 0
    result = cli("analyze", str(MIXED), "--date", "2026-12-09", "-q")
    assert result.exit_code == 0, result.output
    later = analysed.with_name("jn7easv5_2026-12-09.md")
    text = later.read_text()
    section = text.split(f"### 8. {AGGREGATION} -- tests\n", 1)[1].split("\n---\n", 1)[0]
    # The rules classifier cites the maintainer's correction first, and the run keeps its corrected class.
    assert "- prior_report: KNOWN_GAP (corrected from MODEL_FAULT) in run jn7easv5ga22s4wb146n8jmszsm1wpjp" in section
    assert "corrected by a maintainer: Rounding fails for every model" in section
    assert "- **Classification**: KNOWN_GAP (corrected from MODEL_FAULT)" in section
    assert ROW.split("|")[1] in text and "| KNOWN_GAP (corrected from MODEL_FAULT) |" in text
    assert f"- 2026-12-07: Reclassified `{AGGREGATION}` from MODEL_FAULT to KNOWN_GAP: Rounding fails for every model\n" in text
    # The new report supersedes the old one; history still sees the correction, in the new report.
    [prior] = open_history(tmp_path / "reports").findings_about(AGGREGATION)
    assert prior.report.endswith("jn7easv5_2026-12-09.md") and prior.corrected and prior.classification == "KNOWN_GAP"
    # Other failures were not corrected and are not shown so.
    assert text.count("corrected from") == 3  # the row, the field and the evidence


def test_another_run_of_the_model_cites_the_corrected_prior(cli, tmp_path):
    earlier = tmp_path / "earlier.json"
    earlier.write_text(MIXED.read_text().replace(MIXED_RUN, EARLIER_RUN))
    assert cli("analyze", str(earlier), "--date", "2026-11-01", "-q").exit_code == 0
    [report] = (tmp_path / "reports").rglob("*.md")
    assert reclassify(cli, report, AGGREGATION, "known_gap", "Flaky rounding in the grader", "2026-11-02").exit_code == 0
    analysis = ea.analysis_from_json(json.loads(cli("analyze", str(MIXED), "--date", "2026-11-25", "--json").output))
    [failure] = [f for f in analysis.failures if f.eval_path == AGGREGATION]
    assert failure.classification == "KNOWN_GAP" and failure.verdict.correction is None  # the classifier's own verdict now
    [cited] = [e for e in failure.verdict.evidence if e.kind == "prior_report"]
    assert "corrected by a maintainer: Flaky rounding in the grader" in cited.detail
    assert failure.repeat_of is not None and failure.repeat_of.corrected and failure.repeat_of.run_id == EARLIER_RUN
    # A correction is no action on the eval: nothing is cited as "already done" because of it.
    assert not any(AGGREGATION in r.text and r.text.startswith("Already done") for r in analysis.recommendations)


def test_evaluate_takes_the_corrections_in_a_reports_directory_as_labels(cli, analysed, tmp_path):
    assert reclassify(cli, analysed, AGGREGATION, "KNOWN_GAP", "Rounding fails for every model").exit_code == 0
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        json.dumps({"run_id": MIXED_RUN, "eval_path": AGGREGATION, "classification": "MODEL_FAULT"}) + "\n"
        + json.dumps({"run_id": MIXED_RUN, "eval_path": "002-queries/014-select_distinct", "classification": "OVERLY_STRICT"}) + "\n"
    )
    result = cli("evaluate", str(MIXED), "--labels", str(labels), "--corrections-from", "reports", "--reports-dir", "reports", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["labels"] == {"total": 2, "from_files": 2, "from_corrections": 1, "corrections_replacing_file_labels": 1,
                              "corrections_skipped": []}
    assert data["evaluated"] == 2
    # The correction's KNOWN_GAP is the label; the classifier, which may not read the run's own report, said MODEL_FAULT.
    assert data["confusion"]["KNOWN_GAP"]["MODEL_FAULT"] == 1 and data["confusion"]["OVERLY_STRICT"]["OVERLY_STRICT"] == 1
    [disagreement] = data["disagreements"]
    assert (disagreement["eval_path"], disagreement["expected"], disagreement["got"]) == (AGGREGATION, "KNOWN_GAP", "MODEL_FAULT")

    text = cli("evaluate", str(MIXED), "--corrections-from", "reports")
    assert text.exit_code == 0, text.output
    assert "Classifier rules on 1 labelled failures from 1 run(s)." in text.output
    assert "(labels: 1, 1 from maintainers' corrections in reports)" in text.output


def test_evaluate_needs_some_labels_and_says_when_the_reports_hold_no_correction(cli, analysed):
    result = cli("evaluate", str(MIXED))
    assert result.exit_code == 2 and result.output.strip().splitlines() == [
        "error: evaluate needs labels: --labels FILE.jsonl and/or --corrections-from DIR"
    ]
    result = cli("evaluate", str(MIXED), "--corrections-from", "reports")
    assert result.exit_code == 2 and "no correction is recorded in the reports under reports" in result.output
    result = cli("evaluate", str(MIXED), "--corrections-from", "nowhere")
    assert result.exit_code == 2 and "reports directory nowhere does not exist" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reclassify", "002-queries/007-agregation", "OVERLY_STRICT", "--reason", "x"],
         "--reclassify '002-queries/007-agregation' is not a failure in {report}; did you mean 002-queries/007-aggregation?"),
        (["--reclassify", AGGREGATION, "FLAKY_TEST_PROBLEM", "--reason", "x"],
         "unknown class 'FLAKY_TEST_PROBLEM'; the classes are MODEL_FAULT, OVERLY_STRICT, AMBIGUOUS_TASK, KNOWN_GAP"),
        (["--reclassify", AGGREGATION, "OVERLY_STRICT"], "--reclassify needs --reason TEXT: why the class is corrected"),
        (["--reclassify", AGGREGATION, "OVERLY_STRICT", "--reason", "  "], "--reason needs the text of why the class is corrected"),
        (["--add", "Fixed it", "--reclassify", AGGREGATION, "OVERLY_STRICT", "--reason", "x"],
         "give exactly one of --add TEXT or --reclassify EVAL CLASS"),
        ([], "give exactly one of --add TEXT or --reclassify EVAL CLASS"),
        (["--add", "Fixed it", "--reason", "x"], "--reason goes with --reclassify EVAL CLASS"),
        (["--reclassify", AGGREGATION, "model fault", "--reason", "x"],
         f"{AGGREGATION} is already MODEL_FAULT in {{report}}; nothing recorded"),
    ],
)
def test_bad_reclassifications_are_refused_in_one_line_and_touch_nothing(cli, analysed, args, message):
    files = {p: p.read_bytes() for p in analysed.parent.iterdir()}
    result = cli("actions", str(analysed), *args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {message.format(report=analysed)}"]
    assert {p: p.read_bytes() for p in analysed.parent.iterdir()} == files


def test_the_same_class_as_a_correction_already_gave_is_refused(cli, analysed):
    assert reclassify(cli, analysed, AGGREGATION, "OVERLY_STRICT", "first").exit_code == 0
    before = analysed.read_bytes()
    result = reclassify(cli, analysed, AGGREGATION, "overly-strict", "again")
    assert result.exit_code == 2 and "is already OVERLY_STRICT" in result.output
    assert analysed.read_bytes() == before


def test_corrections_chain_and_the_table_shows_the_classifiers_class_as_the_original(cli, analysed):
    assert reclassify(cli, analysed, AGGREGATION, "OVERLY_STRICT", "first", "2026-12-07").exit_code == 0
    assert reclassify(cli, analysed, AGGREGATION, "AMBIGUOUS_TASK", "second", "2026-12-08").exit_code == 0
    text = analysed.read_text()
    assert ROW.format("AMBIGUOUS_TASK (corrected from MODEL_FAULT)") in text
    assert text.endswith(
        f"- 2026-12-07: Reclassified `{AGGREGATION}` from MODEL_FAULT to OVERLY_STRICT: first\n"
        f"- 2026-12-08: Reclassified `{AGGREGATION}` from OVERLY_STRICT to AMBIGUOUS_TASK: second\n"
    )
    data = json.loads(analysed.with_suffix(".json").read_text())
    [failure] = [f for f in data["failures"] if f["eval_path"] == AGGREGATION]
    assert failure["classification"] == "AMBIGUOUS_TASK"
    assert failure["verdict"]["correction"] == {"original": "MODEL_FAULT", "reason": "second", "date": "2026-12-08"}
    [finding] = [f for f in read_report(analysed.parent, analysed.name).findings if f.eval_path == AGGREGATION]
    assert (finding.corrected_from, finding.correction_reason) == ("MODEL_FAULT", "second")


def test_a_maintainer_written_report_gets_the_entry_alone_and_history_reads_it(cli, tmp_path):
    folder = tmp_path / "reports" / "anthropic" / "claude-opus-4-6"
    folder.mkdir(parents=True)
    report = folder / OPUS.name
    shutil.copy(OPUS, report)
    before = report.read_text()
    result = reclassify(cli, report, "003-crons", "overly strict", "The task's wording invites the three-argument call")
    assert result.exit_code == 0, result.output
    entry = ("5. 2026-12-07: Reclassified `000-fundamentals/003-crons` from MODEL_FAULT to OVERLY_STRICT: "
             "The task's wording invites the three-argument call\n")
    after = report.read_text()
    assert after.count(entry) == 1 and after.replace(entry, "", 1) == before  # the entry is the only change
    [prior] = open_history(tmp_path / "reports").findings_about("000-fundamentals/003-crons")
    assert prior.classification == "OVERLY_STRICT" and prior.corrected and prior.correction.original == "MODEL_FAULT"
    assert prior.classification_raw == "OVERLY_STRICT (corrected from MODEL_FAULT)"
    labels, skipped = _labels(tmp_path / "reports")
    assert [(label.run_id, label.eval_path, label.classification) for label in labels] == [
        ("jn72t14a0tmje3jrj9wwng78gh80mdfw", "000-fundamentals/003-crons", "OVERLY_STRICT")
    ] and skipped == []


def _labels(reports: Path):
    from evalanalysis.pipeline.evaluation import corrections_as_labels

    return corrections_as_labels(open_history(reports), ea.DEFAULT_TAXONOMY)


def test_a_failure_that_was_not_analysed_can_be_given_a_class(cli, tmp_path):
    entry, _ = bundles.failure(1, "000-fundamentals/003-crons", "deploy", "boom")
    other = bundles.failure(2, "002-queries/004-range", "tsc", "error TS2339: Property 'between' does not exist")
    data = bundles.bundle([(entry, {"error": "debug info lost"}), other])
    bundles.write(tmp_path / "run.json", data)
    result = cli("analyze", str(tmp_path / "run.json"), "--date", "2026-01-01", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    [report] = (tmp_path / "reports").rglob("*.md")
    assert "| NOT_ANALYSED |" in report.read_text()
    result = reclassify(cli, report, "000-fundamentals/003-crons", "AMBIGUOUS_TASK", "The grader lost the logs; the task is unclear")
    assert result.exit_code == 0, result.output
    assert "| AMBIGUOUS_TASK (corrected from NOT_ANALYSED) |" in report.read_text()
    [failure] = [f for f in json.loads(report.with_suffix(".json").read_text())["failures"] if f["eval_path"].endswith("crons")]
    assert failure["classification"] == "AMBIGUOUS_TASK"
    assert failure["verdict"]["classifier"] == "maintainer"
    assert failure["verdict"]["correction"]["original"] == "NOT_ANALYSED"
    [prior] = open_history(tmp_path / "reports").findings_about("000-fundamentals/003-crons")
    assert prior.classification == "AMBIGUOUS_TASK" and prior.corrected


@pytest.mark.parametrize(
    "eval_path", ["002-queries/014-select_distinct", "a b/`odd` name", "x/y__z"],
)
def test_the_entry_reads_back_exactly(eval_path):
    entry = correction_entry(eval_path, "MODEL_FAULT", "OVERLY_STRICT", "because:  it\nis fine", "2026-12-07")
    parsed = parse_correction(entry)
    assert parsed is not None
    assert (parsed.eval_path, parsed.original, parsed.classification, parsed.reason, parsed.date) == (
        eval_path, "MODEL_FAULT", "OVERLY_STRICT", "because: it is fine", "2026-12-07"
    )
    assert parse_correction("2026-12-07: Downgraded `prefer-const` to warn") is None


def test_an_old_json_report_without_corrections_still_loads(analysed):
    data = json.loads(analysed.with_suffix(".json").read_text())
    for f in data["failures"]:
        f["verdict"].pop("correction")
        for p in f["prior_findings"]:
            p.pop("correction", None)
    analysis = ea.analysis_from_json(data)
    assert all(f.verdict.correction is None for f in analysis.failures)


def test_an_eval_path_with_markdown_marks_is_corrected_where_history_reads_it(cli, tmp_path):
    bundles.write(tmp_path / "run.json", bundles.bundle([bundles.failure(1, "002-queries/014__select_**distinct", "eslint",
                                                                         "error  'x' is never reassigned  prefer-const")]))
    assert cli("analyze", str(tmp_path / "run.json"), "--date", "2026-01-01", "-q").exit_code == 0
    [report] = (tmp_path / "reports").rglob("*.md")
    result = reclassify(cli, report, "002-queries/014__select_**distinct", "MODEL_FAULT", "It should have used const")
    assert result.exit_code == 0, result.output
    [prior] = open_history(tmp_path / "reports").findings_about("002-queries/014__select_**distinct")
    assert prior.classification == "MODEL_FAULT" and prior.correction.reason == "It should have used const"


def test_a_reason_with_control_characters_and_markup_is_kept_on_one_inert_line(cli, analysed):
    result = reclassify(cli, analysed, AGGREGATION, "OVERLY_STRICT", "see\x1b[2J the\n<b>grader</b>\x07")
    assert result.exit_code == 0, result.output
    text = analysed.read_text()
    assert "\x1b" not in text and "\x07" not in text
    assert text.endswith(f"- 2026-12-07: Reclassified `{AGGREGATION}` from MODEL_FAULT to OVERLY_STRICT: "
                         "see\\x1b[2J the <b>grader</b>\\x07\n")
    page = analysed.with_suffix(".html").read_text()
    assert "<b>grader</b>" not in page and "&lt;b&gt;grader&lt;/b&gt;" in page
