"""Benchmark of the fan-out: 100 failures fetched from a fake Convex and classified by a fake LLM, 200 ms per call.

Run from a clone with the project installed: `python benchmarks/fanout.py [--failures N] [--concurrency C] [--latency S]`.
A generated run of N failures is served by the loopback fake Convex deployment
(`tests/fakes/convex_server.py`) and classified by the `anthropic` classifier
against the loopback fake Messages API (`tests/fakes/llm_servers.py`), both
answering after `latency` seconds. `evalanalysis.analyze` runs it with
`concurrency` C, a fresh cache, no history and no synthesis (the one extra LLM
call after the fan-out is not what this measures). Plugins are loaded (the
provider SDK imported) before the clock starts; that one-off cost is printed
apart.

Each failure costs one Convex call (`debug:getEvalDebugInfo`) and one LLM call,
one after the other, so with C in flight the ideal wall time is

    ideal = ceil(N / C) x (convex latency + LLM latency) = ceil(100 / 8) x 0.4 s = 5.2 s

(the run's one `getFailedEvalsForRun` call adds a further 0.2 s before the
fan-out starts; it is included in the wall time and not in the ideal).
Prints the figures and ends with:

    RESULT fanout_ratio=<wall / ideal>
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_services import FakeAnthropic, FakeConvex, answer_everything, point_at, quiet_settings  # noqa: E402
from generated_runs import generated_bundle, machine  # noqa: E402

import evalanalysis as ea  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per Convex call and per LLM call")
    args = parser.parse_args()
    bundle = generated_bundle(args.failures, seed="fanout")
    run_id = bundle["summary"]["run"]["_id"]
    with tempfile.TemporaryDirectory() as tmp, FakeConvex([bundle], latency=args.latency) as convex, FakeAnthropic() as llm:
        llm.latency = args.latency
        llm.responder = answer_everything
        point_at(llm=llm, convex=convex)
        settings = quiet_settings(
            Path(tmp),
            **{"analyze.concurrency": args.concurrency, "classifier.name": "anthropic", "classifier.synthesis": False},
        )
        loading = time.perf_counter()
        registry = ea.PluginRegistry(ea.get_plugin_manager())
        import anthropic  # noqa: F401  the plugin imports its SDK on first use; keep that one-off cost out of the fan-out

        loaded = time.perf_counter() - loading
        start = time.perf_counter()
        analysis = ea.analyze(run_id, settings=settings, registry=registry)
        wall = time.perf_counter() - start
        convex_calls = dict(convex.calls)
        peaks = (convex.max_in_flight, llm.max_in_flight)
        llm_requests = llm.count
    analysed = sum(1 for f in analysis.failures if f.analysed and f.verdict and f.verdict.classifier.startswith("anthropic"))
    ideal = math.ceil(args.failures / args.concurrency) * 2 * args.latency
    print(machine())
    print(f"run: {args.failures} failures, concurrency {args.concurrency}, {args.latency * 1000:.0f} ms per Convex call and per LLM call")
    print(f"analysed by the LLM: {analysed}/{len(analysis.failures)}; Convex calls {convex_calls}; LLM requests {llm_requests}")
    print(f"most requests in flight at once: Convex {peaks[0]}, LLM {peaks[1]}")
    print(f"loading the plugins and the provider SDK (not timed below): {loaded:.2f} s")
    print(f"wall time {wall:.2f} s; ideal ceil({args.failures}/{args.concurrency}) x 2 x {args.latency} s = {ideal:.2f} s")
    print(f"RESULT fanout_ratio={wall / ideal:.2f}")
    return 0 if analysed == args.failures else 1


if __name__ == "__main__":
    sys.exit(main())
