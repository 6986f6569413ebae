#!/usr/bin/env python3
"""Build the example run bundles in ``examples/runs/`` and the labels in ``examples/labels/``.

Every bundle is an ``evalanalysis.bundle/1`` file (SPEC section 4): the payload of
``debugQueries:getFailedEvalsForRun`` as ``summary`` and one payload of
``debug:getEvalDebugInfo`` per failed eval under ``evals``, shaped like the real
Convex backend returns them (numbers as floats, step statuses, output files,
eval source files).

The task texts and GAPS.txt files are copied verbatim from the public
convex-evals repository (Apache License 2.0) into ``fixture_texts.py`` beside
this file, so the script reads nothing outside the repository. Model outputs,
answers, graders and error texts are written for these examples; error texts
are generated from the code they quote, so line and column numbers agree.

Run from anywhere::

    python examples/build_examples.py          # (re)write the bundles and labels
    python examples/build_examples.py --check  # verify the files on disk are up to date

The output is deterministic: ids are derived from fixed seeds, nothing depends
on the clock or on randomness.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fixture_texts import GAPS, TASKS  # noqa: E402

RUNS_DIR = HERE / "runs"
LABELS_FILE = HERE / "labels" / "examples.jsonl"

BUNDLE_FORMAT = "evalanalysis.bundle/1"
STEP_ORDER = ("filesystem", "install", "deploy", "tsc", "eslint", "tests")
CLASSES = ("MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP")

# --------------------------------------------------------------------------- ids

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Convex ids: no i, l, o, u
ID_LENGTH = 32


def convex_id(prefix: str, seed: str) -> str:
    """A well-formed, made-up Convex document id, derived deterministically from `seed`."""
    digest = hashlib.sha256(f"evalanalysis-examples:{seed}".encode()).digest()
    body = "".join(ID_ALPHABET[b % 32] for b in digest)
    return (prefix + body)[:ID_LENGTH]


def is_convex_id(value: str, prefixes: tuple[str, ...]) -> bool:
    return (
        len(value) == ID_LENGTH
        and all(c in ID_ALPHABET for c in value)
        and value.startswith(prefixes)
    )


# --------------------------------------------------------------------------- text helpers


def loc(text: str, needle: str, nth: int = 1, offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the `nth` occurrence of `needle` in `text`, plus `offset` chars."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    start += offset
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


def src_line(text: str, line: int) -> str:
    return text.splitlines()[line - 1]


def tsc_plain(path: str, text: str, needle: str, code: int, message: str, nth: int = 1, offset: int = 0) -> str:
    """One error the way `tsc --noEmit` prints it without a TTY."""
    line, col = loc(text, needle, nth, offset)
    return f"{path}({line},{col}): error TS{code}: {message}"


def tsc_pretty(path: str, text: str, needle: str, code: int, message: str, nth: int = 1,
               offset: int = 0, width: int | None = None) -> tuple[str, int]:
    """One error the way tsc prints it with --pretty (as `npx convex dev` shows it)."""
    line, col = loc(text, needle, nth, offset)
    gutter = str(line)
    width = width if width is not None else len(needle) - offset
    block = (
        f"{path}:{line}:{col} - error TS{code}: {message}\n\n"
        f"{gutter} {src_line(text, line)}\n"
        f"{' ' * len(gutter)} {' ' * (col - 1)}{'~' * width}\n"
    )
    return block, line


def convex_typecheck_failure(path: str, errors: list[tuple[str, int]]) -> str:
    """`npx convex dev` output when its `tsc` typecheck fails (all errors in one file)."""
    body = "\n".join(block for block, _ in errors)
    first = errors[0][1]
    if len(errors) == 1:
        found = f"Found 1 error in {path}:{first}"
    else:
        found = f"Found {len(errors)} errors in the same file, starting at: {path}:{first}"
    return (
        "- Preparing Convex functions...\n"
        "✖ TypeScript typecheck via `tsc` failed.\n"
        "To ignore failing typecheck, use `--typecheck=disable`.\n"
        f"{body}\n{found}\n"
    )


def esbuild_error(message: str, path: str, text: str, needle: str, notes: str = "",
                  nth: int = 1, offset: int = 0, width: int | None = None) -> str:
    """One esbuild error block as the Convex bundler prints it (esbuild columns are 0-based)."""
    line, col = loc(text, needle, nth, offset)
    col0 = col - 1
    width = width if width is not None else len(needle) - offset
    marker = "^" if width <= 1 else "~" * width
    gutter = str(line)
    block = (
        f"✘ [ERROR] {message}\n\n"
        f"    {path}:{line}:{col0}:\n"
        f"      {gutter} │ {src_line(text, line)}\n"
        f"      {' ' * len(gutter)} ╵ {' ' * col0}{marker}\n"
    )
    if notes:
        block += "\n" + notes
    return block


def eslint_stylish(path: str, problems: list[tuple[int, int, str, str]]) -> str:
    """ESLint's default `stylish` output for one file. problems: (line, col, message, rule)."""
    problems = sorted(problems)
    rows = [(str(ln), str(col), "error", msg, rule) for ln, col, msg, rule in problems]
    w_line = max(len(r[0]) for r in rows)
    w_col = max(len(r[1]) for r in rows)
    w_msg = max(len(r[3]) for r in rows)
    out = [path]
    for ln, col, sev, msg, rule in rows:
        pos = f"{ln.rjust(w_line)}:{col.ljust(w_col)}"
        out.append(f"  {pos}  {sev}  {msg.ljust(w_msg)}  {rule}")
    n = len(rows)
    noun = "problem" if n == 1 else "problems"
    err = "error" if n == 1 else "errors"
    out.append("")
    out.append(f"✖ {n} {noun} ({n} {err}, 0 warnings)")
    return "\n" + "\n".join(out) + "\n"


def eslint_problem(text: str, needle: str, message: str, rule: str, nth: int = 1,
                   offset: int = 0) -> tuple[int, int, str, str]:
    line, col = loc(text, needle, nth, offset)
    return (line, col, message, rule)


SEP = "⎯" * 49


def vitest_output(eval_path: str, grader: str, tests: list[tuple[str, int, dict[str, Any] | None]],
                  start: str, duration_s: float) -> str:
    """Vitest's default reporter for one grader file.

    tests: (name, ms, failure) where failure is None for a pass or a dict with
    `short` (the one-liner under the test), `error` (the error block) and
    `at` (a needle in the grader for the `❯ file:line:col` frame).
    """
    rel = f"evals/{eval_path}/grader.test.ts"
    failed = [t for t in tests if t[2] is not None]
    total_ms = sum(t[1] for t in tests)
    out = [f" ❯ {rel} ({len(tests)} tests | {len(failed)} failed) {total_ms}ms"]
    for name, ms, failure in tests:
        if failure is None:
            out.append(f"   ✓ {name} {ms}ms")
        else:
            out.append(f"   × {name} {ms}ms")
            out.append(f"     → {failure['short']}")
    out.append("")
    out.append(f"⎯⎯⎯⎯⎯⎯⎯ Failed Tests {len(failed)} ⎯⎯⎯⎯⎯⎯⎯")
    out.append("")
    for i, (name, _ms, failure) in enumerate(failed, 1):
        assert failure is not None
        out.append(f" FAIL  {rel} > {name}")
        out.append(failure["error"].rstrip("\n"))
        line, col = loc(grader, failure["at"])
        out.append(f" ❯ {rel}:{line}:{col}")
        lines = grader.splitlines()
        for n in range(max(1, line - 2), min(len(lines), line + 2) + 1):
            out.append(f"    {str(n).rjust(3)}| {lines[n - 1]}".rstrip())
            if n == line:
                out.append(f"       | {' ' * (col - 1)}^")
        if failure.get("cause"):
            out.append(failure["cause"].rstrip("\n"))
        out.append("")
        out.append(f"{SEP}[{i}/{len(failed)}]⎯")
        out.append("")
    passed = len(tests) - len(failed)
    out.append(" Test Files  1 failed (1)")
    out.append(f"      Tests  {len(failed)} failed | {passed} passed ({len(tests)})")
    out.append(f"   Start at  {start}")
    out.append(f"   Duration  {duration_s:.2f}s")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- steps


def passed() -> dict[str, Any]:
    return {"kind": "passed"}


def skipped() -> dict[str, Any]:
    return {"kind": "skipped"}


def failed(reason: str) -> dict[str, Any]:
    return {"kind": "failed", "failureReason": reason}


def pipeline(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """All six steps, passed unless overridden."""
    return [{"name": name, "status": overrides.get(name, passed())} for name in STEP_ORDER]


def fails_at_install(reason: str) -> list[dict[str, Any]]:
    return pipeline(install=failed(reason), deploy=skipped(), tsc=skipped(), eslint=skipped(), tests=skipped())


def fails_at_filesystem(reason: str) -> list[dict[str, Any]]:
    return pipeline(filesystem=failed(reason), install=skipped(), deploy=skipped(), tsc=skipped(), eslint=skipped(),
                    tests=skipped())


def fails_at_deploy(reason: str) -> list[dict[str, Any]]:
    return pipeline(deploy=failed(reason), tsc=skipped(), eslint=skipped(), tests=skipped())


STEP_FAILURE_REASON = {
    "filesystem": "filesystem fail",
    "install": "install fail",
    "deploy": "convex dev fail",
    "tsc": "tsc fail",
    "eslint": "eslint fail",
    "tests": "tests fail",
}


# --------------------------------------------------------------------------- shared file texts


def package_json(deps: dict[str, str], dev: dict[str, str] | None = None, name: str = "convex-app",
                 extra: dict[str, Any] | None = None) -> str:
    data: dict[str, Any] = {"name": name, "version": "1.0.0", "private": True}
    if extra:
        data.update(extra)
    data["dependencies"] = deps
    if dev:
        data["devDependencies"] = dev
    return json.dumps(data, indent=2) + "\n"


ANSWER_PACKAGE_JSON = package_json({"convex": "^1.31.2"}, name="convexbot")
ANSWER_PACKAGE_JSON_REACT = package_json(
    {"convex": "^1.31.2", "react": "^19.1.0", "react-dom": "^19.1.0"},
    {"@types/react": "^19.1.2", "@types/react-dom": "^19.1.2", "typescript": "^5.8.3"},
    name="convexbot",
)
ANSWER_TSCONFIG_SRC = """{
  "compilerOptions": {
    "target": "ES2020",
    "lib": ["ES2020", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "jsx": "react-jsx",
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src"]
}
"""

GRADER_IMPORTS = """import { expect, test } from "vitest";
import {
  responseAdminClient,
  responseClient,
  compareSchema,
  compareFunctionSpec,
  addDocuments,
  listTable,
  deleteAllDocuments,
} from "../../../grader";
import { anyApi } from "convex/server";
"""

SPEC_TESTS = """
test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});
"""


def eval_sources(eval_path: str, answer: dict[str, str], grader: str) -> dict[str, str]:
    files = {"TASK.txt": TASKS[eval_path]}
    for path, text in answer.items():
        files[f"answer/{path}"] = text
    files["grader.test.ts"] = grader
    if eval_path in GAPS:
        files["GAPS.txt"] = GAPS[eval_path]
    return files


# =========================================================================== bundle 1
# mixed-run.json: claude-sonnet-4-5 (anthropic), 66 evals, 13 failures.

MIXED_RUN = "mixed-run"


def ev_nullable_partial() -> dict[str, Any]:
    """(a) deploy: imports `v` from "convex/server". MODEL_FAULT."""
    path = "001-data_modeling/008-nullable_partial"
    schema = """import { defineSchema, defineTable, v } from "convex/server";

export default defineSchema({
  optionals: defineTable({
    // Always present: either null or a string.
    nullable: v.union(v.null(), v.string()),
    // May be omitted, set to null, or set to a string.
    maybe_nullable: v.optional(v.union(v.null(), v.string())),
    // May be omitted or set to a string, but never null.
    maybe: v.optional(v.string()),
  }),
});
"""
    error = (
        "- Preparing Convex functions...\n"
        + esbuild_error(
            'No matching export in "node_modules/convex/dist/esm/server/index.js" for import "v"',
            "convex/schema.ts", schema, "v } from", width=1,
        )
        + "\n✖ Error: Unable to bundle Convex modules\n"
    )
    answer_schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  optionals: defineTable({
    nullable: v.union(v.null(), v.string()),
    maybe_nullable: v.optional(v.union(v.null(), v.string())),
    maybe: v.optional(v.string()),
  }),
});
"""
    grader = GRADER_IMPORTS + """
test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("accepts documents with and without the optional fields", async () => {
  await deleteAllDocuments(responseAdminClient, ["optionals"]);
  await addDocuments(responseAdminClient, "optionals", [
    { nullable: null },
    { nullable: "present", maybe_nullable: null, maybe: "value" },
    { nullable: "x", maybe_nullable: "y" },
  ]);
  const docs = await listTable(responseAdminClient, "optionals");
  expect(docs).toHaveLength(3);
});

test("rejects a document without the nullable field", async () => {
  await expect(
    addDocuments(responseAdminClient, "optionals", [{ maybe: "value" }]),
  ).rejects.toThrow();
});

