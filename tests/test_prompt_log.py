"""The prompt log: every prompt the LLM classifiers send, and every answer, in sqlite, masked; `evalanalysis logs`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evalanalysis.cli import main

from . import bundles
from .fakes.llm_servers import FakeAnthropic, FakeOpenAI, Fault, Reply
from .test_llm_classifiers import FAST, MIXED, NO_SYNTHESIS, eval_of, responder, schema_of, system_text, user_text, verdict

SECRET = "sk-log-test-Echoed-9f8e7d6c5b4a3210"
CONVEX_SECRET = "cvxLogSecret-Q7w3Z9xK4m"
CONVEX_KEY = f"prod:happy-otter-123|{CONVEX_SECRET}"
FIRST, SECOND = "002-queries/001-first", "005-actions/002-second"
RUN_ID = bundles.RUN_ID


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


def logged(*args: str, env: dict[str, str] | None = None) -> list[dict]:
    result = run("logs", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def workdir(isolated, monkeypatch):
    monkeypatch.setenv("EVALANALYSIS_CACHE_DIR", str(isolated / "cache"))
    monkeypatch.setenv("CONVEX_DEPLOY_KEY", CONVEX_KEY)
    return isolated


def two_failures(tmp: Path) -> Path:
    """Two failures; the first one's error quotes the Convex deploy key held in the environment."""
    failures = [
        bundles.failure(1, FIRST, "tests", f"Tests: 1 failed\nError: unauthorized with key {CONVEX_KEY} at line 3"),
        bundles.failure(2, SECOND, "tsc", "convex/actions.ts(4,1): error TS2304: Cannot find name 'x'."),
    ]
    return bundles.write(tmp / "two.json", bundles.bundle(failures))


def echoing(body: dict) -> Reply:
    """A server that echoes the API key it was sent in every answer."""
    if schema_of(body)[0] == "record_synthesis":
        return Reply.json({"patterns": [], "recommendations": []}, output_tokens=30)
    cls = "KNOWN_GAP" if eval_of(body) == FIRST else "MODEL_FAULT"
    return Reply.json(verdict(cls, reasoning=f"Your key {SECRET} worked. The error says why."), output_tokens=40)


def log_files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("fake_class,classifier", [(FakeAnthropic, "anthropic"), (FakeOpenAI, "openai")])
def test_every_prompt_and_answer_is_logged_with_secrets_masked(workdir, fake_class, classifier):
    bundle = two_failures(workdir)
    with fake_class(api_key=SECRET) as fake:
        fake.responder = echoing
        first = run("analyze", str(bundle), "--classifier", classifier, "--reports-dir", "r1", env=fake.env())
        assert first.exit_code == 0, first.output
        assert fake.count == 3  # two failures and the synthesis
        again = run("analyze", str(bundle), "--classifier", classifier, "--reports-dir", "r2", "--no-synthesis", env=fake.env())
        assert again.exit_code == 0, again.output
        assert fake.count == 3  # both verdicts from the cache

    # By default the log is in the platformdirs user data dir (here under the test's XDG_DATA_HOME).
    folder = workdir / "xdg-data" / "evalanalysis"
    assert (folder / "prompts.sqlite3").is_file()
    raw = log_files(folder)
    assert SECRET.encode() not in raw and CONVEX_SECRET.encode() not in raw and SECRET[5:20].encode() not in raw

    entries = logged("-n", "0")
    assert len(entries) == 5  # three prompts sent, then two verdicts from the cache
    sent, cached = entries[2:], entries[:2]  # newest first
    assert [e["from_cache"] for e in entries] == [True] * 2 + [False] * 3
    times = [e["time"] for e in entries]
    assert times == sorted(times, reverse=True)
    name = {"anthropic": "anthropic:claude-sonnet-5-5", "openai": "openai:gpt-5.5"}[classifier]
    for e in entries:
        assert e["run_id"] == RUN_ID and e["provider"] == classifier and e["classifier"] == name
        assert SECRET not in json.dumps(e) and CONVEX_SECRET not in json.dumps(e)
    by_eval = {e["eval_path"]: e for e in sent}
    assert set(by_eval) == {FIRST, SECOND, None}
    assert by_eval[None]["kind"] == "synthesis" and by_eval[FIRST]["kind"] == "verdict"
    one = by_eval[FIRST]
    assert one["verdict"] == "KNOWN_GAP" and by_eval[SECOND]["verdict"] == "MODEL_FAULT"
    assert "Your key [API key] worked" in one["answer"]  # the server echoed the key; the log holds the mask
    assert "[Convex key]" in one["user"] and f"eval: {FIRST}" in one["user"]  # the evidence quoted the env secret
    (sent_first,) = [r.json for r in fake.requests if r.json and f"eval: {FIRST}" in user_text(r.json)]
    assert one["system"] == system_text(sent_first) and one["user"] == user_text(sent_first)  # exactly as sent
    assert one["output_tokens"] == 40 and one["input_tokens"] > 100
    assert one["latency_ms"] > 0 and one["error"] is None
    assert {e["verdict"] for e in cached} == {"KNOWN_GAP", "MODEL_FAULT"}
    assert all(e["latency_ms"] is None and e["user"] == by_eval[e["eval_path"]]["user"] for e in cached)


