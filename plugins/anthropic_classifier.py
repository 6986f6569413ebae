"""Classifier `anthropic`: Claude through the Messages API, answering with a forced tool call.

Everything but the HTTP call (prompt, cache, validation, retry, fallback,
synthesis, dry run) is the shared `evalanalysis.LLMClassifier`. The key comes
from `ANTHROPIC_API_KEY`; the base URL from `[classifier] base_url`, else the
SDK's own `ANTHROPIC_BASE_URL`. 429, 5xx, 529 and dropped connections are
retried by `send_with_retries` (the SDK's own retries are off: it would sleep
as long as any `retry-after` says); `max_retries`, `max_retry_wait` and
`timeout` come from settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evalanalysis import (
    AnswerSchema,
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

    async def complete(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        import anthropic

        async def send() -> Any:
            async with self.client() as client:
                return await client.messages.create(
                    model=self.model,
                    max_tokens=self.settings.max_output_tokens,
                    # The system text is the same for every failure of a run: let the provider cache it.
                    system=[{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
                    messages=[{"role": "user", "content": user}],
                    tools=[{"name": schema.name, "description": schema.description, "input_schema": dict(schema.schema)}],
                    tool_choice={"type": "tool", "name": schema.name},
                )

        message = await send_with_retries(
            send,
            errors=anthropic.APIError,
            transient=anthropic.APIConnectionError,  # timeouts included
            fail=lambda exc: request_failed(NAME, exc),
            max_retries=self.settings.max_retries,
            max_wait=self.settings.max_retry_wait,
        )
        if not isinstance(getattr(message, "content", None), list):
            raise self.unexpected("a Messages API message", message)
        u = message.usage  # a compatible server may leave it out
        usage = Usage(
            input_tokens=(u.input_tokens or 0) + (u.cache_creation_input_tokens or 0) + (u.cache_read_input_tokens or 0),
            output_tokens=u.output_tokens or 0,
            requests=1,
        ) if u else Usage(requests=1)
        text = "".join(getattr(block, "text", "") for block in message.content)
        if message.stop_reason == "max_tokens":  # a tool call cut short has a partial input
            return self.cut_off(), usage
        if message.stop_reason == "refusal":
            return self.refused(text or "stop reason refusal"), usage
        for block in message.content:
            if block.type == "tool_use" and block.name == schema.name:
                return block.input, usage
        return text or f"(no tool call; stop reason {message.stop_reason})", usage
