"""The machinery every LLM classifier shares; a provider plugin only says how to call its API.

`LLMClassifier` builds the prompt (`evalanalysis.llm.prompt`), looks the result up
in the cache, calls the provider's `complete(system, user, schema)`, validates
the answer into a `Verdict`, retries once quoting the validation error, and
falls back to the offline classifier it was given (the composition root builds
the one `classifier.fallback` names, by default `rules`, from the same plugin
registry, so plugins never import each other), marked `needs_review`.
A request that still fails after the SDK's own retries raises: `analyze_run`
then marks that one entry not analysed. The same class synthesises the run's
patterns and offers a dry run that builds every prompt and calls nothing.

Each request's usage is priced at the model's `Price` (`evalanalysis.llm.prices`),
counted against `--budget-usd` before it is sent, and the first request of a run
goes alone so that the provider's prompt cache holds the shared system text
before the others read it. With a provider plugin's three batch calls, the class
also plays `BatchClassifier` (`evalanalysis.llm.batch`): the answers of a batch
wait in `prefetched` until `classify` validates them like live ones.
"""

from __future__ import annotations

import abc
import asyncio
import functools
import hashlib
import os
import weakref
from collections import Counter
from typing import Any, Callable, ClassVar, Mapping, TypeVar

from attrs import evolve

from .. import evidence
from .batch import BatchRequest, BatchStatus
from .answers import AnswerError, AnswerSchema, CutOff, parse_synthesis, parse_verdict, synthesis_schema, verdict_schema
from .cache import ResultCache, cache_key
from ..collation.facts import plural
from ..config import Settings
from ..converter import report as report_converter
from ..errors import ClassifierError, ClassifierUnavailable, ConfigError, UsageError
from ..model import Evidence, FailureContext, RunAnalysis, Taxonomy, Usage, Verdict
from .budget import CHARS_PER_TOKEN, estimate_tokens
from .fence import Prompt
from .log import classifier_log
from .prices import Price, dollars, price_for
from .prompt import build_classification_prompt, error_text, failed_step_name
from ..protocols import Classifier
from .redaction import redact, redact_data, register_secret
from .synthesis import build_synthesis_prompt, merge_synthesis

T = TypeVar("T")


@functools.cache
def shared_ssl_context() -> Any:
    """One TLS context for every provider request: building one costs ~20 ms of CPU on the event loop.

    `httpx2` is the HTTP client both provider SDKs use (imported here on first use, not a provider SDK).
    """
    import httpx2

    return httpx2.create_ssl_context()


def require_key(variable: str, provider: str, env: Mapping[str, str] | None = None) -> str:
    """The API key in `variable`; a `ClassifierError` (exit 2) naming it when it is missing."""
    value = (os.environ if env is None else env).get(variable, "").strip()
    if not value:
        raise ClassifierError(
            f"the {provider} classifier needs an API key: set {variable} in the environment, "
            "or use --classifier rules to classify offline"
        )
    if not (value.isascii() and value.isprintable()):
        # It could not be sent in a header: every request would fail alike, as a vague connection error.
        raise ClassifierError(
            f"{variable} holds a line break, a control or a non-ASCII character, which no API key has; check its value"
        )
    return value