test("rejects an explicit null for maybe", async () => {
  await expect(
    addDocuments(responseAdminClient, "optionals", [{ nullable: null, maybe: null }]),
  ).rejects.toThrow();
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 41873.0, "label": "MODEL_FAULT",
        "failed_step": "deploy",
        "steps": fails_at_deploy(error),
        "outputs": {
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="nullable-partial-demo"),
        },
        "answer": {"convex/schema.ts": answer_schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_select_distinct() -> dict[str, Any]:
    """(b) eslint prefer-const only, all 8 tests pass. OVERLY_STRICT."""
    path = "002-queries/014-select_distinct"
    index = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getDistinctAges = query({
  args: {},
  returns: v.array(v.number()),
  handler: async (ctx) => {
    const ages: number[] = [];

    // Start from the smallest age in the index.
    let firstDoc = await ctx.db
      .query("users")
      .withIndex("by_age")
      .order("asc")
      .first();
    if (firstDoc === null) {
      return ages;
    }
    ages.push(firstDoc.age);

    // Skip past every duplicate of the current age with an index range,
    // so each distinct age costs one read instead of one per document.
    let lastAge = firstDoc.age;
    for (;;) {
      const nextDoc = await ctx.db
        .query("users")
        .withIndex("by_age", (q) => q.gt("age", lastAge))
        .order("asc")
        .first();
      if (nextDoc === null) {
        break;
      }
      ages.push(nextDoc.age);
      lastAge = nextDoc.age;
    }

    return ages;
  },
});
"""
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    age: v.number(),
  }).index("by_age", ["age"]),
});
"""
    lint = eslint_stylish("convex/index.ts", [
        eslint_problem(index, "firstDoc", "'firstDoc' is never reassigned. Use 'const' instead", "prefer-const"),
    ]) + "  1 error and 0 warnings potentially fixable with the `--fix` option.\n"
    answer_index = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getDistinctAges = query({
  args: {},
  returns: v.array(v.number()),
  handler: async (ctx) => {
    const result: number[] = [];
    let doc = await ctx.db.query("users").withIndex("by_age").order("asc").first();
    while (doc !== null) {
      result.push(doc.age);
      const age = doc.age;
      doc = await ctx.db
        .query("users")
        .withIndex("by_age", (q) => q.gt("age", age))
        .order("asc")
        .first();
    }
    return result;
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
async function resetUsers(users: { name: string; age: number }[]) {
  await deleteAllDocuments(responseAdminClient, ["users"]);
  if (users.length > 0) {
    await addDocuments(responseAdminClient, "users", users);
  }
}

test("returns an empty array for an empty table", async () => {
  await resetUsers([]);
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([]);
});

test("returns one age when every user has the same age", async () => {
  await resetUsers([
    { name: "a", age: 30 },
    { name: "b", age: 30 },
    { name: "c", age: 30 },
  ]);
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([30]);
});

test("returns distinct ages in ascending order", async () => {
  await resetUsers([
    { name: "a", age: 41 },
    { name: "b", age: 19 },
    { name: "c", age: 33 },
    { name: "d", age: 19 },
  ]);
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([19, 33, 41]);
});

test("handles negative and fractional ages", async () => {
  await resetUsers([
    { name: "a", age: -1 },
    { name: "b", age: 0.5 },
    { name: "c", age: 0.5 },
  ]);
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([-1, 0.5]);
});

test("handles many duplicates per age", async () => {
  const users = Array.from({ length: 300 }, (_, i) => ({ name: `u${i}`, age: 20 + (i % 3) }));
  await resetUsers(users);
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([20, 21, 22]);
});

test("skips ahead with the index instead of reading every document", async () => {
  const users = Array.from({ length: 5000 }, (_, i) => ({ name: `u${i}`, age: i < 4999 ? 25 : 26 }));
  await resetUsers(users);
  // 5000 documents would exceed a bounded read set if the query scanned the table.
  expect(await responseClient.query(anyApi.index.getDistinctAges, {})).toEqual([25, 26]);
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 63210.0, "label": "OVERLY_STRICT",
        "failed_step": "eslint",
        "steps": pipeline(eslint=failed(lint)),
        "outputs": {
            "convex/index.ts": index,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="select-distinct"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_literals() -> dict[str, Any]:
    """(c) install fails: no package.json generated, exactly as GAPS.txt says. KNOWN_GAP."""
    path = "001-data_modeling/006-literals"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  configurations: defineTable({
    // Simple literal
    environment: v.literal("production"),
    // Union of string literals
    logLevel: v.union(
      v.literal("debug"),
      v.literal("info"),
      v.literal("warn"),
      v.literal("error"),
    ),
    // Union of number literals
    priority: v.union(v.literal(1), v.literal(2), v.literal(3)),
    // Union of number literal and boolean
    enabled: v.union(v.literal(0), v.literal(1), v.literal(false)),
    // Union of different types
    status: v.union(
      v.literal("active"),
      v.literal("inactive"),
      v.literal(0),
      v.literal(1),
      v.null(),
    ),
    // Nested union structure
    feature: v.object({
      type: v.union(v.literal("basic"), v.literal("advanced")),
      allowed: v.boolean(),
    }),
  }),
});
"""
    workdir = "/tmp/convex-evals/output/claude-sonnet-4-5/001-data_modeling/006-literals"
    error = (
        "npm error code ENOENT\n"
        "npm error syscall open\n"
        f"npm error path {workdir}/package.json\n"
        "npm error errno -2\n"
        f"npm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{workdir}/package.json'\n"
        "npm error enoent This is related to npm not being able to find a file.\n"
        "npm error enoent\n"
        "npm error A complete log of this run can be found in: /root/.npm/_logs/2026-03-02T09_14_27_318Z-debug-0.log\n"
    )
    answer_schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  configurations: defineTable({
    environment: v.literal("production"),
    logLevel: v.union(
      v.literal("debug"),
      v.literal("info"),
      v.literal("warn"),
      v.literal("error"),
    ),
    priority: v.union(v.literal(1), v.literal(2), v.literal(3)),
    enabled: v.union(v.literal(0), v.literal(1), v.literal(false)),
    status: v.union(
      v.literal("active"),
      v.literal("inactive"),
      v.literal(0),
      v.literal(1),
      v.null(),
    ),
    feature: v.object({
      type: v.union(v.literal("basic"), v.literal("advanced")),
      allowed: v.boolean(),
    }),
  }),
});
"""
    grader = GRADER_IMPORTS + """
test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("accepts every literal combination", async () => {
  await deleteAllDocuments(responseAdminClient, ["configurations"]);
  await addDocuments(responseAdminClient, "configurations", [
    {
      environment: "production",
      logLevel: "debug",
      priority: 1,
      enabled: false,
      status: null,
      feature: { type: "basic", allowed: true },
    },
    {
      environment: "production",
      logLevel: "error",
      priority: 3,
      enabled: 1,
      status: "inactive",
      feature: { type: "advanced", allowed: false },
    },
  ]);
  expect(await listTable(responseAdminClient, "configurations")).toHaveLength(2);
});

test("rejects values outside the literal unions", async () => {
  await expect(
    addDocuments(responseAdminClient, "configurations", [
      {
        environment: "staging",
        logLevel: "trace",
        priority: 4,
        enabled: true,
        status: 2,
        feature: { type: "pro", allowed: true },
      },
    ]),
  ).rejects.toThrow();
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 9412.0, "label": "KNOWN_GAP",
        "failed_step": "install",
        "steps": fails_at_install(error),
        "outputs": {"convex/schema.ts": schema},
        "answer": {"convex/schema.ts": answer_schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


HTTP_ENDPOINT_MODEL = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

http.route({
  path: "/api/hello",
  method: "GET",
  handler: httpAction(async (_ctx, request) => {
    const body = await request.text();
    return new Response(`${body}there`, {
      status: 200,
      headers: { "Content-Type": "text/plain" },
    });
  }),
});

http.route({
  pathPrefix: "/api/messages/",
  method: "POST",
  handler: httpAction(async () => {
    return new Response(null, { status: 200 });
  }),
});

export default http;
"""


def ev_basic_http_endpoint() -> dict[str, Any]:
    """(d) grader infrastructure: fetch failed / ECONNREFUSED on the site port. AMBIGUOUS_TASK (infrastructure)."""
    path = "000-fundamentals/002-basic_http_endpoint"
    answer_http = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

http.route({
  path: "/api/hello",
  method: "GET",
  handler: httpAction(async (_ctx, req) => {
    const text = await req.text();
    return new Response(text + "there", {
      status: 200,
      headers: { "Content-Type": "text/plain" },
    });
  }),
});

http.route({
  pathPrefix: "/api/messages/",
  method: "POST",
  handler: httpAction(async () => {
    return new Response(null, { status: 200 });
  }),
});

export default http;
"""
    grader = """import { expect, test } from "vitest";
import { compareFunctionSpec, siteUrl } from "../../../grader";

test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});

test("GET /api/hello appends \\"there\\" to the request body", async () => {
  const response = await fetch(`${siteUrl}/api/hello`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  expect(await response.text()).toBe("there");
});

test("POST under /api/messages/ returns an empty 200", async () => {
  for (const path of ["/api/messages/123", "/api/messages/abc/def"]) {
    const response = await fetch(`${siteUrl}${path}`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  }
});
"""
    cause = (
        "Caused by: Error: connect ECONNREFUSED 127.0.0.1:3211\n"
        " ❯ TCPConnectWrap.afterConnect [as oncomplete] node:net:1637:16\n"
        "\n"
        + SEP + "\n"
        "Serialized Error: { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 3211 }"
    )
    fetch_failed = {"short": "fetch failed", "error": "TypeError: fetch failed", "cause": cause}
    tests = [
        ("compare function spec", 38, None),
        ('GET /api/hello appends "there" to the request body', 31,
         dict(fetch_failed, at="fetch(`${siteUrl}/api/hello`)")),
        ("POST under /api/messages/ returns an empty 200", 12,
         dict(fetch_failed, at="fetch(`${siteUrl}${path}`")),
    ]
    report = vitest_output(path, grader, tests, "09:21:44", 1.07)
    return {
        "path": path, "prefix": "kd7", "duration": 52877.0, "label": "AMBIGUOUS_TASK",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/http.ts": HTTP_ENDPOINT_MODEL,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="basic-http-endpoint"),
        },
        "answer": {"convex/http.ts": answer_http, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_normalize_json() -> dict[str, Any]:
    """(e) the grader wants `managerId` (or the name string); the task never names the field. AMBIGUOUS_TASK."""
    path = "001-data_modeling/009-normalize_json"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  organizations: defineTable({
    name: v.string(),
  }),

  departments: defineTable({
    name: v.string(),
    organizationId: v.id("organizations"),
    // The manager is an employee, so store a reference instead of the name.
    manager: v.optional(v.id("employees")),
  }).index("by_organization", ["organizationId"]),

  employees: defineTable({
    name: v.string(),
    email: v.string(),
    age: v.optional(v.number()),
    phone: v.optional(v.string()),
    address: v.optional(
      v.object({
        street: v.string(),
        city: v.string(),
        state: v.string(),
        zip: v.string(),
      }),
    ),
    departmentId: v.id("departments"),
    organizationId: v.id("organizations"),
  })
    .index("by_email", ["email"])
    .index("by_department", ["departmentId"])
    .index("by_organization", ["organizationId"]),
});
"""
    answer_schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  organizations: defineTable({
    name: v.string(),
  }),
  departments: defineTable({
    organizationId: v.id("organizations"),
    name: v.string(),
    managerId: v.optional(v.id("employees")),
  }).index("by_organization", ["organizationId"]),
  employees: defineTable({
    organizationId: v.id("organizations"),
    departmentId: v.id("departments"),
    name: v.string(),
    email: v.string(),
    age: v.optional(v.number()),
    phone: v.optional(v.string()),
    address: v.optional(
      v.object({
        street: v.string(),
        city: v.string(),
        state: v.string(),
        zip: v.string(),
      }),
    ),
  })
    .index("by_email", ["email"])
    .index("by_department", ["departmentId"])
    .index("by_organization", ["organizationId"]),
});
"""
    grader = """import { beforeEach, expect, test } from "vitest";
import {
  responseAdminClient,
  addDocuments,
  listTable,
  listIndexes,
  deleteAllDocuments,
} from "../../../grader";
import type { Doc } from "./answer/convex/_generated/dataModel";

beforeEach(async () => {
  await deleteAllDocuments(responseAdminClient, ["employees", "departments", "organizations"]);
});

async function seed() {
  await addDocuments(responseAdminClient, "organizations", [{ name: "Acme, Inc." }]);
  const [org] = (await listTable(responseAdminClient, "organizations")) as Doc<"organizations">[];
  await addDocuments(responseAdminClient, "departments", [
    { name: "Engineering", organizationId: org._id },
  ]);
  const [dept] = (await listTable(responseAdminClient, "departments")) as Doc<"departments">[];
  return { org, dept };
}

test("tables accept the normalized sample data", async () => {
  const { org, dept } = await seed();
  await addDocuments(responseAdminClient, "employees", [
    {
      name: "Jason",
      email: "jason@example.com",
      age: 30,
      phone: "1234567890",
      address: { street: "123 Main St", city: "Anytown", state: "CA", zip: "12345" },
      departmentId: dept._id,
      organizationId: org._id,
    },
  ]);
  expect(await listTable(responseAdminClient, "employees")).toHaveLength(1);
});

test("employee phone and address are optional", async () => {
  const { org, dept } = await seed();
  await addDocuments(responseAdminClient, "employees", [
    { name: "Jane", email: "jane@example.com", departmentId: dept._id, organizationId: org._id },
  ]);
  expect(await listTable(responseAdminClient, "employees")).toHaveLength(1);
});

test("employee name and email are required", async () => {
  const { org, dept } = await seed();
  await expect(
    addDocuments(responseAdminClient, "employees", [
      { name: "Nameless", departmentId: dept._id, organizationId: org._id },
    ]),
  ).rejects.toThrow();
});

test("departments are indexed by organization", async () => {
  const indexes = await listIndexes(responseAdminClient, "departments");
  expect(indexes).toEqual([{ name: "by_organization", fields: ["organizationId"] }]);
});

test("employees are indexed by email, department and organization", async () => {
  const indexes = await listIndexes(responseAdminClient, "employees");
  expect(indexes.map((index) => index.name).sort()).toEqual([
    "by_department",
    "by_email",
    "by_organization",
  ]);
});

test("no multi-column indexes", async () => {
  for (const table of ["organizations", "departments", "employees"]) {
    for (const index of await listIndexes(responseAdminClient, table)) {
      expect(index.fields).toHaveLength(1);
    }
  }
});

test("departments store an optional manager reference", async () => {
  const { org, dept } = await seed();
  await addDocuments(responseAdminClient, "employees", [
    { name: "Jane", email: "jane@example.com", departmentId: dept._id, organizationId: org._id },
  ]);
  const [jane] = (await listTable(responseAdminClient, "employees")) as Doc<"employees">[];
  const candidates = [
    { name: "Platform", organizationId: org._id, managerId: jane._id },
    { name: "Platform", organizationId: org._id, manager: "Jane" },
  ];
  const errors: string[] = [];
  for (const candidate of candidates) {
    try {
      await addDocuments(responseAdminClient, "departments", [candidate]);
      return;
    } catch (error) {
      errors.push(String(error));
    }
  }
  expect.fail(`departments rejected every manager shape:\\n${errors.join("\\n")}`);
});
"""
    org_id = convex_id("jh7", "mixed/normalize/org")
    jane_id = convex_id("js7", "mixed/normalize/jane")
    validator = (
        'v.object({manager: v.optional(v.id("employees")), name: v.string(), '
        'organizationId: v.id("organizations")})'
    )
    err1 = (
        "Error: [Request ID: 4b1e9d0c27a35f86] Server Error\n"
        'Uncaught Error: Failed to insert or update a document in table "departments" because it does not match '
        "the schema: Object contains extra field `managerId` that is not in the validator.\n"
        f'Object: {{managerId: "{jane_id}", name: "Platform", organizationId: "{org_id}"}}\n'
        f"Validator: {validator}"
    )
    err2 = (
        "Error: [Request ID: 9e02f3a6b81c4d57] Server Error\n"
        'Uncaught Error: Failed to insert or update a document in table "departments" because it does not match '
        "the schema: Value does not match validator.\n"
        "Path: .manager\n"
        'Value: "Jane"\n'
        'Validator: v.id("employees")'
    )
    failure = {
        "short": "departments rejected every manager shape:",
        "error": f"AssertionError: departments rejected every manager shape:\n{err1}\n{err2}",
        "at": "expect.fail(",
    }
    tests = [
        ("tables accept the normalized sample data", 96, None),
        ("employee phone and address are optional", 71, None),
        ("employee name and email are required", 64, None),
        ("departments are indexed by organization", 22, None),
        ("employees are indexed by email, department and organization", 19, None),
        ("no multi-column indexes", 35, None),
        ("departments store an optional manager reference", 118, failure),
    ]
    report = vitest_output(path, grader, tests, "09:24:03", 1.62)
    return {
        "path": path, "prefix": "k57", "duration": 38120.0, "label": "AMBIGUOUS_TASK",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, name="org-schema"),
        },
        "answer": {"convex/schema.ts": answer_schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_helper_fns() -> dict[str, Any]:
    """(f) eslint: `ctx: any` in the shared helper (no-explicit-any + unsafe-*). MODEL_FAULT."""
    path = "000-fundamentals/008-helper_fns"
    index = """import { query, mutation } from "./_generated/server";
import { v } from "convex/values";
import { Id } from "./_generated/dataModel";

/**
 * Shared helper: loads an item and formats it for clients.
 * Returns null when the item does not exist.
 */
async function getItemData(ctx: any, itemId: Id<"items">) {
  const item = await ctx.db.get(itemId);
  if (!item) {
    return null;
  }
  return {
    name: item.name as string,
    quantity: item.quantity as number,
    lastModified: new Date(item.lastModified).toISOString(),
  };
}

export const getItem = query({
  args: { itemId: v.id("items") },
  handler: async (ctx, args) => {
    const data = await getItemData(ctx, args.itemId);
    if (!data) {
      throw new Error("Item not found");
    }
    return data;
  },
});

export const updateItem = mutation({
  args: { itemId: v.id("items"), quantity: v.number() },
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.itemId);
    if (!existing) {
      throw new Error("Item not found");
    }
    await ctx.db.patch(args.itemId, {
      quantity: args.quantity,
      lastModified: Date.now(),
    });
    const data = await getItemData(ctx, args.itemId);
    if (!data) {
      throw new Error("Item not found");
    }
    return data;
  },
});
"""
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({
    name: v.string(),
    quantity: v.number(),
    lastModified: v.number(),
  }),
});
"""
    lint = eslint_stylish("convex/index.ts", [
        eslint_problem(index, "ctx: any", "Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any", offset=5),
        eslint_problem(index, "ctx.db.get(itemId)", "Unsafe call of a(n) `any` typed value", "@typescript-eslint/no-unsafe-call"),
        eslint_problem(index, "ctx.db.get(itemId)", "Unsafe member access .db on an `any` value", "@typescript-eslint/no-unsafe-member-access", offset=4),
        eslint_problem(index, "item.name", "Unsafe member access .name on an `any` value", "@typescript-eslint/no-unsafe-member-access", offset=5),
        eslint_problem(index, "item.quantity", "Unsafe member access .quantity on an `any` value", "@typescript-eslint/no-unsafe-member-access", offset=5),
        eslint_problem(index, "item.lastModified", "Unsafe argument of type `any` assigned to a parameter of type `string | number | Date`", "@typescript-eslint/no-unsafe-argument"),
        eslint_problem(index, "item.lastModified", "Unsafe member access .lastModified on an `any` value", "@typescript-eslint/no-unsafe-member-access", offset=5),
    ])
    answer_index = """import { query, mutation, QueryCtx } from "./_generated/server";
import { v } from "convex/values";
import { Id } from "./_generated/dataModel";

async function getItemData(ctx: QueryCtx, itemId: Id<"items">) {
  const item = await ctx.db.get(itemId);
  if (!item) return null;
  return {
    name: item.name,
    quantity: item.quantity,
    lastModified: new Date(item.lastModified).toISOString(),
  };
}

export const getItem = query({
  args: { itemId: v.id("items") },
  handler: async (ctx, args) => {
    const item = await getItemData(ctx, args.itemId);
    if (!item) throw new Error("Item not found");
    return item;
  },
});

export const updateItem = mutation({
  args: { itemId: v.id("items"), quantity: v.number() },
  handler: async (ctx, args) => {
    const item = await ctx.db.get(args.itemId);
    if (!item) throw new Error("Item not found");
    await ctx.db.patch(args.itemId, { quantity: args.quantity, lastModified: Date.now() });
    const updated = await getItemData(ctx, args.itemId);
    if (!updated) throw new Error("Item not found");
    return updated;
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("getItem formats the item", async () => {
  await deleteAllDocuments(responseAdminClient, ["items"]);
  await addDocuments(responseAdminClient, "items", [
    { name: "widget", quantity: 3, lastModified: Date.UTC(2025, 0, 2) },
  ]);
  const [item] = await listTable(responseAdminClient, "items");
  expect(await responseClient.query(anyApi.index.getItem, { itemId: item._id })).toEqual({
    name: "widget",
    quantity: 3,
    lastModified: "2025-01-02T00:00:00.000Z",
  });
});

test("updateItem changes the quantity and timestamp", async () => {
  const [item] = await listTable(responseAdminClient, "items");
  const before = Date.now();
  const updated = await responseClient.mutation(anyApi.index.updateItem, {
    itemId: item._id,
    quantity: 10,
  });
  expect(updated.quantity).toBe(10);
  expect(Date.parse(updated.lastModified)).toBeGreaterThanOrEqual(before - 1000);
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 47012.0, "label": "MODEL_FAULT",
        "failed_step": "eslint",
        "steps": pipeline(eslint=failed(lint)),
        "outputs": {
            "convex/index.ts": index,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="helper-fns"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


CASCADE_SCHEMA = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }).index("by_email", ["email"]),

  posts: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    content: v.string(),
  }).index("by_author", ["authorId"]),

  comments: defineTable({
    authorId: v.id("users"),
    postId: v.id("posts"),
    content: v.string(),
  })
    .index("by_author", ["authorId"])
    .index("by_post", ["postId"]),

  likes: defineTable({
    userId: v.id("users"),
    postId: v.id("posts"),
  })
    .index("by_user", ["userId"])
    .index("by_post", ["postId"]),
});
"""


def ev_cascade_delete_nested() -> dict[str, Any]:
    """(f) eslint: ids collected into Set<string>, deleted `as any`. MODEL_FAULT."""
    path = "003-mutations/005-cascade_delete_nested"
    index = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUser = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    if (!user) {
      throw new Error(`User ${args.userId} not found`);
    }

    // Collect every dependent document id first so each one is deleted exactly once.
    const idsToDelete = new Set<string>();

    const posts = await ctx.db
      .query("posts")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();

    const [userComments, userLikes, commentsOnPosts, likesOnPosts] =
      await Promise.all([
        ctx.db
          .query("comments")
          .withIndex("by_author", (q) => q.eq("authorId", args.userId))
          .collect(),
        ctx.db
          .query("likes")
          .withIndex("by_user", (q) => q.eq("userId", args.userId))
          .collect(),
        Promise.all(
          posts.map((post) =>
            ctx.db
              .query("comments")
              .withIndex("by_post", (q) => q.eq("postId", post._id))
              .collect(),
          ),
        ),
        Promise.all(
          posts.map((post) =>
            ctx.db
              .query("likes")
              .withIndex("by_post", (q) => q.eq("postId", post._id))
              .collect(),
          ),
        ),
      ]);

    for (const doc of [
      ...userComments,
      ...userLikes,
      ...commentsOnPosts.flat(),
      ...likesOnPosts.flat(),
      ...posts,
    ]) {
      idsToDelete.add(doc._id);
    }

    await Promise.all(
      Array.from(idsToDelete).map((id) => ctx.db.delete(id as any)),
    );
    await ctx.db.delete(args.userId);
    return null;
  },
});
"""
    lint = eslint_stylish("convex/index.ts", [
        eslint_problem(index, "id as any", "Unsafe argument of type `any` assigned to a parameter of type `GenericId<\"users\" | \"posts\" | \"comments\" | \"likes\">`", "@typescript-eslint/no-unsafe-argument"),
        eslint_problem(index, "id as any", "Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any", offset=6),
    ])
    answer_index = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUser = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const posts = await ctx.db
      .query("posts")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();

    for (const post of posts) {
      const [comments, likes] = await Promise.all([
        ctx.db.query("comments").withIndex("by_post", (q) => q.eq("postId", post._id)).collect(),
        ctx.db.query("likes").withIndex("by_post", (q) => q.eq("postId", post._id)).collect(),
      ]);
      await Promise.all([
        ...comments.map((comment) => ctx.db.delete(comment._id)),
        ...likes.map((like) => ctx.db.delete(like._id)),
      ]);
      await ctx.db.delete(post._id);
    }

    const [comments, likes] = await Promise.all([
      ctx.db.query("comments").withIndex("by_author", (q) => q.eq("authorId", args.userId)).collect(),
      ctx.db.query("likes").withIndex("by_user", (q) => q.eq("userId", args.userId)).collect(),
    ]);
    await Promise.all([
      ...comments.map((comment) => ctx.db.delete(comment._id)),
      ...likes.map((like) => ctx.db.delete(like._id)),
    ]);

    await ctx.db.delete(args.userId);
    return null;
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("deletes the user and everything that depends on them", async () => {
  await deleteAllDocuments(responseAdminClient, ["likes", "comments", "posts", "users"]);
  await addDocuments(responseAdminClient, "users", [
    { name: "Ada", email: "ada@example.com" },
    { name: "Bob", email: "bob@example.com" },
  ]);
  const [ada, bob] = await listTable(responseAdminClient, "users");
  await addDocuments(responseAdminClient, "posts", [
    { authorId: ada._id, title: "Ada's post", content: "..." },
    { authorId: bob._id, title: "Bob's post", content: "..." },
  ]);
  const [adaPost, bobPost] = await listTable(responseAdminClient, "posts");
  await addDocuments(responseAdminClient, "comments", [
    { authorId: bob._id, postId: adaPost._id, content: "on Ada's post" },
    { authorId: ada._id, postId: bobPost._id, content: "by Ada" },
    { authorId: bob._id, postId: bobPost._id, content: "kept" },
  ]);
  await addDocuments(responseAdminClient, "likes", [
    { userId: bob._id, postId: adaPost._id },
    { userId: ada._id, postId: bobPost._id },
    { userId: bob._id, postId: bobPost._id },
  ]);

  await responseClient.mutation(anyApi.index.deleteUser, { userId: ada._id });

  expect(await listTable(responseAdminClient, "users")).toHaveLength(1);
  expect(await listTable(responseAdminClient, "posts")).toHaveLength(1);
  expect(await listTable(responseAdminClient, "comments")).toHaveLength(1);
  expect(await listTable(responseAdminClient, "likes")).toHaveLength(1);
});

test("leaves other users untouched", async () => {
  const users = await listTable(responseAdminClient, "users");
  expect(users.map((user) => user.name)).toEqual(["Bob"]);
});

test("handles a user with no dependent records", async () => {
  await addDocuments(responseAdminClient, "users", [{ name: "Cy", email: "cy@example.com" }]);
  const cy = (await listTable(responseAdminClient, "users")).find((u) => u.name === "Cy");
  await responseClient.mutation(anyApi.index.deleteUser, { userId: cy._id });
  expect(await listTable(responseAdminClient, "users")).toHaveLength(1);
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 71655.0, "label": "MODEL_FAULT",
        "failed_step": "eslint",
        "steps": pipeline(eslint=failed(lint)),
        "outputs": {
            "convex/index.ts": index,
            "convex/schema.ts": CASCADE_SCHEMA,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="cascade-delete"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": CASCADE_SCHEMA, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


MESSAGES_SCHEMA = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  messages: defineTable({
    author: v.string(),
    body: v.string(),
  }),
});
"""

