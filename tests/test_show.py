"""`evalanalysis show REPORT`: a JSON or markdown report's summary again, in `analyze`'s format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalanalysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT / "examples" / "runs" / "mixed-run.json"
FIXTURE_REPORT = ROOT / "tests" / "data" / "reports" / "qwen" / "qwen3.5-plus-02-15" / "jn78pe46_2026-02-18.md"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), env={"TTY_COMPATIBLE": "0"}, catch_exceptions=False)


@pytest.fixture
def written(isolated) -> dict[str, Path]:
    """The mixed example analysed into a fresh reports directory, and the plain summary `analyze` printed."""
    result = invoke("analyze", str(MIXED), "--date", "2026-11-25", "--reports-dir", str(isolated / "reports"),
                    "--format", "markdown,json,html")
    assert result.exit_code == 0, result.output
    paths = [Path(line.strip()) for line in result.stdout.splitlines() if line.startswith("  reports") or line.startswith(f"  {isolated}")]
    out = {p.suffix: p for p in paths}
    assert set(out) == {".md", ".json", ".html"}
    (isolated / "analyze.txt").write_text(result.stdout)
    return out


def test_show_json_prints_the_summary_analyze_printed(written, isolated):
    result = invoke("show", str(written[".json"]))
    assert result.exit_code == 0, result.output
    assert result.stdout == (isolated / "analyze.txt").read_text()
    lines = result.stdout.splitlines()
    assert lines[0] == "Run jn7easv5ga22s4wb146n8jmszsm1wpjp: claude-sonnet-4-5 (anthropic), experiment default"
    assert "Classes: MODEL_FAULT 9, AMBIGUOUS_TASK 2, KNOWN_GAP 1, OVERLY_STRICT 1" in lines
    assert "     11. 002-queries/014-select_distinct  eslint  0.85" in lines


def test_show_markdown_uses_the_json_beside_it(written):
    via_md = invoke("show", str(written[".md"]))
    via_html = invoke("show", str(written[".html"]))
    assert via_md.exit_code == via_html.exit_code == 0
    assert via_md.stdout == via_html.stdout == invoke("show", str(written[".json"])).stdout
    assert "      2. 000-fundamentals/006-database_crud  deploy  0.80" in via_md.stdout


def test_show_markdown_alone_reads_the_report_back(written, isolated):
    alone = isolated / "elsewhere" / "jn7easv5_2026-11-25.md"
    alone.parent.mkdir()
    alone.write_bytes(written[".md"].read_bytes())
    result = invoke("show", str(alone))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Run jn7easv5ga22s4wb146n8jmszsm1wpjp: claude-sonnet-4-5 (anthropic), experiment default"
    assert "Date: 2026-11-25" in lines and "Pass rate: 53/66 (80.3%)" in lines
    assert "Classes: MODEL_FAULT 9, AMBIGUOUS_TASK 2, KNOWN_GAP 1, OVERLY_STRICT 1" in lines
    assert "  OVERLY_STRICT (1)" in lines and "     11. 002-queries/014-select_distinct  eslint" in lines
    assert "      1. 000-fundamentals/002-basic_http_endpoint  tests  written AMBIGUOUS_TASK (infrastructure)" in lines
    assert "    and 1 more (--all-failures lists every failure)" in lines
    assert lines[-2:] == ["Reports:", f"  {alone}"]
    every = invoke("show", str(alone), "--all-failures").stdout
    assert "more (--all-failures" not in every
    assert "     13. 006-clients/001-use_mutation  tsc" in every.splitlines()


def test_show_a_maintainers_markdown_report(isolated):
    result = invoke("show", str(FIXTURE_REPORT))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Run jn78pe46wrs899sagdr2kds9w581dq2m: qwen/qwen3.5-plus-02-15 (qwen)")
    assert "Classes: MODEL_FAULT 14, KNOWN_GAP 3" in result.stdout
    assert "      9. 003-mutations/003-patch_nested  deploy" in result.stdout.splitlines()


def test_show_json_flag_prints_the_json(written, isolated):
    data = json.loads(invoke("show", str(written[".md"]), "--json").stdout)
    assert data == json.loads(written[".json"].read_text())
    alone = isolated / "alone.md"
    alone.write_bytes(written[".md"].read_bytes())
    record = json.loads(invoke("show", str(alone), "--json").stdout)
    assert record["run_id"] == "jn7easv5ga22s4wb146n8jmszsm1wpjp" and record["model"] == "claude-sonnet-4-5"
    assert record["classes"] == {"MODEL_FAULT": 9, "AMBIGUOUS_TASK": 2, "KNOWN_GAP": 1, "OVERLY_STRICT": 1}
    assert [f["eval_path"] for f in record["failures"]] == [f["eval_path"] for f in data["failures"]]
    assert [f["classification"] for f in record["failures"]] == [f["classification"] for f in data["failures"]]


def test_show_in_a_terminal_draws_the_tables(written):
    result = CliRunner().invoke(main, ["show", str(written[".json"])], env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Run analysis: claude-sonnet-4-5" in result.stdout and "Failures by class" in result.stdout
    assert "\u2502" in result.stdout and str(written[".html"]) in result.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.json", "does not exist"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "notes.txt", "hello"), "is not a report: expected a .json or .md file"),
        (lambda d: _write(d / "broken.json", "{"), "is not valid JSON (line 1"),
        (lambda d: _write(d / "other.json", '{"schema": "something/1"}'), "not an evalanalysis JSON report"),
        (lambda d: _write(d / "bad.json", '{"schema": "evalanalysis.analysis/1", "run": 3}'), "bad.json: "),
        (lambda d: _write(d / "prose.md", "# Shopping\n\n- milk\n"), "does not look like a run-analysis report"),
        (lambda d: _write(d / "page.html", "<p>hi</p>"), "page.json is not beside it"),
        (lambda d: _write_bytes(d / "binary.md", b"\xff\xfe\x00junk"), "is not UTF-8 text"),
    ],
)
def test_a_bad_report_gets_one_line_and_exit_2(isolated, make, message):
    result = invoke("show", str(make(isolated)))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line, line


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_terminal_escapes_in_a_report_are_shown_not_obeyed(isolated):
    import attrs

    import evalanalysis as ea

    analysis = ea.analyze(str(MIXED), settings=ea.Settings(), date="2026-11-25")
    first = attrs.evolve(analysis.failures[0], eval_path=f"000-fundamentals/evil{ESCAPES}", failed_step=f"tests{ESCAPES}")
    analysis = attrs.evolve(analysis, run=attrs.evolve(analysis.run, model=f"m{ESCAPES}"), failures=(first, *analysis.failures[1:]))
    json_path = isolated / "evil.json"
    json_path.write_text(json.dumps(ea.analysis_to_json(analysis)))
    markdown = ea.PluginRegistry(ea.get_plugin_manager()).create("reporter", "markdown", ea.Settings()).render(analysis)
    md_path = isolated / "alone" / "evil.md"
    md_path.parent.mkdir()
    md_path.write_text(markdown)
    for path in (json_path, md_path):
        for env in ({"TTY_COMPATIBLE": "0"}, {"TTY_COMPATIBLE": "1", "COLUMNS": "200"}):
            result = CliRunner().invoke(main, ["show", str(path), "--all-failures"], env=env)
            assert result.exit_code == 0, result.output
            out = result.stdout
            assert "\x1b]" not in out and "\x1b[2J" not in out and "\x9b" not in out and "\x07" not in out, (path, env)
            assert "m\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m" in out, (path, env)  # the model's name, shown whole and escaped