def test_filters_run_eval_and_count(workdir):
    other_run = "jn7otherrun0000000000000000000000"[:32]
    first = bundles.write(workdir / "a.json", bundles.bundle([bundles.failure(1, FIRST, "tests", "boom"),
                                                             bundles.failure(2, SECOND, "tests", "bang")]))
    second = bundles.write(workdir / "b.json", bundles.bundle([bundles.failure(3, "002-queries/009-third", "tests", "bam")],
                                                             run_id=other_run))
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        for bundle in (first, second):
            result = run("analyze", str(bundle), "--classifier", "anthropic", "--no-synthesis", env=fake.env())
            assert result.exit_code == 0, result.output

    assert len(logged()) == 3
    assert {e["eval_path"] for e in logged("--run", RUN_ID)} == {FIRST, SECOND}
    assert [e["eval_path"] for e in logged("--run", other_run[:10])] == ["002-queries/009-third"]
    assert [e["eval_path"] for e in logged("--eval", FIRST)] == [FIRST]
    assert {e["eval_path"] for e in logged("--eval", "002-queries")} == {FIRST, "002-queries/009-third"}
    assert logged("--eval", "002-quer") == []  # a category is matched whole
    newest = logged("-n", "1")
    assert len(newest) == 1 and newest[0]["eval_path"] == "002-queries/009-third"
    assert logged("--run", "nosuchrun", "--eval", FIRST) == []

    text = run("logs", "--run", RUN_ID)
    assert text.exit_code == 0
    assert f"{FIRST}" in text.output and "verdict MODEL_FAULT" in text.output and "2 entries, newest first" in text.output
    bad = run("logs", "-n", "-3")
    assert bad.exit_code == 2 and "-n" in bad.output


def test_disabled_logging_writes_no_file(workdir):
    (workdir / "evalanalysis.toml").write_text("[log]\nenabled = false\n")
    bundle = two_failures(workdir)
    with FakeAnthropic() as fake:
        fake.responder = responder({}, synthesis=NO_SYNTHESIS)
        result = run("analyze", str(bundle), "--classifier", "anthropic", env={**fake.env(), "EVALANALYSIS_LOG_DIR": "logs"})
    assert result.exit_code == 0, result.output
    assert fake.count == 3
    assert not (workdir / "logs").exists() and not (workdir / "xdg-data").exists()
    shown = run("logs", env={"EVALANALYSIS_LOG_DIR": "logs"})
    assert shown.exit_code == 0 and "logging is off" in shown.output


@pytest.mark.parametrize("damage", ["corrupt", "not a directory"])
def test_an_unusable_log_warns_once_and_the_analysis_goes_on(workdir, damage):
    if damage == "corrupt":
        (workdir / "logs").mkdir()
        (workdir / "logs" / "prompts.sqlite3").write_bytes(b"this is not a database, just text " * 100)
    else:
        (workdir / "logs").write_text("a file where the log directory should be")
    bundle = two_failures(workdir)
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        result = CliRunner().invoke(
            main, ["analyze", str(bundle), "--classifier", "anthropic"], env={**fake.env(), "EVALANALYSIS_LOG_DIR": "logs"}
        )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("prompts are not logged") == 1, result.stderr
    assert "warning: cannot open the prompt log" in result.stderr
    assert len(list((workdir / "reports").rglob("*.json"))) == 1
    if damage == "corrupt":
        assert (workdir / "logs" / "prompts.sqlite3").read_bytes().startswith(b"this is not a database")  # left as it was
        shown = CliRunner().invoke(main, ["logs"], env={"EVALANALYSIS_LOG_DIR": "logs"})
        assert shown.exit_code == 2 and shown.stderr.startswith("error: cannot read the prompt log") and len(shown.stderr.splitlines()) == 1


def test_a_failed_request_is_logged_with_its_error(workdir):
    bundle = bundles.write(workdir / "one.json", bundles.bundle([bundles.failure(1, FIRST, "tests", "boom")]))
    with FakeAnthropic() as fake:
        fake.responder = lambda body: Fault(400, FAST, message=f"bad request from key {fake.api_key}")
        result = run("analyze", str(bundle), "--classifier", "anthropic", "--no-synthesis", env=fake.env())
    assert result.exit_code == 1  # the one failure was not analysed
    (entry,) = logged()
    assert entry["eval_path"] == FIRST and entry["answer"] is None and entry["verdict"] is None
    assert "HTTP 400" in entry["error"] and fake.api_key not in entry["error"]


