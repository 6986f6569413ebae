"""Drive the fake Anthropic and OpenAI servers through the real SDKs."""

from __future__ import annotations

import asyncio
import json

import anthropic
import openai
import pytest

from tests.fakes.llm_servers import FakeAnthropic, FakeOpenAI, Fault, Reply

FAST = {"retry-after-ms": "10"}
SCHEMA = {"type": "object", "properties": {"category": {"type": "string"}}, "required": ["category"],
          "additionalProperties": False}
ANTHROPIC_TOOLS = [{"name": "classify", "description": "Classify the failure.", "input_schema": SCHEMA},
                   {"name": "other", "description": "Unused.", "input_schema": {"type": "object"}}]
OPENAI_TOOLS = [{"type": "function", "function": {"name": "classify", "parameters": SCHEMA, "strict": True}}]
RESPONSE_FORMAT = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": SCHEMA, "strict": True}}


async def ask_claude(client, **kw):
    """Send a minimal Messages request."""
    params = {"model": "claude-test", "max_tokens": 256, "messages": [{"role": "user", "content": "hi"}]}
    return await client.messages.create(**{**params, **kw})


async def ask_chat(client, **kw):
    """Send a minimal Chat Completions request."""
    params = {"model": "gpt-test", "messages": [{"role": "user", "content": "hi"}]}
    return await client.chat.completions.create(**{**params, **kw})


async def once(client, ask, **kw):
    """Make one request with a client that is closed afterwards."""
    async with client:
        return await ask(client, **kw)


async def raises(exc, coro):
    """Await coro and return the exception of type exc that it raises."""
    with pytest.raises(exc) as info:
        await coro
    return info.value


def test_anthropic_forced_tool_call_and_recorded_request():
    """A forced tool call returns the scripted tool_use block and usage; the request is recorded."""
    with FakeAnthropic() as fake:
        fake.script(Reply.tool("classify", {"category": "timeout"}, input_tokens=123, output_tokens=7,
                               cache_read_tokens=5, cache_write_tokens=2))
        msg = asyncio.run(once(fake.client(), ask_claude, system="You classify.", tools=ANTHROPIC_TOOLS,
                               tool_choice={"type": "tool", "name": "classify"}))
    block = msg.content[0]
    assert (block.type, block.name, block.input) == ("tool_use", "classify", {"category": "timeout"})
    assert msg.stop_reason == "tool_use"
    assert (msg.usage.input_tokens, msg.usage.output_tokens) == (123, 7)
    assert (msg.usage.cache_read_input_tokens, msg.usage.cache_creation_input_tokens) == (5, 2)
    assert msg._request_id.startswith("req_")
    req = fake.requests[0]
    assert req.path == "/v1/messages" and fake.count == 1
    assert req.headers["authorization"] == "Bearer test-key" and "anthropic-version" in req.headers
    assert req.json["tool_choice"] == {"type": "tool", "name": "classify"}
    assert req.json["tools"][0]["name"] == "classify" and req.json["system"] == "You classify."
    assert req.json["messages"] == [{"role": "user", "content": "hi"}]


def test_anthropic_json_text_and_responder():
    """Reply.json targets the forced tool (else the first), Reply.text gives text, the responder fills in."""
    async def scenario(client):
        async with client:
            forced = await ask_claude(client, tools=ANTHROPIC_TOOLS, tool_choice={"type": "tool", "name": "other"})
            first = await ask_claude(client, tools=ANTHROPIC_TOOLS)
            return forced, first, await ask_claude(client)

    with FakeAnthropic() as fake:
        fake.script(Reply.json({"category": "a"}), Reply.json({"category": "b"}))
        fake.responder = lambda body: Reply.text("plain " + body["model"], stop_reason="max_tokens")
        forced, first, text = asyncio.run(scenario(fake.client()))
    assert (forced.content[0].name, forced.content[0].input) == ("other", {"category": "a"})
    assert (first.content[0].name, first.content[0].input) == ("classify", {"category": "b"})
    assert forced.usage.input_tokens > 10 and forced.usage.output_tokens == 50
    assert (text.content[0].text, text.stop_reason) == ("plain claude-test", "max_tokens")