SEND_MESSAGE = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const sendMessage = mutation({
  args: {
    author: v.string(),
    body: v.string(),
  },
  handler: async (ctx, args) => {
    return await ctx.db.insert("messages", {
      author: args.author,
      body: args.body,
    });
  },
});
"""

MODEL_TSCONFIG_SRC = """{
  "compilerOptions": {
    "target": "ES2020",
    "lib": ["ES2020", "DOM"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "jsx": "react-jsx",
    "strict": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src"]
}
"""


def ev_use_mutation() -> dict[str, Any]:
    """(f) tsc TS2339: React-Query style `sendMessage.isPending`. MODEL_FAULT."""
    path = "006-clients/001-use_mutation"
    app = """import { FormEvent, useState } from "react";
import { useMutation } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const [author, setAuthor] = useState("");
  const [body, setBody] = useState("");
  const sendMessage = useMutation(api.messages.sendMessage);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void sendMessage({ author, body }).then(() => setBody(""));
  };

  return (
    <form onSubmit={handleSubmit}>
      <input
        value={author}
        onChange={(e) => setAuthor(e.target.value)}
        placeholder="Your name"
      />
      <input
        value={body}
        onChange={(e) => setBody(e.target.value)}
        placeholder="Write a message"
      />
      <button type="submit" disabled={sendMessage.isPending}>
        {sendMessage.isPending ? "Sending..." : "Send"}
      </button>
    </form>
  );
}
"""
    mutation_type = (
        "ReactMutation<FunctionReference<\"mutation\", \"public\", { author: string; body: string; }, "
        "Id<\"messages\">, string | undefined>>"
    )
    tsc_out = "\n".join([
        tsc_plain("src/App.tsx", app, "sendMessage.isPending", 2339,
                  f"Property 'isPending' does not exist on type '{mutation_type}'.", nth=1, offset=12),
        tsc_plain("src/App.tsx", app, "sendMessage.isPending", 2339,
                  f"Property 'isPending' does not exist on type '{mutation_type}'.", nth=2, offset=12),
    ]) + "\n"
    lint = eslint_stylish("src/App.tsx", [
        eslint_problem(app, "sendMessage.isPending", "Unsafe member access .isPending on an `error` typed value", "@typescript-eslint/no-unsafe-member-access", nth=1, offset=12),
        eslint_problem(app, "sendMessage.isPending", "Unsafe member access .isPending on an `error` typed value", "@typescript-eslint/no-unsafe-member-access", nth=2, offset=12),
    ])
    answer_app = """import { FormEvent, useState } from "react";
import { useMutation } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const sendMessage = useMutation(api.messages.sendMessage);
  const [author, setAuthor] = useState("");
  const [body, setBody] = useState("");
  const [isSending, setIsSending] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    try {
      await sendMessage({ author, body });
      setBody("");
    } finally {
      setIsSending(false);
    }
  }

  return (
    <form onSubmit={handleSubmit}>
      <input value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="Author" />
      <input value={body} onChange={(e) => setBody(e.target.value)} placeholder="Message" />
      <button type="submit" disabled={isSending}>
        {isSending ? "Sending..." : "Send"}
      </button>
    </form>
  );
}
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("sendMessage inserts a message and returns its id", async () => {
  await deleteAllDocuments(responseAdminClient, ["messages"]);
  const id = await responseClient.mutation(anyApi.messages.sendMessage, {
    author: "Ada",
    body: "hello",
  });
  const messages = await listTable(responseAdminClient, "messages");
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ _id: id, author: "Ada", body: "hello" });
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 88340.0, "label": "MODEL_FAULT",
        "failed_step": "tsc",
        "steps": pipeline(tsc=failed(tsc_out), eslint=failed(lint)),
        "outputs": {
            "convex/schema.ts": MESSAGES_SCHEMA,
            "convex/messages.ts": SEND_MESSAGE,
            "src/App.tsx": app,
            "package.json": package_json(
                {"convex": "^1.24.0", "react": "^19.0.0", "react-dom": "^19.0.0"},
                {"@types/react": "^19.0.2", "@types/react-dom": "^19.0.2", "typescript": "^5.7.2"},
                name="use-mutation-demo",
            ),
            "tsconfig.json": MODEL_TSCONFIG_SRC,
        },
        "answer": {
            "convex/schema.ts": MESSAGES_SCHEMA,
            "convex/messages.ts": SEND_MESSAGE,
            "src/App.tsx": answer_app,
            "package.json": ANSWER_PACKAGE_JSON_REACT,
            "tsconfig.json": ANSWER_TSCONFIG_SRC,
        },
        "grader": grader,
    }