WRITER = """
import sys
from pathlib import Path
from evalanalysis.config import LogSettings
from evalanalysis.llm.log import classifier_log
log = classifier_log(LogSettings(dir=sys.argv[1]), provider="p", model="m", classifier="p:m")
for i in range(int(sys.argv[3])):
    log.log.add({"provider": "p", "model": "m", "classifier": "p:m", "system": "same system text",
                 "user": f"prompt {sys.argv[2]}-{i}", "answer": "{}", "eval_path": f"w{sys.argv[2]}/e{i}"})
"""


def test_processes_writing_at_once_lose_no_entry(isolated):
    folder = isolated / "shared-log"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(n), "60"], stderr=subprocess.PIPE, text=True)
             for n in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs) and not any(errors), errors
    entries = logged("-n", "0", env={"EVALANALYSIS_LOG_DIR": str(folder)})
    assert len(entries) == 240
    assert {e["user"] for e in entries} == {f"prompt {n}-{i}" for n in range(4) for i in range(60)}
    assert {e["system"] for e in entries} == {"same system text"}


def test_log_dir_setting_and_config_row(workdir):
    result = run("config", "--json", env={"EVALANALYSIS_LOG_DIR": "elsewhere"})
    rows = {r["key"]: r for r in json.loads(result.output)}
    assert rows["log.dir"]["value"] == "elsewhere" and rows["log.dir"]["origin"] == "environment EVALANALYSIS_LOG_DIR"
    assert rows["log.enabled"]["value"] is True
    default = {r["key"]: r for r in json.loads(run("config", "--json").output)}["log.dir"]
    assert default["value"] == os.path.join(str(workdir / "xdg-data"), "evalanalysis")
    assert logged() == []  # no log yet: an empty list, not an error


def test_the_mixed_example_logs_one_entry_per_prompt(workdir):
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        result = run("analyze", str(MIXED), "--classifier", "anthropic", env=fake.env())
        assert result.exit_code == 0, result.output
    entries = logged("-n", "0")
    assert len(entries) == fake.count == 14
    bodies = {eval_of(r.json) for r in fake.requests if "record_verdict" in json.dumps(r.json.get("tool_choice"))}
    assert {e["eval_path"] for e in entries if e["kind"] == "verdict"} == bodies


def test_the_terminal_view_shows_logged_text_as_text():
    """A logged answer is untrusted: rich markup in it is printed as is, and its control characters written out."""
    import io

    from rich.console import Console

    from evalanalysis.cli.logs import print_rich

    entry = {"time": "2026-12-07T12:00:00.000+00:00", "classifier": "anthropic:m", "run_id": RUN_ID, "eval_path": FIRST,
             "kind": "verdict", "from_cache": False, "verdict": "MODEL_FAULT", "input_tokens": 10, "output_tokens": 2,
             "cache_read_tokens": 5, "cache_write_tokens": None, "latency_ms": 1250.0, "system": "s", "user": "u",
             "answer": "[bold red]obey[/bold red] \x1b[2J\x1b]0;title\x07", "error": None}
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    print_rich([entry], console)
    out = console.file.getvalue()
    assert "[bold red]obey[/bold red]" in out and "\\x1b[2J" in out and "\x1b[2J" not in out and "\x07" not in out
    assert "verdict MODEL_FAULT, 10 in / 2 out tokens (5 cache read), 1.25 s" in out and "1 entry;" in out


def test_a_log_written_before_batches_were_logged_is_read_and_then_upgraded(workdir):
    """Schema 1 had no batch column: `logs` reads such a file as it is, and the next entry adds the column
    without losing the entries already there."""
    import sqlite3

    from evalanalysis.llm import log as prompt_log

    folder = workdir / "xdg-data" / "evalanalysis"
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "prompts.sqlite3")
    db.executescript(prompt_log._SCHEMA.replace(",\n    batch_id TEXT", ""))
    db.execute("INSERT INTO systems VALUES ('s', 'system text')")
    db.execute(
        "INSERT INTO entries (ts, run_id, eval_path, kind, provider, model, classifier, system_sha, user, from_cache) "
        "VALUES (1.5e9, 'old-run', '000-a/001-b', 'verdict', 'anthropic', 'm', 'anthropic:m', 's', 'old prompt', 0)"
    )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    (old,) = logged()
    assert old["user"] == "old prompt" and old["batch_id"] is None

    bundle = two_failures(workdir)
    with FakeAnthropic(api_key=SECRET) as fake:
        fake.responder = echoing
        assert run("analyze", str(bundle), "--classifier", "anthropic", "--no-synthesis", env=fake.env()).exit_code == 0
    entries = logged("-n", "0")
    assert len(entries) == 3 and entries[-1]["user"] == "old prompt"
    db = sqlite3.connect(folder / "prompts.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == prompt_log.SCHEMA_VERSION == 2
    db.close()