def test_anthropic_auth_forms_and_wrong_key():
    """Both X-Api-Key and Bearer auth work; a wrong key is an AuthenticationError."""
    async def scenario(fake):
        legacy = {"Authorization": anthropic.Omit(), "X-Api-Key": "test-key", "anthropic-version": "2023-06-01"}
        await once(fake.client(), ask_claude, extra_headers=legacy)
        await once(fake.client(), ask_claude)
        return await raises(anthropic.AuthenticationError, once(fake.client(api_key="wrong"), ask_claude))

    with FakeAnthropic() as fake:
        err = asyncio.run(scenario(fake))
    first, second = fake.requests[0].headers, fake.requests[1].headers
    assert first["x-api-key"] == "test-key" and "authorization" not in first
    assert first["anthropic-version"] == "2023-06-01"
    assert second["authorization"] == "Bearer test-key" and "x-api-key" not in second
    assert err.status_code == 401 and err.body["error"]["type"] == "authentication_error"
    assert err.body["request_id"] == err.request_id and fake.count == 3


def test_anthropic_retries_429_and_529():
    """429 and 529 are retried; exhausting retries raises OverloadedError."""
    async def scenario(fake):
        async with fake.client() as client:
            fake.script(Fault(429, FAST), Reply.text("done"))
            assert (await ask_claude(client)).content[0].text == "done"
            assert fake.count == 2
            fake.script(Fault(529, FAST), Reply.text("again"))
            assert (await ask_claude(client)).content[0].text == "again"
            assert fake.count == 4
            fake.script(*[Fault(529, FAST)] * 3)
            return await raises(anthropic.OverloadedError, ask_claude(client))

    with FakeAnthropic() as fake:
        err = asyncio.run(scenario(fake))
    assert [r.headers["x-stainless-retry-count"] for r in fake.requests[:2]] == ["0", "1"]
    assert fake.count == 7 and err.body["error"]["type"] == "overloaded_error"


def test_anthropic_500_no_retry_and_request_id():
    """A 500 with x-should-retry false raises at once, carrying the request-id header."""
    with FakeAnthropic() as fake:
        fake.script(Fault(500, {"x-should-retry": "false"}, message="boom"))
        err = asyncio.run(raises(anthropic.InternalServerError, once(fake.client(), ask_claude)))
    assert fake.count == 1
    assert err.request_id == err.response.headers["request-id"] and err.request_id.startswith("req_")
    assert err.body["error"] == {"type": "api_error", "message": "boom"}


def test_dropped_connection_is_a_connection_error():
    """Fault.drop() closes the connection without an answer."""
    with FakeAnthropic() as fake:
        fake.script(Fault.drop())
        asyncio.run(raises(anthropic.APIConnectionError, once(fake.client(max_retries=0), ask_claude)))
    assert fake.count == 1


def test_openai_chat_json_schema_and_tools():
    """json_schema requests get JSON content; tool requests get tool_calls; usage is reported."""
    async def scenario(client):
        async with client:
            structured = await ask_chat(client, response_format=RESPONSE_FORMAT)
            called = await ask_chat(client, tools=OPENAI_TOOLS,
                                    tool_choice={"type": "function", "function": {"name": "classify"}})
            return structured, called

    with FakeOpenAI() as fake:
        fake.script(Reply.json({"category": "x"}, input_tokens=10, output_tokens=3, cache_read_tokens=4),
                    Reply.tool("classify", {"category": "y"}))
        structured, called = asyncio.run(scenario(fake.client()))
    choice = structured.choices[0]
    assert json.loads(choice.message.content) == {"category": "x"} and choice.finish_reason == "stop"
    usage = structured.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (14, 3, 17)
    assert usage.prompt_tokens_details.cached_tokens == 4
    assert structured._request_id.startswith("req_fake")
    call = called.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == ("classify", {"category": "y"})
    assert called.choices[0].finish_reason == "tool_calls" and called.choices[0].message.content is None
    assert fake.requests[0].path == "/v1/chat/completions"
    assert fake.requests[0].json["response_format"] == RESPONSE_FORMAT
    assert fake.requests[1].headers["authorization"] == "Bearer test-key"


