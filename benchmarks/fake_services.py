"""The loopback fakes the benchmarks run against, and the environment that points the product at them.

Benchmarks import `tests.fakes` from the repository (it is not installed), so
the repository root goes on `sys.path` here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.convex_server import DEFAULT_ADMIN_KEY, FakeConvex  # noqa: E402
from tests.fakes.llm_servers import FakeAnthropic, Reply  # noqa: E402

import evalanalysis as ea  # noqa: E402

__all__ = ["DEFAULT_ADMIN_KEY", "FakeAnthropic", "FakeConvex", "answer_everything", "point_at", "quiet_settings"]


def answer_everything(body: dict[str, Any]) -> Reply:
    """A valid answer to any request: a verdict for a classification prompt, an empty synthesis otherwise."""
    tool = (body.get("tool_choice") or {}).get("name")
    if tool == "record_synthesis":
        return Reply.json({"patterns": [], "recommendations": []}, output_tokens=30)
    user = next((m["content"] for m in body.get("messages", []) if m.get("role") == "user"), "")
    match = re.search(r"^eval: (\S+)$", user if isinstance(user, str) else "", re.M)
    return Reply.json(
        {
            "classification": "MODEL_FAULT",
            "reasoning": f"The fake classified {match.group(1) if match else 'this failure'}. It read the evidence.",
            "error_summary": "fake summary",
            "model_snippet": None,
            "expected_snippet": None,
            "confidence": 0.9,
            "evidence": [{"kind": "task", "detail": "the task text", "source": "TASK.txt"}],
            "tags": [],
        },
        output_tokens=40,
    )


def point_at(llm: FakeAnthropic | None = None, convex: FakeConvex | None = None) -> None:
    """Put the fakes' URLs and keys in this process's environment, where the product reads them."""
    if llm is not None:
        os.environ.update(llm.env())
    if convex is not None:
        os.environ.update({"CONVEX_URL": convex.url, "CONVEX_DEPLOY_KEY": DEFAULT_ADMIN_KEY})


def quiet_settings(workdir: Path, **overrides: Any) -> ea.Settings:
    """Settings isolated in `workdir`: no config files read, no history, the cache and prompt log under `workdir`."""
    base = {
        "analyze.reports_dir": str(workdir / "reports"),
        "analyze.history": False,
        "cache.dir": str(workdir / "cache"),
        "log.dir": str(workdir / "log"),
    }
    return ea.load_config(env={}, cwd=workdir, user_file=workdir / "no-user-config.toml", overrides={**base, **overrides})
