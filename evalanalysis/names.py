"""The vocabulary several parts share: which model a name means, which run an id means, what a Convex
id and a numbered category look like, which folder a provider or model is filed under. Reporters, the rules engine, history and the pipeline all
compare models and runs; doing it one way is what makes a repeat a repeat."""

from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING

from .llm.redaction import redact

if TYPE_CHECKING:
    from .model import RunInfo

# Convex document ids: base32 (Crockford, lowercase: no i, l, o, u), 31-37 characters.
CONVEX_ID_ALPHABET = "0-9a-hjkmnp-tv-z"
CONVEX_ID = re.compile(rf"[{CONVEX_ID_ALPHABET}]{{31,37}}")
# A category's number, as convex-evals writes it: `002-` in `002-queries`.
CATEGORY_NUMBER = re.compile(r"^\d{2,4}-")


def is_convex_id(text: str) -> bool:
    """True when `text` is shaped like a Convex document id."""
    return CONVEX_ID.fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)  # asked of every finding of a lookup; a run names a few models
def model_key(model: str | None) -> str:
    """The identity of a model across reports: lower case, without any `provider/` prefix, each run of
    characters other than letters, digits and `._+-` made one `-`. Letters of any script count, so
    `日本語` and `中文` stay two models (a lone surrogate does not: it cannot be stored)."""
    if not model:
        return ""
    name = model.strip().casefold().rsplit("/", 1)[-1]
    return re.sub(r"(?:[^\w.+-]|_)+", "-", name).strip("-.")[:100]


def other_models(prior_findings, run_model: str | None) -> list[str]:
    """The models, other than `run_model`, that earlier reports saw failing this eval."""
    mine = model_key(run_model)
    return sorted({p.model for p in prior_findings if p.model and model_key(p.model) != mine})


def same_run(a: str | None, b: str | None) -> bool:
    """True when two run ids (or an id and an 8+ character prefix of it) name the same run."""
    if not a or not b:
        return False
    if len(a) < 8 or len(b) < 8:
        return a == b
    return a.startswith(b) or b.startswith(a)


def same_category(a: str, b: str) -> bool:
    """True when two categories are one: equal, or equal once the one without a number
    drops the other's `NNN-` prefix (`queries` is `002-queries`; `001-x` is not `002-x`)."""
    if a == b:
        return True
    if CATEGORY_NUMBER.match(a) and CATEGORY_NUMBER.match(b):
        return False
    return CATEGORY_NUMBER.sub("", a) == CATEGORY_NUMBER.sub("", b)


# ----------------------------------------------------------------- report folders

UNKNOWN_PROVIDER = "unknown-provider"


def sanitise_segment(text: str | None, fallback: str = "unknown") -> str:
    """One safe path segment from untrusted text: no separators, no dot-only names, bounded length."""
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "-", (text or "").strip()).strip("-.")
    return cleaned[:100] or fallback


def folder_segment(text: str | None, fallback: str = "unknown") -> str:
    """A folder name for a provider or model: `sanitise_segment`, plus a short stable hash of the raw
    name whenever sanitising changed more than a `/` (or emptied it), so `///`, `..` and `日本語`
    each get their own folder instead of sharing `unknown/`. No secret of the process is ever part of it."""
    raw = redact((text or "").strip())
    cleaned = sanitise_segment(raw, fallback="")
    if cleaned and cleaned == raw.replace("/", "-"):  # `moonshotai/kimi-k2` stays `moonshotai-kimi-k2`
        return cleaned
    tag = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{(cleaned or fallback)[:91]}-{tag}"


def provider_folder(run: RunInfo) -> str:
    """The provider's folder; a run with no provider (null in the database) goes under the vendor
    prefix of a `vendor/model` slug, else under `unknown-provider`."""
    if run.provider and run.provider.strip():
        return folder_segment(run.provider)
    vendor, slash, rest = run.model.strip().partition("/")
    return folder_segment(vendor) if slash and vendor.strip() and rest.strip() else UNKNOWN_PROVIDER
