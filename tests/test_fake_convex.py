"""The fake Convex deployment answers like the real HTTP API, so the Convex source can be tested against it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from tests.fakes.convex_server import DEFAULT_ADMIN_KEY, EVAL_FUNCTION, RUN_FUNCTION, FakeConvex

REPO = Path(__file__).resolve().parents[1]
RUN_ID = "jn7ab2c3d4e5f6g7h8j9k0m1n2p3q4r5"
EVAL_ID = "k57ab2c3d4e5f6g7h8j9k0m1n2p3q4r6"
UNKNOWN_RUN_ID = "jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
UNKNOWN_EVAL_ID = "k57zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
ADMIN = {"Authorization": f"Convex {DEFAULT_ADMIN_KEY}"}
RUN = {"_id": RUN_ID, "model": "claude-x", "provider": "anthropic", "experiment": "default",
       "status": {"kind": "completed", "durationMs": 1200}}
SMALL_BUNDLE = {
    "format": "evalanalysis.bundle/1",
    "summary": {
        "run": RUN,
        "totalEvals": 3,
        "passedCount": 2,
        "failedCount": 1,
        "failedEvals": [{"_id": EVAL_ID, "evalPath": "004-actions/000-fetch", "category": "004-actions",
                         "name": "000-fetch", "failureReason": "tests failed",
                         "failedStep": {"name": "tests", "failureReason": "1 test failed"}}],
    },
    "evals": {
        EVAL_ID: {
            "eval": {"_id": EVAL_ID, "evalPath": "004-actions/000-fetch", "category": "004-actions",
                     "name": "000-fetch", "status": {"kind": "failed", "failureReason": "tests failed"},
                     "task": "Write an action that fetches a URL."},
            "run": {**RUN, "runId": RUN_ID},
            "steps": [{"name": "tsc", "status": {"kind": "passed"}},
                      {"name": "tests", "status": {"kind": "failed", "failureReason": "1 test failed"}}],
            "outputFiles": {"convex/actions.ts": "export const f = 1;"},
            "evalSourceFiles": {"TASK.txt": "Write an action that fetches a URL."},
        }
    },
}


def call(client: httpx2.Client, path: str, args: dict, headers=ADMIN, **body) -> httpx2.Response:
    return client.post("/api/function", json={"path": path, "args": args, "format": "json", **body}, headers=headers)


@pytest.fixture
def fake():
    with FakeConvex(bundles=[SMALL_BUNDLE]) as server:
        yield server


@pytest.fixture
def client(fake):
    with httpx2.Client(base_url=fake.url, timeout=5) as http:
        yield http


def test_failure_summary_comes_back_with_counts_as_floats(client):
    response = call(client, RUN_FUNCTION, {"runId": RUN_ID})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success" and "logLines" not in body
    assert body["value"]["totalEvals"] == 3.0 and isinstance(body["value"]["totalEvals"], float)
    assert '"failedCount": 1.0' in response.text
    assert body["value"]["failedEvals"][0]["_id"] == EVAL_ID


def test_eval_debug_info_from_a_bundle_file(tmp_path):
    bundle_path = tmp_path / "run.json"
    bundle_path.write_text(json.dumps(SMALL_BUNDLE))
    with FakeConvex(bundles=[bundle_path], log_lines=["hello"]) as fake, httpx2.Client(base_url=fake.url) as http:
        body = call(http, EVAL_FUNCTION, {"evalId": EVAL_ID}, format="convex_encoded_json").json()
    assert body["status"] == "success" and body["logLines"] == ["hello"]
    assert body["value"]["eval"]["task"] == "Write an action that fetches a URL."
    assert body["value"]["run"]["status"]["durationMs"] == 1200.0
    assert fake.calls == {EVAL_FUNCTION: 1}


def test_unknown_ids_give_null_run_and_eval_not_found(client):
    assert call(client, RUN_FUNCTION, {"runId": UNKNOWN_RUN_ID}).json() == {"status": "success", "value": None}
    unknown_eval = call(client, EVAL_FUNCTION, {"evalId": UNKNOWN_EVAL_ID}).json()
    assert unknown_eval == {"status": "success", "value": {"error": "Eval not found"}}


@pytest.mark.parametrize(
    ("path", "args", "expected"),
    [
        (RUN_FUNCTION, {"runId": "not-an-id"},
         'ArgumentValidationError: Value does not match validator.\nPath: .runId\nValue: "not-an-id"\n'
         'Validator: v.id("runs")'),
        (EVAL_FUNCTION, {"evalId": RUN_ID}, f'Path: .evalId\nValue: "{RUN_ID}"\nValidator: v.id("evals")'),
        (RUN_FUNCTION, {}, "Object is missing the required field `runId`"),
        (RUN_FUNCTION, {"runId": RUN_ID, "limit": 3}, "Object contains extra field `limit`"),
        ("debug:nope", {}, "Could not find function for 'debug:nope'. Did you forget to run `npx convex dev`"),
    ],
)
def test_bad_calls_are_function_errors_with_http_200(client, path, args, expected):
    response = call(client, path, args)
    assert response.status_code == 200
    assert response.json()["status"] == "error"
    assert expected in response.json()["errorMessage"]


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"Authorization": "Convex prod:fake-deployment|wrong"}, 401, "BadAdminKey"),
        ({}, 403, "BadDeployKey"),
        ({"Authorization": "Bearer eyJhbGciOi.x.y"}, 403, "BadDeployKey"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, 400, None),
        ({"Authorization": "Convex"}, 400, None),
    ],
)
def test_auth_failures_are_http_errors_with_code_and_message(client, headers, status, code):
    response = call(client, RUN_FUNCTION, {"runId": RUN_ID}, headers=headers)
    assert response.status_code == status
    assert set(response.json()) == {"code", "message"}
    if code:
        assert response.json()["code"] == code
    if code == "BadAdminKey":
        assert response.json()["message"] == "The provided admin key was invalid for this instance"


def test_admin_prefix_is_case_insensitive_and_identity_suffix_accepted(client):
    lower = call(client, RUN_FUNCTION, {"runId": RUN_ID}, headers={"Authorization": f"convex {DEFAULT_ADMIN_KEY}"})
    identity = call(client, RUN_FUNCTION, {"runId": RUN_ID},
                    headers={"Authorization": f"Convex {DEFAULT_ADMIN_KEY}:eyJzdWJqZWN0IjoieCJ9"})
    assert lower.json()["status"] == identity.json()["status"] == "success"


def test_unknown_format_is_bad_format(client):
    response = call(client, RUN_FUNCTION, {"runId": RUN_ID}, format="yaml")
    assert response.status_code == 400 and response.json()["code"] == "BadFormat"


def test_query_and_action_endpoints_take_array_args_and_hide_internal_functions(client):
    body = {"path": RUN_FUNCTION, "args": [{"runId": RUN_ID}], "format": "convex_encoded_json"}
    assert client.post("/api/query", json=body, headers=ADMIN).json()["status"] == "success"
    anonymous = client.post("/api/query", json=body)
    assert anonymous.status_code == 200
    assert anonymous.json() == {"status": "error",
                                "errorMessage": f"Could not find public function for '{RUN_FUNCTION}'."}
    wrong_kind = client.post("/api/action", json={**body, "args": {"runId": RUN_ID}}, headers=ADMIN).json()
    assert "as Action, but it is defined as Query" in wrong_kind["errorMessage"]


def test_scripted_faults_are_consumed_in_order(fake, client):
    fake.add_faults(EVAL_ID, "http:500", "http:429:retry-after=0.1", "error:Uncaught Error: boom")
    first = call(client, EVAL_FUNCTION, {"evalId": EVAL_ID})
    assert first.status_code == 500 and first.json()["code"] == "InternalServerError"
    second = call(client, EVAL_FUNCTION, {"evalId": EVAL_ID})
    assert second.status_code == 429 and second.headers["retry-after"] == "0.1"
    assert call(client, EVAL_FUNCTION, {"evalId": EVAL_ID}).json()["errorMessage"] == "Uncaught Error: boom"
    assert call(client, EVAL_FUNCTION, {"evalId": EVAL_ID}).json()["status"] == "success"
    faults = [r.fault for r in fake.requests]
    assert faults == ["http:500", "http:429:retry-after=0.1", "error:Uncaught Error: boom", None]
    assert fake.faults == {}


def test_drop_closes_the_connection_and_hang_outlasts_the_client_timeout():
    fake = FakeConvex(bundles=[SMALL_BUNDLE], faults={EVAL_ID: ["drop", "hang"]}, hang_seconds=5).start()
    with httpx2.Client(base_url=fake.url, timeout=0.2) as http:
        with pytest.raises(httpx2.RemoteProtocolError):
            call(http, EVAL_FUNCTION, {"evalId": EVAL_ID})
        with pytest.raises(httpx2.ReadTimeout):
            call(http, EVAL_FUNCTION, {"evalId": EVAL_ID})
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 1, "stop() must release a hanging request"
    assert [r.outcome for r in fake.requests] == ["drop", "hang"]


def test_missing_function_flag_can_be_flipped_at_runtime(fake, client):
    fake.missing.add(RUN_FUNCTION)
    assert "Could not find function" in call(client, RUN_FUNCTION, {"runId": RUN_ID}).json()["errorMessage"]
    fake.missing.clear()
    assert call(client, RUN_FUNCTION, {"runId": RUN_ID}).json()["status"] == "success"


def test_parallel_calls_overlap_and_sequential_calls_do_not(fake):
    fake.latency = 0.15

    async def fan_out() -> list[int]:
        async with httpx2.AsyncClient(base_url=fake.url, headers=ADMIN) as http:
            posts = [http.post("/api/function", json={"path": EVAL_FUNCTION, "args": {"evalId": EVAL_ID}})
                     for _ in range(20)]
            return [r.status_code for r in await asyncio.gather(*posts)]

    assert asyncio.run(fan_out()) == [200] * 20
    assert fake.max_in_flight == 20

    fake.reset()
    fake.latency = 0.0
    with httpx2.Client(base_url=fake.url) as http:
        for _ in range(5):
            call(http, RUN_FUNCTION, {"runId": RUN_ID})
    assert fake.max_in_flight == 1 and fake.calls[RUN_FUNCTION] == 5 and fake.in_flight == 0


def test_request_log_records_auth_kind_but_never_shows_the_key(fake, client):
    call(client, RUN_FUNCTION, {"runId": RUN_ID})
    call(client, RUN_FUNCTION, {"runId": RUN_ID}, headers={"Authorization": "Convex prod:fake-deployment|wrong"})
    assert [(r.function, r.auth, r.status) for r in fake.requests] == [
        (RUN_FUNCTION, "admin", 200), (RUN_FUNCTION, "bad-admin", 401)]
    assert fake.requests[0].authorization == f"Convex {DEFAULT_ADMIN_KEY}"
    shown = repr(fake.requests) + "".join(map(str, fake.requests)) + repr(fake) + str(fake)
    assert "0123abcd" not in shown and "wrong" not in shown


def test_cli_help_describes_the_options():
    result = subprocess.run([sys.executable, "-m", "tests.fakes.convex_server", "--help"],
                            cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for option in ("--bundle", "--port", "--admin-key", "--latency", "--fault", "http:STATUS"):
        assert option in result.stdout


def test_cli_serves_a_bundle_and_prints_the_env_vars(tmp_path):
    bundle_path = tmp_path / "run.json"
    bundle_path.write_text(json.dumps(SMALL_BUNDLE))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.convex_server", "--bundle", str(bundle_path), "--port", "0", "--quiet"],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [process.stdout.readline() for _ in range(4)]
        url = next(line.split("=", 1)[1].strip() for line in lines if line.startswith("export CONVEX_URL="))
        assert any(line.startswith("export CONVEX_DEPLOY_KEY='prod:fake-deployment|0123abcd'") for line in lines)
        with httpx2.Client(base_url=url) as http:
            assert call(http, RUN_FUNCTION, {"runId": RUN_ID}).json()["value"]["run"]["_id"] == RUN_ID
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