def test_openai_responses_output_text():
    """The Responses API returns output_text JSON and input/output usage."""
    with FakeOpenAI() as fake:
        fake.script(Reply.tool("verdict", {"category": "z"}, input_tokens=20, output_tokens=5))
        resp = asyncio.run(once(fake.client(), lambda c: c.responses.create(
            model="gpt-test", input="why did it fail?", instructions="Classify.",
            text={"format": {"type": "json_schema", "name": "verdict", "schema": SCHEMA, "strict": True}})))
    assert json.loads(resp.output_text) == {"category": "z"} and resp.status == "completed"
    assert (resp.usage.input_tokens, resp.usage.output_tokens) == (20, 5)
    req = fake.requests[0]
    assert req.path == "/v1/responses" and req.json["instructions"] == "Classify."
    assert req.json["text"]["format"]["name"] == "verdict"


def test_openai_errors_and_retries():
    """Error bodies unwrap into .message/.code; 429 and 500 are retried; x-request-id surfaces."""
    async def scenario(fake):
        async with fake.client() as client:
            fake.script(Fault(400, message="bad schema", code="invalid_schema"))
            bad = await raises(openai.BadRequestError, ask_chat(client))
            auth = await raises(openai.AuthenticationError, once(fake.client(api_key="wrong"), ask_chat))
            fake.script(Fault(429, FAST), Fault(500, FAST), Reply.text("fine"))
            return bad, auth, await ask_chat(client)

    with FakeOpenAI() as fake:
        bad, auth, done = asyncio.run(scenario(fake))
    assert bad.message == "Error code: 400 - bad schema"
    assert (bad.code, bad.type) == ("invalid_schema", "invalid_request_error")
    assert bad.request_id == bad.response.headers["x-request-id"] and bad.request_id.startswith("req_")
    assert auth.code == "invalid_api_key"
    assert done.choices[0].message.content == "fine" and fake.count == 5
    assert done._request_id.startswith("req_fake")


def test_env_vars_point_default_clients_at_fakes(monkeypatch):
    """ANTHROPIC_/OPENAI_ BASE_URL and API_KEY aim clients built without arguments at the fakes."""
    async def scenario():
        return await once(anthropic.AsyncAnthropic(), ask_claude), await once(openai.AsyncOpenAI(), ask_chat)

    with FakeAnthropic() as fa, FakeOpenAI() as fo:
        for name, value in {**fa.env(), **fo.env()}.items():
            monkeypatch.setenv(name, value)
        fa.script(Reply.text("from claude"))
        fo.script(Reply.text("from gpt"))
        msg, chat = asyncio.run(scenario())
    assert msg.content[0].text == "from claude" and chat.choices[0].message.content == "from gpt"
    assert fa.count == 1 and fo.count == 1


def test_concurrent_requests_overlap():
    """Latency does not serialize concurrent requests."""
    async def burst(ca, co):
        async with ca, co:
            await asyncio.gather(*[ask_claude(ca) for _ in range(6)], *[ask_chat(co) for _ in range(6)])

    with FakeAnthropic() as fa, FakeOpenAI() as fo:
        fa.latency = fo.latency = 0.2
        asyncio.run(burst(fa.client(), fo.client()))
    assert fa.count == fo.count == 6
    assert fa.max_in_flight > 1 and fo.max_in_flight > 1


# ------------------------------------------------------------------------------- batches


