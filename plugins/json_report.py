"""Reporter `json`: the cattrs-unstructured `RunAnalysis`, schema-versioned, loadable back."""

from __future__ import annotations

import json

from evalanalysis import RunAnalysis, Settings, analysis_to_json, hookimpl


@hookimpl
def register_reporters(register):
    register("json", JsonReporter.from_settings)


class JsonReporter:
    """Renders the machine-readable report (`evalanalysis.analysis_from_json` reads it back)."""

    suffix = ".json"

    @classmethod
    def from_settings(cls, settings: Settings) -> JsonReporter:
        return cls()

    def render(self, analysis: RunAnalysis) -> str:
        return json.dumps(analysis_to_json(analysis), indent=2, ensure_ascii=False) + "\n"
