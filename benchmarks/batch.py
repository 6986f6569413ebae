"""Benchmark of prompt caching and provider batches, through the loopback fakes of both providers.

Run from a clone with the project installed: `python benchmarks/batch.py`.
Every example bundle with failures (`examples/runs/*.json`) and every fixture
bundle (`examples/runs/fixtures/*.json`) is classified by the real `anthropic`
and `openai` classifiers (real SDKs) against the fakes, which simulate each
provider's prompt cache on the bytes of the request: Anthropic caches the
prefix up to the block marked `cache_control` (the tool and the system text),
OpenAI the longest prefix seen before (at least 1,024 tokens, in steps of 128).
No synthesis, an empty result cache per run.

Billed input tokens, at the multipliers of the input price that the tool's own price table
(`evalanalysis.llm.prices.DEFAULT_PRICES`) gives each classifier's default model:
- Anthropic (claude-sonnet-5-5, priced as Claude Sonnet 4.5): uncached input 1x, cache writes 1.25x
  (5-minute cache), cache reads 0.1x;
- OpenAI (gpt-5.5, priced as GPT-5): uncached input 1x, cached input 0.1x, no charge for writes.
Without caching every input token bills 1x. The ratio is billed-with / billed-without, over both
providers and all bundles. A second figure bills OpenAI's cached input at 0.5x, the rate of the
GPT-4o family, for anyone who points the openai classifier at such a model. Each bundle is then
classified again with `--batch` (the fake's Batch APIs) and the verdicts compared with the live ones.
Ends with:

    RESULT cache_billed_ratio=<x> batch_same_verdicts=yes|no cache_billed_ratio_gpt4o_rates=<y>
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_services import quiet_settings  # noqa: E402

from tests.fakes.llm_servers import FakeAnthropic, FakeOpenAI, Reply  # noqa: E402

import evalanalysis as ea  # noqa: E402
from evalanalysis.llm.prices import DEFAULT_PRICES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODELS = {"anthropic": "claude-sonnet-5-5", "openai": "gpt-5.5"}


def rates(provider: str) -> dict[str, float]:
    """Cache write and read multipliers of the input price, from the tool's price table."""
    price = DEFAULT_PRICES[DEFAULT_MODELS[provider]]
    return {"write": price.cache_write_per_mtok / price.input_per_mtok, "read": price.cache_read_per_mtok / price.input_per_mtok}


GPT4O_RATES = {"write": 1.0, "read": 0.5}
CLASSES = ("MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP")


def answer(body: dict[str, Any]) -> Reply:
    """A verdict whose class depends on the eval, for either provider's request shape."""
    if "messages" in body:
        user = next((m["content"] for m in body["messages"] if m.get("role") == "user"), "")
    else:
        user = body.get("input", "")
    match = re.search(r"^eval: (\S+)$", user if isinstance(user, str) else "", re.M)
    path = match.group(1) if match else "?"
    return Reply.json(
        {
            "classification": CLASSES[sum(map(ord, path)) % 4],
            "reasoning": f"The fake classified {path}. It read the evidence.",
            "error_summary": "fake summary",
            "model_snippet": None,
            "expected_snippet": None,
            "confidence": 0.8,
            "evidence": [{"kind": "task", "detail": "the task text", "source": "TASK.txt"}],
            "tags": [],
        },
        output_tokens=60,
    )


def bundles() -> list[Path]:
    found = []
    for path in sorted([*(ROOT / "examples" / "runs").glob("*.json"), *(ROOT / "examples" / "runs" / "fixtures").glob("*.json")]):
        if json.loads(path.read_text(encoding="utf-8"))["summary"]["failedEvals"]:
            found.append(path)
    return found


def analyse(provider: str, bundle: Path, workdir: Path, batch: bool) -> ea.RunAnalysis:
    settings = quiet_settings(workdir, **{
        "classifier.name": provider,
        "classifier.synthesis": False,
        "classifier.batch": batch,
        "classifier.batch_poll_interval": 0.01,
    })
    space = ea.Workspace(settings, today=lambda: "2026-11-25")
    return space.analyze(ea.resolve_run(str(bundle)))


def billed(usage: ea.Usage, rate: dict[str, float]) -> tuple[float, float]:
    """(billed input tokens with the prompt cache at `rate`, without it)."""
    fresh = usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens
    return fresh + rate["write"] * usage.cache_write_tokens + rate["read"] * usage.cache_read_tokens, float(usage.input_tokens)


def verdicts(analysis: ea.RunAnalysis) -> dict[str, tuple[str | None, str | None]]:
    return {f.eval_path: (f.classification, f.verdict.reasoning if f.verdict else None) for f in analysis.failures}


def main() -> None:
    paths = bundles()
    totals = {"with": 0.0, "without": 0.0, "gpt4o": 0.0}
    same = True
    print(f"{len(paths)} bundles with failures; billed input = uncached 1x, "
          + ", ".join(f"{p} cache write {rates(p)['write']:g}x / read {rates(p)['read']:g}x" for p in DEFAULT_MODELS))
    with FakeAnthropic() as claude, FakeOpenAI() as gpt, tempfile.TemporaryDirectory() as tmp:
        os.environ.update({**claude.env(), **gpt.env()})
        for fake in (claude, gpt):
            fake.responder = answer
            fake.batch_polls = 1
        for provider, fake in (("anthropic", claude), ("openai", gpt)):
            with_cache = without = at_gpt4o = 0.0
            for i, bundle in enumerate(paths):
                fake.forget_prompt_cache()  # each run starts cold: runs of a day are hours apart
                live = analyse(provider, bundle, Path(tmp) / f"{provider}-live-{i}", batch=False)
                w, wo = billed(live.usage, rates(provider))
                with_cache += w
                without += wo
                at_gpt4o += billed(live.usage, GPT4O_RATES)[0] if provider == "openai" else w
                creates = fake.batch_count
                fake.forget_prompt_cache()
                batched = analyse(provider, bundle, Path(tmp) / f"{provider}-batch-{i}", batch=True)
                ok = verdicts(batched) == verdicts(live) and batched.usage.batched == fake.batch_count - creates > 0
                same = same and ok
                print(f"  {provider:9} {bundle.name:40} {len(live.failures):3} failures  input {live.usage.input_tokens:7}"
                      f"  cache read {live.usage.cache_read_tokens:7} written {live.usage.cache_write_tokens:6}"
                      f"  billed {w / max(wo, 1):.3f}  live ${live.usage.cost_usd:.4f}  batch ${batched.usage.cost_usd:.4f}"
                      f"  batch verdicts {'same' if ok else 'DIFFERENT'}")
            print(f"{provider}: billed input ratio {with_cache / max(without, 1):.3f} ({with_cache:.0f} / {without:.0f} tokens)")
            if provider == "openai":
                print(f"openai at the GPT-4o family's 0.5x cached rate: {at_gpt4o / max(without, 1):.3f}")
            totals["with"] += with_cache
            totals["without"] += without
            totals["gpt4o"] += at_gpt4o
    ratio = totals["with"] / max(totals["without"], 1)
    gpt4o = totals["gpt4o"] / max(totals["without"], 1)
    print(f"RESULT cache_billed_ratio={ratio:.3f} batch_same_verdicts={'yes' if same else 'no'} "
          f"cache_billed_ratio_gpt4o_rates={gpt4o:.3f}")


if __name__ == "__main__":
    main()
