"""Plugin hooks, in the style of `llm`: each hook receives a `register(name, factory)` callback.

A factory is called with the resolved `Settings` and returns an object that
satisfies the matching protocol in `evalanalysis.protocols`.
"""

from __future__ import annotations

from typing import Callable

import pluggy

hookspec = pluggy.HookspecMarker("evalanalysis")
hookimpl = pluggy.HookimplMarker("evalanalysis")

Register = Callable[[str, Callable], None]


@hookspec
def register_sources(register: Register) -> None:
    """Register run sources: `register("convex", factory)`; `factory(settings) -> Source`."""


@hookspec
def register_classifiers(register: Register) -> None:
    """Register classifiers: `register("rules", factory)`; `factory(settings) -> Classifier`."""


@hookspec
def register_reporters(register: Register) -> None:
    """Register reporters: `register("markdown", factory)`; `factory(settings) -> Reporter`."""
