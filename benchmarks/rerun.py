"""Benchmark of the result cache: the same run analysed twice by an LLM classifier, starting from an empty cache.

Run from a clone with the project installed: `python benchmarks/rerun.py [--bundle FILE] [--latency S]`.
The `anthropic` classifier analyses a run bundle (default: the 13 failures of
`examples/runs/mixed-run.json`) against the loopback fake Messages API
(`tests/fakes/llm_servers.py`, `latency` seconds per request), with synthesis
on, concurrency 4, no history, and a fresh cache directory; then analyses the
same bundle again with the same cache. Plugins are loaded before the clocks
start. Ends with:

    RESULT first_requests=<LLM requests> rerun_requests=<LLM requests> rerun_wall_ratio=<second / first wall time>
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_services import FakeAnthropic, answer_everything, point_at, quiet_settings  # noqa: E402
from generated_runs import machine  # noqa: E402

import evalanalysis as ea  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default=str(ROOT / "examples" / "runs" / "mixed-run.json"))
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per LLM request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeAnthropic() as llm:
        llm.latency = args.latency
        llm.responder = answer_everything
        point_at(llm=llm)
        settings = quiet_settings(Path(tmp), **{"classifier.name": "anthropic", "analyze.concurrency": 4})
        registry = ea.PluginRegistry(ea.get_plugin_manager())
        runs = []
        for _ in range(2):
            before = llm.count
            start = time.perf_counter()
            analysis = ea.analyze(args.bundle, settings=settings, registry=registry)
            runs.append((time.perf_counter() - start, llm.count - before, analysis))
        cache_files = sum(1 for p in (Path(tmp) / "cache").rglob("*") if p.is_file())
    (first_s, first_n, first), (second_s, second_n, second) = runs
    same = [f.classification for f in first.failures] == [f.classification for f in second.failures]
    print(machine())
    print(f"bundle {Path(args.bundle).name}: {len(first.failures)} failures; fake LLM at {args.latency * 1000:.0f} ms per request")
    print(f"first run:  {first_s:.2f} s, {first_n} LLM requests ({first.usage.requests} counted in the analysis, "
          f"{first.usage.input_tokens:,} input tokens)")
    print(f"second run: {second_s:.3f} s, {second_n} LLM requests ({second.usage.cached} answers from the cache)")
    print(f"cache files written: {cache_files}; same classes both times: {'yes' if same else 'no'}")
    print(f"RESULT first_requests={first_n} rerun_requests={second_n} rerun_wall_ratio={second_s / first_s:.3f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