def ev_range_condition() -> dict[str, Any]:
    """(f) deploy TS2339: invents `.between()` on the index range builder. MODEL_FAULT."""
    path = "002-queries/004-range_condition"
    public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getSensorReadingsInRange = query({
  args: {
    sensorId: v.string(),
    startTime: v.number(),
    endTime: v.number(),
  },
  handler: async (ctx, args) => {
    // Equality on sensorId, then an inclusive range on timestamp,
    // both served by the compound by_sensor_time index.
    return await ctx.db
      .query("temperatures")
      .withIndex("by_sensor_time", (q) =>
        q
          .eq("sensorId", args.sensorId)
          .between("timestamp", args.startTime, args.endTime),
      )
      .order("asc")
      .collect();
  },
});
"""
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  temperatures: defineTable({
    sensorId: v.string(),
    timestamp: v.number(), // Unix timestamp in seconds
    value: v.number(),     // Temperature in Celsius
  }).index("by_sensor_time", ["sensorId", "timestamp"]),
});
"""
    builder = (
        "IndexRangeBuilder<{ _id: Id<\"temperatures\">; _creationTime: number; sensorId: string; "
        "timestamp: number; value: number; }, [\"timestamp\", \"_creationTime\"], 1>"
    )
    error = convex_typecheck_failure("convex/public.ts", [
        tsc_pretty("convex/public.ts", public, ".between(", 2339,
                   f"Property 'between' does not exist on type '{builder}'.", offset=1, width=7),
    ])
    answer_public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getSensorReadingsInRange = query({
  args: {
    sensorId: v.string(),
    startTime: v.number(),
    endTime: v.number(),
  },
  handler: async (ctx, args) => {
    return await ctx.db
      .query("temperatures")
      .withIndex("by_sensor_time", (q) =>
        q
          .eq("sensorId", args.sensorId)
          .gte("timestamp", args.startTime)
          .lte("timestamp", args.endTime),
      )
      .collect();
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("returns readings inside the inclusive range in order", async () => {
  await deleteAllDocuments(responseAdminClient, ["temperatures"]);
  await addDocuments(responseAdminClient, "temperatures", [
    { sensorId: "a", timestamp: 300, value: 21 },
    { sensorId: "a", timestamp: 100, value: 19 },
    { sensorId: "a", timestamp: 200, value: 20 },
    { sensorId: "b", timestamp: 150, value: 30 },
    { sensorId: "a", timestamp: 400, value: 22 },
  ]);
  const readings = await responseClient.query(anyApi.public.getSensorReadingsInRange, {
    sensorId: "a",
    startTime: 100,
    endTime: 300,
  });
  expect(readings.map((r: { timestamp: number }) => r.timestamp)).toEqual([100, 200, 300]);
});

test("returns an empty array for an empty range", async () => {
  const readings = await responseClient.query(anyApi.public.getSensorReadingsInRange, {
    sensorId: "a",
    startTime: 301,
    endTime: 399,
  });
  expect(readings).toEqual([]);
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 36770.0, "label": "MODEL_FAULT",
        "failed_step": "deploy",
        "steps": fails_at_deploy(error),
        "outputs": {
            "convex/public.ts": public,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="range-condition"),
        },
        "answer": {"convex/public.ts": answer_public, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_database_crud() -> dict[str, Any]:
    """(f) deploy TS2345: document ids declared as v.string(). MODEL_FAULT."""
    path = "000-fundamentals/006-database_crud"
    public = """import { mutation, query } from "./_generated/server";
import { v } from "convex/values";

export const createLocation = mutation({
  args: {
    name: v.string(),
    latitude: v.number(),
    longitude: v.number(),
  },
  handler: async (ctx, args) => {
    return await ctx.db.insert("locations", args);
  },
});

export const readLocation = query({
  args: { id: v.string() },
  handler: async (ctx, args) => {
    return await ctx.db.get(args.id);
  },
});

export const updateLocation = mutation({
  args: {
    id: v.string(),
    name: v.string(),
    latitude: v.number(),
    longitude: v.number(),
  },
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.id);
    if (!existing) {
      throw new Error("Location not found");
    }
    const { id, ...data } = args;
    await ctx.db.replace(id, data);
    return null;
  },
});

export const patchLocation = mutation({
  args: { id: v.string(), name: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.id, { name: args.name });
    return null;
  },
});

export const deleteLocation = mutation({
  args: { id: v.string() },
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.id);
    if (!existing) {
      throw new Error("Location not found");
    }
    await ctx.db.delete(args.id);
    return null;
  },
});
"""
    schema = """import { v } from "convex/values";
import { defineSchema, defineTable } from "convex/server";

export default defineSchema({
    locations: defineTable({
        name: v.string(),
        latitude: v.number(),
        longitude: v.number(),
    })
})
"""
    msg = "Argument of type 'string' is not assignable to parameter of type 'Id<\"locations\">'."
    error = convex_typecheck_failure("convex/public.ts", [
        tsc_pretty("convex/public.ts", public, "ctx.db.get(args.id)", 2345, msg, nth=1, offset=11, width=7),
        tsc_pretty("convex/public.ts", public, "ctx.db.get(args.id)", 2345, msg, nth=2, offset=11, width=7),
        tsc_pretty("convex/public.ts", public, "ctx.db.replace(id, data)", 2345, msg, offset=15, width=2),
        tsc_pretty("convex/public.ts", public, "ctx.db.patch(args.id", 2345, msg, offset=13, width=7),
        tsc_pretty("convex/public.ts", public, "ctx.db.get(args.id)", 2345, msg, nth=3, offset=11, width=7),
        tsc_pretty("convex/public.ts", public, "ctx.db.delete(args.id)", 2345, msg, offset=14, width=7),
    ])
    answer_public = """import { mutation, query } from "./_generated/server";
import { v } from "convex/values";

export const createLocation = mutation({
  args: { name: v.string(), latitude: v.number(), longitude: v.number() },
  returns: v.id("locations"),
  handler: async (ctx, args) => {
    return await ctx.db.insert("locations", args);
  },
});

export const readLocation = query({
  args: { id: v.id("locations") },
  returns: v.union(
    v.null(),
    v.object({
      _id: v.id("locations"),
      _creationTime: v.number(),
      name: v.string(),
      latitude: v.number(),
      longitude: v.number(),
    }),
  ),
  handler: async (ctx, args) => {
    return await ctx.db.get(args.id);
  },
});

export const updateLocation = mutation({
  args: { id: v.id("locations"), name: v.string(), latitude: v.number(), longitude: v.number() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.id);
    if (!existing) throw new Error("Location not found");
    await ctx.db.replace(args.id, { name: args.name, latitude: args.latitude, longitude: args.longitude });
    return null;
  },
});

export const patchLocation = mutation({
  args: { id: v.id("locations"), name: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.patch(args.id, { name: args.name });
    return null;
  },
});

export const deleteLocation = mutation({
  args: { id: v.id("locations") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.id);
    if (!existing) throw new Error("Location not found");
    await ctx.db.delete(args.id);
    return null;
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("create, read, update, patch and delete a location", async () => {
  const id = await responseClient.mutation(anyApi.public.createLocation, {
    name: "Lighthouse",
    latitude: 51.5,
    longitude: -0.12,
  });
  expect(await responseClient.query(anyApi.public.readLocation, { id })).toMatchObject({
    name: "Lighthouse",
  });
  await responseClient.mutation(anyApi.public.updateLocation, {
    id,
    name: "Harbour",
    latitude: 1,
    longitude: 2,
  });
  await responseClient.mutation(anyApi.public.patchLocation, { id, name: "Pier" });
  expect(await responseClient.query(anyApi.public.readLocation, { id })).toMatchObject({
    name: "Pier",
    latitude: 1,
    longitude: 2,
  });
  await responseClient.mutation(anyApi.public.deleteLocation, { id });
  expect(await responseClient.query(anyApi.public.readLocation, { id })).toBeNull();
});

test("deleting a missing location throws", async () => {
  const id = await responseClient.mutation(anyApi.public.createLocation, {
    name: "Tmp",
    latitude: 0,
    longitude: 0,
  });
  await responseClient.mutation(anyApi.public.deleteLocation, { id });
  await expect(responseClient.mutation(anyApi.public.deleteLocation, { id })).rejects.toThrow();
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 44318.0, "label": "MODEL_FAULT",
        "failed_step": "deploy",
        "steps": fails_at_deploy(error),
        "outputs": {
            "convex/public.ts": public,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="locations-crud"),
        },
        "answer": {"convex/public.ts": answer_public, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_aggregation() -> dict[str, Any]:
    """(f) tests 1 failed | 5 passed: averageOrderValue is NaN for a customer without orders. MODEL_FAULT."""
    path = "002-queries/007-aggregation"
    public = """import { query } from "./_generated/server";
import { v } from "convex/values";

const round2 = (value: number): number => Math.round(value * 100) / 100;

export const getCustomerStats = query({
  args: { customerId: v.string() },
  returns: v.object({
    totalOrders: v.number(),
    totalItems: v.number(),
    totalSpent: v.number(),
    averageOrderValue: v.number(),
  }),
  handler: async (ctx, args) => {
    const orders = await ctx.db
      .query("orders")
      .withIndex("by_customer", (q) => q.eq("customerId", args.customerId))
      .collect();

    let totalItems = 0;
    let totalSpent = 0;
    for (const order of orders) {
      totalItems += order.quantity;
      totalSpent += order.quantity * order.pricePerUnit;
    }

    const totalOrders = orders.length;
    const averageOrderValue = totalSpent / totalOrders;

    return {
      totalOrders,
      totalItems,
      totalSpent: round2(totalSpent),
      averageOrderValue: round2(averageOrderValue),
    };
  },
});
"""
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  orders: defineTable({
    customerId: v.string(),
    productId: v.string(),
    quantity: v.number(),
    pricePerUnit: v.number(),
  }).index("by_customer", ["customerId"]),
});
"""
    answer_public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getCustomerStats = query({
  args: { customerId: v.string() },
  returns: v.object({
    totalOrders: v.number(),
    totalItems: v.number(),
    totalSpent: v.number(),
    averageOrderValue: v.number(),
  }),
  handler: async (ctx, args) => {
    const orders = await ctx.db
      .query("orders")
      .withIndex("by_customer", (q) => q.eq("customerId", args.customerId))
      .collect();
    const totalOrders = orders.length;
    const totalItems = orders.reduce((sum, o) => sum + o.quantity, 0);
    const totalSpent = orders.reduce((sum, o) => sum + o.quantity * o.pricePerUnit, 0);
    const averageOrderValue = totalOrders > 0 ? totalSpent / totalOrders : 0;
    return {
      totalOrders,
      totalItems,
      totalSpent: Number(totalSpent.toFixed(2)),
      averageOrderValue: Number(averageOrderValue.toFixed(2)),
    };
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
const stats = (customerId: string) =>
  responseClient.query(anyApi.public.getCustomerStats, { customerId });

test("sums orders for one customer", async () => {
  await deleteAllDocuments(responseAdminClient, ["orders"]);
  await addDocuments(responseAdminClient, "orders", [
    { customerId: "c1", productId: "p1", quantity: 2, pricePerUnit: 10 },
    { customerId: "c1", productId: "p2", quantity: 1, pricePerUnit: 5.5 },
    { customerId: "c2", productId: "p1", quantity: 9, pricePerUnit: 10 },
  ]);
  expect(await stats("c1")).toEqual({
    totalOrders: 2,
    totalItems: 3,
    totalSpent: 25.5,
    averageOrderValue: 12.75,
  });
});

test("rounds monetary values to two decimals", async () => {
  await addDocuments(responseAdminClient, "orders", [
    { customerId: "c3", productId: "p1", quantity: 1, pricePerUnit: 10 },
    { customerId: "c3", productId: "p2", quantity: 1, pricePerUnit: 10 },
    { customerId: "c3", productId: "p3", quantity: 1, pricePerUnit: 5 },
  ]);
  expect((await stats("c3")).averageOrderValue).toBe(8.33);
});

test("only counts the requested customer", async () => {
  expect((await stats("c2")).totalItems).toBe(9);
});

test("returns zeros for a customer with no orders", async () => {
  expect(await stats("nobody")).toEqual({
    totalOrders: 0,
    totalItems: 0,
    totalSpent: 0,
    averageOrderValue: 0,
  });
});
"""
    failure = {
        "short": "expected { totalOrders: +0, totalItems: +0, …(2) } to deeply equal { totalOrders: +0, …(3) }",
        "error": (
            "AssertionError: expected { totalOrders: +0, totalItems: +0, …(2) } to deeply equal { totalOrders: +0, …(3) }\n"
            "\n"
            "- Expected\n"
            "+ Received\n"
            "\n"
            "  {\n"
            "-   \"averageOrderValue\": 0,\n"
            "+   \"averageOrderValue\": NaN,\n"
            "    \"totalItems\": 0,\n"
            "    \"totalOrders\": 0,\n"
            "    \"totalSpent\": 0,\n"
            "  }\n"
        ),
        "at": 'expect(await stats("nobody")).toEqual',
    }
    tests = [
        ("compare schema", 44, None),
        ("compare function spec", 29, None),
        ("sums orders for one customer", 83, None),
        ("rounds monetary values to two decimals", 40, None),
        ("only counts the requested customer", 17, None),
        ("returns zeros for a customer with no orders", 15, failure),
    ]
    report = vitest_output(path, grader, tests, "09:26:51", 1.18)
    return {
        "path": path, "prefix": "k57", "duration": 51194.0, "label": "MODEL_FAULT",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/public.ts": public,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="customer-stats"),
        },
        "answer": {"convex/public.ts": answer_public, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_index_and_filter() -> dict[str, Any]:
    """(g) filesystem: paths relative to `convex/`, so `../package.json` leaves the project. MODEL_FAULT."""
    path = "002-queries/012-index_and_filter"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    age: v.number(),
    isDeleted: v.boolean(),
  }).index("by_age", ["age"]),
});
"""
    index = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getActiveAdults = query({
  args: { minAge: v.number() },
  returns: v.array(v.string()),
  handler: async (ctx, args) => {
    const users = await ctx.db
      .query("users")
      .withIndex("by_age", (q) => q.gte("age", args.minAge))
      .filter((q) => q.eq(q.field("isDeleted"), false))
      .collect();
    return users.map((user) => user.name);
  },
});
"""
    # The model wrote every path relative to convex/; the harness writes each file under the
    # eval's project directory and refuses one that resolves outside it.
    workdir = "/tmp/convex-evals/output/claude-sonnet-4-5/002-queries/012-index_and_filter"
    error = (
        "Invalid filesystem output: /tmp/convex-evals/output/claude-sonnet-4-5/002-queries/package.json "
        f"is not in {workdir}\n"
    )
    answer_index = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getActiveAdults = query({
  args: { minAge: v.number() },
  returns: v.array(v.string()),
  handler: async (ctx, args) => {
    const users = await ctx.db
      .query("users")
      .withIndex("by_age", (q) => q.gte("age", args.minAge))
      .filter((q) => q.eq(q.field("isDeleted"), false))
      .collect();
    return users.map((user) => user.name);
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("returns the names of adults who are not deleted", async () => {
  await deleteAllDocuments(responseAdminClient, ["users"]);
  await addDocuments(responseAdminClient, "users", [
    { name: "Ann", age: 17, isDeleted: false },
    { name: "Bob", age: 18, isDeleted: false },
    { name: "Cid", age: 40, isDeleted: true },
    { name: "Dee", age: 65, isDeleted: false },
  ]);
  const names = await responseClient.query(anyApi.index.getActiveAdults, { minAge: 18 });
  expect(names).toEqual(["Bob", "Dee"]);
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 2113.0, "label": "MODEL_FAULT",
        "failed_step": "filesystem",
        "steps": fails_at_filesystem(error),
        "outputs": {
            "schema.ts": schema,
            "index.ts": index,
            "../package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="index-and-filter"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_parallel_fetch() -> dict[str, Any]:
    """(f) tests 3 failed | 5 passed: takes the 15 *oldest* posts (no .order("desc")). MODEL_FAULT."""
    path = "002-queries/010-parallel_fetch"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  // Users and their preferences
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }).index("by_email", ["email"]),
  userPreferences: defineTable({
    userId: v.id("users"),
    theme: v.string(),
    notifications: v.boolean(),
  }).index("by_user", ["userId"]),

  // Posts and their reactions
  posts: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    content: v.string(),
  }).index("by_author", ["authorId"]),
  reactions: defineTable({
    postId: v.id("posts"),
    userId: v.id("users"),
    type: v.union(v.literal("like"), v.literal("heart"), v.literal("celebrate")),
  }).index("by_post", ["postId"]),
});
"""
    public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getAuthorDashboard = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", args.email))
      .unique();
    if (!user) {
      return null;
    }

    // Preferences and posts do not depend on each other: fetch them in parallel.
    const [preferences, posts] = await Promise.all([
      ctx.db
        .query("userPreferences")
        .withIndex("by_user", (q) => q.eq("userId", user._id))
        .unique(),
      ctx.db
        .query("posts")
        .withIndex("by_author", (q) => q.eq("authorId", user._id))
        .take(15),
    ]);
    if (!preferences) {
      throw new Error(`Preferences missing for user ${user._id}`);
    }

    const postsWithReactions = await Promise.all(
      posts.map(async (post) => {
        const reactions = await ctx.db
          .query("reactions")
          .withIndex("by_post", (q) => q.eq("postId", post._id))
          .collect();
        const reactionCounts = { like: 0, heart: 0, celebrate: 0 };
        for (const reaction of reactions) {
          reactionCounts[reaction.type] += 1;
        }
        return { title: post.title, reactionCounts };
      }),
    );

    return {
      user: {
        name: user.name,
        email: user.email,
        theme: preferences.theme,
        notifications: preferences.notifications,
      },
      posts: postsWithReactions,
    };
  },
});
"""
    answer_public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getAuthorDashboard = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", args.email))
      .unique();
    if (!user) return null;

    const [preferences, posts] = await Promise.all([
      ctx.db.query("userPreferences").withIndex("by_user", (q) => q.eq("userId", user._id)).unique(),
      ctx.db
        .query("posts")
        .withIndex("by_author", (q) => q.eq("authorId", user._id))
        .order("desc")
        .take(15),
    ]);
    if (!preferences) throw new Error("User preferences not found");

    const postsWithCounts = await Promise.all(
      posts.map(async (post) => {
        const reactionCounts = { like: 0, heart: 0, celebrate: 0 };
        for await (const reaction of ctx.db
          .query("reactions")
          .withIndex("by_post", (q) => q.eq("postId", post._id))) {
          reactionCounts[reaction.type]++;
        }
        return { title: post.title, reactionCounts };
      }),
    );

    return {
      user: {
        name: user.name,
        email: user.email,
        theme: preferences.theme,
        notifications: preferences.notifications,
      },
      posts: postsWithCounts,
    };
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
async function seedAuthor(postCount: number) {
  await deleteAllDocuments(responseAdminClient, ["reactions", "posts", "userPreferences", "users"]);
  await addDocuments(responseAdminClient, "users", [{ name: "Ada", email: "ada@example.com" }]);
  const [ada] = await listTable(responseAdminClient, "users");
  await addDocuments(responseAdminClient, "userPreferences", [
    { userId: ada._id, theme: "dark", notifications: true },
  ]);
  for (let i = 0; i < postCount; i++) {
    await addDocuments(responseAdminClient, "posts", [
      { authorId: ada._id, title: `Post ${i}`, content: "..." },
    ]);
  }
  return ada;
}

const dashboard = (email: string) =>
  responseClient.query(anyApi.public.getAuthorDashboard, { email });

test("returns null for an unknown email", async () => {
  expect(await dashboard("nobody@example.com")).toBeNull();
});

test("throws when preferences are missing", async () => {
  await deleteAllDocuments(responseAdminClient, ["userPreferences", "users"]);
  await addDocuments(responseAdminClient, "users", [{ name: "Bo", email: "bo@example.com" }]);
  await expect(dashboard("bo@example.com")).rejects.toThrow();
});

test("includes the user's preferences", async () => {
  await seedAuthor(1);
  expect((await dashboard("ada@example.com")).user).toEqual({
    name: "Ada",
    email: "ada@example.com",
    theme: "dark",
    notifications: true,
  });
});

test("returns the 15 most recent posts", async () => {
  await seedAuthor(20);
  const result = await dashboard("ada@example.com");
  const titles = result.posts.map((post: { title: string }) => post.title);
  expect(titles).toEqual(Array.from({ length: 15 }, (_, i) => `Post ${19 - i}`));
});

test("posts are ordered newest first", async () => {
  await seedAuthor(3);
  const result = await dashboard("ada@example.com");
  expect(result.posts[0].title).toBe("Post 2");
});

test("counts reactions per type on the newest post", async () => {
  const ada = await seedAuthor(2);
  const posts = await listTable(responseAdminClient, "posts");
  const newest = posts[posts.length - 1];
  await addDocuments(responseAdminClient, "reactions", [
    { postId: newest._id, userId: ada._id, type: "like" },
    { postId: newest._id, userId: ada._id, type: "heart" },
    { postId: newest._id, userId: ada._id, type: "like" },
  ]);
  const result = await dashboard("ada@example.com");
  expect(result.posts[0].reactionCounts).toEqual({ like: 2, heart: 1, celebrate: 0 });
});
"""
    f1 = {
        "short": "expected [ 'Post 0', 'Post 1', …(13) ] to deeply equal [ 'Post 19', 'Post 18', …(13) ]",
        "error": (
            "AssertionError: expected [ 'Post 0', 'Post 1', …(13) ] to deeply equal [ 'Post 19', 'Post 18', …(13) ]\n"
            "\n"
            "- Expected\n"
            "+ Received\n"
            "\n"
            "  [\n"
            + "".join(f"-   \"Post {19 - i}\",\n" for i in range(15))
            + "".join(f"+   \"Post {i}\",\n" for i in range(15))
            + "  ]\n"
        ),
        "at": "expect(titles).toEqual",
    }
    f2 = {
        "short": "expected 'Post 0' to be 'Post 2' // Object.is equality",
        "error": (
            "AssertionError: expected 'Post 0' to be 'Post 2' // Object.is equality\n"
            "\n"
            "Expected: \"Post 2\"\n"
            "Received: \"Post 0\"\n"
        ),
        "at": 'expect(result.posts[0].title).toBe("Post 2")',
    }
    f3 = {
        "short": "expected { like: +0, heart: +0, celebrate: +0 } to deeply equal { like: 2, heart: 1, celebrate: +0 }",
        "error": (
            "AssertionError: expected { like: +0, heart: +0, celebrate: +0 } to deeply equal { like: 2, heart: 1, celebrate: +0 }\n"
            "\n"
            "- Expected\n"
            "+ Received\n"
            "\n"
            "  {\n"
            "    \"celebrate\": 0,\n"
            "-   \"heart\": 1,\n"
            "-   \"like\": 2,\n"
            "+   \"heart\": 0,\n"
            "+   \"like\": 0,\n"
            "  }\n"
        ),
        "at": "expect(result.posts[0].reactionCounts)",
    }
    tests = [
        ("compare schema", 47, None),
        ("compare function spec", 31, None),
        ("returns null for an unknown email", 12, None),
        ("throws when preferences are missing", 36, None),
        ("includes the user's preferences", 58, None),
        ("returns the 15 most recent posts", 402, f1),
        ("posts are ordered newest first", 88, f2),
        ("counts reactions per type on the newest post", 97, f3),
    ]
    report = vitest_output(path, grader, tests, "09:29:12", 2.31)
    return {
        "path": path, "prefix": "kd7", "duration": 69802.0, "label": "MODEL_FAULT",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/public.ts": public,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.24.0"}, {"typescript": "^5.7.2"}, name="author-dashboard"),
        },
        "answer": {"convex/public.ts": answer_public, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


# =========================================================================== bundle 3
# large-output.json: qwen3.5-plus (qwen), 66 evals, 4 failures, one output file > 1 MB.


def ev_use_paginated_query() -> dict[str, Any]:
    """tsc: usePaginatedQuery called with paginationOpts (GAPS: neither knows the hook). KNOWN_GAP.

    The output includes the package-lock.json the install step wrote for the
    model's react-scripts based package.json: well over 1 MB.
    """
    path = "006-clients/002-use_paginated_query"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({
    name: v.string(),
    description: v.string(),
  }),
});
"""
    items = """import { query } from "./_generated/server";
import { paginationOptsValidator } from "convex/server";

export const paginateItems = query({
  args: {
    paginationOpts: paginationOptsValidator,
  },
  handler: async (ctx, args) => {
    return ctx.db.query("items").order("desc").paginate(args.paginationOpts);
  },
});
"""
    app = """import React from "react";
import { usePaginatedQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const { results, status, loadMore } = usePaginatedQuery(api.items.paginateItems, {
    paginationOpts: { numItems: 10, cursor: null },
  });

  if (status === "LoadingFirstPage") {
    return <p>Loading...</p>;
  }

  return (
    <div>
      <ul>
        {results.map((item) => (
          <li key={item._id}>
            <strong>{item.name}</strong>: {item.description}
          </li>
        ))}
      </ul>
      <button onClick={() => loadMore()} disabled={status !== "CanLoadMore"}>
        Load more
      </button>
    </div>
  );
}
"""
    pkg = json.dumps({
        "name": "paginated-items",
        "version": "0.1.0",
        "private": True,
        "dependencies": {
            "convex": "^1.21.0",
            "react": "^18.3.1",
            "react-dom": "^18.3.1",
            "react-scripts": "5.0.1",
        },
        "devDependencies": {
            "@types/react": "^18.3.12",
            "@types/react-dom": "^18.3.1",
            "typescript": "^4.9.5",
        },
        "scripts": {
            "start": "react-scripts start",
            "build": "react-scripts build",
        },
    }, indent=2) + "\n"
    tsconfig = """{
  "compilerOptions": {
    "target": "es5",
    "lib": ["dom", "dom.iterable", "esnext"],
    "allowJs": true,
    "skipLibCheck": true,
    "esModuleInterop": true,
    "allowSyntheticDefaultImports": true,
    "strict": true,
    "forceConsistentCasingInFileNames": true,
    "noFallthroughCasesInSwitch": true,
    "module": "esnext",
    "moduleResolution": "node",
    "resolveJsonModule": true,
    "isolatedModules": true,
    "noEmit": true,
    "jsx": "react-jsx"
  },
  "include": ["src"]
}
"""
    tsc_out = "\n".join([
        tsc_plain("src/App.tsx", app, "usePaginatedQuery(api", 2554, "Expected 3 arguments, but got 2."),
        tsc_plain("src/App.tsx", app, "loadMore()}", 2554, "Expected 1 arguments, but got 0."),
    ]) + "\n"
    answer_app = """import { usePaginatedQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const { results, status, loadMore } = usePaginatedQuery(
    api.items.paginateItems,
    {},
    { initialNumItems: 10 },
  );

  return (
    <div>
      <ul>
        {results.map((item) => (
          <li key={item._id}>
            {item.name}: {item.description}
          </li>
        ))}
      </ul>
      {status === "CanLoadMore" && <button onClick={() => loadMore(10)}>Load more</button>}
      {status === "LoadingMore" && <p>Loading...</p>}
    </div>
  );
}
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("paginateItems pages through items newest first", async () => {
  await deleteAllDocuments(responseAdminClient, ["items"]);
  await addDocuments(
    responseAdminClient,
    "items",
    Array.from({ length: 5 }, (_, i) => ({ name: `item ${i}`, description: `#${i}` })),
  );
  const first = await responseClient.query(anyApi.items.paginateItems, {
    paginationOpts: { numItems: 3, cursor: null },
  });
  expect(first.page.map((item: { name: string }) => item.name)).toEqual(["item 4", "item 3", "item 2"]);
  expect(first.isDone).toBe(false);
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 131406.0, "label": "KNOWN_GAP",
        "failed_step": "tsc",
        "steps": pipeline(tsc=failed(tsc_out)),
        "outputs": {
            "convex/schema.ts": schema,
            "convex/items.ts": items,
            "src/App.tsx": app,
            "package.json": pkg,
            "tsconfig.json": tsconfig,
            "package-lock.json": react_scripts_lockfile(),
        },
        "answer": {
            "convex/schema.ts": schema,
            "convex/items.ts": items,
            "src/App.tsx": answer_app,
            "package.json": ANSWER_PACKAGE_JSON_REACT,
            "tsconfig.json": ANSWER_TSCONFIG_SRC,
        },
        "grader": grader,
    }


def ev_batch_delete_self_schedule() -> dict[str, Any]:
    """tests: one transaction collects and deletes everything; hits the read limit. MODEL_FAULT."""
    path = "003-mutations/007-batch_delete_self_schedule"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  activityLog: defineTable({
    workspaceId: v.string(),
    action: v.string(),
  }).index("by_workspaceId", ["workspaceId"]),
});
"""
    index = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

/**
 * Deletes all activity log entries for a workspace.
 * Uses the by_workspaceId index so only the workspace's rows are read,
 * and deletes them in parallel for throughput.
 */
export const deleteActivityLogs = mutation({
  args: { workspaceId: v.string() },
  returns: v.number(),
  handler: async (ctx, args) => {
    const entries = await ctx.db
      .query("activityLog")
      .withIndex("by_workspaceId", (q) => q.eq("workspaceId", args.workspaceId))
      .collect();

    await Promise.all(entries.map((entry) => ctx.db.delete(entry._id)));
    return entries.length;
  },
});
"""
    answer_index = """import { mutation, internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { v } from "convex/values";

const BATCH_SIZE = 500;

export const deleteActivityLogs = mutation({
  args: { workspaceId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.scheduler.runAfter(0, internal.index.deleteBatch, { workspaceId: args.workspaceId });
    return null;
  },
});

export const deleteBatch = internalMutation({
  args: { workspaceId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const batch = await ctx.db
      .query("activityLog")
      .withIndex("by_workspaceId", (q) => q.eq("workspaceId", args.workspaceId))
      .take(BATCH_SIZE);
    for (const entry of batch) {
      await ctx.db.delete(entry._id);
    }
    if (batch.length === BATCH_SIZE) {
      await ctx.scheduler.runAfter(0, internal.index.deleteBatch, { workspaceId: args.workspaceId });
    }
    return null;
  },
});
"""
    grader = GRADER_IMPORTS + """import { waitFor } from "../../../grader/wait";

async function countLogs(workspaceId: string) {
  const rows = await listTable(responseAdminClient, "activityLog");
  return rows.filter((row: { workspaceId: string }) => row.workspaceId === workspaceId).length;
}

test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("deletes the entries of one workspace only", async () => {
  await deleteAllDocuments(responseAdminClient, ["activityLog"]);
  await addDocuments(responseAdminClient, "activityLog", [
    { workspaceId: "w1", action: "a" },
    { workspaceId: "w1", action: "b" },
    { workspaceId: "w2", action: "c" },
  ]);
  await responseClient.mutation(anyApi.index.deleteActivityLogs, { workspaceId: "w1" });
  await waitFor(async () => (await countLogs("w1")) === 0);
  expect(await countLogs("w2")).toBe(1);
});

test("is a no-op for an empty workspace", async () => {
  await responseClient.mutation(anyApi.index.deleteActivityLogs, { workspaceId: "empty" });
  expect(await countLogs("w2")).toBe(1);
});

test("handles a workspace larger than one transaction can read", async () => {
  await deleteAllDocuments(responseAdminClient, ["activityLog"]);
  const rows = Array.from({ length: 40000 }, (_, i) => ({ workspaceId: "big", action: `a${i}` }));
  for (let i = 0; i < rows.length; i += 4000) {
    await addDocuments(responseAdminClient, "activityLog", rows.slice(i, i + 4000));
  }
  await responseClient.mutation(anyApi.index.deleteActivityLogs, { workspaceId: "big" });
  await waitFor(async () => (await countLogs("big")) === 0, { timeoutMs: 120_000 });
});
"""
    at_line, at_col = loc(index, "ctx.db\n      .query(\"activityLog\")")
    failure = {
        "short": "[Request ID: 71c2a9d4e0f35b18] Server Error",
        "error": (
            "Error: [CONVEX M(index:deleteActivityLogs)] [Request ID: 71c2a9d4e0f35b18] Server Error\n"
            "Uncaught Error: Too many documents read in a single function execution (limit: 32000). "
            "Consider using smaller limits in your queries, paginating your queries, or using indexed "
            "queries with a selective index range expressions.\n"
            f"    at async handler (../convex/index.ts:{at_line}:{at_col})\n"
            "\n"
            "  Called by client\n"
        ),
        "at": "await responseClient.mutation(anyApi.index.deleteActivityLogs, { workspaceId: \"big\" })",
    }
    tests = [
        ("compare schema", 52, None),
        ("deletes the entries of one workspace only", 144, None),
        ("is a no-op for an empty workspace", 21, None),
        ("handles a workspace larger than one transaction can read", 23817, failure),
    ]
    report = vitest_output(path, grader, tests, "10:02:37", 25.46)
    return {
        "path": path, "prefix": "kd7", "duration": 97235.0, "label": "MODEL_FAULT",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/index.ts": index,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.21.0"}, {"typescript": "^5.6.3"}, name="activity-log-cleanup"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_node() -> dict[str, Any]:
    """deploy: Node built-ins without "use node" (GAPS: doesn't know about "use node"). KNOWN_GAP."""
    path = "004-actions/006-node"
    index = """import { action } from "./_generated/server";
import { v } from "convex/values";
import { createHash } from "crypto";
import * as path from "path";

export const processWithNode = action({
  args: { data: v.string() },
  returns: v.object({
    hash: v.string(),
    normalizedPath: v.string(),
  }),
  handler: async (_ctx, args) => {
    const hash = createHash("sha256").update(args.data).digest("hex");
    const normalizedPath = path.normalize("/some/test/path");
    return { hash, normalizedPath };
  },
});
"""
    node_note = (
        '  The package "{pkg}" wasn\'t found on the file system but is built into node. Are you trying to '
        "bundle for node? You can use \"platform: 'node'\" to do that, which will remove this error.\n"
    )
    error = (
        "- Preparing Convex functions...\n"
        + esbuild_error('Could not resolve "crypto"', "convex/index.ts", index, '"crypto"',
                        notes=node_note.format(pkg="crypto"))
        + "\n"
        + esbuild_error('Could not resolve "path"', "convex/index.ts", index, '"path"',
                        notes=node_note.format(pkg="path"))
        + "\n"
        "It looks like you are using Node APIs from a file without the \"use node\" directive.\n"
        "Split out actions using Node.js APIs like this into a new file only containing actions that uses "
        "\"use node\" so these actions will run in a Node.js environment.\n"
        "For more information see https://docs.convex.dev/functions/runtimes#nodejs-runtime\n"
        "\n"
        "✖ Error: Unable to bundle Convex modules\n"
    )
    answer_index = """"use node";

import { action } from "./_generated/server";
import { v } from "convex/values";
import crypto from "crypto";
import path from "path";

export const processWithNode = action({
  args: { data: v.string() },
  returns: v.object({ hash: v.string(), normalizedPath: v.string() }),
  handler: async (_ctx, args) => {
    const hash = crypto.createHash("sha256").update(args.data).digest("hex");
    const normalizedPath = path.normalize("/some/test/path");
    return { hash, normalizedPath };
  },
});
"""
    grader = GRADER_IMPORTS + """
test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});

test("hashes the input with SHA-256", async () => {
  const result = await responseClient.action(anyApi.index.processWithNode, { data: "hello" });
  expect(result.hash).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  expect(result.normalizedPath).toBe("/some/test/path");
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 29877.0, "label": "KNOWN_GAP",
        "failed_step": "deploy",
        "steps": fails_at_deploy(error),
        "outputs": {
            "convex/index.ts": index,
            "package.json": package_json({"convex": "^1.21.0"}, {"@types/node": "^22.10.1", "typescript": "^5.6.3"}, name="node-action"),
        },
        "answer": {
            "convex/index.ts": answer_index,
            "package.json": package_json({"convex": "^1.31.2"}, {"@types/node": "^22.15.3"}, name="convexbot"),
        },
        "grader": grader,
    }


def ev_compound_datatypes() -> dict[str, Any]:
    """tests: record keyed by v.string() where the task asks for Id<"example"> keys. MODEL_FAULT."""
    path = "001-data_modeling/001-compound_datatypes"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  example: defineTable({
    a: v.object({
      artist: v.number(),
      tags: v.array(v.string()),
    }),
    b: v.array(
      v.object({
        x: v.number(),
        y: v.number(),
      }),
    ),
    c: v.record(
      v.string(),
      v.object({
        z: v.bytes(),
      }),
    ),
    d: v.record(v.string(), v.string()),
    e: v.union(
      v.object({ type: v.literal("a"), value: v.number() }),
      v.object({ type: v.literal("b"), value: v.string() }),
    ),
    f: v.union(v.string(), v.number()),
  }),
});
"""
    answer_schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  example: defineTable({
    a: v.object({
      artist: v.number(),
      tags: v.array(v.string()),
    }),
    b: v.array(v.object({ x: v.number(), y: v.number() })),
    c: v.record(v.id("example"), v.object({ z: v.bytes() })),
    d: v.record(v.string(), v.string()),
    e: v.union(
      v.object({ type: v.literal("a"), value: v.number() }),
      v.object({ type: v.literal("b"), value: v.string() }),
    ),
    f: v.union(v.string(), v.number()),
  }),
});
"""
    grader = GRADER_IMPORTS + """
