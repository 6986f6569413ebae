"""Provider batches, prompt caching and dollars, end to end: the CLI drives the real anthropic and openai SDKs
against loopback fakes that speak Message Batches / Files + Batches and simulate each provider's prompt cache."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .fakes.llm_servers import FakeAnthropic, FakeOpenAI, Fault, Reply
from .test_llm_classifiers import MIXED, json_report, mixed_classes, responder, run, system_text, user_text, verdict

FAST_POLL = {"EVALANALYSIS_CLASSIFIER_BATCH_POLL_INTERVAL": "0.01"}
PROVIDERS = [("anthropic", FakeAnthropic, None), ("openai", FakeOpenAI, "chat"), ("openai", FakeOpenAI, "responses")]


@pytest.fixture
def workdir(isolated):
    return isolated


def setup(workdir: Path, api: str | None) -> None:
    if api:
        (workdir / "evalanalysis.toml").write_text(f'[classifier]\napi = "{api}"\n')


def creates(fake) -> list:
    """The batch-creating requests the fake received."""
    path = "/v1/messages/batches" if isinstance(fake, FakeAnthropic) else "/v1/batches"
    return [r for r in fake.requests if r.method == "POST" and r.path == path]


def verdicts(report: dict) -> dict:
    return {f["eval_path"]: (f["classification"], f["verdict"]["reasoning"]) for f in report["failures"]}


@pytest.mark.parametrize("provider,Fake,api", PROVIDERS)
def test_a_batch_gives_the_live_verdicts_at_the_batch_price_and_a_rerun_costs_nothing(workdir, provider, Fake, api):
    setup(workdir, api)
    with Fake() as fake:
        fake.responder = responder(mixed_classes())
        env = {**fake.env(), **FAST_POLL}
        live = run("analyze", str(MIXED), "--classifier", provider, "--reports-dir", "live", "--no-synthesis",
                   env={**env, "EVALANALYSIS_CACHE_DIR": str(workdir / "c-live")})
        assert live.exit_code == 0, live.output
        assert fake.count == 13 and fake.batch_count == 0
        fake.forget_prompt_cache()
        batched = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--reports-dir", "batch", "--no-synthesis",
                      env={**env, "EVALANALYSIS_CACHE_DIR": str(workdir / "c-batch")})
        assert batched.exit_code == 0, batched.output + batched.stderr
        assert fake.count == 13 and fake.batch_count == 13 and len(creates(fake)) == 1
        again = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--reports-dir", "again", "--no-synthesis",
                    env={**env, "EVALANALYSIS_CACHE_DIR": str(workdir / "c-batch")})
        assert again.exit_code == 0 and len(creates(fake)) == 1 and fake.batch_count == 13 and fake.count == 13

    a, b = json_report(workdir / "live"), json_report(workdir / "batch")
    assert verdicts(a) == verdicts(b) and {c for c, _ in verdicts(b).values()} == set(mixed_classes().values())
    assert b["usage"]["batched"] == 13 and b["usage"]["requests"] == 13 and a["usage"]["batched"] == 0
    assert 0 < b["usage"]["cost_usd"] < a["usage"]["cost_usd"] * 0.55  # half price, and the cache still read
    assert b["usage"]["cache_read_tokens"] > 0 and a["usage"]["cache_read_tokens"] > 0
    assert "13 requests batched" in next((workdir / "batch").rglob("*.md")).read_text()
    assert "LLM cost: $" in batched.output and "13 requests batched" in batched.output
    assert json_report(workdir / "again")["usage"]["cached"] == 13
    assert not list((workdir / "c-batch" / "batches").glob("*.json"))  # collected: nothing left to resume


def test_batch_requests_are_those_the_live_classifier_sends(workdir):
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        assert run("analyze", str(MIXED), "--classifier", "anthropic", "--batch", "--no-synthesis",
                   env={**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")}).exit_code == 0
    (create,) = creates(fake)
    requests = create.json["requests"]
    assert len(requests) == 13 and len({r["custom_id"] for r in requests}) == 13
    params = requests[0]["params"]
    assert params["tool_choice"] == {"type": "tool", "name": "record_verdict"} and params["model"] == "claude-sonnet-5-5"
    assert params["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert len({json.dumps(r["params"]["system"]) + json.dumps(r["params"]["tools"]) for r in requests}) == 1


def interrupted(args: list[str], env: dict, cwd: Path, ready) -> tuple[subprocess.Popen, str]:
    """Run `args`, send SIGINT once `ready()` holds (within 60 s), and return the process and its stderr."""
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc, err


@pytest.mark.parametrize("provider,Fake", [("anthropic", FakeAnthropic), ("openai", FakeOpenAI)])
def test_an_interrupted_batch_is_resumed_not_paid_again(workdir, provider, Fake):
    cache = workdir / "cache"
    with Fake() as fake:
        fake.responder = responder(mixed_classes())
        fake.batch_polls = 10**6  # the batch stays in progress until the run is interrupted
        env = {**os.environ, **fake.env(), "EVALANALYSIS_CACHE_DIR": str(cache),
               "EVALANALYSIS_CLASSIFIER_BATCH_POLL_INTERVAL": "0.05"}
        args = [sys.executable, "-m", "evalanalysis", "analyze", str(MIXED), "--classifier", provider, "--batch",
                "--no-synthesis", "--reports-dir", str(workdir / "reports")]
        seen: list[int] = []

        def polling() -> bool:  # the batch is recorded, and then polled twice
            if not seen:
                if not list((cache / "batches").glob("*.json")):
                    return False
                seen.append(len(fake.requests))
            return len(fake.requests) >= seen[0] + 2

        proc, err = interrupted(args, env, workdir, polling)
        assert proc.returncode != 0 and "Traceback" not in err
        assert "goes on processing; run the same command again to collect it" in err
        assert not (workdir / "reports").exists() and fake.batch_count == 0
        (state,) = list((cache / "batches").glob("*.json"))
        saved = json.loads(state.read_text())
        assert len(saved["requests"]) == 13 and saved["batch_id"] == next(iter(fake.batches))

        fake.batch_polls = 1
        result = subprocess.run(args, env=env, cwd=workdir, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert len(creates(fake)) == 1 and fake.batch_count == 13 and fake.count == 0
    report = json_report(workdir / "reports")
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == mixed_classes()
    assert report["usage"]["batched"] == 13 and not state.exists()


def test_a_killed_run_whose_batch_the_provider_no_longer_knows_sends_it_again(workdir):
    cache = workdir / "cache"
    args = [sys.executable, "-m", "evalanalysis", "analyze", str(MIXED), "--classifier", "anthropic", "--batch",
            "--no-synthesis"]
    with FakeAnthropic() as first:
        first.responder = responder({})
        first.batch_polls = 10**6
        env = {**os.environ, **first.env(), "EVALANALYSIS_CACHE_DIR": str(cache),
               "EVALANALYSIS_CLASSIFIER_BATCH_POLL_INTERVAL": "0.05"}
        proc = subprocess.Popen(args, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not sorted(cache.glob("batches/*.json")):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            proc.kill()  # SIGKILL: no chance to clean up
            proc.wait()
    (state,) = list((cache / "batches").glob("*.json"))
    with FakeAnthropic() as second:  # another account: it has never seen that batch
        second.responder = responder(mixed_classes())
        result = run("analyze", str(MIXED), "--classifier", "anthropic", "--batch", "--no-synthesis",
                     env={**second.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(cache)})
        assert result.exit_code == 0, result.output
    assert len(creates(second)) == 1 and second.batch_count == 13 and not state.exists()
    report = json_report(workdir / "reports")
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == mixed_classes()
    (warning,) = [w for w in report["warnings"] if "could not be collected" in w]
    assert "HTTP 404" in warning and warning.endswith("its requests are sent again")


@pytest.mark.parametrize("provider,Fake", [("anthropic", FakeAnthropic), ("openai", FakeOpenAI)])
def test_errored_and_invalid_batch_answers_are_asked_again_live(workdir, provider, Fake):
    classes = mixed_classes()
    with Fake() as fake:
        fake.responder = responder(classes)
        # The batch processes its requests in order: the first errs, the second answers a class that does not exist.
        fake.script(Fault(500, message="overloaded in the batch"), Reply.json(verdict("NOT_A_CLASS")))
        result = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--no-synthesis",
                     env={**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    assert fake.batch_count == 13 and fake.count == 2  # one live request for each
    live = [r.json for r in fake.requests if r.path.endswith(("/messages", "/chat/completions"))]
    assert sum("Your previous answer was rejected" in user_text(body) for body in live) == 1
    report = json_report(workdir / "reports")
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == classes
    assert report["usage"]["requests"] == 14 and report["usage"]["batched"] == 12  # 12 answered in the batch, 2 live
    assert "1 of 13 requests got no answer; they are sent live" in result.stderr
    # The prompt log holds every request of the batch, answered or not, under its batch id, and the live ones after it.
    logs = run("logs", "--json", "-n", "0")
    assert logs.exit_code == 0, logs.output
    entries = json.loads(logs.output)
    batched = [e for e in entries if e["batch_id"]]
    assert len(entries) == 15 and len(batched) == 13 and len({e["batch_id"] for e in batched}) == 1
    assert {e["eval_path"] for e in batched} == set(classes) and all(e["run_id"] for e in batched)
    (errored,) = [e for e in batched if e["error"]]
    assert "overloaded in the batch" in errored["error"] and errored["answer"] is None
    assert sum(e["verdict"] == "NOT_A_CLASS" for e in batched) == 1 and sum(bool(e["verdict"]) for e in batched) == 12
    assert all(e["input_tokens"] and e["output_tokens"] for e in batched if not e["error"])
    assert all(e["latency_ms"] is None for e in batched) and not any(e["batch_id"] for e in entries if e["latency_ms"])
    plain = run("logs", "-n", "0")
    assert f"batch {batched[0]['batch_id']}" in plain.output


@pytest.mark.parametrize("provider,Fake", [("anthropic", FakeAnthropic), ("openai", FakeOpenAI)])
@pytest.mark.parametrize("end", ["expired", "cancelled"])
def test_an_expired_or_cancelled_batch_falls_back_to_live_for_the_rest(workdir, provider, Fake, end):
    classes = mixed_classes()
    with Fake() as fake:
        fake.responder = responder(classes)
        if end == "expired":
            fake.batch_expire_after = 5
        else:
            fake.batch_cancel = True
        result = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--no-synthesis",
                     env={**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    answered = 5 if end == "expired" else 0
    assert fake.batch_count == answered and fake.count == 13 - answered
    report = json_report(workdir / "reports")
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == classes
    assert report["usage"]["batched"] == answered
    (warning,) = [w for w in report["warnings"] if w.startswith("batch ")]
    assert f" {end}" in warning and f"{13 - answered} of 13 requests are sent live instead" in warning


def test_batch_needs_a_classifier_with_a_batch_api(workdir):
    result = run("analyze", str(MIXED), "--batch")
    assert result.exit_code == 2 and "--batch: the rules classifier has no batch API" in result.stderr
    assert "Traceback" not in result.output
    # Set in the configuration (for the LLM classifiers), it leaves another classifier unbatched, with a warning.
    (workdir / "evalanalysis.toml").write_text("[classifier]\nbatch = true\n")
    configured = run("analyze", str(MIXED))
    assert configured.exit_code == 0
    assert "warning: classifier.batch is set, but the rules classifier has no batch API" in configured.stderr


# --------------------------------------------------------------------------- prompt caching


@pytest.mark.parametrize("provider,Fake,api", PROVIDERS)
def test_the_shared_prefix_is_byte_identical_and_the_cache_reads_are_reported(workdir, provider, Fake, api):
    setup(workdir, api)
    with Fake() as fake:
        fake.responder = responder({})
        result = run("analyze", str(MIXED), "--classifier", provider, "--no-synthesis",
                     env={**fake.env(), "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    bodies = [r.json for r in fake.requests]
    assert len({system_text(b) for b in bodies}) == 1 and len(system_text(bodies[0])) > 4000
    assert len({user_text(b) for b in bodies}) == 13  # what differs per failure comes after the shared prefix
    usage = json_report(workdir / "reports")["usage"]
    if provider == "anthropic":
        assert bodies[0]["system"][0]["cache_control"] == {"type": "ephemeral"}
        assert usage["cache_write_tokens"] > 1024 and usage["cache_read_tokens"] == 12 * usage["cache_write_tokens"]
    else:
        assert usage["cache_write_tokens"] == 0 and usage["cache_read_tokens"] >= 12 * 1024
    assert usage["cache_read_tokens"] < usage["input_tokens"]
    assert f"prompt cache {usage['cache_read_tokens']} tokens read" in result.output


@pytest.mark.parametrize("provider,Fake", [("anthropic", FakeAnthropic), ("openai", FakeOpenAI)])
def test_the_first_request_warms_the_cache_before_the_others_go(workdir, provider, Fake):
    """Requests in flight together would each write the prefix (the cache holds it once one has answered):
    the first goes alone, the rest read it, however many run at once."""
    with Fake() as fake:
        fake.responder = responder({})
        fake.latency = 0.5
        result = run("analyze", str(MIXED), "--classifier", provider, "--no-synthesis", "--concurrency", "4",
                     env={**fake.env(), "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    assert fake.max_in_flight == 4  # still concurrent after the first
    report = json_report(workdir / "reports")
    usage = report["usage"]
    cold = [f["eval_path"] for f in report["failures"] if f["verdict"]["usage"]["cache_read_tokens"] == 0]
    assert len(cold) == 1  # only the first paid the write
    bodies = [r.json for r in fake.requests]
    if provider == "anthropic":
        prefix = len(json.dumps(bodies[0]["tools"] + bodies[0]["system"], sort_keys=True)) // 4
        assert usage["cache_write_tokens"] == prefix and usage["cache_read_tokens"] == 12 * prefix
    else:
        assert usage["cache_read_tokens"] >= 12 * 1024


# ------------------------------------------------------------------------------- dollars


def test_costs_follow_the_configured_prices(workdir):
    bundle_args = ("analyze", str(MIXED), "--classifier", "anthropic", "--no-synthesis")
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        env = {**fake.env(), "EVALANALYSIS_CACHE_DIR": str(workdir / "c")}
        assert run(*bundle_args, "--reports-dir", "list", "--no-cache", env=env).exit_code == 0
        (workdir / "evalanalysis.toml").write_text(
            '[prices."claude-sonnet-5-5"]\ninput_per_mtok = 6.0\noutput_per_mtok = 30.0\n'
            'cache_write_per_mtok = 7.5\ncache_read_per_mtok = 0.6\n')
        fake.forget_prompt_cache()
        assert run(*bundle_args, "--reports-dir", "double", "--no-cache", "--format", "markdown,json,html", env=env).exit_code == 0
    listed, doubled = json_report(workdir / "list")["usage"], json_report(workdir / "double")["usage"]
    assert listed["input_tokens"] == doubled["input_tokens"]
    fresh = listed["input_tokens"] - listed["cache_read_tokens"] - listed["cache_write_tokens"]
    expected = (fresh * 3 + listed["cache_write_tokens"] * 3.75 + listed["cache_read_tokens"] * 0.3 + listed["output_tokens"] * 15) / 1e6
    assert listed["cost_usd"] == pytest.approx(expected, abs=1e-5)
    assert doubled["cost_usd"] == pytest.approx(2 * expected, abs=1e-5)
    md = next((workdir / "double").rglob("*.md")).read_text()
    assert f"- **LLM cost**: ${doubled['cost_usd']:.4f}; prompt cache" in md
    html = next((workdir / "double").rglob("*.html")).read_text()
    assert "LLM cost" in html and f"${doubled['cost_usd']:.4f}" in html


@pytest.mark.parametrize("table,message", [
    ('[prices."claude-sonnet-5-5"]\ninput_per_mtok = -1\n', "prices.'claude-sonnet-5-5' input_per_mtok must be a number of dollars, 0 or more"),
    ('[prices."claude-sonnet-5-5"]\ninput = 3\n', "unknown key 'input'"),
    ('[prices."my-model"]\ninput_per_mtok = 1.0\n', "needs output_per_mtok (no built-in price for this model)"),
    ('[prices."gpt-5.5"]\nbatch_discount = 1.5\n', "batch_discount is the fraction taken off"),
    ('[prices]\nx = 1\n', "must be a table of prices"),
])
def test_bad_prices_get_a_one_line_error(workdir, table, message):
    (workdir / "evalanalysis.toml").write_text(table)
    result = run("analyze", str(MIXED))
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_budget_stops_sending_and_the_report_marks_the_rest(workdir):
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        # Each request may cost up to about $0.04 (2,048 output tokens at $15/Mtok and its input): 3 fit in $0.13.
        result = run("analyze", str(MIXED), "--classifier", "anthropic", "--budget-usd", "0.13", "--no-synthesis",
                     "--concurrency", "1", env={**fake.env(), "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    report = json_report(workdir / "reports")
    sent = [f for f in report["failures"] if f["classification"] is not None]
    held = [f for f in report["failures"] if f["classification"] is None]
    assert len(sent) == fake.count and 0 < fake.count < 13 and len(held) == 13 - fake.count
    assert all("would pass the budget of $0.1300" in f["not_analysed_reason"] for f in held)
    assert report["usage"]["cost_usd"] <= 0.13
    assert "not analysed" in next((workdir / "reports").rglob("*.md")).read_text().lower()


def test_budget_needs_a_price(workdir):
    result = run("analyze", str(MIXED), "--classifier", "anthropic", "--model", "claude-unpriced", "--budget-usd", "1",
                 env={"ANTHROPIC_API_KEY": "sk-test-QQQQ9999QQQQ9999QQ"})
    assert result.exit_code == 2 and 'set input_per_mtok and output_per_mtok in [prices."claude-unpriced"]' in result.stderr


def test_dry_run_estimates_dollars_live_cached_and_batched(workdir):
    result = run("analyze", str(MIXED), "--classifier", "anthropic", "--dry-run", "--json", env={"ANTHROPIC_API_KEY": None})
    assert result.exit_code == 0, result.output
    usd = json.loads(result.output)["estimated_usd"]
    assert 0 < usd["batched"] < usd["live_with_prompt_cache"] < usd["live"]
    text = run("analyze", str(MIXED), "--classifier", "openai", "--dry-run", env={"OPENAI_API_KEY": None}).output
    assert "Estimated cost at most (full-length answers): $" in text and "with --batch." in text
    unpriced = run("analyze", str(MIXED), "--classifier", "openai", "--model", "x-1", "--dry-run", env={"OPENAI_API_KEY": None})
    assert 'no price known for x-1; set [prices."x-1"]' in unpriced.output


def test_a_batch_holds_what_fits_the_budget_and_the_rest_is_not_sent(workdir):
    with FakeAnthropic() as fake:
        fake.responder = responder({})
        result = run("analyze", str(MIXED), "--classifier", "anthropic", "--batch", "--budget-usd", "0.1", "--no-synthesis",
                     env={**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
        assert result.exit_code == 0, result.output
    (create,) = creates(fake)
    batched = len(create.json["requests"])
    assert 0 < batched < 13 and fake.batch_count == batched
    report = json_report(workdir / "reports")
    assert f"the batch holds {batched} of 13 requests: the rest would pass --budget-usd" in report["warnings"]
    held = [f for f in report["failures"] if f["classification"] is None]
    assert len(held) == 13 - batched - fake.count and held
    assert all("would pass the budget of $0.1000" in f["not_analysed_reason"] for f in held)
    assert report["usage"]["cost_usd"] <= 0.1


def test_a_batch_run_asks_the_deployment_once_per_failure(workdir):
    """The collecting pass and the real pass of --batch read the same details: Convex is asked once for each."""
    from .fakes.convex_server import EVAL_FUNCTION, FakeConvex, cli_env

    key = "prod:fake-deployment|5ecret0batch0key0value"
    run_id = json.loads(MIXED.read_text())["summary"]["run"]["_id"]
    classes = mixed_classes()
    with FakeConvex([MIXED], admin_key=key) as convex, FakeAnthropic() as fake:
        fake.responder = responder(classes)
        env = {**cli_env(workdir, convex.url, key), **fake.env(), **FAST_POLL}
        result = run("analyze", run_id, "--classifier", "anthropic", "--batch", "--no-synthesis", "--json", env=env)
        asked = sorted(r.args["evalId"] for r in convex.requests if r.function == EVAL_FUNCTION)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == classes
    assert len(asked) == len(set(asked)) == 13 and fake.batch_count == 13 and fake.count == 0


def test_details_kept_between_the_passes_stay_within_their_limit():
    """What would pass the limit, and what failed to fetch, is fetched again; what is kept is taken once."""
    import asyncio

    from evalanalysis import EvalDetail, EvalInfo, FailedEval
    from evalanalysis.pipeline.batching import KeptDetails, text_size

    class Counting:
        def __init__(self):
            self.asked: list[str] = []

        async def fetch_run(self, run_id):
            return None

        async def fetch_eval(self, failed):
            self.asked.append(failed.id)
            if failed.id == "broken":
                raise OSError("connection reset")
            return EvalDetail(EvalInfo(failed.id, failed.eval_path, "c", "n"), output_files={"a.ts": "x" * int(failed.name)})

    source = Counting()
    kept = KeptDetails(source, limit=1_000)
    small, big, broken = (FailedEval(i, f"000-c/{i}", "000-c", n) for i, n in (("small", "300"), ("big", "5000"), ("broken", "1")))

    async def twice(failed):
        for _ in range(2):
            try:
                await kept.fetch_eval(failed)
            except OSError:
                pass

    async def main():
        for failed in (small, big, broken):
            await twice(failed)

    asyncio.run(main())
    assert source.asked == ["small", "big", "big", "broken", "broken"]
    assert kept.kept == {} and kept.size == 0
    assert text_size(EvalDetail(EvalInfo("i", "p", "c", "n"), output_files={"ab": "cde"})) == 4 + 5


@pytest.mark.parametrize("provider,Fake", [("anthropic", FakeAnthropic), ("openai", FakeOpenAI)])
def test_a_large_run_is_sent_as_several_batches_each_kept_until_collected(workdir, provider, Fake, monkeypatch):
    """Past `CHUNK_CHARS` of prompt text a run goes out as several batches, each kept for resuming as soon as it
    is created; the verdicts are the live ones, and nothing is created twice."""
    from evalanalysis.llm import batch as llm_batch

    monkeypatch.setattr(llm_batch, "CHUNK_CHARS", 60_000)  # a few of the mixed run's prompts per batch
    classes = mixed_classes()
    with Fake() as fake:
        fake.responder = responder(classes)
        env = {**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")}
        result = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--no-synthesis", "--json", env=env)
        again = run("analyze", str(MIXED), "--classifier", provider, "--batch", "--no-synthesis", "--json", env=env)
    assert result.exit_code == 0 and again.exit_code == 0, result.output
    made = creates(fake)
    assert len(made) >= 3 and fake.batch_count == 13 and fake.count == 0
    report = json.loads(result.stdout)
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == classes
    assert report["usage"]["batched"] == 13
    assert json.loads(again.stdout)["usage"]["cached"] == 13 and len(creates(fake)) == len(made)
    assert not list((workdir / "c" / "batches").glob("*.json"))


def test_an_interrupted_run_of_several_batches_resumes_every_one(workdir):
    """Every batch of a large run is recorded as it is created; interrupted while the first is still
    processing, the next run collects them all and creates none."""
    cache = workdir / "cache"
    launcher = ("import sys; import evalanalysis.llm.batch as b; b.CHUNK_CHARS = 60_000; "
                "from evalanalysis.__main__ import main; sys.argv[0] = 'evalanalysis'; main()")
    with FakeAnthropic() as fake:
        fake.responder = responder(mixed_classes())
        fake.batch_polls = 10**6
        env = {**os.environ, **fake.env(), "EVALANALYSIS_CACHE_DIR": str(cache),
               "EVALANALYSIS_CLASSIFIER_BATCH_POLL_INTERVAL": "0.05"}
        args = [sys.executable, "-c", launcher, "analyze", str(MIXED), "--classifier", "anthropic", "--batch",
                "--no-synthesis", "--reports-dir", str(workdir / "reports")]
        # every batch created, and the first one polled
        proc, err = interrupted(args, env, workdir, lambda: any(r.method == "GET" for r in fake.requests))
        assert proc.returncode != 0 and "Traceback" not in err
        states = list((cache / "batches").glob("*.json"))
        made = len(creates(fake))
        assert made >= 3 and len(states) == made
        assert sum(len(json.loads(s.read_text())["requests"]) for s in states) == 13

        fake.batch_polls = 1
        result = subprocess.run(args, env=env, cwd=workdir, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert len(creates(fake)) == made and fake.batch_count == 13 and fake.count == 0
    report = json_report(workdir / "reports")
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == mixed_classes()
    assert not list((cache / "batches").glob("*.json"))


def test_a_batch_answer_that_is_not_a_completion_is_asked_again_live(workdir):
    """An answer line whose body only looks like a chat completion (a message that is a string) is that one
    request's failure: it is asked again live, and the rest of the batch stands."""
    setup(workdir, "chat")
    classes = mixed_classes()
    with FakeOpenAI() as fake:
        fake.responder = responder(classes)
        fake.script(Fault(200, body={"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": "x"}]}))
        result = run("analyze", str(MIXED), "--classifier", "openai", "--batch", "--no-synthesis", "--json",
                     env={**fake.env(), **FAST_POLL, "EVALANALYSIS_CACHE_DIR": str(workdir / "c")})
    assert result.exit_code == 0, result.output
    assert fake.batch_count == 13 and fake.count == 1
    report = json.loads(result.stdout)
    assert {f["eval_path"]: f["classification"] for f in report["failures"]} == classes
    assert report["usage"]["batched"] == 12
    assert any("1 of 13 requests got no answer; they are sent live" in w for w in report["warnings"]), report["warnings"]