class LLMClassifier(abc.ABC):
    """Base of the LLM classifiers: prompt, cache, validation, retry, fallback, synthesis, dry run.

    Subclasses set `provider`, `default_model` and `key_variable`, and implement
    `make_client()` and `complete()`. The class itself is the plugin factory:
    `cls(settings)` reads the key from the environment and raises
    `ClassifierError` (exit 2) naming the variable when it is missing.
    """

    provider: ClassVar[str] = ""
    default_model: ClassVar[str] = ""
    key_variable: ClassVar[str] = ""
    # The composition root builds the offline classifier named by `classifier.fallback` and passes it
    # as `fallback=` to a factory that says it takes one (docs/plugins.md, "Fallbacks").
    uses_fallback: ClassVar[bool] = True

    def __init__(
        self,
        settings: Settings,
        *,
        api_key: str | None = None,
        fallback: Classifier | None = None,
        cache: ResultCache | None = None,
    ):
        self.settings = settings.classifier
        self.model = self.settings.model or self.default_model
        self.name = f"{self.provider}:{self.model}"
        self._api_key = api_key if api_key is not None else require_key(self.key_variable, self.provider)
        register_secret(self._api_key, "[API key]")  # masked in every error, report, cache entry and output
        self.cache = cache if cache is not None else ResultCache.from_settings(settings.cache)
        self.fallback = fallback  # None: an answer invalid twice leaves that failure not analysed
        self.log = classifier_log(settings.log, provider=self.provider, model=self.model, classifier=self.name)
        self.price: Price | None = price_for(self.model, settings.prices)
        self.budget_usd = self.settings.budget_usd
        if self.budget_usd is not None and self.price is None:
            raise ConfigError(
                f"--budget-usd needs the price of {self.model}: set input_per_mtok and output_per_mtok "
                f'in [prices."{self.model}"]'
            )
        self.committed_usd = 0.0  # dollars spent, plus the estimates of requests in flight (for the budget)
        self.batch_dir = settings.cache.path / "batches" if settings.cache.enabled else None
        # Answers a provider batch gave, by cache key, until `classify` validates them (`evalanalysis.llm.batch`).
        self.prefetched: dict[str, tuple[Any, Usage]] = {}
        self._batch_systems: dict[str, str] = {}  # the system texts of batch requests, each kept once
        self._warming: dict[tuple[int, str], asyncio.Event] = {}  # per event loop and system text
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # -------------------------------------------------------------- provider part

    @abc.abstractmethod
    def make_client(self, api_key: str) -> Any:
        """A new async SDK client for the running event loop: every request of the loop shares it, and
        `aclose()` closes it (with its `close()` or `aclose()` coroutine) at the end of the run."""

    @abc.abstractmethod
    async def complete(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        """One request: the raw answer and its usage.

        The answer is a dict (a tool call's input), text (structured output, JSON), or an
        `AnswerError` (`self.cut_off()`, `self.refused(...)`) when the response holds no usable answer.
        """

    def cut_off(self) -> AnswerError:
        """In place of an answer that stopped at the output limit: its JSON is incomplete, its tool call partial."""
        return CutOff(
            f"the answer was cut off at the limit of {self.settings.max_output_tokens} output tokens (max_output_tokens)"
        )

    def refused(self, detail: str) -> AnswerError:
        """In place of an answer the model declined to give."""
        return AnswerError(f"the model refused to answer: {' '.join(detail.split())[:200]}")

    def unexpected(self, what: str, response: Any) -> ClassifierError:
        """To raise when a server answered 200 with something else (an HTML page from a proxy, another API's JSON)."""
        to_dict = getattr(response, "to_dict", None)  # an SDK model built from whatever JSON came back
        shown = " ".join(str(to_dict() if callable(to_dict) else response).split())
        shown = (shown.replace(self._api_key, "[API key]") if self._api_key else shown)[:120]
        return ClassifierError(f"{self.provider} request failed: the server did not answer with {what}: {shown!r}")

    def client(self) -> Any:
        """The SDK client of the running event loop, made on its first request and reused by the others.

        One client per loop keeps its connections alive from request to request (no new TCP and TLS
        handshake per failure) and never lets a client cross `asyncio.run` calls, which async clients
        must not. `aclose()`, which the workspace awaits at the end of every run, closes it; a loop that
        ends without it simply drops the client with the loop.
        """
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None or _closed(client):  # a plugin that still uses it as `async with` closed it
            client = self._clients[loop] = self.make_client(self._api_key)
        return client

    async def aclose(self) -> None:
        """Close the running loop's client (and the fallback's); the classifier stays usable."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        close = getattr(client, "close", None) or getattr(client, "aclose", None)
        if close is not None:
            await close()
        aclose = getattr(self.fallback, "aclose", None)
        if aclose is not None:
            await aclose()

    # ------------------------------------------------------------ classification

    def classification_prompt(self, failure: FailureContext) -> Prompt:
        return masked(build_classification_prompt(failure, token_budget=self.settings.prompt_token_budget))

    def key_for(self, kind: str, taxonomy: Taxonomy, prompt: Prompt) -> str:
        return cache_key(kind=kind, provider=self.provider, model=self.model, taxonomy=taxonomy, system=prompt.system, user=prompt.user)

    async def classify(self, failure: FailureContext) -> Verdict:
        prompt = self.classification_prompt(failure)
        key = self.key_for("verdict", failure.taxonomy, prompt)
        cached = self._cached_verdict(key, failure.taxonomy)
        self.log.about(failure, prompt, cached)  # this task's prompt log entries name the failure
        if cached is not None:
            return cached
        schema = verdict_schema(failure.taxonomy)
        verdict, usage, problem = await self._ask_validated(
            prompt, schema, lambda raw: parse_verdict(raw, failure.taxonomy, self.name), self.prefetched.pop(key, None)
        )
        if verdict is None:
            if self.fallback is None:
                raise ClassifierError(f"{self.name} gave an invalid answer twice ({problem}) and no fallback classifier was given")
            rules = await self.fallback.classify(failure)
            verdict = evolve(
                rules,
                needs_review=True,
                review_reason=f"{self.name} gave an invalid answer twice ({problem}); the {self.settings.fallback} verdict stands in",
            )
        else:
            verdict = with_facts(verdict, failure)
            if "prompt_injection" in verdict.tags:
                verdict = evolve(
                    verdict,
                    needs_review=True,
                    review_reason="the evidence tried to instruct the classifier; check the verdict by hand",
                )
        if not isinstance(problem, CutOff):  # with a higher max_output_tokens, the next run should ask again
            self.cache.put(key, "verdict", report_converter.unstructure(evolve(verdict, usage=None)), usage, provider=self.provider, model=self.model)
        return evolve(verdict, usage=usage)

    def _cached_verdict(self, key: str, taxonomy: Taxonomy) -> Verdict | None:
        hit = self.cache.get(key, "verdict")
        if hit is None:
            return None
        try:
            verdict = report_converter.structure(hit[0], Verdict)
        except Exception:  # an entry from another version of the model: ask again
            return None
        if verdict.classification not in taxonomy.names:
            return None
        return evolve(verdict, usage=Usage(cached=1))

    async def _ask_validated(
        self, prompt: Prompt, schema: AnswerSchema, parse: Callable[[Any], T], answered: tuple[Any, Usage] | None = None
    ) -> tuple[T | None, Usage, AnswerError | None]:
        """Ask, validate; on an invalid answer ask once more quoting the error. (result or None, usage, last error).

        `answered` is the first answer when a provider batch gave it already: it is validated the same way,
        and an invalid one is asked again live.
        """
        raw, usage = answered if answered is not None else await self._request(prompt.system, prompt.user, schema)
        raw = redact_data(raw)  # an answer that quotes a key back: the verdict, and what is built from it, never holds it
        try:
            return parse(raw), usage, None
        except AnswerError as first:
            problem = first
        raw, more = await self._request(prompt.system, prompt.user + retry_note(problem, schema), schema)
        raw = redact_data(raw)
        usage = usage + more
        try:
            return parse(raw), usage, None
        except AnswerError as second:
            return None, usage, second

    async def _request(self, system: str, user: str, schema: AnswerSchema) -> tuple[Any, Usage]:
        """`complete()`, priced, within the budget, with every secret masked in any error: some servers
        quote the key they refused."""
        first = await self._wait_for_warm_prefix(system)
        try:
            estimate = self.reserve(self.estimate_usd(system, user, schema))
        except BaseException:
            if first is not None:
                first.set()
            raise
        spent = 0.0
        try:
            raw, usage = await self.log.timed(self.complete(system, user, schema), system, user)  # logged as sent
            usage = self.priced(usage)
            spent = usage.cost_usd
            return raw, usage
        except Exception as exc:
            text = str(exc)
            masked = redact(text)  # the key was registered as a secret when this classifier was made
            if masked == text:
                raise
            if isinstance(exc, ClassifierError):
                raise type(exc)(masked) from None
            raise ClassifierError(f"{self.provider} request failed: {masked}") from None
        finally:
            self.committed_usd += spent - estimate
            if first is not None:
                first.set()

    async def _wait_for_warm_prefix(self, system: str) -> asyncio.Event | None:
        """Let the first request with this system text go alone, the others after it has answered.

        Both providers cache the shared prefix only once a request has written it: requests sent at
        the same moment would each pay for the write (1.25x at Anthropic) instead of reading it (0.1x).
        Returns the event to set when this request is the first, else None once the first has answered.
        """
        key = (id(asyncio.get_running_loop()), hashlib.sha256(system.encode("utf-8", "surrogatepass")).hexdigest())
        warming = self._warming.get(key)
        if warming is None:
            self._warming[key] = event = asyncio.Event()
            return event
        await warming.wait()
        return None

    # ------------------------------------------------------------- dollars, budget

    def priced(self, usage: Usage, *, batched: bool = False) -> Usage:
        """`usage` with its cost at this model's price (0 when no price is known); `batched` at the batch discount."""
        if batched:
            usage = evolve(usage, batched=usage.requests or 1)
        if self.price is None:
            return usage
        return evolve(usage, cost_usd=self.price.cost(usage, batched=batched))

    def estimate_usd(self, system: str, user: str, schema: AnswerSchema | None = None, *, batched: bool = False) -> float:
        """The most one request can cost: its estimated input with the system text written to the prompt
        cache, and a full `max_output_tokens` answer. 0 when no price is known."""
        if self.price is None:
            return 0.0
        tools = estimate_tokens(str(schema.schema)) if schema is not None else 0
        shared = estimate_tokens(system) + tools
        usage = Usage(shared + estimate_tokens(user), self.settings.max_output_tokens, cache_write_tokens=shared)
        return self.price.cost(usage, batched=batched)

    def reserve(self, estimate: float) -> float:
        """Commit `estimate` dollars against `--budget-usd`, or raise `ClassifierError` when they would pass it."""
        if self.budget_usd is not None and self.committed_usd + estimate > self.budget_usd:
            raise ClassifierError(
                f"not sent: the request (up to {dollars(estimate)}) would pass the budget of {dollars(self.budget_usd)} "
                f"({dollars(self.committed_usd)} spent or committed)"
            )
        self.committed_usd += estimate
        return estimate

    # ------------------------------------------------------------ provider batch

    # A provider plugin that implements these three plays `BatchClassifier` through `batch_request` and
    # `run_batch` below (`analyze --batch`); `evalanalysis.llm.batch` drives them.

    async def submit_batch(self, requests: list[BatchRequest]) -> str:
        """Send `requests` as one provider batch; its id."""
        raise UsageError(f"--batch: the {self.provider} classifier has no batch API; run without --batch")

    async def poll_batch(self, batch_id: str) -> BatchStatus:
        """Where the batch `batch_id` stands."""
        raise UsageError(f"--batch: the {self.provider} classifier has no batch API; run without --batch")

    async def batch_results(self, batch_id: str) -> dict[str, tuple[Any, Usage] | str]:
        """The answers of an ended batch by custom id: (answer, usage) as `complete` gives, or the reason there is none."""
        raise UsageError(f"--batch: the {self.provider} classifier has no batch API; run without --batch")

    def batch_answer(self, interpret: Callable[[Any], tuple[Any, Usage]], response: Any) -> tuple[Any, Usage] | str:
        """One answer of a batch read as `interpret` reads a live one, or why it cannot be: any error
        (an SDK object built loosely from a malformed line fails anywhere) makes it that one request's
        failure, asked again live, never the whole batch's."""
        try:
            return interpret(response)
        except Exception as exc:
            return redact(str(exc)) or type(exc).__name__

    @property
    def supports_batch(self) -> bool:
        return type(self).submit_batch is not LLMClassifier.submit_batch

    def batch_request(self, failure: FailureContext) -> BatchRequest | None:
        """The request `classify(failure)` would send, or None when its verdict is cached or answered already."""
        prompt = self.classification_prompt(failure)
        key = self.key_for("verdict", failure.taxonomy, prompt)
        if key in self.prefetched or self._cached_verdict(key, failure.taxonomy) is not None:
            return None
        system = self._batch_systems.setdefault(prompt.system, prompt.system)  # one copy for the whole batch
        return BatchRequest(key, system, prompt.user, verdict_schema(failure.taxonomy), failure.failed.eval_path,
                            run_id=failure.run.id if failure.run is not None else "")

    async def run_batch(self, requests: list[BatchRequest], on_progress: Callable[[BatchStatus], None] | None = None) -> list[str]:
        """Send `requests` in one provider batch (or resume the one sent for them before), wait, and keep the
        answers for `classify`; the warnings to show (requests that go live instead, and why)."""
        if not self.supports_batch:
            await self.submit_batch(requests)  # raises the UsageError
        from .batch import run_batch

        return await run_batch(self, requests, on_progress)

    # ---------------------------------------------------------------- synthesis

    def synthesis_prompt(self, analysis: RunAnalysis) -> Prompt:
        return masked(build_synthesis_prompt(analysis, token_budget=self.settings.prompt_token_budget))

    async def synthesize(self, analysis: RunAnalysis) -> RunAnalysis:
        """The analysis with the LLM's cross-cutting patterns and recommendations merged into the deterministic ones."""
        if not any(f.analysed for f in analysis.failures):
            return analysis
        prompt = self.synthesis_prompt(analysis)
        key = self.key_for("synthesis", analysis.taxonomy, prompt)
        paths = {f.eval_path for f in analysis.failures}

        def parse(raw: Any) -> tuple[Any, Any]:
            return parse_synthesis(raw, paths)

        hit = self.cache.get(key, "synthesis")
        self.log.about(analysis, prompt, hit and hit[0])  # the prompt log entries name the run
        parsed = None
        if hit is not None:
            try:
                parsed, usage = parse(hit[0]), Usage(cached=1)
            except AnswerError:
                parsed = None
        if parsed is None:
            parsed, usage, problem = await self._ask_validated(prompt, synthesis_schema(), parse)
            if parsed is None:
                return evolve(
                    analysis,
                    usage=analysis.usage + usage,
                    warnings=(*analysis.warnings, f"synthesis skipped: {self.name} gave an invalid answer twice ({problem})"),
                )
            stored = {
                "patterns": report_converter.unstructure(list(parsed[0])),
                "recommendations": report_converter.unstructure(list(parsed[1])),
            }
            self.cache.put(key, "synthesis", stored, usage, provider=self.provider, model=self.model)
        merged = merge_synthesis(analysis, *parsed)
        return evolve(merged, usage=analysis.usage + usage)

    # ------------------------------------------------------------------ dry run

    @classmethod
    def dry_run_from_settings(cls, settings: Settings, *, fallback: Classifier | None = None) -> DryRun:
        """A dry run for `settings` (the `DryRunFactory` role); it never calls the provider, so it needs no API key."""
        return DryRun(cls(settings, api_key="", fallback=fallback))


def _closed(client: Any) -> bool:
    """Whether an SDK client was closed (`is_closed()` of both SDKs, or httpx's `is_closed` property)."""
    state = getattr(client, "is_closed", False)
    try:
        return bool(state() if callable(state) else state)
    except Exception:
        return False


def masked(prompt: Prompt) -> Prompt:
    """`prompt` with every secret the process holds masked: whatever the evidence or an earlier answer
    quoted, no key is sent to a provider, cached under or logged."""
    system, user = redact(prompt.system), redact(prompt.user)
    if (system, user) == (prompt.system, prompt.user):
        return prompt
    return evolve(prompt, system=system, user=user)


def retry_note(problem: AnswerError, schema: AnswerSchema) -> str:
    """Appended to the prompt when the first answer was invalid."""
    return (
        "\n## Your previous answer was rejected\n"
        f"Validation error: {problem}\n"
        f"Answer again with `{schema.name}`, following its schema exactly and fixing that error.\n"
    )


def with_facts(verdict: Verdict, failure: FailureContext) -> Verdict:
    """An LLM verdict with the facts a parser reads off the error (lint rules, TS codes, passing tests).

    Collation groups failures by these; the LLM's own notes of those kinds are kept
    only when they name a rule or code exactly.
    """
    step = failed_step_name(failure)
    error = error_text(failure)
    rules = evidence.lint_rules(error) if step in ("eslint", None) else []
    codes = evidence.ts_error_codes(error)
    facts = [Evidence("lint_rule", r, evidence.rule_family(r)) for r in rules]
    facts += [Evidence("error_code", c) for c in codes]
    exact = {("lint_rule", r) for r in rules} | {("error_code", c) for c in codes}
    own = []
    for e in verdict.evidence:
        if e.kind in ("lint_rule", "error_code") and (e.kind, e.detail) not in exact:
            e = evolve(e, kind="other")
        if (e.kind, e.detail) not in exact:
            own.append(e)
    tags = verdict.tags
    if step not in ("tests", None) and evidence.step_outcomes(failure.detail).get("tests") == "passed":
        tags = tuple(dict.fromkeys((*tags, "tests_passed")))
    return evolve(
        verdict,
        evidence=(*facts, *own),
        tags=tags,
        error_summary=verdict.error_summary or evidence.one_line(error),
    )


class DryRun:
    """Counts the prompts an LLM classifier would send and estimates their tokens; calls no LLM, writes nothing.

    Classification returns the fallback verdict so the run can be collated; the
    synthesis prompt is therefore estimated from those verdicts.
    """

    def __init__(self, llm: LLMClassifier):
        self.llm = llm
        self.name = llm.name
        self.prompts: Counter[str] = Counter()
        self.tokens = 0
        self.cached = 0
        self.cached_tokens = 0
        self.trimmed = 0
        self.to_send: list[tuple[int, int, str]] = []  # (estimated input tokens, of which the shared prefix, kind)

    @property
    def price(self) -> Price | None:
        return self.llm.price

    def _count(self, kind: str, prompt: Prompt, key: str, cache_kind: str) -> None:
        self.prompts[kind] += 1
        self.tokens += prompt.estimated_tokens
        self.trimmed += bool(prompt.omitted)
        if self.llm.cache.get(key, cache_kind) is not None:
            self.cached += 1
            self.cached_tokens += prompt.estimated_tokens
        else:
            self.to_send.append((prompt.estimated_tokens, estimate_tokens(prompt.system), kind))

    def dollars_estimate(self) -> dict[str, float] | None:
        """What the uncached prompts would cost at most (full-length answers): live without the provider's
        prompt cache, live with it (the system text written once, then read), and in a batch (classifications
        batched, with the prompt cache, at the batch discount). None without a price for the model."""
        price = self.llm.price
        if price is None:
            return None
        out = self.llm.settings.max_output_tokens
        live = cached = batched = 0.0
        prefixes_seen: set[str] = set()
        for tokens, prefix, kind in self.to_send:
            live += price.cost(Usage(tokens, out))
            # The first prompt of a kind writes its system text to the cache; the next ones read it.
            usage = Usage(tokens, out, cache_read_tokens=prefix) if kind in prefixes_seen else Usage(tokens, out, cache_write_tokens=prefix)
            prefixes_seen.add(kind)
            cached += price.cost(usage)
            batched += price.cost(usage, batched=kind == "classification")
        return {"live": round(live, 4), "live_with_prompt_cache": round(cached, 4), "batched": round(batched, 4)}

    async def classify(self, failure: FailureContext) -> Verdict:
        prompt = self.llm.classification_prompt(failure)
        self._count("classification", prompt, self.llm.key_for("verdict", failure.taxonomy, prompt), "verdict")
        if self.llm.fallback is None:
            raise ClassifierError("a dry run classifies with the fallback classifier, and none was given")
        return await self.llm.fallback.classify(failure)

    async def synthesize(self, analysis: RunAnalysis) -> RunAnalysis:
        if any(f.analysed for f in analysis.failures):
            prompt = self.llm.synthesis_prompt(analysis)
            self._count("synthesis", prompt, self.llm.key_for("synthesis", analysis.taxonomy, prompt), "synthesis")
        return analysis

    def dry_run_counts(self) -> dict[str, Any]:
        """The dry run's figures, for `--json`."""
        return {
            "classifier": self.llm.name,
            "prompts": dict(self.prompts),
            "estimated_input_tokens": self.tokens,
            "estimated_input_tokens_to_send": self.tokens - self.cached_tokens,
            "cached_prompts": self.cached,
            "trimmed_prompts": self.trimmed,
            "max_output_tokens_per_request": self.llm.settings.max_output_tokens,
            "estimated_usd": self.dollars_estimate(),
        }

    def dry_run_summary(self) -> str:
        total = sum(self.prompts.values())
        parts = ", ".join(plural(n, kind) for kind, n in self.prompts.items())
        settings = self.llm.settings
        lines = [
            f"Dry run with {self.llm.name}: {plural(total, 'prompt')} ({parts or 'none'}).",
            f"Estimated input tokens: {self.tokens} in total (about {CHARS_PER_TOKEN} characters per token for ASCII); "
            f"{self.tokens - self.cached_tokens} to send, {plural(self.cached, 'prompt')} already cached.",
            f"Output tokens: at most {settings.max_output_tokens} per request "
            f"({settings.max_output_tokens * (total - self.cached)} for the uncached prompts; an invalid answer adds a retry).",
        ]
        estimate = self.dollars_estimate()
        if estimate is None:
            lines.append(f'Dollars: no price known for {self.llm.model}; set [prices."{self.llm.model}"] to see them.')
        else:
            lines.append(
                f"Estimated cost at most (full-length answers): {dollars(estimate['live'])} live, "
                f"{dollars(estimate['live_with_prompt_cache'])} live with the prompt cache, "
                f"{dollars(estimate['batched'])} with --batch."
            )
        if self.trimmed:
            lines.append(f"{plural(self.trimmed, 'prompt')} trimmed evidence to fit the {settings.prompt_token_budget}-token budget.")
        if self.prompts.get("synthesis"):
            lines.append("The synthesis prompt is estimated from offline verdicts.")
        lines.append("No LLM was called and nothing was written.")
        return "\n".join(lines)


def request_failed(provider: str, exc: BaseException) -> ClassifierError:
    """A provider SDK error, after the SDK's own retries, as one plain line (SDK-agnostic: read by attribute)."""
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    kind = message = None
    if isinstance(body, Mapping):
        # Anthropic: {"type": "error", "error": {type, message}}; OpenAI: {message, type, code} (unwrapped)
        error = body.get("error") if isinstance(body.get("error"), Mapping) else body
        kind = error.get("type") or error.get("code")
        message = error.get("message") if isinstance(error.get("message"), str) else None
    message = " ".join(str(message or getattr(exc, "message", None) or exc or type(exc).__name__).split())
    # Some servers quote the key they refused, whole or in part: mask every secret before cutting the message.
    for secret in _credentials_sent(exc):  # whatever key the request carried is a secret from now on
        register_secret(secret, "[API key]")
    message = redact(message)[:300]
    where = f"HTTP {status}" + (f" {kind}" if kind else "") if status else type(exc).__name__
    request_id = getattr(exc, "request_id", None)
    request_id = redact(str(request_id)) if request_id else None
    # A refused key or an unknown model fails every request alike: stop the run rather than mark each failure.
    error = ClassifierUnavailable if status in (401, 403, 404) else ClassifierError
    return error(
        f"{provider} request failed: {where}: {message}" + (f" (request id {request_id})" if request_id else "")
    )


def _credentials_sent(exc: BaseException) -> list[str]:
    """The credentials in the headers of the request that failed (SDK exceptions carry it as `.request`), longest first."""
    headers = getattr(getattr(exc, "request", None), "headers", None)
    if not isinstance(headers, Mapping):
        return []
    found = set()
    for name in ("authorization", "x-api-key", "api-key"):
        value = headers.get(name)
        if isinstance(value, str) and value.strip():
            found.update({value.strip(), value.strip().split(" ", 1)[-1]})
    return sorted((v for v in found if len(v) >= 8), key=len, reverse=True)