def test_anthropic_message_batch_goes_from_in_progress_to_ended_and_streams_its_results():
    async def go(fake):
        async with fake.client() as client:
            params = {"model": "claude-test", "max_tokens": 64, "tools": ANTHROPIC_TOOLS,
                      "tool_choice": {"type": "tool", "name": "classify"}}
            batch = await client.messages.batches.create(requests=[
                {"custom_id": "a", "params": {**params, "messages": [{"role": "user", "content": "one"}]}},
                {"custom_id": "b", "params": {**params, "messages": [{"role": "user", "content": "two"}]}},
            ])
            states = [batch.processing_status]
            for _ in range(3):
                polled = await client.messages.batches.retrieve(batch.id)
                states.append(polled.processing_status)
            results = [r async for r in await client.messages.batches.results(batch.id)]
            return states, polled, results

    with FakeAnthropic() as fake:
        fake.batch_polls = 2
        fake.script(Reply.json({"category": "x"}), Fault(529))
        states, polled, results = asyncio.run(go(fake))
    assert states == ["in_progress", "in_progress", "in_progress", "ended"]
    assert (polled.request_counts.succeeded, polled.request_counts.errored, polled.request_counts.processing) == (1, 1, 0)
    assert polled.results_url.startswith("http://127.0.0.1:")
    by_id = {r.custom_id: r.result for r in results}
    assert by_id["a"].type == "succeeded" and by_id["a"].message.content[0].input == {"category": "x"}
    assert by_id["b"].type == "errored" and by_id["b"].error.error.type == "overloaded_error"
    assert fake.batch_count == 2 and fake.count == 0


def test_openai_batch_uploads_a_file_and_ends_expired_with_output_and_error_files():
    async def go(fake):
        async with fake.client() as client:
            lines = [json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
                                 "body": {"model": "gpt-test", "messages": [{"role": "user", "content": cid}],
                                          "response_format": RESPONSE_FORMAT}}) for cid in ("a", "b", "c")]
            upload = await client.files.create(file=("in.jsonl", "\n".join(lines).encode(), "application/jsonl"), purpose="batch")
            batch = await client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
            states = [batch.status]
            for _ in range(3):
                polled = await client.batches.retrieve(batch.id)
                states.append(polled.status)
            output = (await client.files.content(polled.output_file_id)).text
            errors = (await client.files.content(polled.error_file_id)).text
            return states, polled, output, errors

    with FakeOpenAI() as fake:
        fake.batch_polls = 2
        fake.batch_expire_after = 2
        fake.script(Reply.json({"category": "x"}), Fault(500))
        states, polled, output, errors = asyncio.run(go(fake))
    assert states == ["validating", "in_progress", "in_progress", "expired"]
    assert (polled.request_counts.total, polled.request_counts.completed, polled.request_counts.failed) == (3, 1, 2)
    (ok,) = [json.loads(line) for line in output.splitlines()]
    assert ok["custom_id"] == "a" and ok["response"]["status_code"] == 200
    assert json.loads(ok["response"]["body"]["choices"][0]["message"]["content"]) == {"category": "x"}
    failed = {e["custom_id"]: e for e in map(json.loads, errors.splitlines())}
    assert failed["b"]["response"]["status_code"] == 500 and failed["c"]["error"]["code"] == "batch_expired"


def test_the_simulated_prompt_cache_writes_a_marked_prefix_once_then_reads_it():
    system = [{"type": "text", "text": "shared instructions " * 300, "cache_control": {"type": "ephemeral"}}]

    async def go(fake):
        return [await once(fake.client(), ask_claude, system=system, messages=[{"role": "user", "content": text}])
                for text in ("first", "second")]

    with FakeAnthropic() as fake:
        first, second = asyncio.run(go(fake))
    written = first.usage.cache_creation_input_tokens
    assert written >= 1024 and first.usage.cache_read_input_tokens == 0
    assert second.usage.cache_read_input_tokens == written and second.usage.cache_creation_input_tokens == 0
    assert second.usage.input_tokens < 50  # what is left is the part that differs
