"""Benchmark of prompt size: tokens the LLM classifier sends per failure vs a naive dump of the debug info.

Run from a clone with the project installed: `python benchmarks/tokens.py`.
For every failure of the example bundles (`examples/runs/*.json`) it builds the
classification prompt exactly as the `anthropic` classifier would send it (its
own `classification_prompt`, default token budget; no request is made), and a
naive full dump of the same debug info: the task, every file (the model's
output and the eval's sources: answer, grader, GAPS.txt) and every step's error
text. Both are measured with the product's token estimate (about 3.5 ASCII
characters per token). It also checks that every prompt kept the failed step's
full error text and, when the eval has one, the whole GAPS.txt. The fixture
bundles (`examples/runs/fixtures/`) are reported on a second line for context.
Ends with:

    RESULT token_ratio=<sent / naive over the example bundles> evidence_kept=yes|no
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_services import quiet_settings  # noqa: E402
from generated_runs import machine  # noqa: E402

import evalanalysis as ea  # noqa: E402
from evalanalysis.llm.prompt import error_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def naive_dump(failed: ea.FailedEval, detail: ea.EvalDetail) -> str:
    """Everything the debug info holds, concatenated: what a prompt would be without selection or trimming."""
    parts = [f"# task\n{detail.eval.task or ''}"]
    for path, text in {**(detail.output_files or {}), **(detail.eval_source_files or {})}.items():
        parts.append(f"# {path}\n{text}")
    for step in detail.steps:
        if step.status.failure_reason:
            parts.append(f"# {step.name} ({step.status.kind})\n{step.status.failure_reason}")
    if failed.failure_reason:
        parts.append(f"# failure\n{failed.failure_reason}")
    return "\n".join(parts)


def measure(bundles: list[Path], classifier) -> dict:
    sent = naive = trimmed = system = 0
    kept_error = kept_gaps = with_gaps = failures = 0
    ratios = []
    for path in bundles:
        data = json.loads(path.read_text(encoding="utf-8"))
        summary = ea.structure_run_summary(data["summary"])
        for failed in summary.failed_evals:
            detail = ea.structure_eval_detail(data["evals"][failed.id])
            context = ea.FailureContext(failed=failed, detail=detail, run=summary.run)
            prompt = classifier.classification_prompt(context)
            tokens, dump = prompt.estimated_tokens, ea.estimate_tokens(naive_dump(failed, detail))
            sent, naive, failures = sent + tokens, naive + dump, failures + 1
            system += ea.estimate_tokens(prompt.system)
            ratios.append(tokens / dump)
            trimmed += bool(prompt.omitted)
            kept_error += error_text(context) in prompt.user
            gaps = detail.source_file("GAPS.txt")
            if gaps is not None:
                with_gaps += 1
                kept_gaps += gaps in prompt.user
    return {"failures": failures, "sent": sent, "naive": naive, "trimmed": trimmed, "kept_error": kept_error, "system": system,
            "with_gaps": with_gaps, "kept_gaps": kept_gaps, "median_ratio": statistics.median(ratios)}


def show(name: str, m: dict) -> None:
    print(f"{name}: {m['failures']} failures; naive dump {m['naive']:,} tokens, prompts as sent {m['sent']:,} tokens "
          f"(ratio {m['sent'] / m['naive']:.3f}, median per failure {m['median_ratio']:.2f}); "
          f"{m['trimmed']} prompts trimmed to the budget")
    print(f"  of which the system text, the same for every failure: {m['system'] // m['failures']:,} tokens per prompt "
          f"({m['system'] / m['sent']:.0%} of what was sent)")
    print(f"  full error text kept in {m['kept_error']}/{m['failures']} prompts; "
          f"GAPS.txt kept in {m['kept_gaps']}/{m['with_gaps']} prompts of evals that have one")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = quiet_settings(Path(tmp), **{"classifier.name": "anthropic"})
        registry = ea.PluginRegistry(ea.get_plugin_manager())
        # The classifier itself, with a dummy key: building prompts sends nothing.
        classifier = registry.factory("classifier", "anthropic")(settings, api_key="not-used")
        examples = measure(sorted((ROOT / "examples" / "runs").glob("*.json")), classifier)
        fixtures = measure(sorted((ROOT / "examples" / "runs" / "fixtures").glob("*.json")), classifier)
    print(machine())
    print(f"classifier {classifier.name}, prompt token budget {settings.classifier.prompt_token_budget}")
    show("example bundles", examples)
    show("fixture bundles", fixtures)
    kept = all(m["kept_error"] == m["failures"] and m["kept_gaps"] == m["with_gaps"] for m in (examples, fixtures))
    print(f"RESULT token_ratio={examples['sent'] / examples['naive']:.3f} evidence_kept={'yes' if kept else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
