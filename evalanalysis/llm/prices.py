"""What LLM requests cost in dollars: a price per model, and the cost of a request's usage.

A `Price` is in US dollars per million tokens: uncached input, output, input
written to the provider's prompt cache, input read from it, and the discount a
provider batch gets (0.5 = half price). The defaults cover the default model of
each built-in LLM classifier; `[prices."model"]` in the configuration adds a
model or overrides some of its figures (checked in `evalanalysis.config`).
Costs are estimates from list prices: the provider's invoice is what counts.
"""

from __future__ import annotations

from typing import Any, Mapping

from attrs import evolve, fields, frozen

from ..model import Usage


@frozen
class Price:
    """List prices of one model, in US dollars per million tokens; `batch_discount` is a fraction off."""

    input_per_mtok: float
    output_per_mtok: float
    cache_write_per_mtok: float
    cache_read_per_mtok: float
    batch_discount: float = 0.0

    def cost(self, usage: Usage, *, batched: bool = False) -> float:
        """The dollars `usage` costs: uncached input, cache writes and reads, and output at their rates."""
        fresh = max(0, usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens)
        dollars = (
            fresh * self.input_per_mtok
            + usage.cache_write_tokens * self.cache_write_per_mtok
            + usage.cache_read_tokens * self.cache_read_per_mtok
            + usage.output_tokens * self.output_per_mtok
        ) / 1_000_000
        if batched:
            dollars *= 1 - self.batch_discount
        return round(dollars, 6)

    def estimate(self, input_tokens: int, output_tokens: int, *, cached_prefix: int = 0, batched: bool = False) -> float:
        """The dollars of a request of `input_tokens` (of which `cached_prefix` read from the cache) and `output_tokens`."""
        return self.cost(Usage(input_tokens, output_tokens, cache_read_tokens=min(cached_prefix, input_tokens)), batched=batched)


# List prices as published by the providers (checked 2025-08): Claude Sonnet 4.5 ($3 input, $15 output,
# $3.75 for a 5-minute cache write, $0.30 for a cache read, batches at half price) and GPT-5 ($1.25
# input, $10 output, $0.125 for cached input, no charge for cache writes, batches at half price). The
# plugins' default models are their successors, assumed priced like them: override with [prices."model"].
DEFAULT_PRICES: Mapping[str, Price] = {
    "claude-sonnet-5-5": Price(3.0, 15.0, 3.75, 0.30, 0.5),
    "gpt-5.5": Price(1.25, 10.0, 1.25, 0.125, 0.5),
}

PRICE_KEYS = tuple(f.name for f in fields(Price))


def price_problem(model: str, table: Any) -> str | None:
    """What is wrong with a `[prices."model"]` table, in a few words, or None when it is usable."""
    if not isinstance(table, Mapping):
        return "must be a table of prices, e.g. input_per_mtok = 3.0"
    for key, value in table.items():
        if key not in PRICE_KEYS:
            return f"unknown key {key!r}; known keys: {', '.join(PRICE_KEYS)}"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0 or value == float("inf"):
            return f"{key} must be a number of dollars, 0 or more (got {value!r})"
        if key == "batch_discount" and value >= 1:
            return f"batch_discount is the fraction taken off (0.5 for half price), less than 1 (got {value!r})"
    if model not in DEFAULT_PRICES:
        missing = [k for k in ("input_per_mtok", "output_per_mtok") if k not in table]
        if missing:
            return f"needs {' and '.join(missing)} (no built-in price for this model)"
    return None


def price_for(model: str, overrides: Mapping[str, Mapping[str, float]] | None = None) -> Price | None:
    """The price of `model`: the built-in one with the configured figures over it, or None when neither knows it.

    A configured model without a built-in price gets its cache rates from its input rate when not given.
    """
    table = dict((overrides or {}).get(model) or {})
    base = DEFAULT_PRICES.get(model)
    if base is None:
        if "input_per_mtok" not in table or "output_per_mtok" not in table:
            return None
        base = Price(float(table["input_per_mtok"]), float(table["output_per_mtok"]),
                     float(table["input_per_mtok"]), float(table["input_per_mtok"]))
    return evolve(base, **{k: float(v) for k, v in table.items() if k in PRICE_KEYS})


def dollars(amount: float) -> str:
    """`$0.0123`: four decimals below a dollar (LLM requests cost cents), two above."""
    return f"${amount:.2f}" if amount >= 1 else f"${amount:.4f}"
