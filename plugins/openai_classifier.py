"""Classifier `openai`: OpenAI or any OpenAI-compatible endpoint, answering in a strict JSON schema.

`[classifier] api = "chat"` (default) uses Chat Completions with
`response_format` json_schema; `api = "responses"` uses the Responses API with
`text.format`; any other `api` is refused (a `ConfigError`, exit 2) when the
classifier is built, since only this plugin reads it. The key comes from
`OPENAI_API_KEY`; the base URL from `[classifier] base_url`, else the SDK's own
`OPENAI_BASE_URL` (a local server or a router works the same way). 429, 5xx
and dropped connections are retried by `send_with_retries` with capped waits,
as for `anthropic`. Everything else is the shared `evalanalysis.LLMClassifier`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evalanalysis import (
    AnswerSchema,
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

    async def complete(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        import openai

        async def send() -> tuple[Any, Usage]:
            async with self.client() as client:
                if self.settings.api == "responses":
                    return await self._responses(client, system, user, schema)
                return await self._chat(client, system, user, schema)

        return await send_with_retries(
            send,
            errors=openai.APIError,
            transient=openai.APIConnectionError,  # timeouts included
            fail=lambda exc: request_failed(NAME, exc),
            max_retries=self.settings.max_retries,
            max_wait=self.settings.max_retry_wait,
        )

    async def _chat(self, client: openai.AsyncOpenAI, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        completion = await client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": schema.name, "description": schema.description, "schema": dict(schema.schema), "strict": True},
            },
            max_completion_tokens=self.settings.max_output_tokens,
        )
        if not isinstance(getattr(completion, "choices", None), list):
            raise self.unexpected("a chat completion", completion)
        u = completion.usage
        usage = Usage(u.prompt_tokens or 0, u.completion_tokens or 0, 1) if u else Usage(requests=1)
        if not completion.choices:
            return "(no choices in the completion)", usage
        choice = completion.choices[0]
        message = choice.message
        if message.refusal or choice.finish_reason == "content_filter":
            return self.refused(message.refusal or "finish reason content_filter"), usage
        if choice.finish_reason == "length":
            return self.cut_off(), usage
        return message.content or f"(empty answer; finish reason {choice.finish_reason})", usage

    async def _responses(self, client: openai.AsyncOpenAI, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        response = await client.responses.create(
            model=self.model,
            instructions=system,
            input=user,
            text={
                "format": {
                    "type": "json_schema",
                    "name": schema.name,
                    "description": schema.description,
                    "schema": dict(schema.schema),
                    "strict": True,
                }
            },
            max_output_tokens=self.settings.max_output_tokens,
        )
        if not isinstance(getattr(response, "output", None), list):
            raise self.unexpected("a Responses API response", response)
        u = response.usage
        usage = Usage(u.input_tokens or 0, u.output_tokens or 0, 1) if u else Usage(requests=1)
        reason = response.incomplete_details.reason if response.incomplete_details else None
        if reason == "max_output_tokens":
            return self.cut_off(), usage
        parts = [c for item in response.output if getattr(item, "type", None) == "message" for c in item.content or ()]
        refusals = [c.refusal for c in parts if getattr(c, "type", None) == "refusal"]
        if refusals or reason == "content_filter":
            return self.refused(" ".join(refusals) or "incomplete: content_filter"), usage
        return response.output_text or f"(empty answer; status {reason or response.status})", usage
