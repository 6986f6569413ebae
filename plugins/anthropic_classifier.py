"""Classifier `anthropic`: Claude through the Messages API, answering with a forced tool call.

Everything but the HTTP call (prompt, cache, validation, retry, fallback,
synthesis, dry run) is the shared `evalanalysis.LLMClassifier`. The key comes
from `ANTHROPIC_API_KEY`; the base URL from `[classifier] base_url`, else the
SDK's own `ANTHROPIC_BASE_URL`. 429, 5xx, 529 and dropped connections are
retried by `send_with_retries` (the SDK's own retries are off: it would sleep
as long as any `retry-after` says); `max_retries`, `max_retry_wait` and
`timeout` come from settings. `analyze --batch` sends the classifications as one
Message Batch (create, retrieve until `ended`, then the results JSONL); usage
reads the prompt cache's writes and reads (`cache_creation_input_tokens`,
`cache_read_input_tokens`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from evalanalysis import (
    AnswerSchema,
    BatchRequest,
    BatchStatus,
    LLMClassifier,
    Usage,
    hookimpl,
    request_failed,
    send_with_retries,
    shared_ssl_context,
)

if TYPE_CHECKING:
    import anthropic

NAME = "anthropic"
T = TypeVar("T")


@hookimpl
def register_classifiers(register):
    register(NAME, AnthropicClassifier)


class AnthropicClassifier(LLMClassifier):
    """Claude classifies each failure by calling the one tool it is given."""

    provider = NAME
    default_model = "claude-sonnet-5-5"
    key_variable = "ANTHROPIC_API_KEY"

    def make_client(self, api_key: str) -> anthropic.AsyncAnthropic:
        import anthropic  # imported on first use: the SDK takes about half a second to import

        return anthropic.AsyncAnthropic(
            api_key=api_key,
            http_client=anthropic.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
            base_url=self.settings.base_url,
            max_retries=0,  # retried by send_with_retries, whose waits are capped
            timeout=self.settings.timeout,
        )

    def params(self, system: str, user: str, schema: AnswerSchema) -> dict[str, Any]:
        """The Messages API parameters of one request, live or in a batch.

        The tool and the system text come first and are the same for every failure of a run, so
        they form a byte-identical prefix; `cache_control` on the system block asks the provider
        to cache everything up to it, and each failure after the first reads it at a tenth of the price.
        """
        return {
            "model": self.model,
            "max_tokens": self.settings.max_output_tokens,
            "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": "user", "content": user}],
            "tools": [{"name": schema.name, "description": schema.description, "input_schema": dict(schema.schema)}],
            "tool_choice": {"type": "tool", "name": schema.name},
        }

    async def call(self, request: Callable[[anthropic.AsyncAnthropic], Awaitable[T]]) -> T:
        """`request(client)` with the run's client, retried by `send_with_retries`; SDK errors as one line."""
        import anthropic

        async def send() -> T:
            return await request(self.client())

        return await send_with_retries(
            send,
            errors=anthropic.APIError,
            transient=anthropic.APIConnectionError,  # timeouts included
            fail=lambda exc: request_failed(NAME, exc),
            max_retries=self.settings.max_retries,
            max_wait=self.settings.max_retry_wait,
        )

    async def complete(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        params = self.params(system, user, schema)
        message = await self.call(lambda client: client.messages.create(**params))
        return self.answer(message, schema.name)

    def answer(self, message: Any, tool: str | None) -> tuple[Any, Usage]:
        """The answer and usage in a Messages API message (a live response or a batch's succeeded result)."""
        if not isinstance(getattr(message, "content", None), list):
            raise self.unexpected("a Messages API message", message)
        u = message.usage  # a compatible server may leave it out
        if u:
            written, read = u.cache_creation_input_tokens or 0, u.cache_read_input_tokens or 0
            # input_tokens counts only what was neither written to nor read from the prompt cache
            usage = Usage(input_tokens=(u.input_tokens or 0) + written + read, output_tokens=u.output_tokens or 0,
                          requests=1, cache_read_tokens=read, cache_write_tokens=written)
        else:
            usage = Usage(requests=1)
        text = "".join(getattr(block, "text", "") for block in message.content)
        if message.stop_reason == "max_tokens":  # a tool call cut short has a partial input
            return self.cut_off(), usage
        if message.stop_reason == "refusal":
            return self.refused(text or "stop reason refusal"), usage
        for block in message.content:
            if block.type == "tool_use" and (tool is None or block.name == tool):
                return block.input, usage
        return text or f"(no tool call; stop reason {message.stop_reason})", usage

    # ------------------------------------------------------------ Message Batches

    async def submit_batch(self, requests: list[BatchRequest]) -> str:
        items = [{"custom_id": r.custom_id, "params": self.params(r.system, r.user, r.schema)} for r in requests]
        batch = await self.call(lambda client: client.messages.batches.create(requests=items))
        if not isinstance(getattr(batch, "id", None), str):
            raise self.unexpected("a message batch", batch)
        return batch.id

    async def poll_batch(self, batch_id: str) -> BatchStatus:
        batch = await self.call(lambda client: client.messages.batches.retrieve(batch_id))
        c = batch.request_counts
        done = (c.succeeded or 0) + (c.errored or 0) + (c.canceled or 0) + (c.expired or 0)
        state = "running"
        if batch.processing_status == "ended":
            state = "expired" if c.expired else "cancelled" if c.canceled else "ended"
        return BatchStatus(batch_id, state, done, done + (c.processing or 0), batch.processing_status)

    async def batch_results(self, batch_id: str) -> dict[str, tuple[Any, Usage] | str]:
        async def read(client: anthropic.AsyncAnthropic) -> list[Any]:
            return [entry async for entry in await client.messages.batches.results(batch_id)]

        results: dict[str, tuple[Any, Usage] | str] = {}
        for entry in await self.call(read):
            result = entry.result
            if result.type == "succeeded":
                # each batch request forced its one tool
                results[entry.custom_id] = self.batch_answer(lambda m: self.answer(m, None), result.message)
            else:
                error = getattr(getattr(getattr(result, "error", None), "error", None), "message", None)
                results[entry.custom_id] = f"{result.type}: {error}" if error else result.type
        return results