test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("accepts a document of every compound type", async () => {
  await deleteAllDocuments(responseAdminClient, ["example"]);
  await addDocuments(responseAdminClient, "example", [
    {
      a: { artist: 1, tags: ["x"] },
      b: [{ x: 1, y: 2 }],
      c: {},
      d: { k: "v" },
      e: { type: "a", value: 1 },
      f: "s",
    },
  ]);
  expect(await listTable(responseAdminClient, "example")).toHaveLength(1);
});

test("rejects a mismatched discriminated union", async () => {
  await expect(
    addDocuments(responseAdminClient, "example", [
      { a: { artist: 1, tags: [] }, b: [], c: {}, d: {}, e: { type: "a", value: "no" }, f: 1 },
    ]),
  ).rejects.toThrow();
});
"""
    failure = {
        "short": "expected { tables: [ { …(4) } ], …(1) } to deeply equal { tables: [ { …(4) } ], …(1) }",
        "error": (
            "AssertionError: expected { tables: [ { …(4) } ], …(1) } to deeply equal { tables: [ { …(4) } ], …(1) }\n"
            "\n"
            "- Expected\n"
            "+ Received\n"
            "\n"
            "@@ -41,12 +41,11 @@\n"
            "            \"fieldName\": \"c\",\n"
            "            \"fieldType\": {\n"
            "              \"keys\": {\n"
            "-               \"tableName\": \"example\",\n"
            "-               \"type\": \"id\",\n"
            "+               \"type\": \"string\",\n"
            "              },\n"
            "              \"type\": \"record\",\n"
            "              \"values\": {\n"
            "                \"fieldType\": {\n"
        ),
        "at": "await compareSchema(skip)",
    }
    tests = [
        ("compare schema", 61, failure),
        ("accepts a document of every compound type", 48, None),
        ("rejects a mismatched discriminated union", 22, None),
    ]
    report = vitest_output(path, grader, tests, "10:05:12", 0.94)
    return {
        "path": path, "prefix": "kd7", "duration": 27450.0, "label": "MODEL_FAULT",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.21.0"}, name="compound-datatypes"),
        },
        "answer": {"convex/schema.ts": answer_schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


# =========================================================================== bundle 4
# openrouter-run.json: moonshotai/kimi-k2 (openrouter), 66 evals, 5 failures.


def ev_http_action_routing() -> dict[str, Any]:
    """tests: `path: "/api/*"` instead of pathPrefix, exactly the GAPS.txt bullet. KNOWN_GAP."""
    path = "004-actions/007-http_action_routing"
    http = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

const ok = httpAction(async () => {
  return new Response(JSON.stringify({ ok: true }), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });
});

http.route({ path: "/getFoo", method: "GET", handler: ok });
http.route({ path: "/postBar", method: "POST", handler: ok });
http.route({ path: "/putBaz", method: "PUT", handler: ok });

// Catch-all GET handler for everything under /api/
http.route({ path: "/api/*", method: "GET", handler: ok });

export default http;
"""
    answer_http = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

const json = () =>
  new Response(JSON.stringify({ ok: true }), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });

http.route({ path: "/getFoo", method: "GET", handler: httpAction(async () => json()) });
http.route({ path: "/postBar", method: "POST", handler: httpAction(async () => json()) });
http.route({ path: "/putBaz", method: "PUT", handler: httpAction(async () => json()) });
http.route({ pathPrefix: "/api/", method: "GET", handler: httpAction(async () => json()) });

export default http;
"""
    grader = """import { expect, test } from "vitest";
import { compareFunctionSpec, siteUrl } from "../../../grader";

const call = (path: string, method: string) => fetch(`${siteUrl}${path}`, { method });

test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});

test("GET /getFoo", async () => {
  const response = await call("/getFoo", "GET");
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
});

test("POST /postBar", async () => {
  expect((await call("/postBar", "POST")).status).toBe(200);
});

test("PUT /putBaz", async () => {
  expect((await call("/putBaz", "PUT")).status).toBe(200);
});

test("GET matches every path under /api/", async () => {
  for (const path of ["/api/a", "/api/users/42", "/api/deeply/nested/path"]) {
    const response = await call(path, "GET");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  }
});

test("wrong methods are rejected with 404", async () => {
  expect((await call("/getFoo", "POST")).status).toBe(404);
  expect((await call("/postBar", "GET")).status).toBe(404);
});

test("unknown paths return 404", async () => {
  expect((await call("/nope", "GET")).status).toBe(404);
});
"""
    failure = {
        "short": "expected 404 to be 200 // Object.is equality",
        "error": (
            "AssertionError: expected 404 to be 200 // Object.is equality\n"
            "\n"
            "- Expected\n"
            "+ Received\n"
            "\n"
            "- 200\n"
            "+ 404\n"
        ),
        "at": "expect(response.status).toBe(200);\n    expect(await response.json()).toEqual({ ok: true });\n  }",
    }
    tests = [
        ("compare function spec", 33, None),
        ("GET /getFoo", 41, None),
        ("POST /postBar", 14, None),
        ("PUT /putBaz", 13, None),
        ("GET matches every path under /api/", 19, failure),
        ("wrong methods are rejected with 404", 22, None),
        ("unknown paths return 404", 9, None),
    ]
    report = vitest_output(path, grader, tests, "16:40:05", 0.88)
    return {
        "path": path, "prefix": "k57", "duration": 33019.0, "label": "KNOWN_GAP",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/http.ts": http,
            "package.json": package_json({"convex": "^1.25.4"}, name="http-routing"),
        },
        "answer": {"convex/http.ts": answer_http, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_internal_fns() -> dict[str, Any]:
    """eslint explicit-function-return-type on a tiny helper; all tests pass. OVERLY_STRICT."""
    path = "005-idioms/000-internal_fns"
    index = """import {
  query,
  mutation,
  internalAction,
  internalMutation,
} from "./_generated/server";
import { v } from "convex/values";

const now = () => Date.now();

export const getPublicStats = query({
  args: {},
  returns: v.object({ totalUsers: v.number(), version: v.string() }),
  handler: async () => {
    return { totalUsers: 100, version: "1.0.0" };
  },
});

export const logClientEvent = mutation({
  args: { eventName: v.string(), data: v.any() },
  returns: v.number(),
  handler: async (_ctx, args) => {
    const timestamp = now();
    console.log(`[${new Date(timestamp).toISOString()}] ${args.eventName}`, args.data);
    return timestamp;
  },
});

export const dailyCleanup = internalAction({
  args: {},
  returns: v.null(),
  handler: async () => {
    console.log("Running daily cleanup");
    return null;
  },
});

export const resetCounter = internalMutation({
  args: {},
  returns: v.null(),
  handler: async () => {
    console.log("Resetting counter");
    return null;
  },
});
"""
    lint = eslint_stylish("convex/index.ts", [
        eslint_problem(index, "const now = () =>", "Missing return type on function", "@typescript-eslint/explicit-function-return-type", offset=12),
    ])
    answer_index = """import { query, mutation, internalAction, internalMutation } from "./_generated/server";
import { v } from "convex/values";

export const getPublicStats = query({
  args: {},
  returns: v.object({ totalUsers: v.number(), version: v.string() }),
  handler: async () => {
    return { totalUsers: 100, version: "1.0.0" };
  },
});

export const logClientEvent = mutation({
  args: { eventName: v.string(), data: v.any() },
  returns: v.number(),
  handler: async (_ctx, args) => {
    console.log(args.eventName, args.data);
    return Date.now();
  },
});

export const dailyCleanup = internalAction({
  args: {},
  returns: v.null(),
  handler: async () => {
    console.log("Running daily cleanup");
    return null;
  },
});

export const resetCounter = internalMutation({
  args: {},
  returns: v.null(),
  handler: async () => {
    console.log("Resetting counter");
    return null;
  },
});
"""
    grader = GRADER_IMPORTS + """import { adminClient } from "../../../grader";

test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});

test("getPublicStats is public", async () => {
  expect(await responseClient.query(anyApi.index.getPublicStats, {})).toEqual({
    totalUsers: 100,
    version: "1.0.0",
  });
});

test("logClientEvent returns the current timestamp", async () => {
  const before = Date.now();
  const ts = await responseClient.mutation(anyApi.index.logClientEvent, {
    eventName: "click",
    data: { x: 1 },
  });
  expect(ts).toBeGreaterThanOrEqual(before - 1000);
});

test("dailyCleanup is callable by admins", async () => {
  expect(await adminClient.action(anyApi.index.dailyCleanup, {})).toBeNull();
});

test("resetCounter is callable by admins", async () => {
  expect(await adminClient.mutation(anyApi.index.resetCounter, {})).toBeNull();
});
"""
    return {
        "path": path, "prefix": "kd7", "duration": 24860.0, "label": "OVERLY_STRICT",
        "failed_step": "eslint",
        "steps": pipeline(eslint=failed(lint)),
        "outputs": {
            "convex/index.ts": index,
            "package.json": package_json({"convex": "^1.25.4"}, {"typescript": "^5.8.3"}, name="internal-fns"),
        },
        "answer": {"convex/index.ts": answer_index, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_pagination_returns_validator() -> dict[str, Any]:
    """deploy: imports from the non-existent "convex/values/validators" subpath. MODEL_FAULT."""
    path = "002-queries/018-pagination_returns_validator"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  posts: defineTable({
    title: v.string(),
    content: v.string(),
  }),
});
"""
    index = """import { query } from "./_generated/server";
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { paginationResultValidator } from "convex/values/validators";

const postValidator = v.object({
  _id: v.id("posts"),
  _creationTime: v.number(),
  title: v.string(),
  content: v.string(),
});

export const paginatePosts = query({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(postValidator),
  handler: async (ctx, args) => {
    return await ctx.db.query("posts").paginate(args.paginationOpts);
  },
});
"""
    notes = (
        '  The path "./values/validators" is not exported by package "convex":\n'
        "\n"
        "    node_modules/convex/package.json:24:13:\n"
        '      24 │   "exports": {\n'
        "         ╵              ^\n"
        "\n"
        '  You can mark the path "convex/values/validators" as external to exclude it from the bundle, '
        "which will remove this error and leave the unresolved path in the bundle.\n"
    )
    error = (
        "- Preparing Convex functions...\n"
        + esbuild_error('Could not resolve "convex/values/validators"', "convex/index.ts", index,
                        '"convex/values/validators"', notes=notes)
        + "\n✖ Error: Unable to bundle Convex modules\n"
    )
    answer_index = """import { query } from "./_generated/server";
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { v } from "convex/values";

export const paginatePosts = query({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(
    v.object({
      _id: v.id("posts"),
      _creationTime: v.number(),
      title: v.string(),
      content: v.string(),
    }),
  ),
  handler: async (ctx, args) => {
    return await ctx.db.query("posts").paginate(args.paginationOpts);
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("paginates posts and reports isDone", async () => {
  await deleteAllDocuments(responseAdminClient, ["posts"]);
  await addDocuments(
    responseAdminClient,
    "posts",
    Array.from({ length: 3 }, (_, i) => ({ title: `t${i}`, content: `c${i}` })),
  );
  const first = await responseClient.query(anyApi.index.paginatePosts, {
    paginationOpts: { numItems: 2, cursor: null },
  });
  expect(first.page).toHaveLength(2);
  expect(first.isDone).toBe(false);
  const second = await responseClient.query(anyApi.index.paginatePosts, {
    paginationOpts: { numItems: 2, cursor: first.continueCursor },
  });
  expect(second.page).toHaveLength(1);
  expect(second.isDone).toBe(true);
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 31588.0, "label": "MODEL_FAULT",
        "failed_step": "deploy",
        "steps": fails_at_deploy(error),
        "outputs": {
            "convex/index.ts": index,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.25.4"}, {"typescript": "^5.8.3"}, name="paginate-posts"),
        },
        "answer": {"convex/index.ts": answer_index, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_single_column_index() -> dict[str, Any]:
    """tests: `.first()` instead of `.unique()`, so duplicates do not throw. MODEL_FAULT."""
    path = "002-queries/001-single_column_index"
    schema = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    email: v.string(),
    name: v.string(),
    age: v.number(),
  }).index("by_email", ["email"]),
});
"""
    public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getUserByEmail = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", args.email))
      .first();
    return user ?? null;
  },
});
"""
    answer_public = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getUserByEmail = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    return await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", args.email))
      .unique();
  },
});
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
const lookup = (email: string) => responseClient.query(anyApi.public.getUserByEmail, { email });

test("returns null when no user has the email", async () => {
  await deleteAllDocuments(responseAdminClient, ["users"]);
  expect(await lookup("nobody@example.com")).toBeNull();
});

test("returns the whole document when found", async () => {
  await addDocuments(responseAdminClient, "users", [{ email: "ada@example.com", name: "Ada", age: 36 }]);
  expect(await lookup("ada@example.com")).toMatchObject({ email: "ada@example.com", name: "Ada", age: 36 });
});

test("throws when several users share an email", async () => {
  await addDocuments(responseAdminClient, "users", [{ email: "ada@example.com", name: "Ada 2", age: 37 }]);
  await expect(lookup("ada@example.com")).rejects.toThrow();
});
"""
    ada_id = convex_id("jd7", "openrouter/single-column/ada")
    failure = {
        "short": f"promise resolved \"{{ _id: '{ada_id[:6]}…', …(4) }}\" instead of rejecting",
        "error": (
            f"AssertionError: promise resolved \"{{ _id: '{ada_id[:6]}…', …(4) }}\" instead of rejecting\n"
            "\n"
            "- Expected: \n"
            "Error {\n"
            "  \"message\": \"rejected promise\",\n"
            "}\n"
            "\n"
            "+ Received: \n"
            "{\n"
            "  \"_creationTime\": 1772471603261.813,\n"
            f"  \"_id\": \"{ada_id}\",\n"
            "  \"age\": 36,\n"
            "  \"email\": \"ada@example.com\",\n"
            "  \"name\": \"Ada\",\n"
            "}\n"
        ),
        "at": "await expect(lookup(\"ada@example.com\")).rejects",
    }
    tests = [
        ("compare schema", 40, None),
        ("compare function spec", 27, None),
        ("returns null when no user has the email", 19, None),
        ("returns the whole document when found", 33, None),
        ("throws when several users share an email", 25, failure),
    ]
    report = vitest_output(path, grader, tests, "16:42:19", 0.71)
    return {
        "path": path, "prefix": "kd7", "duration": 22904.0, "label": "MODEL_FAULT",
        "failed_step": "tests",
        "steps": pipeline(tests=failed(report)),
        "outputs": {
            "convex/public.ts": public,
            "convex/schema.ts": schema,
            "package.json": package_json({"convex": "^1.25.4"}, name="user-lookup"),
        },
        "answer": {"convex/public.ts": answer_public, "convex/schema.ts": schema, "package.json": ANSWER_PACKAGE_JSON},
        "grader": grader,
    }


def ev_use_query() -> dict[str, Any]:
    """tsc TS6133: unused `import React` under the model's own noUnusedLocals tsconfig. MODEL_FAULT."""
    path = "006-clients/000-use_query"
    messages = """import { query } from "./_generated/server";

export const getAllMessages = query({
  args: {},
  handler: async (ctx) => {
    return ctx.db.query("messages").order("desc").collect();
  }
});
"""
    app = """import React from "react";
import { useQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const messages = useQuery(api.messages.getAllMessages);

  if (messages === undefined) {
    return <div>Loading...</div>;
  }

  if (messages.length === 0) {
    return <div>No messages yet</div>;
  }

  return (
    <ul>
      {messages.map((message) => (
        <li key={message._id}>
          {message.author}: {message.body}
        </li>
      ))}
    </ul>
  );
}
"""
    tsconfig = """{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "jsx": "react-jsx",
    "strict": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src"]
}
"""
    tsc_out = tsc_plain("src/App.tsx", app, "import React", 6133, "'React' is declared but its value is never read.") + "\n"
    lint = eslint_stylish("src/App.tsx", [
        eslint_problem(app, "React", "'React' is defined but never used.", "@typescript-eslint/no-unused-vars"),
    ])
    answer_app = """import { useQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const messages = useQuery(api.messages.getAllMessages);
  if (messages === undefined) return <p>Loading...</p>;
  if (messages.length === 0) return <p>No messages yet</p>;
  return (
    <ul>
      {messages.map((message) => (
        <li key={message._id}>
          {message.author}: {message.body}
        </li>
      ))}
    </ul>
  );
}
"""
    grader = GRADER_IMPORTS + SPEC_TESTS + """
test("getAllMessages lists messages newest first", async () => {
  await deleteAllDocuments(responseAdminClient, ["messages"]);
  await addDocuments(responseAdminClient, "messages", [
    { author: "a", body: "first" },
    { author: "b", body: "second" },
  ]);
  const messages = await responseClient.query(anyApi.messages.getAllMessages, {});
  expect(messages.map((m: { body: string }) => m.body)).toEqual(["second", "first"]);
});
"""
    return {
        "path": path, "prefix": "k57", "duration": 58113.0, "label": "MODEL_FAULT",
        "failed_step": "tsc",
        "steps": pipeline(tsc=failed(tsc_out), eslint=failed(lint)),
        "outputs": {
            "convex/schema.ts": MESSAGES_SCHEMA,
            "convex/messages.ts": messages,
            "src/App.tsx": app,
            "package.json": package_json(
                {"convex": "^1.25.4", "react": "^19.1.0", "react-dom": "^19.1.0"},
                {"@types/react": "^19.1.8", "@types/react-dom": "^19.1.6", "typescript": "^5.8.3"},
                name="message-list",
            ),
            "tsconfig.json": tsconfig,
        },
        "answer": {
            "convex/schema.ts": MESSAGES_SCHEMA,
            "convex/messages.ts": messages,
            "src/App.tsx": answer_app,
            "package.json": ANSWER_PACKAGE_JSON_REACT,
            "tsconfig.json": ANSWER_TSCONFIG_SRC,
        },
        "grader": grader,
    }


