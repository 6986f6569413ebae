"""Classifier `openai`: OpenAI or any OpenAI-compatible endpoint, answering in a strict JSON schema.

`[classifier] api = "chat"` (default) uses Chat Completions with
`response_format` json_schema; `api = "responses"` uses the Responses API with
`text.format`; any other `api` is refused (a `ConfigError`, exit 2) when the
classifier is built, since only this plugin reads it. The key comes from
`OPENAI_API_KEY`; the base URL from `[classifier] base_url`, else the SDK's own
`OPENAI_BASE_URL` (a local server or a router works the same way). 429, 5xx
and dropped connections are retried by `send_with_retries` with capped waits,
as for `anthropic`. Everything else is the shared `evalanalysis.LLMClassifier`.
`analyze --batch` uploads the requests as a JSONL file and sends them as one
batch (files, batches, then the output and error files' content); usage reads
the automatic prompt cache's `cached_tokens`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from evalanalysis import (
    AnswerSchema,
    BatchRequest,
    BatchStatus,
    ConfigError,
    LLMClassifier,
    Settings,
    Usage,
    hookimpl,
    request_failed,
    send_with_retries,
    shared_ssl_context,
)

if TYPE_CHECKING:
    import openai

NAME = "openai"
APIS = ("chat", "responses")
T = TypeVar("T")


@hookimpl
def register_classifiers(register):
    register(NAME, OpenAIClassifier)


class OpenAIClassifier(LLMClassifier):
    """A GPT (or compatible) model classifies each failure in structured output."""

    provider = NAME
    default_model = "gpt-5.5"
    key_variable = "OPENAI_API_KEY"

    def __init__(self, settings: Settings, **kwargs: Any):
        # Checked before the key is read (and for a dry run, which reads none): it is the user's to fix.
        if settings.classifier.api not in APIS:
            origin = settings.origins.get("classifier.api", "configuration")
            raise ConfigError(f"{origin}: classifier.api must be 'chat' or 'responses'")
        super().__init__(settings, **kwargs)

    def make_client(self, api_key: str) -> openai.AsyncOpenAI:
        import openai  # imported on first use: the SDK takes about half a second to import

        return openai.AsyncOpenAI(
            api_key=api_key,
            http_client=openai.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
            base_url=self.settings.base_url,
            max_retries=0,  # retried by send_with_retries, whose waits are capped
            timeout=self.settings.timeout,
        )

    @property
    def endpoint(self) -> str:
        return "/v1/responses" if self.settings.api == "responses" else "/v1/chat/completions"

    def params(self, system: str, user: str, schema: AnswerSchema) -> dict[str, Any]:
        """The request body, live or in a batch. The system text (with the schema) comes first and is the
        same for every failure of a run: OpenAI caches such a prefix by itself once it is 1,024 tokens long."""
        if self.settings.api == "responses":
            return {
                "model": self.model,
                "instructions": system,
                "input": user,
                "text": {
                    "format": {
                        "type": "json_schema",
                        "name": schema.name,
                        "description": schema.description,
                        "schema": dict(schema.schema),
                        "strict": True,
                    }
                },
                "max_output_tokens": self.settings.max_output_tokens,
            }
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema.name, "description": schema.description, "schema": dict(schema.schema), "strict": True},
            },
            "max_completion_tokens": self.settings.max_output_tokens,
        }

    async def call(self, request: Callable[[openai.AsyncOpenAI], Awaitable[T]]) -> T:
        """`request(client)` with the run's client, retried by `send_with_retries`; SDK errors as one line."""
        import openai

        async def send() -> T:
            return await request(self.client())

        return await send_with_retries(
            send,
            errors=openai.APIError,
            transient=openai.APIConnectionError,  # timeouts included
            fail=lambda exc: request_failed(NAME, exc),
            max_retries=self.settings.max_retries,
            max_wait=self.settings.max_retry_wait,
        )

    async def complete(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        params = self.params(system, user, schema)
        if self.settings.api == "responses":
            response = await self.call(lambda client: client.responses.create(**params))
            return self._responses(response)
        completion = await self.call(lambda client: client.chat.completions.create(**params))
        return self._chat(completion)

    def _chat(self, completion: Any) -> tuple[Any, Usage]:
        if not isinstance(getattr(completion, "choices", None), list):
            raise self.unexpected("a chat completion", completion)
        u = completion.usage
        usage = _usage(u.prompt_tokens, u.completion_tokens, u.prompt_tokens_details) if u else Usage(requests=1)
        if not completion.choices:
            return "(no choices in the completion)", usage
        choice = completion.choices[0]
        message = choice.message
        if message.refusal or choice.finish_reason == "content_filter":
            return self.refused(message.refusal or "finish reason content_filter"), usage
        if choice.finish_reason == "length":
            return self.cut_off(), usage
        return message.content or f"(empty answer; finish reason {choice.finish_reason})", usage

    def _responses(self, response: Any) -> tuple[Any, Usage]:
        if not isinstance(getattr(response, "output", None), list):
            raise self.unexpected("a Responses API response", response)
        u = response.usage
        usage = _usage(u.input_tokens, u.output_tokens, u.input_tokens_details) if u else Usage(requests=1)
        reason = response.incomplete_details.reason if response.incomplete_details else None
        if reason == "max_output_tokens":
            return self.cut_off(), usage
        parts = [c for item in response.output if getattr(item, "type", None) == "message" for c in item.content or ()]
        refusals = [c.refusal for c in parts if getattr(c, "type", None) == "refusal"]
        if refusals or reason == "content_filter":
            return self.refused(" ".join(refusals) or "incomplete: content_filter"), usage
        return response.output_text or f"(empty answer; status {reason or response.status})", usage

    # ------------------------------------------------------------------ Batch API

    async def submit_batch(self, requests: list[BatchRequest]) -> str:
        lines = [
            json.dumps({"custom_id": r.custom_id, "method": "POST", "url": self.endpoint,
                        "body": self.params(r.system, r.user, r.schema)}, ensure_ascii=False)
            for r in requests
        ]
        data = ("\n".join(lines) + "\n").encode("utf-8")

        async def send(client: openai.AsyncOpenAI) -> Any:
            upload = await client.files.create(file=("evalanalysis-batch.jsonl", data, "application/jsonl"), purpose="batch")
            return await client.batches.create(input_file_id=upload.id, endpoint=self.endpoint, completion_window="24h")

        batch = await self.call(send)
        if not isinstance(getattr(batch, "id", None), str):
            raise self.unexpected("a batch", batch)
        return batch.id

    async def poll_batch(self, batch_id: str) -> BatchStatus:
        batch = await self.call(lambda client: client.batches.retrieve(batch_id))
        c = batch.request_counts
        done = ((c.completed or 0) + (c.failed or 0)) if c else 0
        state = BATCH_STATES.get(batch.status, "running")
        return BatchStatus(batch_id, state, done, (c.total or 0) if c else 0, batch.status)

    async def batch_results(self, batch_id: str) -> dict[str, tuple[Any, Usage] | str]:
        import openai

        async def read(client: openai.AsyncOpenAI) -> tuple[str, str]:
            batch = await client.batches.retrieve(batch_id)
            output = (await client.files.content(batch.output_file_id)).text if batch.output_file_id else ""
            errors = (await client.files.content(batch.error_file_id)).text if batch.error_file_id else ""
            return output, errors

        output, errors = await self.call(read)
        kind = openai.types.responses.Response if self.settings.api == "responses" else openai.types.chat.ChatCompletion
        interpret = self._responses if self.settings.api == "responses" else self._chat
        results: dict[str, tuple[Any, Usage] | str] = {}
        for line in (output + "\n" + errors).splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict) or not isinstance(entry.get("custom_id"), str):
                continue
            response = entry.get("response") if isinstance(entry.get("response"), dict) else {}
            body = response.get("body")
            if response.get("status_code") == 200 and isinstance(body, dict) and not entry.get("error"):
                results[entry["custom_id"]] = self.batch_answer(lambda b: interpret(kind.construct(**b)), body)
            else:
                error = entry.get("error") or (body.get("error") if isinstance(body, dict) else None)
                message = error.get("message") if isinstance(error, dict) else None
                results[entry["custom_id"]] = f"HTTP {response.get('status_code')}: {message}" if response else str(message)
        return results


BATCH_STATES = {"completed": "ended", "expired": "expired", "cancelled": "cancelled", "failed": "failed"}


def _usage(input_tokens: int | None, output_tokens: int | None, details: Any) -> Usage:
    """Usage from OpenAI's figures: input includes the cached part (`cached_tokens`), which costs less."""
    read = getattr(details, "cached_tokens", None) or 0
    written = getattr(details, "cache_write_tokens", None) or 0
    return Usage(input_tokens or 0, output_tokens or 0, 1, cache_read_tokens=read, cache_write_tokens=written)
