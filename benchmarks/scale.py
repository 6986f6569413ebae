"""Benchmark of scale: 2,000 failures, one with a 20 MB model output file, classified at concurrency 16.

Run from a clone with the project installed: `python benchmarks/scale.py [--failures N] [--concurrency C] [--latency S]`.
A generated run of N failures (`generated_runs.py`; failure 0 gets one more
output file, `convex/huge.ts`, of 20 MB) is written as a bundle file and
analysed offline with `evalanalysis.analyze` by the `anthropic` classifier
against the loopback fake Messages API (`tests/fakes/llm_servers.py`), which
answers every request after `latency` seconds. The result cache is fresh, the
prompt log on (as by default), history and synthesis off (synthesis is one
call after the fan-out; this measures the fan-out).

The bundle is written, and the fake served, by child processes: their memory
and CPU are not the pipeline's, and a fake in this process would compete with
the pipeline for the interpreter lock. What is measured is this process:

- wall time of `analyze` (plugins and the provider SDK are loaded before the
  clock starts) against the ideal, N x latency / C: every request waiting for
  the fake, C at a time, and no time spent anywhere else;
- peak memory: `resource.getrusage(RUSAGE_SELF).ru_maxrss`, the peak resident
  set of the whole process (the interpreter, the SDKs, the bundle read whole by
  the bundle source, every in-flight prompt and the results), not tracemalloc's
  Python-heap-only figure. It is printed with the peak before the run started.

Then the same run is classified again with `--batch` (a fresh result cache): every
prompt in Message Batches (about 8: a batch holds at most `CHUNK_CHARS` of prompt) through the fake, which answers a batch without
the per-request latency (the provider's own engine runs it), and the verdicts
are compared with the live ones, failure by failure. Its wall time and the
process's peak after it are printed (`--no-batch` skips it).

Targets: wall <= 1.15 x ideal, peak <= 300 MB. Ends with:

    RESULT scale_fanout_ratio=<wall / ideal> scale_peak_mb=<peak resident MB> scale_batch_same_verdicts=<yes|no>
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HUGE_BYTES = 20 * 1024 * 1024


def huge_file() -> str:
    """20 MB of plausible TypeScript: a model that looped writing the same handlers."""
    block = "".join(
        f"export const handler{i} = query({{ args: {{}}, handler: async (ctx) => ctx.db.query(\"items\").take({i}) }});\n"
        for i in range(100)
    )
    return (block * (HUGE_BYTES // len(block) + 1))[:HUGE_BYTES]


def write_bundle(path: Path, failures: int) -> str:
    from generated_runs import generated_bundle, write_bundle as write

    bundle = generated_bundle(failures, seed="scale")
    first = bundle["summary"]["failedEvals"][0]["_id"]
    debug = bundle["evals"][first]
    debug["outputFiles"] = {**(debug.get("outputFiles") or {}), "convex/huge.ts": huge_file()}
    write(path, bundle)
    return bundle["summary"]["run"]["_id"]


def serve(latency: float, jitter: float) -> None:
    """The fake Messages API until stdin closes; its base URL and key on the first line of stdout.

    Each request waits `latency` x uniform(1 - jitter, 1 + jitter) seconds (a fixed seed): real LLM
    latencies vary, and a fixed one keeps all C requests in step, finishing together and then queueing
    for the one event loop. The total time waited is reported, for the ideal.
    """
    import random
    import threading

    from fake_services import FakeAnthropic, answer_everything

    rng = random.Random(2000)
    lock = threading.Lock()
    waited = [0.0]
    in_batch = threading.local()

    class Fake(FakeAnthropic):
        def _end_batch(self, batch):  # a batch is processed by the provider at its own pace: no per-request wait
            in_batch.on = True
            try:
                super()._end_batch(batch)
            finally:
                in_batch.on = False

    def slow(body):
        if getattr(in_batch, "on", False):
            return answer_everything(body)
        with lock:
            pause = latency * rng.uniform(1 - jitter, 1 + jitter)
            waited[0] += pause
        time.sleep(pause)
        return answer_everything(body)

    with Fake() as llm:
        llm.responder = slow
        print(json.dumps(llm.env()), flush=True)
        sys.stdin.read()
        print(json.dumps({"count": llm.count, "max_in_flight": llm.max_in_flight, "waited": waited[0],
                          "batched": llm.batch_count}), flush=True)


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.5, help="mean seconds the fake takes per LLM request")
    parser.add_argument("--jitter", type=float, default=1.0,
                        help="each latency is latency x uniform(1 - J, 1 + J); 0: every request takes the same time")
    parser.add_argument("--no-log", action="store_true", help="turn the prompt log off, to see what it costs")
    parser.add_argument("--no-batch", action="store_true", help="skip classifying the run again as one provider batch")
    parser.add_argument("--write-bundle", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_bundle:
        print(write_bundle(Path(args.write_bundle), args.failures))
        return 0
    if args.serve:
        serve(args.latency, min(max(args.jitter, 0.0), 1.0))
        return 0

    from fake_services import quiet_settings
    from generated_runs import machine

    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "scale.json"
        made = time.perf_counter()
        subprocess.run([sys.executable, me, "--write-bundle", str(bundle), "--failures", str(args.failures)],
                       check=True, capture_output=True, text=True)
        made = time.perf_counter() - made
        fake = subprocess.Popen([sys.executable, me, "--serve", "--latency", str(args.latency), "--jitter", str(args.jitter)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            env = json.loads(fake.stdout.readline())
            import os

            os.environ.update(env)
            import evalanalysis as ea

            settings = quiet_settings(
                Path(tmp),
                **{"analyze.concurrency": args.concurrency, "classifier.name": "anthropic", "classifier.synthesis": False,
                   "log.enabled": not args.no_log},
            )
            registry = ea.PluginRegistry(ea.get_plugin_manager())
            import anthropic  # noqa: F401  the plugin imports its SDK on first use; keep that one-off cost out of the clock

            before = peak_mb()
            start = time.perf_counter()
            cpu = time.process_time()
            analysis = ea.analyze(str(bundle), settings=settings, registry=registry)
            cpu = time.process_time() - cpu
            wall = time.perf_counter() - start
            peak = peak_mb()
            batched = batch_wall = None
            if not args.no_batch:
                batch_settings = quiet_settings(
                    Path(tmp) / "batch",
                    **{"analyze.concurrency": args.concurrency, "classifier.name": "anthropic", "classifier.synthesis": False,
                       "classifier.batch": True, "classifier.batch_poll_interval": 0.05, "log.enabled": not args.no_log},
                )
                batch_wall = time.perf_counter()
                batched = ea.analyze(str(bundle), settings=batch_settings, registry=registry)
                batch_wall = time.perf_counter() - batch_wall
            fake.stdin.close()
            served = json.loads(fake.stdout.readline())
        finally:
            if not fake.stdin.closed:  # an error above: stop the fake
                fake.stdin.close()
            fake.wait(timeout=30)
        logged = len(ea_read_log(Path(tmp) / "log"))
        size = bundle.stat().st_size
    analysed = sum(1 for f in analysis.failures if f.analysed and f.verdict and f.verdict.classifier.startswith("anthropic"))
    ideal = served["waited"] / args.concurrency
    print(machine())
    print(f"run: {args.failures} failures (one with a {HUGE_BYTES // 2**20} MB output file; bundle {size / 2**20:.0f} MB, "
          f"written in {made:.1f} s by a child process), concurrency {args.concurrency}, "
          f"{args.latency * 1000:.0f} ms per LLM request on average (x uniform(1 - {args.jitter:g}, 1 + {args.jitter:g}); "
          f"fake in a child process)")
    print(f"analysed by the LLM: {analysed}/{len(analysis.failures)}; LLM requests {served['count']}, "
          f"at most {served['max_in_flight']} in flight; prompt log entries {logged}")
    print(f"wall time {wall:.2f} s; ideal: the fake's total latency {served['waited']:.1f} s / {args.concurrency} = {ideal:.2f} s "
          f"(N x mean latency / C = {args.failures * args.latency / args.concurrency:.2f} s)")
    print(f"CPU in this process {cpu:.2f} s, {cpu / max(len(analysis.failures), 1) * 1000:.1f} ms per failure: with C in flight "
          f"the fan-out hides it only while C x that is well under the latency")
    print(f"peak resident memory (getrusage ru_maxrss, whole process): {peak:.0f} MB; {before:.0f} MB before the run")
    same = "skipped"
    if batched is not None:
        same = "yes" if verdicts(batched) == verdicts(analysis) and batched.usage.batched == args.failures else "no"
        print(f"as one provider batch: {batched.usage.batched} requests batched, {served['batched']} answered by the fake's "
              f"batch, {batched.usage.requests - batched.usage.batched} live; {batch_wall:.1f} s; verdicts "
              f"{'the same as live' if same == 'yes' else 'DIFFERENT from live'}; peak resident memory after it "
              f"{peak_mb():.0f} MB")
    print(f"RESULT scale_fanout_ratio={wall / ideal:.2f} scale_peak_mb={peak:.0f} scale_batch_same_verdicts={same}")
    return 0 if analysed == args.failures and same != "no" else 1


def verdicts(analysis) -> list:
    """Each failure's eval, class and reasoning, in the run's order (generated runs repeat eval paths)."""
    return [(f.eval_path, f.classification, f.verdict.reasoning if f.verdict else None) for f in analysis.failures]


def ea_read_log(folder: Path) -> list:
    from evalanalysis.config import LogSettings
    from evalanalysis.llm.log import read_entries

    return read_entries(LogSettings(dir=str(folder)), limit=None)


if __name__ == "__main__":
    sys.exit(main())