# --------------------------------------------------------------------------- the big lockfile


def _integrity(name: str, version: str) -> str:
    digest = hashlib.sha512(f"{name}@{version}".encode()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _pick(seed: str, n: int, k: int) -> list[int]:
    """k distinct indices in range(n), derived from seed."""
    out: list[int] = []
    counter = 0
    while len(out) < min(k, n):
        h = hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        idx = int.from_bytes(h[:4], "big") % n
        if idx not in out:
            out.append(idx)
        counter += 1
    return out


def _older(version: str, seed: str) -> str:
    major, minor = (int(p) for p in version.split(".")[:2])
    h = hashlib.sha256(seed.encode()).digest()
    if major > 0:
        return f"{major - 1}.{h[0] % 12}.{h[1] % 9}"
    return f"0.{max(minor - 1, 0)}.{h[1] % 9}"


_LOCKFILE_CACHE: list[str] = []


def react_scripts_lockfile() -> str:
    """A package-lock.json (lockfileVersion 3) of a react-scripts + convex project, > 1 MB.

    As `npm install` writes it with `omit-lockfile-registry-resolved` set, so
    entries carry no `resolved` URL. The direct dependencies of the top-level
    packages are the real ones; the rest of the graph, the integrity hashes and
    most versions are synthetic but well-formed.
    """
    if _LOCKFILE_CACHE:
        return _LOCKFILE_CACHE[0]
    pins = {
        "react": "18.3.1", "react-dom": "18.3.1", "react-scripts": "5.0.1", "convex": "1.21.0",
        "typescript": "4.9.5", "@types/react": "18.3.12", "@types/react-dom": "18.3.1",
        "scheduler": "0.23.2", "loose-envify": "1.4.0", "js-tokens": "4.0.0", "esbuild": "0.23.0",
        "jwt-decode": "4.0.0", "prettier": "3.4.2", "@types/prop-types": "15.7.13", "csstype": "3.1.3",
        "webpack": "5.97.1", "webpack-dev-server": "4.15.2", "jest": "27.5.1", "jest-resolve": "27.5.1",
        "eslint": "8.57.1", "postcss": "8.4.49", "semver": "7.6.3", "browserslist": "4.24.2",
        "babel-jest": "27.5.1", "babel-loader": "8.4.1", "babel-preset-react-app": "10.0.1",
        "babel-plugin-named-asset-import": "0.3.8", "bfj": "7.1.0", "camelcase": "6.3.0",
        "case-sensitive-paths-webpack-plugin": "2.4.0", "css-loader": "6.11.0",
        "css-minimizer-webpack-plugin": "3.4.1", "dotenv": "10.0.0", "dotenv-expand": "5.1.0",
        "eslint-config-react-app": "7.0.1", "eslint-webpack-plugin": "3.2.0", "file-loader": "6.2.0",
        "fs-extra": "10.1.0", "html-webpack-plugin": "5.6.3", "identity-obj-proxy": "3.0.0",
        "jest-watch-typeahead": "1.1.0", "mini-css-extract-plugin": "2.9.2",
        "postcss-flexbugs-fixes": "5.0.2", "postcss-loader": "6.2.1", "postcss-normalize": "10.0.1",
        "postcss-preset-env": "7.8.3", "prompts": "2.4.2", "react-app-polyfill": "3.0.0",
        "react-dev-utils": "12.0.1", "react-refresh": "0.11.0", "resolve": "1.22.8",
        "resolve-url-loader": "4.0.0", "sass-loader": "12.6.0", "source-map-loader": "3.0.2",
        "style-loader": "3.3.4", "tailwindcss": "3.4.17", "terser-webpack-plugin": "5.3.11",
        "webpack-manifest-plugin": "4.1.1", "workbox-webpack-plugin": "6.6.0",
        "@pmmmwh/react-refresh-webpack-plugin": "0.5.15", "@svgr/webpack": "5.5.0",
        "@ampproject/remapping": "2.3.0", "convert-source-map": "2.0.0", "debug": "4.4.0",
        "gensync": "1.0.0-beta.2", "json5": "2.2.3",
    }
    known_deps = {
        "react": ["loose-envify"],
        "react-dom": ["loose-envify", "scheduler"],
        "scheduler": ["loose-envify"],
        "loose-envify": ["js-tokens"],
        "convex": ["esbuild", "jwt-decode", "prettier"],
        "@types/react": ["@types/prop-types", "csstype"],
        "@types/react-dom": ["@types/react"],
        "@babel/core": [
            "@ampproject/remapping", "@babel/code-frame", "@babel/generator", "@babel/helper-compilation-targets",
            "@babel/helper-module-transforms", "@babel/helpers", "@babel/parser", "@babel/template",
            "@babel/traverse", "@babel/types", "convert-source-map", "debug", "gensync", "json5", "semver",
        ],
        "react-scripts": [
            "@babel/core", "@pmmmwh/react-refresh-webpack-plugin", "@svgr/webpack", "babel-jest",
            "babel-loader", "babel-plugin-named-asset-import", "babel-preset-react-app", "bfj", "browserslist",
            "camelcase", "case-sensitive-paths-webpack-plugin", "css-loader", "css-minimizer-webpack-plugin",
            "dotenv", "dotenv-expand", "eslint", "eslint-config-react-app", "eslint-webpack-plugin",
            "file-loader", "fs-extra", "html-webpack-plugin", "identity-obj-proxy", "jest", "jest-resolve",
            "jest-watch-typeahead", "mini-css-extract-plugin", "postcss", "postcss-flexbugs-fixes",
            "postcss-loader", "postcss-normalize", "postcss-preset-env", "prompts", "react-app-polyfill",
            "react-dev-utils", "react-refresh", "resolve", "resolve-url-loader", "sass-loader", "semver",
            "source-map-loader", "style-loader", "tailwindcss", "terser-webpack-plugin", "webpack",
            "webpack-dev-server", "webpack-manifest-plugin", "workbox-webpack-plugin",
        ],
    }

    def plausible(name: str, version: str) -> str:
        # react-scripts 5 pulls Babel 7, not the Babel 8 line.
        if name.startswith("@babel/") and version.startswith("8."):
            h = hashlib.sha256(name.encode()).digest()
            return f"7.{24 + h[0] % 3}.{h[1] % 10}"
        return version

    pkgs: list[tuple[str, str]] = []
    for raw in LOCKFILE_PACKAGES.split():
        name, _, version = raw.rpartition("@")
        pkgs.append((name, pins.get(name, plausible(name, version))))
    seen = {name for name, _ in pkgs}
    for name, version in pins.items():
        if name not in seen:
            pkgs.append((name, version))
    index = {name: i for i, (name, _) in enumerate(pkgs)}
    versions = dict(pkgs)
    licenses = ["MIT"] * 14 + ["ISC", "ISC", "BSD-2-Clause", "Apache-2.0", "BSD-3-Clause", "0BSD"]
    engines = [None, None, None, ">=6.9.0", ">=8", ">=10", ">=12", ">=14", "^14.15.0 || ^16.10.0 || >=18.0.0",
               ">= 0.8", ">=4", ">=16"]
    root_deps = {"convex": "^1.21.0", "react": "^18.3.1", "react-dom": "^18.3.1", "react-scripts": "5.0.1"}
    root_dev = {"@types/react": "^18.3.12", "@types/react-dom": "^18.3.1", "typescript": "^4.9.5"}

    def caret(version: str) -> str:
        major, minor = version.split(".")[:2]
        return f"^{major}.{minor}.0" if major != "0" else f"~{version}"

    def entry(name: str, version: str) -> dict[str, Any]:
        seed = f"{name}@{version}"
        h = hashlib.sha256(seed.encode()).digest()
        e: dict[str, Any] = {"version": version, "integrity": _integrity(name, version)}
        if name == "typescript" or name.startswith("@types/"):
            e["dev"] = True
        e["license"] = licenses[h[0] % len(licenses)]
        if name in known_deps:
            deps = {d: caret(versions[d]) for d in known_deps[name]}
        else:
            # Dependencies are drawn from more widely used packages (earlier in the list).
            i = index.get(name, len(pkgs))
            want = 0 if h[1] % 4 == 0 or i < 8 else (h[2] % 7) + 1
            deps = {}
            for j in _pick(seed, i, want):
                dn, dv = pkgs[j]
                deps[dn] = caret(dv)
        if deps:
            e["dependencies"] = dict(sorted(deps.items()))
        if h[3] % 9 == 0:
            e["peerDependencies"] = {"@babel/core": "^7.0.0-0"} if name.startswith("@babel/") else {"typescript": ">=4.2.0"}
        if h[4] % 7 == 0:
            bin_name = name.split("/")[-1]
            e["bin"] = {bin_name: f"bin/{bin_name}.js"}
        eng = engines[h[5] % len(engines)]
        if eng:
            e["engines"] = {"node": eng}
        if h[6] % 6 == 0:
            e["funding"] = {"type": "opencollective", "url": f"https://opencollective.com/{name.split('/')[-1]}"}
        return e

    packages: dict[str, Any] = {}
    for name, version in pkgs:
        packages[f"node_modules/{name}"] = entry(name, version)
    # Nested copies where a dependent needs an older major, as npm's hoisting leaves them.
    for i, (name, version) in enumerate(pkgs):
        h = hashlib.sha256(f"nest/{name}".encode()).digest()
        if h[0] % 5 < 3 and i + 1 < len(pkgs):
            for k in _pick(f"nest/{name}", len(pkgs) - i - 1, 1 + h[1] % 2):
                parent = pkgs[i + 1 + k][0]
                old = _older(version, f"{parent}>{name}")
                packages[f"node_modules/{parent}/node_modules/{name}"] = entry(name, old)
    root = {"name": "paginated-items", "version": "0.1.0", "dependencies": root_deps, "devDependencies": root_dev}
    lock = {
        "name": "paginated-items",
        "version": "0.1.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {"": root, **dict(sorted(packages.items()))},
    }
    text = json.dumps(lock, indent=2) + "\n"
    _LOCKFILE_CACHE.append(text)
    return text


# --------------------------------------------------------------------------- assembly


def build_bundle(spec: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    run_id = convex_id("jn7", spec["run_seed"])
    run_status = {"kind": "completed", "durationMs": spec["run_duration"]}
    run = {
        "_id": run_id,
        "model": spec["model"],
        "provider": spec["provider"],
        "experiment": spec["experiment"],
        "status": run_status,
    }
    failed_evals = []
    evals: dict[str, Any] = {}
    labels = []
    for make in spec["evals"]:
        ev = make()
        path = ev["path"]
        category, name = path.split("/")
        eval_id = convex_id(ev["prefix"], f"{spec['run_seed']}/{path}")
        steps = ev["steps"]
        step_names = [s["name"] for s in steps]
        assert step_names == list(STEP_ORDER), (path, step_names)
        first_failed = next(s for s in steps if s["status"]["kind"] == "failed")
        assert first_failed["name"] == ev["failed_step"], (path, first_failed["name"])
        reason = STEP_FAILURE_REASON[ev["failed_step"]]
        failed_evals.append({
            "_id": eval_id,
            "evalPath": path,
            "category": category,
            "name": name,
            "failureReason": reason,
            "failedStep": {
                "name": ev["failed_step"],
                "failureReason": first_failed["status"]["failureReason"],
            },
        })
        evals[eval_id] = {
            "eval": {
                "_id": eval_id,
                "evalPath": path,
                "category": category,
                "name": name,
                "status": {"kind": "failed", "failureReason": reason, "durationMs": ev["duration"]},
                "task": TASKS[path],
            },
            "run": {
                "_id": run_id,
                "model": spec["model"],
                "provider": spec["provider"],
                "runId": run_id,
                "experiment": spec["experiment"],
                "status": run_status,
            },
            "steps": steps,
            "outputFiles": ev["outputs"],
            "evalSourceFiles": eval_sources(path, ev["answer"], ev["grader"]),
        }
        labels.append({"run_id": run_id, "eval_path": path, "classification": ev["label"]})
    total = spec["total"]
    summary = {
        "run": run,
        "totalEvals": float(total),
        "passedCount": float(total - len(failed_evals)),
        "failedCount": float(len(failed_evals)),
        "failedEvals": failed_evals,
    }
    return {"format": BUNDLE_FORMAT, "summary": summary, "evals": evals}, labels


BUNDLES: list[dict[str, Any]] = [
    {
        "file": "mixed-run.json",
        "run_seed": "mixed-run/claude-sonnet-4-5",
        "model": "claude-sonnet-4-5",
        "provider": "anthropic",
        "experiment": "default",
        "run_duration": 1834612.0,
        "total": 66,
        "evals": [
            ev_nullable_partial,
            ev_select_distinct,
            ev_literals,
            ev_basic_http_endpoint,
            ev_normalize_json,
            ev_helper_fns,
            ev_cascade_delete_nested,
            ev_use_mutation,
            ev_range_condition,
            ev_database_crud,
            ev_aggregation,
            ev_parallel_fetch,
            ev_index_and_filter,
        ],
    },
    {
        "file": "all-passed.json",
        "run_seed": "all-passed/gpt-5.2",
        "model": "gpt-5.2",
        "provider": "openai",
        "experiment": "default",
        "run_duration": 1210447.0,
        "total": 66,
        "evals": [],
    },
    {
        "file": "large-output.json",
        "run_seed": "large-output/qwen3.5-plus",
        "model": "qwen3.5-plus",
        "provider": "qwen",
        "experiment": "no_guidelines",
        "run_duration": 2417730.0,
        "total": 66,
        "min_largest_output": 1 << 20,  # one output file over 1 MiB
        "evals": [
            ev_use_paginated_query,
            ev_batch_delete_self_schedule,
            ev_node,
            ev_compound_datatypes,
        ],
    },
    {
        "file": "openrouter-run.json",
        "run_seed": "openrouter-run/moonshotai/kimi-k2",
        "model": "moonshotai/kimi-k2",
        "provider": "openrouter",
        "experiment": "default",
        "run_duration": 1502318.0,
        "total": 66,
        "evals": [
            ev_http_action_routing,
            ev_internal_fns,
            ev_pagination_returns_validator,
            ev_single_column_index,
            ev_use_query,
        ],
    },
]


def render(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def validate(bundle: dict[str, Any]) -> None:
    """The invariants a consumer may rely on; raises AssertionError with the reason."""
    assert bundle["format"] == BUNDLE_FORMAT
    summary, evals = bundle["summary"], bundle["evals"]
    run = summary["run"]
    assert is_convex_id(run["_id"], ("jn7",)), run["_id"]
    for key in ("totalEvals", "passedCount", "failedCount"):
        assert isinstance(summary[key], float), key
    assert summary["failedCount"] == len(summary["failedEvals"]) == len(evals)
    assert summary["passedCount"] + summary["failedCount"] == summary["totalEvals"]
    ids = [fe["_id"] for fe in summary["failedEvals"]]
    assert len(set(ids)) == len(ids)
    for fe in summary["failedEvals"]:
        assert is_convex_id(fe["_id"], ("k57", "kd7")), fe["_id"]
        assert fe["_id"] in evals
        detail = evals[fe["_id"]]
        assert detail["eval"]["_id"] == fe["_id"]
        assert detail["eval"]["evalPath"] == fe["evalPath"] == f"{fe['category']}/{fe['name']}"
        assert detail["run"]["_id"] == detail["run"]["runId"] == run["_id"]
        assert [s["name"] for s in detail["steps"]] == list(STEP_ORDER)
        kinds = {s["status"]["kind"] for s in detail["steps"]}
        assert kinds <= {"running", "passed", "failed", "skipped"}
        failed_step = next(s for s in detail["steps"] if s["status"]["kind"] == "failed")
        assert failed_step["name"] == fe["failedStep"]["name"]
        assert failed_step["status"]["failureReason"] == fe["failedStep"]["failureReason"]
        assert detail["eval"]["task"] == detail["evalSourceFiles"]["TASK.txt"]


def build_all() -> dict[Path, str]:
    files: dict[Path, str] = {}
    labels: list[dict[str, str]] = []
    for spec in BUNDLES:
        bundle, bundle_labels = build_bundle(spec)
        validate(bundle)
        if "min_largest_output" in spec:
            largest = max(
                len(text.encode())
                for detail in bundle["evals"].values()
                for text in (detail["outputFiles"] or {}).values()
            )
            assert largest > spec["min_largest_output"], largest
        files[RUNS_DIR / spec["file"]] = render(bundle)
        labels.extend(bundle_labels)
    assert all(label["classification"] in CLASSES for label in labels)
    files[LABELS_FILE] = "".join(json.dumps(label) + "\n" for label in labels)
    return files


def write_or_check(files: dict[Path, str], argv: list[str]) -> int:
    """Write `files`, or with `--check` list those out of date (exit 1 if any)."""
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"out of date: {p.relative_to(HERE.parent)}")
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent)} ({len(text.encode()):,} bytes)")
    return 0


def main(argv: list[str]) -> int:
    return write_or_check(build_all(), argv)

# Package names for the synthetic package-lock.json (name@version, whitespace separated).
LOCKFILE_PACKAGES = """
semver@7.8.6 ansi-styles@7.0.0 debug@4.4.3 minimatch@11.0.9 strip-ansi@7.2.0 chalk@6.0.1
supports-color@11.0.0 string-width@9.0.0 ansi-regex@6.6.0 ms@2.1.3 lru-cache@11.5.3
brace-expansion@5.0.13 tslib@2.9.1 emoji-regex@11.0.0 wrap-ansi@10.0.2 type-fest@5.10.0
commander@15.1.0 glob@14.0.6 color-name@2.1.1 color-convert@3.1.3 source-map@0.8.0
@types/node@26.6.6 has-flag@5.0.1 readable-stream@4.8.0 picomatch@4.0.7 ajv@8.20.0 safe-buffer@5.2.1
escape-string-regexp@5.0.0 uuid@14.0.3 yallist@5.0.0 signal-exit@4.1.0 react-is@19.3.1
is-fullwidth-code-point@5.1.0 which@7.0.0 p-limit@7.3.3 json-schema-traverse@1.0.0 find-up@8.0.0
locate-path@8.0.0 p-locate@7.0.0 mime-db@1.54.0 eslint-visitor-keys@5.0.1 minipass@7.1.3
glob-parent@6.0.2 iconv-lite@0.7.3 string_decoder@1.3.0 js-yaml@5.5.0 isarray@2.0.5 mime-types@3.0.2
@babel/types@8.1.2 @babel/code-frame@8.0.6 globals@17.14.0 path-key@4.0.0 yargs-parser@22.0.0
ws@8.23.0 resolve@1.22.14 get-stream@9.0.1 argparse@3.0.4 @babel/parser@8.1.2 yargs@18.2.0
pretty-format@30.5.1 ignore@7.0.16 undici-types@8.12.4 acorn@8.19.0 isexe@4.0.0 cross-spawn@7.0.6
postcss@8.5.33 balanced-match@5.0.0 resolve-from@5.0.0 fs-extra@11.4.1 camelcase@10.0.0 cliui@9.0.1
@jridgewell/trace-mapping@0.3.31 punycode@2.3.1 @babel/helper-validator-identifier@8.0.6
@babel/generator@8.1.2 is-stream@4.0.1 entities@9.0.0 agent-base@9.0.0 estraverse@5.3.0
strip-json-comments@5.1.0 shebang-regex@4.0.0 shebang-command@2.0.0 json5@2.2.3
@babel/traverse@8.1.2 webidl-conversions@8.0.1 path-exists@5.0.0 path-to-regexp@9.0.0
whatwg-url@17.3.0 https-proxy-agent@9.1.0 onetime@8.0.0 @babel/core@8.1.2 form-data@4.0.6 tr46@7.0.0
@babel/template@8.1.2 execa@10.2.1 typescript@7.0.2 eslint-scope@9.1.2 inherits@2.0.4
convert-source-map@2.0.0 rimraf@6.1.4 negotiator@1.1.0 qs@6.17.1 get-intrinsic@1.3.1
@babel/helper-module-imports@8.0.0 @babel/runtime@8.1.2 statuses@2.0.2 universalify@2.0.1
fast-deep-equal@3.1.3 minimist@1.2.8 picocolors@1.1.1 @babel/helper-module-transforms@8.1.2
chokidar@6.0.0 @babel/compat-data@8.1.2 @babel/helpers@8.1.2 has-symbols@1.1.0 @jest/types@30.5.1
esbuild@0.28.2 @typescript-eslint/types@8.73.0 @babel/helper-compilation-targets@8.0.7
function-bind@1.1.2 caniuse-lite@1.0.30001826 npm-run-path@6.0.0 js-tokens@10.0.0 graceful-fs@4.2.12
@babel/helper-string-parser@8.1.2 is-number@7.0.0 bytes@3.1.2 @jridgewell/sourcemap-codec@1.6.0
readdirp@5.1.1 @types/estree@1.0.10 mimic-fn@5.0.0 slash@5.1.0
@typescript-eslint/typescript-estree@8.73.0 y18n@5.0.8 browserslist@4.29.6
electron-to-chromium@1.5.488 kind-of@6.0.3 @typescript-eslint/visitor-keys@8.73.0 yaml@2.9.1
buffer@6.0.3 cookie@2.0.2 jsesc@3.1.0 lodash@4.18.1 braces@3.0.3 fill-range@7.1.1
@babel/helper-plugin-utils@8.0.1 hasown@2.0.4 ini@7.0.0 node-fetch@3.3.2 escalade@3.2.0
@jridgewell/gen-mapping@0.3.13 human-signals@8.0.1 mkdirp@3.0.1 gopd@1.2.0 http-errors@2.0.1
micromatch@4.0.8 @typescript-eslint/scope-manager@8.73.0 strip-bom@5.0.0 es-object-atoms@1.1.2
concat-map@0.0.2 make-dir@5.1.0 is-glob@4.0.3 es-define-property@1.0.1 nanoid@6.0.2 es-errors@1.3.0
to-regex-range@5.0.1 @babel/helper-validator-option@8.0.0 call-bind-apply-helpers@1.0.2
schema-utils@4.8.3 @esbuild/linux-x64@0.28.2 update-browserslist-db@1.4.0 path-scurry@3.0.0
yocto-queue@1.2.2 node-releases@2.0.65 ci-info@4.5.0 dunder-proto@1.0.1 math-intrinsics@1.1.0
mime@4.1.2 get-proto@1.0.1 @jridgewell/resolve-uri@3.1.3 has-tostringtag@1.0.2 uri-js@4.4.1
magic-string@1.4.5 object-inspect@1.13.4 fast-glob@3.3.3 dotenv@18.0.10 pify@6.1.0
@typescript-eslint/utils@8.73.0 http-proxy-agent@9.1.0 is-extglob@2.1.1 strip-final-newline@4.0.0
parse-json@8.3.0 espree@11.2.0 once@1.4.0 source-map-support@0.5.21 content-disposition@3.0.0
jest-util@30.5.1 es-set-tostringtag@2.1.0 is-wsl@3.1.1 wrappy@1.0.2 @sinclair/typebox@0.34.52
safer-buffer@2.1.2 normalize-path@3.0.0 side-channel@1.1.1 is-core-module@2.18.0 eslint@10.15.0
cosmiconfig@10.0.1 util-deprecate@1.0.2 jsonfile@6.2.1 ansi-escapes@7.3.0 encodeurl@3.0.1
jest-worker@30.5.1 depd@2.0.0 jackspeak@4.2.3 scheduler@0.28.0 doctrine@3.0.0
postcss-selector-parser@7.2.1 flat-cache@6.1.23 @types/yargs@17.0.35 callsites@4.2.0 react@19.3.1
delayed-stream@1.0.0 is-arrayish@0.3.4 @typescript-eslint/parser@8.73.0 asynckit@0.5.0
require-from-string@2.0.2 combined-stream@1.0.8 file-entry-cache@11.1.5 source-map-js@1.2.2
is-docker@4.0.0 @jest/schemas@30.5.0 object-assign@4.1.1 eastasianwidth@0.3.0 parse5@8.1.1 arg@5.0.2
estree-walker@3.0.3 fastq@1.20.3 send@1.2.1 get-caller-file@2.0.5 finalhandler@2.1.1 esprima@4.0.1
import-fresh@4.0.1 path-parse@1.0.7 raw-body@4.0.0 range-parser@1.3.0 @types/json-schema@7.0.15
optionator@0.9.4 anymatch@3.1.3 esutils@2.0.3 type-check@0.4.0 restore-cursor@5.1.0 call-bound@1.0.4
diff@9.0.0 csstype@3.2.4 write-file-atomic@8.0.0 @types/react@19.3.0 setprototypeof@1.2.0
path-type@6.0.0 keyv@6.1.0 supports-preserve-symlinks-flag@1.0.0 async@3.2.6 foreground-child@4.0.3
on-finished@2.4.2 levn@0.4.1 prelude-ls@1.2.1 vary@1.1.2 fast-json-stable-stringify@2.1.0
globby@16.2.4 cli-cursor@5.0.0 @typescript-eslint/eslint-plugin@8.73.0 slice-ansi@10.0.1
base64-js@1.5.1 rxjs@7.8.2 react-dom@19.3.1 @nodelib/fs.stat@4.0.0 merge-stream@2.0.0
eventemitter3@5.0.4 detect-libc@2.1.2 serve-static@2.2.1 lines-and-columns@2.0.4
require-directory@2.1.1 @typescript-eslint/type-utils@8.73.0 rollup@4.68.5 reusify@1.1.0
tough-cookie@6.1.0 sprintf-js@1.1.3 @babel/helper-globals@8.0.6 body-parser@2.4.0
follow-redirects@1.16.3 jiti@2.7.0 imurmurhash@0.1.4 hosted-git-info@10.1.1
json-parse-even-better-errors@6.0.0 open@11.0.4 is-plain-obj@4.1.0 parent-module@3.2.0 flatted@3.4.4
@isaacs/cliui@9.0.0 call-bind@1.0.9 core-util-is@1.0.3 @nodelib/fs.walk@3.0.1
@nodelib/fs.scandir@4.0.1 esquery@1.7.0 @eslint/eslintrc@3.3.7 fast-levenshtein@3.0.0 gensync@0.1.0
type-is@3.0.0 ieee754@1.2.1 accepts@2.0.0 @eslint/js@10.0.1 prettier@3.10.1
side-channel-weakmap@1.0.2 side-channel-map@1.0.1 side-channel-list@1.0.1
istanbul-lib-instrument@6.0.3 aria-query@5.3.2 media-typer@2.0.0 chownr@3.0.0 ipaddr.js@2.5.0
run-parallel@1.2.0 which-typed-array@1.1.24 express@5.3.0 baseline-browser-mapping@2.11.38
cookie-signature@1.2.2 pkg-dir@9.0.0 esrecurse@4.3.0 fdir@6.5.0 queue-microtask@1.2.3 fresh@2.0.0
natural-compare@1.4.0 tapable@2.3.4 deep-is@0.1.4 enhanced-resolve@5.27.0 proxy-from-env@2.1.0
jest-message-util@30.5.1 acorn-jsx@5.3.2 indent-string@6.0.0 merge2@1.4.1 retry@0.13.1
acorn-walk@8.3.5 json-buffer@3.0.1 ts-api-utils@2.5.0 binary-extensions@3.2.0 ajv-keywords@5.1.0
log-symbols@7.0.1 fs.realpath@1.0.0 inflight@1.0.6 path-is-absolute@2.0.0 is-regex@1.2.1
lodash.merge@4.6.2 @eslint-community/eslint-utils@4.10.1 domutils@4.0.2 p-try@3.0.0
es-abstract@1.24.2 merge-descriptors@2.0.0 buffer-from@1.1.2 tinyglobby@0.2.17
has-property-descriptors@1.0.2 jest-diff@30.5.2 is-callable@1.2.7 domhandler@6.0.1
is-unicode-supported@2.1.0 dom-serializer@3.1.1 p-map@7.1.1 is-binary-path@3.0.0 toidentifier@1.0.1
package-json-from-dist@1.0.1 define-data-property@1.1.4 @eslint-community/regexpp@4.12.3
set-function-length@1.2.2 tsconfig-paths@4.2.0 word-wrap@1.2.5 ajv-formats@3.0.1
json-stable-stringify-without-jsonify@1.0.1 for-each@0.3.5 define-properties@1.2.1
is-typed-array@1.1.15 error-ex@1.3.4 object.assign@4.1.7 @pkgjs/parseargs@0.11.0 end-of-stream@1.4.5
@humanwhocodes/module-importer@1.0.1 extend-shallow@3.0.2 postcss-value-parser@4.2.0
available-typed-arrays@1.0.7 object-keys@1.1.1 @humanwhocodes/retry@0.4.3 safe-regex-test@1.1.0
whatwg-mimetype@5.0.0 jest-regex-util@30.5.0 @babel/plugin-syntax-jsx@8.0.1 define-property@2.0.2
escape-html@1.0.3 pump@3.0.4 @jridgewell/remapping@2.3.5 mdn-data@2.37.2
@rollup/rollup-linux-x64-gnu@4.68.5 tar@7.5.23 unpipe@1.0.0 deepmerge@4.3.1 es-module-lexer@3.0.5
mute-stream@4.0.0 is-generator-function@1.1.2 ee-first@1.1.1 @babel/helper-annotate-as-pure@8.0.0
regexp.prototype.flags@1.5.4 events@3.3.0 is-date-object@1.1.0 cjs-module-lexer@2.3.0
@types/babel__traverse@7.28.0 content-type@3.1.1 parseurl@1.3.3 tmp@0.2.7 etag@1.8.1 is-symbol@1.1.1
is-plain-object@5.1.0 jest-matcher-utils@30.5.2 css-tree@3.2.1 string.prototype.trimend@1.0.10
htmlparser2@12.0.0 possible-typed-array-names@1.1.0 internal-slot@1.1.0 @types/babel__core@7.20.5
process-nextick-args@2.0.1 @babel/plugin-syntax-typescript@8.0.3 is-string@1.1.1 ora@9.4.1
which-boxed-primitive@1.1.1 @types/babel__generator@7.27.0 regenerator-runtime@0.14.1
is-shared-array-buffer@1.0.4 jest-mock@30.5.2 string.prototype.trimstart@1.0.8
@sinonjs/fake-timers@15.5.0 loose-envify@1.4.0 pathe@2.0.3 domelementtype@3.0.0
is-number-object@1.1.1 tar-stream@3.2.2 bl@7.0.13 @types/babel__template@7.4.4 is-bigint@1.1.0
@typescript-eslint/tsconfig-utils@8.73.0 es-to-primitive@1.3.4 fast-uri@4.2.3 @eslint/core@1.2.1
@typescript-eslint/project-service@8.73.0 has-proto@1.2.0 figures@6.1.0 @types/react-dom@19.3.0
istanbul-lib-coverage@3.2.2 has-bigints@1.1.0 pako@3.0.3 is-boolean-object@1.2.2
normalize-package-data@9.0.0 strip-indent@4.1.1 forwarded@0.2.0 sax@1.6.1 proxy-addr@2.0.8
is-weakref@1.1.1 clone@2.1.2 get-symbol-description@1.1.0 loader-utils@3.3.1
dom-accessibility-api@0.7.1 pirates@4.0.7 is-array-buffer@3.0.5 function.prototype.name@1.2.0
colorette@2.0.20 minizlib@3.1.0 unbox-primitive@1.1.0 typed-array-buffer@1.0.3 terser@5.51.2
array-union@3.0.1 @types/unist@3.0.3 @babel/helper-replace-supers@8.0.1
array-buffer-byte-length@1.0.2 functions-have-names@1.2.3 string.prototype.trim@1.2.11 xtend@4.0.2
isobject@4.1.1 undici@8.12.4 globalthis@1.0.4 expect@30.5.2
@babel/plugin-syntax-import-attributes@7.29.7 css-select@7.0.0
@babel/helper-create-class-features-plugin@8.0.10 @babel/helper-member-expression-to-functions@8.0.5
define-lazy-prop@3.0.0 jest-haste-map@30.5.1 extend@3.0.2 on-headers@1.1.0 get-tsconfig@4.14.3
node-addon-api@8.9.2 clsx@2.1.1 serialize-javascript@7.1.4 safe-array-concat@1.1.4 lilconfig@3.1.5
deep-extend@0.6.0 is-extendable@1.0.1 @jest/transform@30.5.2 data-uri-to-buffer@8.0.0 core-js@3.51.0
typed-array-byte-offset@1.0.5 typed-array-byte-length@1.0.3 nopt@10.0.1 escodegen@2.1.0
@bcoe/v8-coverage@1.0.2 istanbul-reports@3.2.0 kleur@4.1.5 jest-get-type@29.6.3
typed-array-length@1.0.8 cli-width@4.1.0 istanbul-lib-source-maps@5.0.6 jsdom@31.0.1
mimic-response@4.0.0 is-path-inside@4.0.0 @eslint/plugin-kit@0.7.3 arraybuffer.prototype.slice@1.0.4
@babel/helper-optimise-call-expression@8.0.0 @types/send@1.2.1 type-detect@4.1.0 long@5.3.2
eslint-plugin-react-hooks@7.1.1 @jest/fake-timers@30.5.2 set-function-name@2.0.2 prop-types@15.8.1
is-negative-zero@2.0.3 html-escaper@3.0.3 whatwg-encoding@3.1.1 @eslint/config-array@0.23.6
@jest/environment@30.5.2 rc@1.2.8 xml-name-validator@5.0.0 which-collection@1.0.2
@sinonjs/commons@3.0.1 cssesc@3.0.0 is-map@2.0.3 @eslint/object-schema@3.0.5 is-set@2.0.3
is-weakset@2.0.4 @babel/plugin-transform-modules-commonjs@8.1.2 @types/istanbul-reports@3.0.4
bn.js@5.2.5 html-encoding-sniffer@7.0.0 istanbul-lib-report@3.0.1 dedent@1.7.2 is-weakmap@2.0.2
webpack-sources@3.7.0 @jest/test-result@30.5.2 test-exclude@8.0.0 @jest/console@30.5.2
@babel/helper-skip-transparent-expression-wrappers@8.1.0 tinyexec@1.3.1 cssstyle@6.2.0
data-urls@8.0.0 cli-spinners@3.4.0 is-descriptor@3.1.2 destroy@1.2.0 data-view-byte-length@1.0.2
data-view-buffer@1.0.2 data-view-byte-offset@1.0.1 array-includes@3.2.0 decamelize@7.0.0
object.values@1.2.1 cssom@0.5.0 is-data-view@1.0.2 @eslint/config-helpers@0.7.0 dir-glob@3.0.1
compression@1.8.2 split2@4.2.0 read-pkg@10.1.0 which-builtin-type@1.2.1 saxes@6.0.0 chai@6.3.0
reflect.getprototypeof@1.0.10 compressible@2.0.18 fs-minipass@3.0.3 neo-async@2.6.2
diff-sequences@29.6.3 css-what@8.0.0 jest-validate@30.5.1 xmlbuilder@15.1.1 decimal.js@10.6.0
is-finalizationregistry@1.1.1 @types/connect@3.4.38 socks-proxy-agent@10.1.0 w3c-xmlserializer@6.0.0
babel-jest@30.5.2 is-async-function@2.1.1 array.prototype.flat@1.3.3 @tootallnate/once@3.0.1
abbrev@5.0.0 es-shim-unscopables@1.1.0 utils-merge@1.0.1 methods@1.1.2
@babel/plugin-syntax-object-rest-spread@7.8.3 @istanbuljs/schema@0.1.6 babel-preset-jest@30.5.0
babel-plugin-jest-hoist@30.5.0 @types/serve-static@2.2.0 is-interactive@2.0.0
babel-plugin-istanbul@8.0.2 stop-iteration-iterator@1.1.0 @types/yargs-parser@21.0.3
ip-address@10.7.6 array.prototype.flatmap@1.3.3 jest-environment-node@30.5.2 @alloc/quick-lru@5.3.0
jest-resolve@30.5.1 array-flatten@3.0.0 leven@4.1.0 @babel/helper-define-polyfill-provider@1.0.0
@babel/plugin-syntax-class-properties@7.12.13 jest-watcher@30.5.2 autoprefixer@10.6.2
@babel/plugin-transform-classes@8.0.8 use-sync-external-store@1.7.0 jest-snapshot@30.5.2
inquirer@14.2.5 @types/ws@8.18.2 object.fromentries@2.0.8 requires-port@1.0.0 stack-utils@2.0.6
buffer-crc32@1.0.0 widest-line@6.0.0 @types/qs@6.15.1 @babel/plugin-syntax-optional-chaining@7.8.3
shell-quote@1.12.0 @babel/plugin-syntax-async-generators@7.8.4
@babel/plugin-syntax-nullish-coalescing-operator@7.8.3 @babel/plugin-transform-block-scoping@8.0.8
@babel/plugin-syntax-optional-catch-binding@7.8.3 @types/istanbul-lib-coverage@2.0.6
@babel/plugin-transform-destructuring@8.0.5 @babel/plugin-syntax-top-level-await@7.14.5
@babel/plugin-syntax-numeric-separator@7.10.4 ast-types@0.16.3
@babel/plugin-syntax-json-strings@7.8.3 chardet@2.2.0 jest-docblock@30.5.0 jest-config@30.5.2
nth-check@3.0.1 socks@2.8.10 @jest/source-map@30.5.2 @babel/plugin-transform-spread@8.0.8
@babel/plugin-transform-computed-properties@8.0.1 ansi-colors@4.1.3 @jest/expect-utils@30.5.2
find-cache-dir@6.0.0 @jest/test-sequencer@30.5.2 @types/istanbul-lib-report@3.0.3 set-proto@1.0.0
@babel/plugin-syntax-logical-assignment-operators@7.10.4 jose@6.2.17 jest-runtime@30.5.2
@jridgewell/source-map@0.3.11 @jest/globals@30.5.2 @babel/plugin-transform-parameters@8.0.5
object-hash@3.0.0 spdx-expression-parse@5.0.0 @jest/reporters@30.5.2 xmlchars@2.2.0
@types/stack-utils@2.0.3 @babel/helper-create-regexp-features-plugin@8.0.7 through@2.3.8
webpack@5.112.2 own-keys@1.0.2 string-length@7.0.1 @babel/plugin-syntax-import-meta@7.10.4
@babel/plugin-transform-arrow-functions@8.0.1 randombytes@2.1.0 @babel/preset-env@8.0.7
jest-each@30.5.2 ts-node@10.9.2 @babel/plugin-transform-async-to-generator@8.0.1 jest-runner@30.5.2
dequal@2.0.3 @babel/plugin-transform-for-of@8.0.7 process@0.11.10 eslint-plugin-import@2.32.0
@babel/plugin-transform-shorthand-properties@8.0.1 spdx-license-ids@3.0.24 watchpack@2.6.4
@babel/plugin-transform-function-name@8.0.1 @babel/plugin-transform-literals@8.0.1 env-paths@4.0.0
redent@4.0.0 @babel/plugin-transform-regenerator@8.0.6 symbol-tree@3.2.4 jest-leak-detector@30.5.1
assertion-error@2.0.1 @babel/plugin-transform-template-literals@8.0.1 safe-push-apply@1.0.0
psl@1.15.0 resolve-pkg-maps@1.0.0 through2@5.0.12 jest@30.5.2 regjsparser@0.14.1 @jest/core@30.5.2
graphemer@1.4.0 sisteransi@2.0.0 import-local@3.2.0 lodash.isplainobject@4.0.6
@babel/helper-wrap-function@8.0.0 ssri@14.0.0 eslint-module-utils@2.14.0 @types/body-parser@1.19.6
@types/json5@2.2.0 jest-cli@30.5.2 @babel/plugin-transform-named-capturing-groups-regex@8.0.1
terser-webpack-plugin@5.6.1 is-buffer@2.0.5 jest-changed-files@30.5.1
babel-plugin-polyfill-corejs3@1.0.0 jest-resolve-dependencies@30.5.2 tinyrainbow@3.2.0
react-refresh@0.19.0 make-error@1.3.6 clean-stack@6.0.0 cli-boxes@4.0.1 prompts@2.4.2
char-regex@2.0.2 @babel/helper-remap-async-to-generator@8.0.1 text-table@0.2.0 smart-buffer@4.2.0
@babel/plugin-transform-unicode-regex@8.0.1 eslint-import-resolver-node@0.4.0 boxen@9.0.0
@babel/plugin-transform-sticky-regex@8.0.1 bluebird@3.7.2 get-package-type@0.1.0
event-target-shim@6.0.2 object.entries@1.1.9 resolve-cwd@3.0.0 @babel/plugin-syntax-bigint@7.8.3
@babel/plugin-transform-block-scoped-functions@8.0.1 @babel/plugin-transform-object-super@8.0.1
@types/lodash@4.17.27 util@0.12.5 @types/range-parser@1.2.7 is-potential-custom-element-name@1.0.1
@babel/plugin-transform-property-literals@8.0.1
@babel/plugin-transform-member-expression-literals@8.0.1 core-js-compat@3.51.0
abort-controller@3.0.0 spdx-exceptions@2.5.0 eslint-config-prettier@10.1.8 defaults@3.0.0
@babel/plugin-transform-modules-systemjs@8.0.1 async-function@1.0.0 emittery@2.2.0 tar-fs@3.1.3
v8-to-istanbul@9.3.0 @babel/plugin-transform-exponentiation-operator@8.0.1 node-int64@0.4.0
@babel/plugin-proposal-private-property-in-object@7.21.11 @babel/plugin-transform-dotall-regex@8.0.1
fraction.js@5.3.4 detect-newline@4.0.1 @types/uuid@11.0.0
@babel/plugin-syntax-private-property-in-object@7.14.5 cors@2.8.6 cli-truncate@6.2.0
jest-circus@30.5.2 @babel/plugin-syntax-import-assertions@7.29.7 normalize-url@10.0.0
is-promise@4.0.0 @ampproject/remapping@2.3.0 rfdc@1.4.1 nwsapi@2.2.28 registry-auth-token@5.1.1
boolbase@2.0.0 proc-log@7.0.0 @istanbuljs/load-nyc-config@1.1.0 wordwrap@1.0.0 std-env@4.3.0
fb-watchman@2.0.4 uglify-js@3.19.3 http-cache-semantics@4.3.0
@babel/plugin-syntax-class-static-block@7.14.5 string.prototype.matchall@4.1.0
@babel/plugin-transform-typeof-symbol@8.0.1 @babel/plugin-transform-optional-chaining@8.0.5
@types/jest@30.0.0 file-type@22.3.0 @babel/plugin-transform-modules-amd@8.0.1 min-indent@1.0.1
regexpu-core@6.5.4 @types/ms@2.1.0 arrify@3.0.0 @babel/plugin-transform-duplicate-keys@8.0.1
@babel/plugin-transform-modules-umd@8.0.1 @babel/plugin-transform-new-target@8.0.1
spdx-correct@3.2.0 cacache@21.0.2 @rollup/pluginutils@5.5.1 glob-to-regexp@0.4.1 color@5.0.3
@types/http-errors@2.0.5 pure-rand@8.4.2 eslint-plugin-react@7.37.5
@babel/plugin-transform-reserved-words@8.0.1 yn@5.1.0 bser@2.1.2 set-blocking@2.0.0 wcwidth@1.0.1
ansi-align@3.0.1 @babel/plugin-transform-class-properties@8.0.1 decompress-response@10.0.0
url-parse@1.5.10 read-pkg-up@11.0.0 walker@1.0.8
@babel/plugin-transform-nullish-coalescing-operator@8.0.1 @types/eslint@9.6.1
@babel/plugin-transform-unicode-escapes@8.0.1 co@4.6.0 aggregate-error@5.1.0 tmpl@1.0.5
babel-preset-current-node-syntax@1.2.0 @babel/plugin-transform-private-methods@8.0.1
@types/mime@4.0.0 @babel/plugin-transform-async-generator-functions@8.0.6 web-streams-polyfill@4.3.0
is-obj@3.0.0 @babel/plugin-transform-react-jsx-source@7.29.7 any-promise@1.3.0 jsx-ast-utils@3.3.5
@babel/plugin-transform-react-jsx-self@7.29.7 makeerror@1.0.12
@babel/plugin-bugfix-v8-spread-parameters-in-optional-chaining@8.0.1
@babel/plugin-transform-typescript@8.0.6 postcss-load-config@6.0.1 deep-eql@5.0.2
@babel/preset-modules@0.2.0 validate-npm-package-license@3.0.4
babel-plugin-polyfill-regenerator@1.0.0 run-async@4.0.6 lodash.debounce@4.0.8 querystringify@2.2.0
@babel/plugin-transform-object-rest-spread@8.0.1 generator-function@2.0.1 color-string@2.1.4
@babel/plugin-transform-logical-assignment-operators@8.0.1
@babel/plugin-transform-private-property-in-object@8.0.5 babel-plugin-polyfill-corejs2@0.4.17
loader-runner@4.3.2 registry-url@7.2.0 setimmediate@1.0.5
@babel/plugin-bugfix-safari-id-destructuring-collision-in-function-expression@8.0.1
@babel/plugin-transform-numeric-separator@8.0.1 jsonc-parser@3.3.1
array.prototype.findlastindex@1.2.6 @babel/plugin-transform-class-static-block@8.0.5
@babel/plugin-transform-optional-catch-binding@8.0.1 es-iterator-helpers@1.4.0
@humanwhocodes/config-array@0.13.0 create-require@1.1.1 @webassemblyjs/ast@1.14.1
tiny-invariant@1.3.3 resolve.exports@2.0.4 axe-core@4.14.1 regenerate-unicode-properties@10.3.0
unicode-match-property-value-ecmascript@2.2.1 @webassemblyjs/helper-wasm-bytecode@1.14.1
safe-stable-stringify@3.0.0 loupe@3.2.1 @types/prop-types@15.7.15 @jest/expect@30.5.2
check-error@2.1.3 @csstools/css-tokenizer@4.0.2 object.groupby@1.0.3 thenify@3.3.1
@babel/highlight@7.25.9 @webassemblyjs/helper-api-error@1.14.1 @webassemblyjs/wast-printer@1.14.1
@csstools/css-parser-algorithms@4.0.2 quick-lru@7.3.0 collect-v8-coverage@1.0.3
@webassemblyjs/wasm-gen@1.14.1 @babel/plugin-transform-export-namespace-from@8.1.0
@webassemblyjs/wasm-parser@1.14.1 @webassemblyjs/wasm-edit@1.14.1
@webassemblyjs/helper-buffer@1.14.1 lodash.once@4.1.1 @webassemblyjs/wasm-opt@1.14.1
@webassemblyjs/helper-wasm-section@1.14.1 jsbn@1.1.0 @webassemblyjs/leb128@1.14.1
@webassemblyjs/ieee754@1.14.1 @webassemblyjs/utf8@1.14.1 is-arguments@1.2.0 pathval@2.0.1 mz@2.7.0
@babel/preset-typescript@8.0.7 @webassemblyjs/floating-point-hex-parser@1.14.1 unique-slug@7.0.0
unist-util-is@6.0.1 unique-filename@6.0.0 immutable@5.2.1 jest-pnp-resolver@1.2.3 lower-case@3.0.0
dot-prop@10.2.0 meow@14.1.0 @humanwhocodes/object-schema@2.0.3 log-update@8.0.0
unicode-property-aliases-ecmascript@3.0.0 no-case@4.0.0 @types/chai@5.2.3 d3-array@3.2.5
thenify-all@1.6.0 is-generator-fn@3.0.0 he@2.0.0 lodash.isstring@4.0.1 json-stringify-safe@5.0.1
@types/graceful-fs@4.1.9 v8-compile-cache-lib@3.0.1
unicode-canonical-property-names-ecmascript@3.0.0 unist-util-visit-parents@6.1.0
eslint-import-resolver-typescript@4.4.5 @types/semver@7.8.0
@babel/plugin-transform-json-strings@8.0.1 @babel/plugin-transform-unicode-sets-regex@8.0.1
@babel/plugin-transform-unicode-property-regex@8.0.1 bignumber.js@11.1.5 tunnel-agent@0.6.0
is-typedarray@1.0.0 arch@3.0.0 listr2@11.4.0 array.prototype.tosorted@1.1.4 chrome-trace-event@1.0.4
lodash.memoize@4.1.2 unist-util-visit@5.2.0 @types/aria-query@5.0.4 lowercase-keys@4.0.1
unicode-match-property-ecmascript@2.0.0 import-in-the-middle@3.6.0 regenerate@1.5.0 yauzl@3.4.0
tldts-core@7.5.4 progress@2.0.3 lodash.camelcase@4.3.0 @babel/plugin-transform-dynamic-import@8.0.1
handlebars@4.7.10 xml2js@0.6.2 lightningcss@1.33.0 iterator.prototype@1.1.5 axobject-query@4.1.0
asap@2.0.6 @npmcli/fs@6.0.0 node-forge@1.4.3 lodash.isboolean@3.0.3
@babel/plugin-bugfix-v8-static-class-fields-redefine-readonly@8.0.1 concat-stream@2.0.0
@types/parse-json@7.0.0 json-schema@0.4.0 got@16.1.0 hermes-estree@0.37.0 hermes-parser@0.37.0
sucrase@3.35.1 tinyspy@4.0.6 stylis@4.4.0 styled-jsx@5.1.7 map-obj@7.0.0 fs-constants@1.0.0
make-fetch-happen@16.0.1 @types/hast@3.0.5 tldts@7.5.4 synckit@0.12.3 lz-string@1.5.0
tree-kill@1.2.2 moment@2.31.0 path-is-inside@1.0.2 get-east-asian-width@1.7.0 lucide-react@1.73.0
regjsgen@0.8.0 validate-npm-package-name@8.0.0 @csstools/css-calc@3.4.3
@webassemblyjs/helper-numbers@1.14.1 immer@11.2.10 postgres-array@3.0.4 tinybench@6.2.3
commondir@1.0.1 supports-hyperlinks@4.6.0 why-is-node-running@3.2.3 lie@3.3.0 memfs@4.80.1
unist-util-stringify-position@4.0.0 @babel/plugin-syntax-unicode-sets-regex@7.18.6 fflate@0.8.3
client-only@0.0.1 fsevents@2.3.3 unicorn-magic@0.4.1 react-router@8.5.1
array.prototype.findlast@1.2.5 string.prototype.repeat@1.0.0 lodash.includes@4.3.0
@csstools/color-helpers@6.1.2 lodash.isnumber@3.0.3 lodash.isinteger@4.0.4
micromark-util-symbol@2.0.1 @types/eslint-scope@9.1.0 which-module@2.0.1 exit@0.1.2
@babel/plugin-bugfix-firefox-class-in-computed-class-key@8.0.1 @csstools/css-color-parser@4.2.7
html-entities@2.6.0 lightningcss-linux-x64-gnu@1.33.0 marked@18.2.1 pkg-types@2.4.0
performance-now@2.1.0 require-main-filename@2.0.0 minipass-fetch@6.0.1 d3-format@3.1.3
@babel/plugin-transform-react-jsx@8.0.1 minimalistic-assert@1.0.1 @xtuc/long@4.2.2 css.escape@1.5.1
postgres-bytea@3.0.0 @types/tough-cookie@4.0.5 d3-shape@3.2.1 bowser@2.15.0 @xtuc/ieee754@1.2.0
@types/debug@4.1.13 d3-path@3.1.1 postgres-interval@4.1.0 dotenv-expand@1000.0.0 big.js@7.0.1
p-cancelable@4.0.1 cross-fetch@4.1.0 interpret@3.1.1 immediate@3.3.0 is-windows@1.0.2
react-remove-scroll@2.7.2 stackback@0.0.2 postgres-date@2.1.0 siginfo@2.0.0 graphql@17.1.0
@types/d3-shape@3.2.0 tweetnacl@1.0.3 pend@1.2.0 hoist-non-react-statics@3.3.2 astral-regex@2.0.0
@types/mdast@4.0.4 node-domexception@2.0.2
@babel/plugin-transform-duplicate-named-capturing-groups-regex@8.0.1 svgo@4.1.0 p-retry@9.0.0
tsx@4.23.15 postcss-import@17.0.1 confbox@0.3.2 expect-type@1.4.0 p-finally@3.0.0
framer-motion@14.14.0 @babel/plugin-transform-react-display-name@8.0.1 tailwind-merge@3.7.0
micromark-util-character@2.1.1 @types/deep-eql@4.0.2 dot-case@4.0.0 abab@2.0.6 @types/retry@0.12.5
fast-diff@1.3.0 typedarray@0.0.7 consola@3.4.2 extsprintf@1.4.1 internmap@2.0.3 archiver-utils@5.0.2
node-gyp-build@4.8.4 dompurify@3.4.18 p-timeout@8.0.0 vfile-message@4.0.4 flat@6.0.1
lodash-es@4.18.1 json-bigint@1.0.0 component-emitter@2.0.0 fast-safe-stringify@2.1.1
camel-case@5.0.0 @jridgewell/set-array@1.2.1 cacheable-request@13.0.19
@babel/plugin-bugfix-safari-class-field-initializer-scope@8.0.1
@babel/helper-split-export-declaration@7.24.7 ejs@7.0.2 clipboardy@5.3.2 ts-interface-checker@1.0.2
duplexify@4.1.3 @babel/plugin-transform-runtime@8.1.2 acorn-globals@7.0.1 d3-interpolate@3.0.2
css-loader@7.1.5 @isaacs/fs-minipass@4.0.1 require-in-the-middle@8.0.1 eslint-plugin-jsx-a11y@6.10.2
vfile@6.0.3 nan@2.30.0 global-prefix@4.0.0 @types/trusted-types@2.0.7 path-browserify@1.0.1
ast-types-flow@0.0.8 domexception@4.0.0 character-entities@2.0.2 mdast-util-to-string@4.0.0
d3-time@3.1.1 d3-color@3.1.1 read-cache@1.0.2 @types/normalize-package-data@2.4.4
@babel/plugin-transform-regexp-modifiers@8.0.1 param-case@4.0.0 fd-slicer@1.1.0 vite-node@6.0.0
enquirer@2.4.1 streamsearch@1.1.0 chalk-template@1.1.3 npm-package-arg@14.0.0
property-information@7.2.0 asn1@0.2.6 damerau-levenshtein@1.0.8 encoding@0.1.14
normalize-range@0.1.2 @hapi/hoek@11.0.7 is-accessor-descriptor@3.0.6 is-data-descriptor@2.1.3
react-router-dom@7.18.5 acorn-import-attributes@1.9.5 simple-swizzle@0.2.4 responselike@4.0.2
process-warning@5.1.1 sass@1.108.2 eslint-plugin-prettier@5.5.7 node-gyp@13.1.0 unplugin@3.7.0
unrs-resolver@1.13.0 language-tags@2.1.0 b4a@1.9.0 os-tmpdir@2.0.0 language-subtag-registry@0.4.2
deep-equal@2.2.3 dom-helpers@6.0.1 jake@13.0.3 default-browser-id@5.0.1 fetch-blob@4.0.0
webpack-dev-middleware@8.6.1 streamx@2.28.1 router@2.3.0 @babel/preset-react@8.0.1 assert-plus@1.0.0
minipass-collect@2.0.1 rechoir@1.0.0 webpack-virtual-modules@0.6.2 napi-postinstall@0.3.8
universal-user-agent@7.0.3 micromark-util-types@2.0.3 d3-time-format@4.1.1 global-modules@2.0.0
react-transition-group@4.4.5 dlv@1.1.3 postcss-nested@9.0.1 d3-timer@3.0.2 fast-equals@6.2.2
crc-32@1.2.2 zod-to-json-schema@3.25.2 unique-string@3.0.0 err-code@3.0.1
postcss-modules-local-by-default@4.2.0 filelist@2.0.2 micromark@4.0.3 emojis-list@3.0.0 cac@7.1.0
crypto-random-string@6.0.0 is-inside-container@1.0.0 faye-websocket@0.11.4 babel-plugin-macros@3.1.0
pretty-bytes@7.2.0 formdata-polyfill@4.0.10 unified@11.0.5 run-applescript@7.1.0 busboy@1.6.0
ua-parser-js@2.0.10 default-browser@5.5.1 module-details-from-path@1.0.4 stable-hash@0.0.6
postcss-modules-extract-imports@3.1.0 @types/d3-time@3.0.4 string-argv@0.4.0 promise-retry@2.0.1
character-entities-legacy@3.0.0 bare-events@2.9.2 ret@0.5.1 fast-fifo@1.3.2 reflect-metadata@0.2.2
url@0.11.4 d3-scale@4.0.3 serve-handler@6.1.8 http-parser-js@0.5.10 pino@10.4.0
micromark-factory-space@2.1.0 stream-shift@1.0.3 websocket-driver@0.8.0 ts-jest@29.4.15
pino-abstract-transport@3.0.0 mrmime@2.0.1 load-json-file@7.0.1 sonic-boom@5.0.2 pascal-case@4.0.0
shallow-clone@3.0.1 @babel/plugin-transform-react-jsx-development@8.0.1 @types/d3-color@3.1.3
promise@8.3.0 @types/d3-path@3.1.1 mdast-util-from-markdown@2.1.0 postcss-modules-scope@3.2.1
camelcase-css@2.0.1 d3-ease@3.0.2 prettier-linter-helpers@1.0.1 update-check@1.5.4 proxy-agent@8.0.2
bcrypt-pbkdf@1.0.2 zustand@5.1.0 postcss-js@5.1.0 http-proxy-middleware@4.2.1 @types/d3-scale@4.0.9
@types/d3-interpolate@3.0.4 eslint-config-next@16.4.6 space-separated-tokens@2.0.2 icss-utils@5.1.0
websocket-extensions@0.2.0 cli-table3@0.6.5 babel-loader@10.1.1 redux@5.0.1 lodash.uniq@4.5.0
object-is@1.1.6 verror@1.10.1 @babel/plugin-transform-react-pure-annotations@8.0.1 husky@9.1.7
at-least-node@1.0.0 @babel/helper-simple-access@7.29.7 csso@5.0.5 @babel/helper-function-name@7.24.7
invariant@2.2.4 react-hook-form@7.92.0 clone-deep@4.0.1 text-decoder@1.2.7
zod-validation-error@5.0.0 jest-environment-jsdom@30.5.2 bundle-name@4.1.1
postcss-modules-values@4.0.0 decode-uri-component@0.5.1 colors@1.4.0 tinypool@2.2.0 sshpk@1.18.0
luxon@3.7.2 http-signature@1.4.0 pluralize@8.0.0 http-proxy@1.18.1 external-editor@3.1.0
didyoumean@1.2.2 @types/resolve@1.20.6 mimic-function@5.0.1 has-values@2.0.1 use-callback-ref@1.3.3
memoize-one@6.0.0 before-after-hook@4.0.0 jszip@3.10.2 @types/minimatch@6.0.0 use-sidecar@1.1.3
serve@14.2.7 @types/jsonwebtoken@9.0.10 parse-entities@4.0.2 has-value@2.0.2 is-alphabetical@2.0.1
is-decimal@2.0.1 is-alphanumerical@2.0.1 micromark-util-encode@2.0.1 get-uri@8.0.1 extract-zip@2.0.1
minipass-pipeline@3.0.1
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
