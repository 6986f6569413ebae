#!/usr/bin/env python3
"""Build run bundles and expert labels from the findings of five convex-evals run-analysis reports.

The convex-evals maintainers triaged five runs by hand (with an AI agent) and
wrote reports: claude-opus-4-6, gpt-5.2-codex, minimax-m2.5, qwen3.5-plus and
claude-fable-5 (three runs plus one replacement run). Each finding names an
eval, the failed step, a class and the error the maintainer saw. This script
turns those findings into ``evalanalysis.bundle/1`` files under
``examples/runs/fixtures/`` and the findings' classes into
``examples/labels/fixture-runs.jsonl``, so classifiers can be scored against
labels we did not write ourselves.

What is real and what is rebuilt:

- run ids, models, providers, experiments, pass rates and each failure's eval,
  step and class come from the reports (run ids verbatim: all are full ids);
- TASK.txt and GAPS.txt are the convex-evals texts (Apache License 2.0),
  copied verbatim into ``fixture_texts.py``, shared with ``build_examples.py``;
- model outputs, answers, graders and error texts are written here to
  reproduce the error each report describes. Where a report gives no detail
  ("not analyzed in detail"), the error is a plausible model mistake in line
  with the report's stated patterns, and the label keeps the report's class.

Classes the reports use outside the taxonomy are mapped: HARNESS_FAILURE to
AMBIGUOUS_TASK (the `infrastructure` case), TEST_FAILURE to OVERLY_STRICT.
Each label keeps the class as reported in `reported_as`.

The output is deterministic. Run from anywhere::

    python examples/build_fixture_runs.py          # (re)write bundles and labels
    python examples/build_fixture_runs.py --check  # verify the files are up to date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_examples import (  # noqa: E402  (the sibling generator's output formatters)
    BUNDLE_FORMAT,
    CLASSES,
    SEP,
    STEP_FAILURE_REASON,
    STEP_ORDER,
    convex_id,
    convex_typecheck_failure,
    esbuild_error,
    eslint_problem,
    eslint_stylish,
    failed,
    fails_at_deploy,
    fails_at_install,
    is_convex_id,
    loc,
    package_json,
    pipeline,
    render,
    skipped,
    tsc_plain,
    tsc_pretty,
    vitest_output,
    write_or_check,
)
from fixture_texts import GAPS, TASKS  # noqa: E402

RUNS_DIR = HERE / "runs" / "fixtures"
LABELS_FILE = HERE / "labels" / "fixture-runs.jsonl"

# --------------------------------------------------------------------------- output helpers


def deploy_ts(path: str, text: str, errors: list[tuple]) -> str:
    """`npx convex dev` failing its typecheck; errors: (needle, code, message[, nth[, offset]])."""
    blocks = [tsc_pretty(path, text, e[0], e[1], e[2], *e[3:]) for e in errors]
    return convex_typecheck_failure(path, blocks)


def deploy_bundle(*blocks: str, tail: str = "") -> str:
    """`npx convex dev` failing to bundle (esbuild errors)."""
    return "- Preparing Convex functions...\n" + "\n".join(blocks) + tail + "\n✖ Error: Unable to bundle Convex modules\n"


def deploy_push(message: str) -> str:
    """`npx convex dev` failing after bundling, when the backend rejects the pushed modules."""
    return (
        "- Preparing Convex functions...\n"
        "- Uploading functions to Convex...\n"
        "✖ Error fetching POST  http://127.0.0.1:3210/api/deploy2/start_push 400 Bad Request: InvalidModules: "
        "Hit an error while pushing:\n"
        "Loading the pushed modules encountered the following\n"
        f"    error:\n{message}\n"
    )


def tsc_step(path: str, text: str, errors: list[tuple]) -> str:
    """The tsc step's output: one plain line per error."""
    return "\n".join(tsc_plain(path, text, e[0], e[1], e[2], *e[3:]) for e in errors) + "\n"


def lint(path: str, text: str, problems: list[tuple]) -> str:
    """ESLint stylish output; problems: (needle, message, rule[, nth[, offset]])."""
    return eslint_stylish(path, [eslint_problem(text, p[0], p[1], p[2], *p[3:]) for p in problems])


def vitest(eval_path: str, grader: str, tests: list[tuple], start: str, seconds: float) -> str:
    return vitest_output(eval_path, grader, tests, start, seconds)


def assertion(short: str, at: str, diff: str = "", cause: str = "") -> dict[str, str]:
    """A vitest failure entry: the one-liner, the error block (with an optional diff), the grader line."""
    error = short + ("\n\n" + diff.rstrip("\n") + "\n" if diff else "")
    entry = {"short": short, "error": error, "at": at}
    if cause:
        entry["cause"] = cause
    return entry


def after_tests(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """Steps of an eval whose deploy, tsc and eslint passed and whose tests failed (or as overridden)."""
    return pipeline(**overrides)


ANSWER_PKG = package_json({"convex": "^1.31.2"}, name="convexbot")
ANSWER_PKG_NODE = package_json({"convex": "^1.31.2"}, {"@types/node": "^22.15.3"}, name="convexbot")
ANSWER_PKG_REACT = package_json(
    {"convex": "^1.31.2", "react": "^19.1.0", "react-dom": "^19.1.0"},
    {"@types/react": "^19.1.2", "@types/react-dom": "^19.1.2", "typescript": "^5.8.3"},
    name="convexbot",
)
TSCONFIG_SRC = """{
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
GRADER_HEAD = """import { expect, test } from "vitest";
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
SPEC = """
test("compare function spec", async ({ skip }) => {
  await compareFunctionSpec(skip);
});
"""
SCHEMA_SPEC = """
test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});
""" + SPEC


def pkg(name: str, deps: dict[str, str] | None = None, dev: dict[str, str] | None = None) -> str:
    return package_json(deps or {"convex": "^1.24.0"}, dev, name=name)


def schema_from_task(eval_path: str) -> str:
    """The `convex/schema.ts` block the task text gives verbatim (tasks that dictate the schema)."""
    task = TASKS[eval_path]
    fence = task.index("```", task.index("schema"))
    start = task.index("\n", fence) + 1
    return task[start : task.index("```", start)]


def failure(
    path: str,
    label: str,
    step: str,
    steps: list[dict[str, Any]],
    outputs: dict[str, str],
    answer: dict[str, str],
    *,
    grader: str = "",
    reported_as: str | None = None,
    finding: str,
    duration: float = 30000.0,
) -> dict[str, Any]:
    """One failed eval: its files, its steps, and the report's class (`label`) and finding."""
    return {
        "path": path,
        "label": label,
        "reported_as": reported_as or label,
        "finding": finding,
        "failed_step": step,
        "steps": steps,
        "outputs": outputs,
        "answer": answer,
        "grader": grader,
        "duration": duration,
    }


# =========================================================================== answers shared by several runs

HTTP_ENDPOINT_ANSWER = """import { httpRouter } from "convex/server";
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
  handler: httpAction(async () => new Response(null, { status: 200 })),
});

export default http;
"""

CRONS_ANSWER = """import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";
import { internalAction } from "./_generated/server";
import { v } from "convex/values";

export const emptyAction = internalAction({
  args: { scheduleDescription: v.optional(v.string()) },
  returns: v.null(),
  handler: async (_ctx, args) => {
    console.log(args.scheduleDescription);
    return null;
  },
});

const crons = cronJobs();

crons.interval("run every second", { seconds: 1 }, internal.crons.emptyAction, {});
crons.interval("run every minute", { minutes: 1 }, internal.crons.emptyAction, {
  scheduleDescription: "run every minute",
});
crons.interval("run every hour", { hours: 1 }, internal.crons.emptyAction, {
  scheduleDescription: "run every hour",
});
crons.cron("run every month on the 11th day at 1pm UTC", "0 13 11 * *", internal.crons.emptyAction, {
  scheduleDescription: "run every month on the 11th day at 1pm UTC",
});

export default crons;
"""

SELECT_DISTINCT_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getDistinctAges = query({
  args: {},
  returns: v.array(v.number()),
  handler: async (ctx) => {
    const ages: number[] = [];
    let doc = await ctx.db.query("users").withIndex("by_age").order("asc").first();
    while (doc !== null) {
      ages.push(doc.age);
      const current = doc.age;
      doc = await ctx.db
        .query("users")
        .withIndex("by_age", (q) => q.gt("age", current))
        .order("asc")
        .first();
    }
    return ages;
  },
});
"""

PAGINATION_VALIDATOR_ANSWER = """import { query } from "./_generated/server";
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

CASCADE_NESTED_ANSWER = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUser = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const posts = await ctx.db
      .query("posts")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();
    const commentsOnPosts = await Promise.all(
      posts.map((post) =>
        ctx.db.query("comments").withIndex("by_post", (q) => q.eq("postId", post._id)).collect(),
      ),
    );
    const likesOnPosts = await Promise.all(
      posts.map((post) =>
        ctx.db.query("likes").withIndex("by_post", (q) => q.eq("postId", post._id)).collect(),
      ),
    );
    const ownComments = await ctx.db
      .query("comments")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();
    const ownLikes = await ctx.db
      .query("likes")
      .withIndex("by_user", (q) => q.eq("userId", args.userId))
      .collect();

    for (const comment of [...commentsOnPosts.flat(), ...ownComments]) {
      const existing = await ctx.db.get(comment._id);
      if (existing) await ctx.db.delete(comment._id);
    }
    for (const like of [...likesOnPosts.flat(), ...ownLikes]) {
      const existing = await ctx.db.get(like._id);
      if (existing) await ctx.db.delete(like._id);
    }
    for (const post of posts) {
      await ctx.db.delete(post._id);
    }
    await ctx.db.delete(args.userId);
    return null;
  },
});
"""

RUN_QUERY_MUTATION_ANSWER = """import { action, mutation, query } from "./_generated/server";
import { api } from "./_generated/api";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

export const getFetchResult = query({
  args: { url: v.string() },
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("fetchRequests")
      .withIndex("by_url", (q) => q.eq("url", args.url))
      .unique();
    return existing?._id ?? null;
  },
});

export const saveFetchResult = mutation({
  args: { url: v.string(), data: v.any() },
  handler: async (ctx, args): Promise<Id<"fetchRequests">> => {
    const existing = await ctx.db
      .query("fetchRequests")
      .withIndex("by_url", (q) => q.eq("url", args.url))
      .unique();
    if (existing) {
      await ctx.db.patch(existing._id, { data: args.data });
      return existing._id;
    }
    return await ctx.db.insert("fetchRequests", { url: args.url, data: args.data });
  },
});

export const fetchIfNeeded = action({
  args: { url: v.string() },
  handler: async (ctx, args): Promise<Id<"fetchRequests">> => {
    const cached = await ctx.runQuery(api.index.getFetchResult, { url: args.url });
    if (cached !== null) {
      return cached;
    }
    const response = await fetch(args.url);
    const data = await response.json();
    return await ctx.runMutation(api.index.saveFetchResult, { url: args.url, data });
  },
});
"""

SCHEDULE_ACTION_ANSWER = """import { internalAction, internalMutation, mutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { v } from "convex/values";

export const initiateRequest = mutation({
  args: { url: v.string() },
  returns: v.id("requests"),
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("requests")
      .withIndex("by_url", (q) => q.eq("url", args.url))
      .first();
    if (existing) return existing._id;
    const requestId = await ctx.db.insert("requests", {
      url: args.url,
      status: "pending",
      requestedAt: Date.now(),
    });
    await ctx.scheduler.runAfter(0, internal.index.performHttpbinFetch, { url: args.url, requestId });
    return requestId;
  },
});

export const performHttpbinFetch = internalAction({
  args: { url: v.string(), requestId: v.id("requests") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const response = await fetch(args.url, { method: "POST" });
    if (!response.ok) return null;
    await ctx.runMutation(internal.index.updateRequest, {
      requestId: args.requestId,
      status: "completed",
      completedAt: Date.now(),
    });
    return null;
  },
});

export const updateRequest = internalMutation({
  args: { requestId: v.id("requests"), status: v.literal("completed"), completedAt: v.number() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.patch(args.requestId, { status: args.status, completedAt: args.completedAt });
    return null;
  },
});
"""

STORAGE_HTTP_ANSWER = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

http.route({
  path: "/store",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const blob = await request.blob();
    const storageId = await ctx.storage.store(blob);
    const url = await ctx.storage.getUrl(storageId);
    return new Response(JSON.stringify({ storageId, url }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  }),
});

export default http;
"""

HTTP_ROUTING_ANSWER = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

const ok = () =>
  httpAction(async () => {
    return new Response(JSON.stringify({ ok: true }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  });

http.route({ path: "/getFoo", method: "GET", handler: ok() });
http.route({ path: "/postBar", method: "POST", handler: ok() });
http.route({ path: "/putBaz", method: "PUT", handler: ok() });
http.route({ pathPrefix: "/api/", method: "GET", handler: ok() });

export default http;
"""

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

USE_MUTATION_ANSWER_APP = """import { FormEvent, useState } from "react";
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

USE_MUTATION_ANSWER = {
    "convex/schema.ts": MESSAGES_SCHEMA,
    "convex/messages.ts": SEND_MESSAGE,
    "src/App.tsx": USE_MUTATION_ANSWER_APP,
    "package.json": ANSWER_PKG_REACT,
    "tsconfig.json": TSCONFIG_SRC,
}

USE_MUTATION_GRADER = GRADER_HEAD + SCHEMA_SPEC + """
test("sendMessage inserts a message and returns its id", async () => {
  await deleteAllDocuments(responseAdminClient, ["messages"]);
  const id = await responseClient.mutation(anyApi.messages.sendMessage, { author: "Ada", body: "hello" });
  const messages = await listTable(responseAdminClient, "messages");
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ _id: id, author: "Ada", body: "hello" });
});
"""

REACT_PKG = {"convex": "^1.24.0", "react": "^19.0.0", "react-dom": "^19.0.0"}
REACT_DEV = {"@types/react": "^19.0.2", "@types/react-dom": "^19.0.2", "typescript": "^5.7.2"}

HTTP_ENDPOINT_GRADER = """import { expect, test } from "vitest";

// The site proxy is assumed to listen on the port after the backend's.
const port = Number(process.env.CONVEX_PORT ?? 3210);
const siteUrl = `http://0.0.0.0:${port + 1}`;

test("GET /api/hello appends \\"there\\" to the request body", async () => {
  const response = await fetch(`${siteUrl}/api/hello`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("there");
});

test("POST under /api/messages/ returns an empty 200", async () => {
  const response = await fetch(`${siteUrl}/api/messages/123`, { method: "POST" });
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("");
});
"""

HTTP_ROUTING_GRADER = """import { expect, test } from "vitest";
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
  for (const path of ["/api/a", "/api/users/42"]) {
    const response = await call(path, "GET");
    expect(response.status).toBe(200);
  }
});

test("wrong methods are rejected with 404", async () => {
  expect((await call("/getFoo", "POST")).status).toBe(404);
});

test("unknown paths return 404", async () => {
  expect((await call("/nope", "GET")).status).toBe(404);
});
"""

PASSING_ROUTING_TESTS = [
    ("compare function spec", 31, None),
    ("GET /getFoo", 40, None),
    ("POST /postBar", 12, None),
    ("PUT /putBaz", 11, None),
    ("GET matches every path under /api/", 17, None),
    ("wrong methods are rejected with 404", 19, None),
    ("unknown paths return 404", 8, None),
]


def node_builtin_note(pkg_name: str) -> str:
    return (
        f'  The package "{pkg_name}" wasn\'t found on the file system but is built into node. Are you trying to '
        "bundle for node? You can use \"platform: 'node'\" to do that, which will remove this error.\n"
    )


USE_NODE_HINT = (
    "It looks like you are using Node APIs from a file without the \"use node\" directive.\n"
    "Split out actions using Node.js APIs like this into a new file only containing actions that uses "
    "\"use node\" so these actions will run in a Node.js environment.\n"
    "For more information see https://docs.convex.dev/functions/runtimes#nodejs-runtime\n"
)


def no_matching_export(path: str, text: str, name: str, module: str = "convex/_generated/server.js") -> str:
    return esbuild_error(f'No matching export in "{module}" for import "{name}"', path, text, name)


def truncated_deploy_log(first_lines: str) -> str:
    """A deploy log whose body the harness cut off: the first lines survive, the diagnostics do not."""
    return first_lines + "…(log truncated: 0 of 18,432 bytes kept)\n"


# =========================================================================== report 1
# anthropic/claude-opus-4-6, run jn72t14a0tmje3jrj9wwng78gh80mdfw, 2026-02-06, 55/66.


def opus_basic_http_endpoint() -> dict[str, Any]:
    path = "000-fundamentals/002-basic_http_endpoint"
    model = HTTP_ENDPOINT_ANSWER.replace("(_ctx, req)", "(_ctx, request)").replace("await req.text()", "await request.text()")
    cause = (
        "Caused by: Error: connect ECONNREFUSED 0.0.0.0:35276\n"
        " ❯ TCPConnectWrap.afterConnect [as oncomplete] node:net:1637:16\n"
        "\n" + SEP + "\n"
        "Serialized Error: { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '0.0.0.0', port: 35276 }"
    )
    tests = [
        ('GET /api/hello appends "there" to the request body', 3120,
         assertion("TypeError: fetch failed", "fetch(`${siteUrl}/api/hello`)", cause=cause)),
        ("POST under /api/messages/ returns an empty 200", 3087,
         assertion("TypeError: fetch failed", "fetch(`${siteUrl}/api/messages/123`", cause=cause)),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests",
        after_tests(tests=failed(vitest(path, HTTP_ENDPOINT_GRADER, tests, "14:02:17", 6.31))),
        {"convex/http.ts": model, "package.json": pkg("basic-http")},
        {"convex/http.ts": HTTP_ENDPOINT_ANSWER, "package.json": ANSWER_PKG},
        grader=HTTP_ENDPOINT_GRADER, reported_as="AMBIGUOUS_TASK (infrastructure)",
        finding="Both grader tests failed with raw `fetch failed`; the grader assumed the site proxy port was backend port + 1.",
    )


def opus_crons() -> dict[str, Any]:
    path = "000-fundamentals/003-crons"
    model = CRONS_ANSWER.replace('internal.crons.emptyAction, {});', "internal.crons.emptyAction);")
    error = deploy_ts("convex/crons.ts", model, [
        ('interval("run every second"', 2554, "Expected 4 arguments, but got 3.", 1, 0, len("interval")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/crons.ts": model, "package.json": pkg("crons-demo")},
        {"convex/crons.ts": CRONS_ANSWER, "package.json": ANSWER_PKG},
        finding="Omitted the required empty `{}` args object in `crons.interval()` (3-arg call).",
    )


def opus_select_distinct() -> dict[str, Any]:
    path = "002-queries/014-select_distinct"
    model = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getDistinctAges = query({
  args: {},
  returns: v.array(v.number()),
  handler: async (ctx) => {
    const ages: number[] = [];
    let firstDoc = await ctx.db.query("users").withIndex("by_age").order("asc").first();
    if (firstDoc === null) {
      return ages;
    }
    ages.push(firstDoc.age);
    let lastAge = firstDoc.age;
    while (true) {
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
    error = lint("convex/index.ts", model, [
        ("firstDoc =", "'firstDoc' is never reassigned. Use 'const' instead", "prefer-const"),
    ])
    return failure(
        path, "OVERLY_STRICT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("distinct-ages")},
        {"convex/index.ts": SELECT_DISTINCT_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`prefer-const` on `let firstDoc`; functionally correct, all 8 tests passed.",
    )


def opus_pagination_returns_validator() -> dict[str, Any]:
    path = "002-queries/018-pagination_returns_validator"
    model = """import { query } from "./_generated/server";
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";

export const paginatePosts = query({
  args: { paginationOpts: paginationOptsValidator },
  returns: v.object({
    page: v.array(
      v.object({
        _id: v.id("posts"),
        _creationTime: v.number(),
        title: v.string(),
        content: v.string(),
      }),
    ),
    isDone: v.boolean(),
    continueCursor: v.string(),
    splitCursor: v.union(v.string(), v.null()),
    pageStatus: v.optional(v.union(v.literal("SplitRecommended"), v.literal("SplitRequired"))),
  }),
  handler: async (ctx, args) => {
    return await ctx.db.query("posts").paginate(args.paginationOpts);
  },
});
"""
    message = (
        "Type '(ctx: GenericQueryCtx<DataModel>, args: { paginationOpts: { id?: number; endCursor?: string | null; "
        "maximumRowsRead?: number; maximumBytesRead?: number; numItems: number; cursor: string | null; }; }) => "
        "Promise<PaginationResult<{ _id: Id<\"posts\">; _creationTime: number; title: string; content: string; }>>' "
        "is not assignable to type '...'.\n"
        "  Type 'Promise<PaginationResult<{ ...; }>>' is not assignable to type 'Promise<{ page: { ...; }[]; isDone: "
        "boolean; continueCursor: string; splitCursor: string | null; pageStatus?: \"SplitRecommended\" | "
        "\"SplitRequired\" | undefined; }>'.\n"
        "    Types of property 'splitCursor' are incompatible.\n"
        "      Type 'string | null | undefined' is not assignable to type 'string | null'.\n"
        "        Type 'undefined' is not assignable to type 'string | null'."
    )
    error = deploy_ts("convex/index.ts", model, [("handler: async", 2322, message, 1, 0, len("handler"))])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("paginate-posts")},
        {"convex/index.ts": PAGINATION_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`splitCursor` validator not optional and `pageStatus` missing `v.null()`; GAPS.txt documents pagination validators.",
    )


def opus_cascade_delete_nested() -> dict[str, Any]:
    path = "003-mutations/005-cascade_delete_nested"
    model = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUser = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const idsToDelete = new Set<string>();
    const posts = await ctx.db
      .query("posts")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();
    for (const post of posts) {
      idsToDelete.add(post._id);
      const comments = await ctx.db.query("comments").withIndex("by_post", (q) => q.eq("postId", post._id)).collect();
      comments.forEach((c) => idsToDelete.add(c._id));
      const likes = await ctx.db.query("likes").withIndex("by_post", (q) => q.eq("postId", post._id)).collect();
      likes.forEach((l) => idsToDelete.add(l._id));
    }
    const ownComments = await ctx.db.query("comments").withIndex("by_author", (q) => q.eq("authorId", args.userId)).collect();
    ownComments.forEach((c) => idsToDelete.add(c._id));
    const ownLikes = await ctx.db.query("likes").withIndex("by_user", (q) => q.eq("userId", args.userId)).collect();
    ownLikes.forEach((l) => idsToDelete.add(l._id));

    await Promise.all(Array.from(idsToDelete).map((id) => ctx.db.delete(id as any)));
    await ctx.db.delete(args.userId);
    return null;
  },
});
"""
    error = lint("convex/index.ts", model, [
        ("id as any", "Unsafe argument of type `any` assigned to a parameter of type `GenericId<\"users\" | \"posts\" | \"comments\" | \"likes\">`", "@typescript-eslint/no-unsafe-argument"),
        ("any)));", "Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any"),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("cascade-delete")},
        {"convex/index.ts": CASCADE_NESTED_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`new Set<string>()` strips `Id<T>`, then `id as any`: `no-explicit-any` and `no-unsafe-argument`.",
    )


def opus_run_query_mutation() -> dict[str, Any]:
    path = "004-actions/002-run_query_mutation"
    model = """import { action, mutation, query } from "./_generated/server";
import { api } from "./_generated/api";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

export const getFetchResult = query({
  args: { url: v.string() },
  returns: v.union(v.id("fetchRequests"), v.null()),
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("fetchRequests")
      .withIndex("by_url", (q) => q.eq("url", args.url))
      .unique();
    return existing ? existing._id : null;
  },
});

export const saveFetchResult = mutation({
  args: { url: v.string(), data: v.any() },
  returns: v.id("fetchRequests"),
  handler: async (ctx, args): Promise<Id<"fetchRequests">> => {
    const existing = await ctx.db
      .query("fetchRequests")
      .withIndex("by_url", (q) => q.eq("url", args.url))
      .unique();
    if (existing) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
      await ctx.db.patch(existing._id, { data: args.data });
      return existing._id;
    }
    return await ctx.db.insert("fetchRequests", { url: args.url, data: args.data });
  },
});

export const fetchIfNeeded = action({
  args: { url: v.string() },
  returns: v.id("fetchRequests"),
  handler: async (ctx, args): Promise<Id<"fetchRequests">> => {
    const cached = await ctx.runQuery(api.index.getFetchResult, { url: args.url });
    if (cached !== null) {
      return cached;
    }
    const response = await fetch(args.url);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
    const json = await response.json();
    const data = json;
    return await ctx.runMutation(api.index.saveFetchResult, { url: args.url, data });
  },
});
"""
    error = lint("convex/index.ts", model, [
        ("// eslint-disable-next-line", "Unused eslint-disable directive (no problems were reported from '@typescript-eslint/no-unsafe-assignment')", "", 1),
        ("const data = json", "Unsafe assignment of an `any` value", "@typescript-eslint/no-unsafe-assignment", 1, 6),
        ("url: args.url, data }", "Unsafe assignment of an `any` value", "@typescript-eslint/no-unsafe-assignment", 1, 15),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("fetch-cache")},
        {"convex/index.ts": RUN_QUERY_MUTATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Added `returns` validators; the eslint-disable directives landed on the wrong lines, leaving `no-unsafe-assignment` errors.",
    )


def opus_mutation_schedule_action() -> dict[str, Any]:
    path = "004-actions/003-mutation_schedule_action"
    model = SCHEDULE_ACTION_ANSWER.replace(
        "export const updateRequest = internalMutation({", "export const updateRequest = mutation({"
    ).replace(
        "await ctx.runMutation(internal.index.updateRequest, {", "await ctx.runMutation(api.index.updateRequest, {"
    ).replace('import { internal } from "./_generated/api";', 'import { api, internal } from "./_generated/api";')
    grader = GRADER_HEAD + SCHEMA_SPEC + """
async function statusesAfter(ms: number, ids: string[]) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  const rows = await listTable(responseAdminClient, "requests");
  return ids.map((id) => rows.find((row: { _id: string }) => row._id === id)?.status);
}

test("initiateRequest inserts a pending request", async () => {
  await deleteAllDocuments(responseAdminClient, ["requests"]);
  const id = await responseClient.mutation(anyApi.index.initiateRequest, { url: "https://httpbin.org/post" });
  expect(id).toBeDefined();
});

test("same URL returns the same id", async () => {
  const a = await responseClient.mutation(anyApi.index.initiateRequest, { url: "https://httpbin.org/post" });
  const b = await responseClient.mutation(anyApi.index.initiateRequest, { url: "https://httpbin.org/post" });
  expect(a).toBe(b);
});

test("failed POSTs stay pending", async () => {
  const id = await responseClient.mutation(anyApi.index.initiateRequest, { url: "https://httpbin.org/status/500" });
  expect(await statusesAfter(1000, [id])).toEqual(["pending"]);
});

test("updateRequest is internal", async () => {
  await expect(responseClient.mutation(anyApi.index.updateRequest, {})).rejects.toThrow();
});

test("concurrent requests all complete", async () => {
  await deleteAllDocuments(responseAdminClient, ["requests"]);
  const urls = ["https://httpbin.org/post?a", "https://httpbin.org/post?b", "https://httpbin.org/post?c"];
  const ids = await Promise.all(urls.map((url) => responseClient.mutation(anyApi.index.initiateRequest, { url })));
  expect(await statusesAfter(2000, ids)).toEqual(["completed", "completed", "completed"]);
});
"""
    diff = (
        "- Expected\n+ Received\n\n"
        "  [\n-   \"completed\",\n-   \"completed\",\n-   \"completed\",\n"
        "+   \"pending\",\n+   \"pending\",\n+   \"pending\",\n  ]"
    )
    tests = [
        ("compare schema", 35, None),
        ("compare function spec", 29, None),
        ("initiateRequest inserts a pending request", 61, None),
        ("same URL returns the same id", 44, None),
        ("failed POSTs stay pending", 1043, None),
        ("updateRequest is internal", 21, None),
        ("concurrent requests all complete", 2061,
         assertion("AssertionError: expected [ 'pending', 'pending', 'pending' ] to deeply equal [ 'completed', 'completed', 'completed' ]",
                   'expect(await statusesAfter(2000, ids))', diff)),
    ]
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "14:09:51", 4.12))),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("http-requests")},
        {"convex/index.ts": SCHEDULE_ACTION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader,
        finding="`updateRequest` is a public mutation called via `api.index`; the concurrent test (3 requests) never completed (6/7 passed).",
    )


def opus_storage_http_action() -> dict[str, Any]:
    path = "004-actions/005-storage_http_action"
    model = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

function siteUrl(): string {
  return process.env.CONVEX_SITE_URL!;
}

http.route({
  path: "/store",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const blob = await request.blob();
    const storageId = await ctx.storage.store(blob);
    const url = (await ctx.storage.getUrl(storageId)) ?? `${siteUrl()}/api/storage/${storageId}`;
    return new Response(JSON.stringify({ storageId, url }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  }),
});

export default http;
"""
    error = deploy_ts("convex/http.ts", model, [
        ("process.env", 2580, "Cannot find name 'process'. Do you need to install type definitions for node? Try `npm i --save-dev @types/node`.", 1, 0, len("process")),
    ])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("store-body", dev={"typescript": "^5.7.2"})},
        {"convex/http.ts": STORAGE_HTTP_ANSWER, "package.json": ANSWER_PKG},
        finding="`process.env.CONVEX_SITE_URL!` fails type-checking without `@types/node`; GAPS.txt documents it.",
    )


def opus_http_action_routing() -> dict[str, Any]:
    path = "004-actions/007-http_action_routing"
    model = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

const http = httpRouter();

const jsonOk = () =>
  new Response(JSON.stringify({ ok: true }), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });

http.route({ path: "/getFoo", method: "GET", handler: httpAction(async () => jsonOk()) });
http.route({ path: "/postBar", method: "POST", handler: httpAction(async () => jsonOk()) });
http.route({ path: "/putBaz", method: "PUT", handler: httpAction(async () => jsonOk()) });
http.route({ pathPrefix: "/api/", method: "GET", handler: httpAction(async () => jsonOk()) });

export default http;
"""
    error = lint("convex/http.ts", model, [
        ("() =>\n  new Response", "Missing return type on function", "@typescript-eslint/explicit-function-return-type", 1, 3),
    ])
    return failure(
        path, "OVERLY_STRICT", "eslint", pipeline(eslint=failed(error)),
        {"convex/http.ts": model, "package.json": pkg("http-routing")},
        {"convex/http.ts": HTTP_ROUTING_ANSWER, "package.json": ANSWER_PKG},
        finding="`explicit-function-return-type` on a DRY `jsonOk` helper; all 7 tests passed.",
    )


def opus_use_mutation() -> dict[str, Any]:
    path = "006-clients/001-use_mutation"
    app = """import { FormEvent, useState } from "react";
import { useMutation } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const sendMessage = useMutation(api.messages.sendMessage);
  const [author, setAuthor] = useState("");
  const [body, setBody] = useState("");
  const [sending, setSending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSending(true);
    try {
      await sendMessage({ author, body });
      setBody("");
    } finally {
      setSending(false);
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <input value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="Your name" />
      <input value={body} onChange={(e) => setBody(e.target.value)} placeholder="Message" />
      <button type="submit" disabled={sending}>
        {sending ? "Sending..." : "Send"}
      </button>
    </form>
  );
}
"""
    error = lint("src/App.tsx", app, [
        ("onSubmit}", "Promise-returning function provided to attribute where a void return was expected", "@typescript-eslint/no-misused-promises"),
    ])
    return failure(
        path, "KNOWN_GAP", "eslint", pipeline(eslint=failed(error)),
        {"convex/schema.ts": MESSAGES_SCHEMA, "convex/messages.ts": SEND_MESSAGE, "src/App.tsx": app,
         "package.json": pkg("send-message", REACT_PKG, REACT_DEV), "tsconfig.json": TSCONFIG_SRC},
        USE_MUTATION_ANSWER, grader=USE_MUTATION_GRADER,
        finding="`no-misused-promises` on the async `onSubmit` handler; GAPS.txt documents it and the answer has the same pattern.",
    )


OPUS = {
    "file": "anthropic-claude-opus-4-6.json",
    "run_id": "jn72t14a0tmje3jrj9wwng78gh80mdfw",
    "model": "claude-opus-4-6",
    "provider": "anthropic",
    "experiment": "default",
    "run_status": {"kind": "failed", "durationMs": 2211480.0,
                   "failureReason": "1/66 evals did not complete (detected by fixIncompleteCompletedRuns)"},
    "total": 66,
    "passed": 55,
    "report": "reports/anthropic/claude-opus-4-6/jn72t14a_2026-02-06.md",
    "evals": [
        opus_basic_http_endpoint, opus_crons, opus_select_distinct, opus_pagination_returns_validator,
        opus_cascade_delete_nested, opus_run_query_mutation, opus_mutation_schedule_action,
        opus_storage_http_action, opus_http_action_routing, opus_use_mutation,
    ],
}


# =========================================================================== report 2
# openai/gpt-5.2-codex, run jn76nmvgpcdwcmpnpkv2rzea8s80y3ef, 2026-02-11, 47/66, no_guidelines.

HELPER_FNS_ANSWER = """import { mutation, query, QueryCtx } from "./_generated/server";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

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
    const data = await getItemData(ctx, args.itemId);
    if (!data) throw new Error("Item not found");
    return data;
  },
});

export const updateItem = mutation({
  args: { itemId: v.id("items"), quantity: v.number() },
  handler: async (ctx, args) => {
    const existing = await ctx.db.get(args.itemId);
    if (!existing) throw new Error("Item not found");
    await ctx.db.patch(args.itemId, { quantity: args.quantity, lastModified: Date.now() });
    const data = await getItemData(ctx, args.itemId);
    if (!data) throw new Error("Item not found");
    return data;
  },
});
"""

RETURNS_VALIDATOR_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

const postValidator = v.object({
  _id: v.id("posts"),
  _creationTime: v.number(),
  title: v.string(),
  content: v.string(),
  authorId: v.id("users"),
});
const userValidator = v.object({
  _id: v.id("users"),
  _creationTime: v.number(),
  name: v.string(),
  email: v.string(),
});

export const getPost = query({
  args: { postId: v.id("posts") },
  returns: postValidator,
  handler: async (ctx, args) => {
    const post = await ctx.db.get(args.postId);
    if (!post) throw new Error("Post not found");
    return post;
  },
});

export const getPostWithStatus = query({
  args: { postId: v.id("posts") },
  returns: v.union(
    v.object({ success: v.literal(true), post: postValidator }),
    v.object({ success: v.literal(false), error: v.string() }),
  ),
  handler: async (ctx, args) => {
    const post = await ctx.db.get(args.postId);
    if (!post) return { success: false as const, error: "Post not found" };
    if (post.title === "") return { success: false as const, error: "Post title cannot be empty" };
    return { success: true as const, post };
  },
});

export const getPostWithAuthor = query({
  args: { postId: v.id("posts") },
  returns: v.array(v.union(userValidator, postValidator)),
  handler: async (ctx, args) => {
    const post = await ctx.db.get(args.postId);
    if (!post) throw new Error("Post not found");
    const user = await ctx.db.get(post.authorId);
    if (!user) throw new Error("User not found");
    return [user, post];
  },
});
"""

NORMALIZE_JSON_ANSWER = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  organizations: defineTable({
    name: v.string(),
  }),
  departments: defineTable({
    name: v.string(),
    organizationId: v.id("organizations"),
    managerId: v.optional(v.id("employees")),
  }).index("by_organizationId", ["organizationId"]),
  employees: defineTable({
    name: v.string(),
    email: v.string(),
    age: v.optional(v.number()),
    phone: v.optional(v.string()),
    address: v.optional(
      v.object({ street: v.string(), city: v.string(), state: v.string(), zip: v.string() }),
    ),
    departmentId: v.id("departments"),
    organizationId: v.id("organizations"),
  })
    .index("by_email", ["email"])
    .index("by_departmentId", ["departmentId"])
    .index("by_organizationId", ["organizationId"]),
});
"""

NORMALIZE_JSON_GRADER = GRADER_HEAD + SCHEMA_SPEC + """
async function seed() {
  await deleteAllDocuments(responseAdminClient, ["employees", "departments", "organizations"]);
  const [orgId] = await addDocuments(responseAdminClient, "organizations", [{ name: "Acme, Inc." }]);
  const [deptId] = await addDocuments(responseAdminClient, "departments", [{ name: "Engineering", organizationId: orgId }]);
  return { orgId, deptId };
}

test("employees accept the fields of the JSON", async () => {
  const { orgId, deptId } = await seed();
  await addDocuments(responseAdminClient, "employees", [
    { name: "Jason", email: "jason@example.com", age: 30, phone: "1234567890", departmentId: deptId, organizationId: orgId },
  ]);
  expect(await listTable(responseAdminClient, "employees")).toHaveLength(1);
});

test("employees accept only required fields", async () => {
  const { orgId, deptId } = await seed();
  await addDocuments(responseAdminClient, "employees", [
    { name: "Jane", email: "jane@example.com", departmentId: deptId, organizationId: orgId },
  ]);
  expect(await listTable(responseAdminClient, "employees")).toHaveLength(1);
});

test("departments accept a manager", async () => {
  const { orgId, deptId } = await seed();
  const [janeId] = await addDocuments(responseAdminClient, "employees", [
    { name: "Jane", email: "jane@example.com", departmentId: deptId, organizationId: orgId },
  ]);
  try {
    await addDocuments(responseAdminClient, "departments", [{ name: "Sales", organizationId: orgId, managerId: janeId }]);
  } catch {
    await addDocuments(responseAdminClient, "departments", [{ name: "Sales", organizationId: orgId, manager: "Jane" }]);
  }
  expect(await listTable(responseAdminClient, "departments")).toHaveLength(2);
});
"""


def schema_mismatch(table: str, detail: str) -> str:
    return (
        f'Error: Failed to insert or update a document in table "{table}" because it does not match the schema: '
        f"{detail}"
    )


def codex_crons() -> dict[str, Any]:
    path = "000-fundamentals/003-crons"
    grader = GRADER_HEAD + SPEC + """
test("registers the four cron jobs", async () => {
  const spec = JSON.stringify(await responseAdminClient.query(anyApi._system.frontend.getCronJobs, {}));
  for (const label of ["run every second", "run every minute", "run every hour"]) {
    expect(spec).toContain(label);
  }
});
"""
    short = "AssertionError: expected '[{\"name\":\"run every minute\",\"cronSpec\":{…' to contain 'run every second'"
    tests = [
        ("compare function spec", 33, None),
        ("registers the four cron jobs", 27, assertion(short, "expect(spec).toContain(label);")),
    ]
    return failure(
        path, "OVERLY_STRICT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "10:41:02", 0.71))),
        {"convex/crons.ts": CRONS_ANSWER, "package.json": pkg("cron-demo")},
        {"convex/crons.ts": CRONS_ANSWER, "package.json": ANSWER_PKG},
        grader=grader,
        finding="Model matched the expected cron code; the grader's apiSpec string assertion is brittle.",
    )


FUNCTION_CALLING_ANSWER = """import { action, internalAction, internalMutation, internalQuery, mutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { v } from "convex/values";

export const calleeQuery = internalQuery({
  args: { x: v.number(), y: v.number() },
  returns: v.number(),
  handler: async (_ctx, args) => args.x + args.y,
});

export const calleeMutation = internalMutation({
  args: { x: v.number(), y: v.number() },
  returns: v.number(),
  handler: async (_ctx, args) => args.x - args.y,
});

export const calleeAction = internalAction({
  args: { x: v.number(), y: v.number() },
  returns: v.number(),
  handler: async (_ctx, args) => args.x * args.y,
});

export const callerMutation = mutation({
  args: {},
  returns: v.number(),
  handler: async (ctx): Promise<number> => {
    const sum: number = await ctx.runQuery(internal.index.calleeQuery, { x: 1, y: 2 });
    return await ctx.runMutation(internal.index.calleeMutation, { x: sum, y: 2 });
  },
});

export const callerAction = action({
  args: {},
  returns: v.number(),
  handler: async (ctx): Promise<number> => {
    const sum: number = await ctx.runQuery(internal.index.calleeQuery, { x: 1, y: 2 });
    const diff: number = await ctx.runMutation(internal.index.calleeMutation, { x: sum, y: 2 });
    return await ctx.runAction(internal.index.calleeAction, { x: diff, y: 2 });
  },
});
"""


def codex_function_calling() -> dict[str, Any]:
    path = "000-fundamentals/005-function_calling"
    model = FUNCTION_CALLING_ANSWER.replace("const sum: number", "const total: number").replace("{ x: sum, y: 2 }", "{ x: total, y: 2 }")
    error = truncated_deploy_log("- Preparing Convex functions...\n- Uploading functions to Convex...\n✖ Failed to deploy\n")
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "package.json": pkg("function-calling")},
        {"convex/index.ts": FUNCTION_CALLING_ANSWER, "package.json": ANSWER_PKG},
        finding="Output closely matches the answer; the deploy log is truncated, likely infra/tooling-related.",
    )


def codex_helper_fns() -> dict[str, Any]:
    path = "000-fundamentals/008-helper_fns"
    model = HELPER_FNS_ANSWER.replace(
        'import { mutation, query, QueryCtx } from "./_generated/server";', 'import { mutation, query } from "./_generated/server";'
    ).replace(
        "async function getItemData(ctx: QueryCtx, itemId: Id<\"items\">) {",
        "async function getItemData(\n  ctx: { db: { get: (id: Id<\"items\">) => Promise<any> } },\n  itemId: Id<\"items\">,\n) {",
    )
    error = lint("convex/index.ts", model, [
        ("Promise<any>", "Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any", 1, 8),
        ("name: item.name", "Unsafe member access .name on an `any` value", "@typescript-eslint/no-unsafe-member-access", 1, 11),
        ("quantity: item.quantity", "Unsafe member access .quantity on an `any` value", "@typescript-eslint/no-unsafe-member-access", 1, 15),
        ("item.lastModified", "Unsafe member access .lastModified on an `any` value", "@typescript-eslint/no-unsafe-member-access", 1, 5),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("helper-fns")},
        {"convex/index.ts": HELPER_FNS_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Typed the helper's `ctx` with `any`, triggering `no-explicit-any` and unsafe member access.",
    )


V_OBJECT_TYPE = "'{ id: <TableName extends string>(tableName: TableName) => VId<GenericId<TableName>, \"required\">; null: () => VNull<null, \"required\">; ... 13 more ...; optional: <T extends GenericValidator>(value: T) => VOptional<...>; }'"


def codex_returns_validator() -> dict[str, Any]:
    path = "000-fundamentals/009-returns_validator"
    model = RETURNS_VALIDATOR_ANSWER.replace(
        "returns: v.array(v.union(userValidator, postValidator)),", "returns: v.tuple([userValidator, postValidator]),"
    )
    error = deploy_ts("convex/index.ts", model, [
        ("v.tuple", 2339, f"Property 'tuple' does not exist on type {V_OBJECT_TYPE}.", 1, 2, len("tuple")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("returns-validator")},
        {"convex/index.ts": RETURNS_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Used the non-existent `v.tuple(...)`, so deploy fails.",
    )


def codex_normalize_json() -> dict[str, Any]:
    path = "001-data_modeling/009-normalize_json"
    model = NORMALIZE_JSON_ANSWER.replace("    age: v.optional(v.number()),\n", "")
    detail = (
        "Object contains extra field `age` that is not in the validator.\n\n"
        "Object: {age: 30.0, departmentId: \"kh7a1d2e3f4g5h6j7k8m9n0p1q2r3s4t\", email: \"jason@example.com\", "
        "name: \"Jason\", organizationId: \"kd7b2c3d4e5f6g7h8j9k0m1n2p3q4r5s\", phone: \"1234567890\"}\n"
        "Validator: v.object({address: v.optional(v.object({...})), departmentId: v.id(\"departments\"), "
        "email: v.string(), name: v.string(), organizationId: v.id(\"organizations\"), phone: v.optional(v.string())})"
    )
    tests = [
        ("compare schema", 38, assertion("AssertionError: expected schema to match the answer's schema", "await compareSchema(skip);",
                                         "- Expected\n+ Received\n\n-       \"age\": { \"fieldType\": { \"type\": \"number\" }, \"optional\": true },")),
        ("compare function spec", 22, None),
        ("employees accept the fields of the JSON", 41, assertion(schema_mismatch("employees", detail), 'await addDocuments(responseAdminClient, "employees", [\n    { name: "Jason"')),
        ("employees accept only required fields", 33, None),
        ("departments accept a manager", 47, None),
    ]
    return failure(
        path, "MODEL_FAULT", "tests",
        after_tests(tests=failed(vitest(path, NORMALIZE_JSON_GRADER, tests, "10:52:19", 0.93))),
        {"convex/schema.ts": model, "package.json": pkg("org-schema")},
        {"convex/schema.ts": NORMALIZE_JSON_ANSWER, "package.json": ANSWER_PKG},
        grader=NORMALIZE_JSON_GRADER,
        finding="Omitted the `age` field from the employees schema although the source JSON has it.",
    )


INDEX_AND_FILTER_ANSWER = """import { query } from "./_generated/server";
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


def codex_index_and_filter() -> dict[str, Any]:
    path = "002-queries/012-index_and_filter"
    model = INDEX_AND_FILTER_ANSWER.replace(
        "  handler: async (ctx, args) => {\n    const users",
        "  handler: async (ctx, args) => {\n    if (args.minAge < 0) {\n      throw new Error(\"minAge must be a non-negative number\");\n    }\n    const users",
    )
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("returns active users at or above the age", async () => {
  await deleteAllDocuments(responseAdminClient, ["users"]);
  await addDocuments(responseAdminClient, "users", [
    { name: "a", age: 17, isDeleted: false },
    { name: "b", age: 30, isDeleted: false },
    { name: "c", age: 40, isDeleted: true },
  ]);
  expect(await responseClient.query(anyApi.index.getActiveAdults, { minAge: 18 })).toEqual(["b"]);
});

test("a negative minAge returns every active user", async () => {
  const names = await responseClient.query(anyApi.index.getActiveAdults, { minAge: -1 });
  expect(names).toEqual(["a", "b"]);
});
"""
    error = (
        "Error: [CONVEX Q(index:getActiveAdults)] [Request ID: 6c1f0a9e2b7d4c83] Server Error\n"
        "Uncaught Error: minAge must be a non-negative number\n"
        "    at handler (../convex/index.ts:9:12)\n"
    )
    tests = [
        ("compare schema", 31, None),
        ("compare function spec", 24, None),
        ("returns active users at or above the age", 52, None),
        ("a negative minAge returns every active user", 18,
         {"short": "[CONVEX Q(index:getActiveAdults)] [Request ID: 6c1f0a9e2b7d4c83] Server Error", "error": error,
          "at": "await responseClient.query(anyApi.index.getActiveAdults, { minAge: -1 })"}),
    ]
    return failure(
        path, "OVERLY_STRICT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "10:55:40", 0.62))),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("active-adults")},
        {"convex/index.ts": INDEX_AND_FILTER_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader,
        finding="Added negative-age validation; the grader expects negatives to be accepted, which the task never says.",
    )


ASYNC_ITERATOR_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getTeamsWithDeletedAdmins = query({
  args: {},
  returns: v.array(v.id("teams")),
  handler: async (ctx) => {
    const result = [];
    for await (const team of ctx.db.query("teams")) {
      const admin = await ctx.db.get(team.adminId);
      if (admin !== null && admin.deleted) {
        result.push(team._id);
      }
    }
    return result;
  },
});
"""


def codex_async_iterator_filter() -> dict[str, Any]:
    path = "002-queries/013-async_iterator_filter"
    model = ASYNC_ITERATOR_ANSWER.replace('ctx.db.query("teams"))', 'ctx.db.query("teams").iter())')
    query_type = ("'QueryInitializer<{ document: { _id: Id<\"teams\">; _creationTime: number; name: string; adminId: Id<\"users\">; }; "
                  "fieldPaths: \"_id\" | \"name\" | \"adminId\" | \"_creationTime\"; indexes: { by_id: [\"_id\"]; by_creation_time: "
                  "[\"_creationTime\"]; }; searchIndexes: {}; vectorIndexes: {}; }>'")
    error = deploy_ts("convex/index.ts", model, [(".iter()", 2339, f"Property 'iter' does not exist on type {query_type}.", 1, 1, 4)])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("teams")},
        {"convex/index.ts": ASYNC_ITERATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Used the invalid `.iter()` on a query instead of `for await (... of ctx.db.query(...))`.",
    )


PAGINATION_JOIN_ANSWER = """import { query } from "./_generated/server";
import { paginationOptsValidator } from "convex/server";

export const paginateMessagesWithAuthors = query({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    const result = await ctx.db.query("messages").order("desc").paginate(args.paginationOpts);
    const page = await Promise.all(
      result.page.map(async (message) => {
        const author = await ctx.db.get(message.authorId);
        if (!author) throw new Error("Author not found");
        return { ...message, author: author.name };
      }),
    );
    return { ...result, page };
  },
});
"""


def codex_pagination_join() -> dict[str, Any]:
    path = "002-queries/017-pagination_join"
    model = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const paginateMessagesWithAuthors = query({
  args: { paginationOpts: v.paginationOpts() },
  handler: async (ctx, args) => {
    const page = await ctx.db.query("messages").order("desc").paginate(args.paginationOpts);
    const results = await Promise.all(
      page.results.map(async (message) => {
        const author = await ctx.db.get(message.authorId);
        if (!author) throw new Error("Author not found");
        return { ...message, author: author.name };
      }),
    );
    return { ...page, results };
  },
});
"""
    page_type = "'PaginationResult<{ _id: Id<\"messages\">; _creationTime: number; authorId: Id<\"users\">; content: string; }>'"
    error = deploy_ts("convex/index.ts", model, [
        ("v.paginationOpts", 2339, f"Property 'paginationOpts' does not exist on type {V_OBJECT_TYPE}.", 1, 2, len("paginationOpts")),
        ("page.results", 2339, f"Property 'results' does not exist on type {page_type}.", 1, 5, len("results")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("messages")},
        {"convex/index.ts": PAGINATION_JOIN_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Used the invalid `v.paginationOpts` and `page.results` instead of Convex's pagination APIs.",
    )


def codex_pagination_returns_validator() -> dict[str, Any]:
    path = "002-queries/018-pagination_returns_validator"
    model = """import { query, paginationOptsValidator, paginationResult } from "./_generated/server";
import { v } from "convex/values";

const post = v.object({
  _id: v.id("posts"),
  _creationTime: v.number(),
  title: v.string(),
  content: v.string(),
});

export const paginatePosts = query({
  args: { paginationOpts: paginationOptsValidator },
  returns: paginationResult(post),
  handler: async (ctx, args) => {
    return await ctx.db.query("posts").paginate(args.paginationOpts);
  },
});
"""
    error = deploy_bundle(
        no_matching_export("convex/index.ts", model, "paginationOptsValidator"),
        no_matching_export("convex/index.ts", model, "paginationResult"),
    )
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("paginate-posts")},
        {"convex/index.ts": PAGINATION_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Imported the pagination validators from the wrong module under the wrong name.",
    )


def codex_cascade_delete_nested() -> dict[str, Any]:
    path = "003-mutations/005-cascade_delete_nested"
    model = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUser = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const deleteIds = new Set<string>();
    const posts = await ctx.db
      .query("posts")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();
    for (const post of posts) {
      deleteIds.add(post._id);
      for (const c of await ctx.db.query("comments").withIndex("by_post", (q) => q.eq("postId", post._id)).collect()) {
        deleteIds.add(c._id);
      }
      for (const l of await ctx.db.query("likes").withIndex("by_post", (q) => q.eq("postId", post._id)).collect()) {
        deleteIds.add(l._id);
      }
    }
    for (const id of deleteIds) {
      await ctx.db.delete(id);
    }
    await ctx.db.delete(args.userId);
    return null;
  },
});
"""
    error = deploy_ts("convex/index.ts", model, [
        ("delete(id)", 2345, "Argument of type 'string' is not assignable to parameter of type 'Id<\"users\"> | Id<\"posts\"> | Id<\"comments\"> | Id<\"likes\">'.", 1, 7, 2),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("cascade")},
        {"convex/index.ts": CASCADE_NESTED_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Collected typed ids into a `Set<string>`, then deleted them, breaking the types at deploy.",
    )


NO_STORAGE_ANSWER = """import { action, internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

export const uploadFile = action({
  args: { contents: v.string(), fileName: v.string() },
  handler: async (ctx, args): Promise<{ fileId: Id<"files">; storageId: Id<"_storage">; url: string | null }> => {
    const blob = new Blob([args.contents]);
    const storageId = await ctx.storage.store(blob);
    const fileId: Id<"files"> = await ctx.runMutation(internal.index.storeFileMetadata, {
      storageId,
      fileName: args.fileName,
      size: blob.size,
    });
    const url = await ctx.storage.getUrl(storageId);
    return { fileId, storageId, url };
  },
});

export const storeFileMetadata = internalMutation({
  args: { storageId: v.id("_storage"), fileName: v.string(), size: v.number() },
  handler: async (ctx, args): Promise<Id<"files">> => {
    return await ctx.db.insert("files", args);
  },
});
"""


def codex_no_storage() -> dict[str, Any]:
    path = "003-mutations/006-no_storage"
    model = NO_STORAGE_ANSWER.replace("internalMutation", "mutation").replace("internal.index", "api.index").replace(
        'import { internal } from "./_generated/api";', 'import { api } from "./_generated/api";')
    error = truncated_deploy_log("- Preparing Convex functions...\n✖ Failed to deploy\n")
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("files")},
        {"convex/index.ts": NO_STORAGE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Generic deploy failure with insufficient logs; the pattern aligns with the known no_storage fragility.",
    )


STORAGE_ANSWER = """import { action } from "./_generated/server";
import { v } from "convex/values";

export const writeTextToStorage = action({
  args: { text: v.string() },
  handler: async (ctx, args) => {
    const storageId = await ctx.storage.store(new Blob([args.text], { type: "text/plain" }));
    const url = await ctx.storage.getUrl(storageId);
    return { storageId, url };
  },
});

export const readTextFromStorage = action({
  args: { storageId: v.id("_storage") },
  handler: async (ctx, args) => {
    const blob = await ctx.storage.get(args.storageId);
    if (!blob) throw new Error("File not found");
    return await blob.text();
  },
});
"""


def codex_storage() -> dict[str, Any]:
    path = "004-actions/004-storage"
    model = """import { action } from "./_generated/server";
import { v } from "convex/values";

export const writeTextToStorage = action({
  args: { text: v.string() },
  handler: async (ctx, args) => {
    const storageId = await ctx.storage.store(new TextEncoder().encode(args.text));
    const url = await ctx.storage.getUrl(storageId);
    return { storageId, url };
  },
});

export const readTextFromStorage = action({
  args: { storageId: v.id("_storage") },
  handler: async (ctx, args) => {
    const blob = await ctx.storage.get(args.storageId);
    if (!blob) throw new Error("File not found");
    return new TextDecoder().decode(await blob.arrayBuffer());
  },
});
"""
    error = deploy_ts("convex/index.ts", model, [
        ("new TextEncoder().encode(args.text)", 2345,
         "Argument of type 'Uint8Array<ArrayBuffer>' is not assignable to parameter of type 'Blob'.\n"
         "  Type 'Uint8Array<ArrayBuffer>' is missing the following properties from type 'Blob': size, type, arrayBuffer, bytes, and 3 more."),
    ])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "package.json": pkg("text-storage")},
        {"convex/index.ts": STORAGE_ANSWER, "package.json": ANSWER_PKG},
        finding="Used `TextEncoder`/`TextDecoder` instead of the Blob-based storage flow documented in GAPS.txt.",
    )


def codex_storage_http_action() -> dict[str, Any]:
    path = "004-actions/005-storage_http_action"
    model = """import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";

function baseUrl(): string {
  return process.env.CONVEX_SITE_URL!;
}

const http = httpRouter();

http.route({
  path: "/store",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const storageId = await ctx.storage.store(await request.blob());
    const url = (await ctx.storage.getUrl(storageId)) ?? `${baseUrl()}/files/${storageId}`;
    return Response.json({ storageId, url });
  }),
});

export default http;
"""
    error = truncated_deploy_log(
        "- Preparing Convex functions...\n✖ TypeScript typecheck via `tsc` failed.\nTo ignore failing typecheck, use `--typecheck=disable`.\n"
    )
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("store-http", dev={"typescript": "^5.7.2"})},
        {"convex/http.ts": STORAGE_HTTP_ANSWER, "package.json": ANSWER_PKG},
        finding="Uses the `process.env` pattern that repeatedly fails without Node typings in this eval.",
    )


NODE_ANSWER = """"use node";

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
NODE_ANSWER_FILES = {"convex/index.ts": NODE_ANSWER, "package.json": ANSWER_PKG_NODE}


def codex_node() -> dict[str, Any]:
    path = "004-actions/006-node"
    model = """import { action } from "./_generated/server";
import { v } from "convex/values";
import { createHash } from "crypto";
import { normalize } from "path";

export const processWithNode = action({
  runtime: "node",
  args: { data: v.string() },
  handler: async (_ctx, args) => {
    return {
      hash: createHash("sha256").update(args.data).digest("hex"),
      normalizedPath: normalize("/some/test/path"),
    };
  },
});
"""
    error = deploy_bundle(
        esbuild_error('Could not resolve "crypto"', "convex/index.ts", model, '"crypto"', notes=node_builtin_note("crypto")),
        esbuild_error('Could not resolve "path"', "convex/index.ts", model, '"path"', notes=node_builtin_note("path")),
        tail="\n" + USE_NODE_HINT,
    )
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "package.json": pkg("node-action", dev={"@types/node": "^22.10.1"})},
        NODE_ANSWER_FILES,
        finding="Used `runtime: \"node\"` instead of the `\"use node\"` directive (documented gap).",
    )


def http_routing_glob(path: str, start: str) -> tuple[str, str]:
    """An http.ts routing `/api/*` literally, and the vitest report of the resulting 404s."""
    model = HTTP_ROUTING_ANSWER.replace('{ pathPrefix: "/api/", method', '{ path: "/api/*", method')
    tests = list(PASSING_ROUTING_TESTS)
    tests[4] = ("GET matches every path under /api/", 19,
                assertion("AssertionError: expected 404 to be 200 // Object.is equality", "expect(response.status).toBe(200);\n  }",
                          "- Expected\n+ Received\n\n- 200\n+ 404"))
    return model, vitest(path, HTTP_ROUTING_GRADER, tests, start, 0.84)


def codex_http_action_routing() -> dict[str, Any]:
    path = "004-actions/007-http_action_routing"
    model, report = http_routing_glob(path, "11:20:44")
    return failure(
        path, "KNOWN_GAP", "tests", after_tests(tests=failed(report)),
        {"convex/http.ts": model, "package.json": pkg("routing")},
        {"convex/http.ts": HTTP_ROUTING_ANSWER, "package.json": ANSWER_PKG},
        grader=HTTP_ROUTING_GRADER,
        finding="Used `path: \"/api/*\"` instead of `pathPrefix: \"/api/\"`; explicitly documented in GAPS.txt.",
    )


BATCH_QUERIES_ANSWER = {
    "convex/schema.ts": """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({ name: v.string(), email: v.string() }).index("by_email", ["email"]),
  posts: defineTable({ userId: v.id("users"), content: v.string() }).index("by_user", ["userId"]),
});
""",
    "convex/users.ts": """import { internalQuery, QueryCtx } from "./_generated/server";
import { v } from "convex/values";

export async function userByEmail(ctx: QueryCtx, email: string) {
  return await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).unique();
}

export const getUserByEmail = internalQuery({
  args: { email: v.string() },
  handler: async (ctx, args) => await userByEmail(ctx, args.email),
});
""",
    "convex/posts.ts": """import { internalQuery, query, QueryCtx } from "./_generated/server";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";
import { userByEmail } from "./users";

export async function postsByUser(ctx: QueryCtx, userId: Id<"users">) {
  return await ctx.db.query("posts").withIndex("by_user", (q) => q.eq("userId", userId)).collect();
}

export const getPostsByUserId = internalQuery({
  args: { userId: v.id("users") },
  handler: async (ctx, args) => await postsByUser(ctx, args.userId),
});

export const getUserAndPosts = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await userByEmail(ctx, args.email);
    if (!user) return { user: null, posts: [] };
    return { user, posts: await postsByUser(ctx, user._id) };
  },
});
""",
    "package.json": ANSWER_PKG,
}


def batch_queries_model(user_type: str, posts_ctx: str) -> dict[str, str]:
    files = dict(BATCH_QUERIES_ANSWER)
    files["convex/posts.ts"] = files["convex/posts.ts"].replace("userId: Id<\"users\">)", f"userId: {user_type})").replace(
        "postsByUser(ctx: QueryCtx,", f"postsByUser(ctx: {posts_ctx},")
    files["package.json"] = pkg("batch-queries")
    return files


def codex_batch_queries() -> dict[str, Any]:
    path = "005-idioms/002-batch_queries"
    outputs = batch_queries_model("string", "QueryCtx")
    error = truncated_deploy_log("- Preparing Convex functions...\n- Uploading functions to Convex...\n✖ Failed to deploy\n")
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error), outputs, BATCH_QUERIES_ANSWER,
        finding="Generic deploy failure; recurring deploy fragility noted in GAPS.txt around helper typings.",
    )


USE_QUERY_MESSAGES = """import { query } from "./_generated/server";

export const getAllMessages = query({
  args: {},
  handler: async (ctx) => {
    return ctx.db.query("messages").order("desc").collect();
  },
});
"""
USE_QUERY_ANSWER_MESSAGES = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getAllMessages = query({
  args: {},
  returns: v.array(
    v.object({ _id: v.id("messages"), _creationTime: v.number(), author: v.string(), body: v.string() }),
  ),
  handler: async (ctx) => {
    return ctx.db.query("messages").order("desc").collect();
  },
});
"""
USE_QUERY_APP = """import { useQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const messages = useQuery(api.messages.getAllMessages);
  if (messages === undefined) return <div>Loading...</div>;
  if (messages.length === 0) return <div>No messages yet</div>;
  return (
    <ul>
      {messages.map((m) => (
        <li key={m._id}>
          {m.author}: {m.body}
        </li>
      ))}
    </ul>
  );
}
"""


def codex_use_query() -> dict[str, Any]:
    path = "006-clients/000-use_query"
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("lists messages newest first", async () => {
  await deleteAllDocuments(responseAdminClient, ["messages"]);
  await addDocuments(responseAdminClient, "messages", [{ author: "a", body: "1" }, { author: "b", body: "2" }]);
  const messages = await responseClient.query(anyApi.messages.getAllMessages, {});
  expect(messages.map((m: { body: string }) => m.body)).toEqual(["2", "1"]);
});

test("an empty table gives an empty list", async () => {
  await deleteAllDocuments(responseAdminClient, ["messages"]);
  expect(await responseClient.query(anyApi.messages.getAllMessages, {})).toEqual([]);
});
"""
    diff = (
        "- Expected\n+ Received\n\n  [\n    {\n      \"args\": { \"type\": \"object\", \"value\": {} },\n"
        "      \"functionType\": \"Query\",\n      \"identifier\": \"messages.js:getAllMessages\",\n"
        "-     \"returns\": {\n-       \"type\": \"array\",\n-       \"value\": { \"type\": \"object\", \"value\": { … } },\n-     },\n"
        "+     \"returns\": { \"type\": \"any\" },\n      \"visibility\": { \"kind\": \"public\" },\n    },\n  ]"
    )
    tests = [
        ("compare schema", 30, None),
        ("compare function spec", 26, assertion("AssertionError: expected [ { …(5) } ] to deeply equal [ { …(5) } ]", "await compareFunctionSpec(skip);", diff)),
        ("lists messages newest first", 44, None),
        ("an empty table gives an empty list", 12, None),
    ]
    return failure(
        path, "OVERLY_STRICT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "11:31:09", 0.55))),
        {"convex/schema.ts": MESSAGES_SCHEMA, "convex/messages.ts": USE_QUERY_MESSAGES, "src/App.tsx": USE_QUERY_APP,
         "package.json": pkg("messages-list", REACT_PKG, REACT_DEV), "tsconfig.json": TSCONFIG_SRC},
        {"convex/schema.ts": MESSAGES_SCHEMA, "convex/messages.ts": USE_QUERY_ANSWER_MESSAGES, "src/App.tsx": USE_QUERY_APP,
         "package.json": ANSWER_PKG_REACT, "tsconfig.json": TSCONFIG_SRC},
        grader=grader,
        finding="Behavioural tests pass; only the function-spec comparison fails, over a `returns` validator the task omits.",
    )


def use_mutation_undef_react(path: str) -> tuple[dict[str, str], str]:
    """An App.tsx that uses `React.FormEvent` without importing React and hands an async handler to onSubmit."""
    app = """import { useState } from "react";
import { useMutation } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const sendMessage = useMutation(api.messages.sendMessage);
  const [author, setAuthor] = useState("");
  const [body, setBody] = useState("");
  const [sending, setSending] = useState(false);

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSending(true);
    await sendMessage({ author, body });
    setSending(false);
    setBody("");
  };

  return (
    <form onSubmit={onSubmit}>
      <input value={author} onChange={(e) => setAuthor(e.target.value)} />
      <input value={body} onChange={(e) => setBody(e.target.value)} />
      <button disabled={sending}>{sending ? "Sending..." : "Send"}</button>
    </form>
  );
}
"""
    error = lint("src/App.tsx", app, [
        ("React.FormEvent", "'React' is not defined", "no-undef"),
        ("onSubmit}", "Promise-returning function provided to attribute where a void return was expected", "@typescript-eslint/no-misused-promises"),
    ])
    files = {"convex/schema.ts": MESSAGES_SCHEMA, "convex/messages.ts": SEND_MESSAGE, "src/App.tsx": app,
             "package.json": pkg("chat", REACT_PKG, REACT_DEV), "tsconfig.json": TSCONFIG_SRC}
    return files, error


def codex_use_mutation() -> dict[str, Any]:
    path = "006-clients/001-use_mutation"
    outputs, error = use_mutation_undef_react(path)
    return failure(
        path, "KNOWN_GAP", "eslint", pipeline(eslint=failed(error)), outputs, USE_MUTATION_ANSWER,
        grader=USE_MUTATION_GRADER,
        finding="Hits the known `no-misused-promises` lint issue; also a missing `React` import (`no-undef`).",
    )


PAGINATED_ITEMS = """import { query } from "./_generated/server";
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
ITEMS_SCHEMA = """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({
    name: v.string(),
    description: v.string(),
  }),
});
"""
PAGINATED_APP = """import { usePaginatedQuery } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const { results, status, loadMore } = usePaginatedQuery(api.items.paginateItems, {}, { initialNumItems: 10 });
  return (
    <div>
      <ul>
        {results.map((item) => (
          <li key={item._id}>{item.name}</li>
        ))}
      </ul>
      <button onClick={() => loadMore(10)} disabled={status !== "CanLoadMore"}>
        Load more
      </button>
    </div>
  );
}
"""
PAGINATED_ANSWER = {"convex/schema.ts": ITEMS_SCHEMA, "convex/items.ts": PAGINATED_ITEMS, "src/App.tsx": PAGINATED_APP,
                    "package.json": ANSWER_PKG_REACT, "tsconfig.json": TSCONFIG_SRC}


def codex_use_paginated_query() -> dict[str, Any]:
    path = "006-clients/002-use_paginated_query"
    items = """import { query, paginationOptsValidator } from "./_generated/server";

export const paginateItems = query({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    return ctx.db.query("items").).order("desc").paginate(args.paginationOpts);
  },
});
"""
    error = deploy_bundle(esbuild_error('Unexpected ")"', "convex/items.ts", items, ").order", width=1))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/schema.ts": ITEMS_SCHEMA, "convex/items.ts": items, "src/App.tsx": PAGINATED_APP,
         "package.json": pkg("items", REACT_PKG, REACT_DEV), "tsconfig.json": TSCONFIG_SRC},
        PAGINATED_ANSWER,
        finding="Imported `paginationOptsValidator` from the wrong module and left a syntax error.",
    )


CODEX = {
    "file": "openai-gpt-5.2-codex.json",
    "run_id": "jn76nmvgpcdwcmpnpkv2rzea8s80y3ef",
    "model": "gpt-5.2-codex",
    "provider": "openai",
    "experiment": "no_guidelines",
    "run_status": {"kind": "completed", "durationMs": 2734116.0},
    "total": 66,
    "passed": 47,
    "report": "reports/openai/gpt-5.2-codex/jn76nmvg_2026-02-11.md",
    "evals": [
        codex_crons, codex_function_calling, codex_helper_fns, codex_returns_validator, codex_normalize_json,
        codex_index_and_filter, codex_async_iterator_filter, codex_pagination_join, codex_pagination_returns_validator,
        codex_cascade_delete_nested, codex_no_storage, codex_storage, codex_storage_http_action, codex_node,
        codex_http_action_routing, codex_batch_queries, codex_use_query, codex_use_mutation, codex_use_paginated_query,
    ],
}


# =========================================================================== report 3
# anthropic/claude-fable-5, runs jn79mkv7..., jn75w08n..., jn747aj5... (2026-06-10, 74 evals each)
# and the replacement run jn7fyvhv.... Five grader/harness failures repeat in the first three runs.

EMPTY_FUNCTIONS_ANSWER = """import {
  action,
  internalAction,
  internalMutation,
  internalQuery,
  mutation,
  query,
} from "./_generated/server";
import { v } from "convex/values";

export const emptyPublicQuery = query({ args: {}, returns: v.null(), handler: async () => null });
export const emptyPublicMutation = mutation({ args: {}, returns: v.null(), handler: async () => null });
export const emptyPublicAction = action({ args: {}, returns: v.null(), handler: async () => null });
export const emptyPrivateQuery = internalQuery({ args: {}, returns: v.null(), handler: async () => null });
export const emptyPrivateMutation = internalMutation({ args: {}, returns: v.null(), handler: async () => null });
export const emptyPrivateAction = internalAction({ args: {}, returns: v.null(), handler: async () => null });
"""

SCHEDULER_ANSWER = """import { action, internalAction, internalMutation, mutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { v } from "convex/values";

export const logMutation = internalMutation({
  args: { message: v.string() },
  returns: v.null(),
  handler: async (_ctx, args) => {
    console.log(args.message);
    return null;
  },
});

export const logAction = internalAction({
  args: { message: v.string() },
  returns: v.null(),
  handler: async (_ctx, args) => {
    console.log(args.message);
    return null;
  },
});

export const callerMutation = mutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    const id = await ctx.scheduler.runAfter(0, internal.index.logMutation, { message: "Hello, world!" });
    await ctx.scheduler.cancel(id);
    await ctx.scheduler.runAt(Date.now() + 10_000, internal.index.logAction, { message: "Hello, world!" });
    return null;
  },
});

export const callerAction = action({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    await ctx.scheduler.runAfter(Math.random() * 10_000, internal.index.logAction, { message: "Hello, world!" });
    const id = await ctx.scheduler.runAfter(0, internal.index.logMutation, { message: "Hello, world!" });
    await ctx.scheduler.cancel(id);
    return null;
  },
});
"""

INTERNAL_FNS_ANSWER = """import { internalAction, internalMutation, mutation, query } from "./_generated/server";
import { v } from "convex/values";

export const getPublicStats = query({
  args: {},
  returns: v.object({ totalUsers: v.number(), version: v.string() }),
  handler: async () => ({ totalUsers: 100, version: "1.0.0" }),
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

BATCH_DELETE_ANSWER = """import { internalMutation, mutation } from "./_generated/server";
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

UNBOUNDED_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const listAuditLogs = query({
  args: { workspaceId: v.string() },
  handler: async (ctx, args) => {
    return await ctx.db
      .query("auditLogs")
      .withIndex("by_workspaceId", (q) => q.eq("workspaceId", args.workspaceId))
      .order("desc")
      .take(100);
  },
});
"""

CASCADE_DELETE_ANSWER = """import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const deleteUserAndDocuments = mutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    if (!user) throw new Error("User not found");
    const documents = await ctx.db
      .query("documents")
      .withIndex("by_author", (q) => q.eq("authorId", args.userId))
      .collect();
    await Promise.all(documents.map((doc) => ctx.db.delete(doc._id)));
    await ctx.db.delete(args.userId);
    return null;
  },
});
"""


def reconnect_log(function: str, kind: str, defined: str) -> str:
    """What the Convex client prints when the grader calls a function through the wrong API and the socket dies."""
    return (
        f"Trying to execute index.js:{function} as {kind}, but it is defined as {defined}.\n"
        "WebSocket closed with code 1011: InternalServerError\n"
        "Attempting reconnect in 482.61ms\n"
        "WebSocket reconnected\n"
        "WebSocket closed with code 1011: InternalServerError\n"
        "Attempting reconnect in 1032.07ms\n"
    )


TIMEOUT = "Error: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value as the last argument or configure it globally with \"testTimeout\"."


def timeout_failure(at: str, log: str) -> dict[str, str]:
    return {"short": "Test timed out in 5000ms.", "error": TIMEOUT + "\n", "at": at, "cause": log}


def fable_empty_functions(start: str) -> dict[str, Any]:
    path = "000-fundamentals/000-empty_functions"
    grader = GRADER_HEAD + SPEC + """
test("public functions return null", async () => {
  expect(await responseClient.query(anyApi.index.emptyPublicQuery, {})).toBeNull();
  expect(await responseClient.mutation(anyApi.index.emptyPublicQuery, {})).toBeNull();
  expect(await responseClient.action(anyApi.index.emptyPublicQuery, {})).toBeNull();
});
"""
    tests = [
        ("compare function spec", 29, None),
        ("public functions return null", 5004,
         timeout_failure("expect(await responseClient.mutation(anyApi.index.emptyPublicQuery",
                         reconnect_log("emptyPublicQuery", "Mutation", "Query"))),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 5.62))),
        {"convex/index.ts": EMPTY_FUNCTIONS_ANSWER, "package.json": pkg("empty-functions")},
        {"convex/index.ts": EMPTY_FUNCTIONS_ANSWER, "package.json": ANSWER_PKG},
        grader=grader, reported_as="HARNESS_FAILURE",
        finding="Grader called functions through the wrong client type and waited for fatal websocket reconnects to time out.",
    )


def fable_scheduler(start: str) -> dict[str, Any]:
    path = "000-fundamentals/004-scheduler"
    grader = GRADER_HEAD + SPEC + """
test("logging functions are private", async () => {
  await expect(responseClient.mutation(anyApi.index.logMutation, { message: "x" })).rejects.toThrow();
  await expect(responseClient.action(anyApi.index.logAction, { message: "x" })).rejects.toThrow();
});

test("callers return null", async () => {
  expect(await responseClient.mutation(anyApi.index.callerMutation, {})).toBeNull();
  expect(await responseClient.action(anyApi.index.callerAction, {})).toBeNull();
});
"""
    log = (
        "Could not find public function for 'index:logMutation'. Did you forget to run `npx convex dev` or `npx convex deploy`?\n"
        "WebSocket closed with code 1011: InternalServerError\n"
        "Attempting reconnect in 517.40ms\n"
    )
    tests = [
        ("compare function spec", 31, None),
        ("logging functions are private", 5003,
         timeout_failure("await expect(responseClient.mutation(anyApi.index.logMutation", log)),
        ("callers return null", 88, None),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 5.71))),
        {"convex/index.ts": SCHEDULER_ANSWER, "package.json": pkg("scheduler-demo")},
        {"convex/index.ts": SCHEDULER_ANSWER, "package.json": ANSWER_PKG},
        grader=grader, reported_as="HARNESS_FAILURE",
        finding="Grader checked private function visibility by calling internal refs through the regular client.",
    )


def fable_function_calling(start: str) -> dict[str, Any]:
    path = "000-fundamentals/005-function_calling"
    grader = GRADER_HEAD + SPEC + """
test("callee functions compute", async () => {
  expect(await responseAdminClient.mutation(anyApi.index.calleeQuery, { x: 1, y: 2 })).toBe(3);
  expect(await responseAdminClient.action(anyApi.index.calleeMutation, { x: 3, y: 2 })).toBe(1);
});

test("callers chain the results", async () => {
  expect(await responseClient.mutation(anyApi.index.callerMutation, {})).toBe(1);
  expect(await responseClient.action(anyApi.index.callerAction, {})).toBe(2);
});
"""
    tests = [
        ("compare function spec", 27, None),
        ("callee functions compute", 5002,
         timeout_failure("expect(await responseAdminClient.mutation(anyApi.index.calleeQuery",
                         reconnect_log("calleeQuery", "Mutation", "Query"))),
        ("callers chain the results", 102, None),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 5.58))),
        {"convex/index.ts": FUNCTION_CALLING_ANSWER, "package.json": pkg("function-calls")},
        {"convex/index.ts": FUNCTION_CALLING_ANSWER, "package.json": ANSWER_PKG},
        grader=grader, reported_as="HARNESS_FAILURE",
        finding="Grader called query/mutation/action refs through the wrong execution APIs.",
    )


def fable_batch_delete(start: str) -> dict[str, Any]:
    path = "003-mutations/007-batch_delete_self_schedule"
    grader = GRADER_HEAD + """
async function remaining(workspaceId: string) {
  const list = anyApi.index.listActivityLogs ?? anyApi.index.getActivityLogs;
  const rows = await responseClient.query(list, { workspaceId });
  return rows.length;
}

test("compare schema", async ({ skip }) => {
  await compareSchema(skip);
});

test("deletes every entry of the workspace", async () => {
  await deleteAllDocuments(responseAdminClient, ["activityLog"]);
  await addDocuments(responseAdminClient, "activityLog", Array.from({ length: 1200 }, (_, i) => ({ workspaceId: "w1", action: `a${i}` })));
  await responseClient.mutation(anyApi.index.deleteActivityLogs, { workspaceId: "w1" });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(await remaining("w1")).toBe(0);
});
"""
    error = (
        "Error: [CONVEX Q(index:listActivityLogs)] [Request ID: 0be1d5c93a7f2e48] Server Error\n"
        "Could not find public function for 'index:listActivityLogs'. Did you forget to run `npx convex dev` or `npx convex deploy`?\n"
    )
    tests = [
        ("compare schema", 33, None),
        ("deletes every entry of the workspace", 3412,
         {"short": "[CONVEX Q(index:listActivityLogs)] [Request ID: 0be1d5c93a7f2e48] Server Error", "error": error,
          "at": "const rows = await responseClient.query(list, { workspaceId });"}),
    ]
    return failure(
        path, "OVERLY_STRICT", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 3.88))),
        {"convex/index.ts": BATCH_DELETE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": pkg("activity-log")},
        {"convex/index.ts": BATCH_DELETE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader, reported_as="TEST_FAILURE",
        finding="Grader probed an optional public list query through `anyApi`; the first fallback ref always exists as a ref and can point at a nonexistent function.",
    )


def fable_internal_fns(start: str) -> dict[str, Any]:
    path = "005-idioms/000-internal_fns"
    grader = GRADER_HEAD + SPEC + """
test("public functions are callable", async () => {
  expect(await responseClient.query(anyApi.index.getPublicStats, {})).toEqual({ totalUsers: 100, version: "1.0.0" });
});

test("internal functions are not callable by clients", async () => {
  await expect(responseClient.action(anyApi.index.dailyCleanup, {})).rejects.toThrow();
  await expect(responseClient.mutation(anyApi.index.resetCounter, {})).rejects.toThrow();
});
"""
    log = (
        "Could not find public function for 'index:dailyCleanup'. Did you forget to run `npx convex dev` or `npx convex deploy`?\n"
        "WebSocket closed with code 1011: InternalServerError\n"
        "Attempting reconnect in 611.23ms\n"
        "WebSocket reconnected\n"
    )
    tests = [
        ("compare function spec", 26, None),
        ("public functions are callable", 35, None),
        ("internal functions are not callable by clients", 5003,
         timeout_failure("await expect(responseClient.action(anyApi.index.dailyCleanup", log)),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 5.49))),
        {"convex/index.ts": INTERNAL_FNS_ANSWER, "package.json": pkg("internal-fns")},
        {"convex/index.ts": INTERNAL_FNS_ANSWER, "package.json": ANSWER_PKG},
        grader=grader, reported_as="HARNESS_FAILURE",
        finding="Grader checked internal function privacy through the regular client, which failed by fatal reconnect.",
    )


def fable_unbounded(start: str) -> dict[str, Any]:
    path = "002-queries/022-unbounded_query_no_collect"
    model = UNBOUNDED_ANSWER.replace('      .order("desc")\n', "")
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("lists a workspace's entries newest first", async () => {
  await deleteAllDocuments(responseAdminClient, ["auditLogs"]);
  for (const actor of ["alice", "bob", "carol"]) {
    await addDocuments(responseAdminClient, "auditLogs", [{ workspaceId: "w1", actor, action: "login" }]);
  }
  const rows = await responseClient.query(anyApi.index.listAuditLogs, { workspaceId: "w1" });
  expect(rows.map((row: { actor: string }) => row.actor)).toEqual(["carol", "bob", "alice"]);
});

test("an empty workspace gives an empty array", async () => {
  expect(await responseClient.query(anyApi.index.listAuditLogs, { workspaceId: "none" })).toEqual([]);
});
"""
    diff = "- Expected\n+ Received\n\n  [\n-   \"carol\",\n+   \"alice\",\n    \"bob\",\n-   \"alice\",\n+   \"carol\",\n  ]"
    tests = [
        ("compare schema", 30, None),
        ("compare function spec", 25, None),
        ("lists a workspace's entries newest first", 61,
         assertion("AssertionError: expected [ 'alice', 'bob', 'carol' ] to deeply equal [ 'carol', 'bob', 'alice' ]",
                   "expect(rows.map((row: { actor: string }) => row.actor))", diff)),
        ("an empty workspace gives an empty array", 9, None),
    ]
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 0.66))),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("audit-logs")},
        {"convex/index.ts": UNBOUNDED_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader,
        finding="Avoided `.collect()` with `.take(100)` but missed the newest-first ordering the grader expects.",
    )


def fable_storage_http_action(start: str) -> dict[str, Any]:
    path = "004-actions/005-storage_http_action"
    model = STORAGE_HTTP_ANSWER.replace("const blob = await request.blob();\n    const storageId = await ctx.storage.store(blob);",
                                        "const bytes = await request.bytes();\n    const storageId = await ctx.storage.store(new Blob([bytes]));")
    grader = """import { expect, test } from "vitest";
import { siteUrl } from "../../../grader";

test("POST /store stores the body", async () => {
  const response = await fetch(`${siteUrl}/store`, { method: "POST", body: "hello" });
  expect(response.status).toBe(200);
  const { storageId, url } = await response.json();
  expect(typeof storageId).toBe("string");
  expect(await (await fetch(url)).text()).toBe("hello");
});

test("GET /store is rejected", async () => {
  expect((await fetch(`${siteUrl}/store`)).status).toBe(404);
});
"""
    cause = "Server log: Uncaught TypeError: request.bytes is not a function\n    at <anonymous> (../convex/http.ts:10:33)"
    tests = [
        ("POST /store stores the body", 71,
         assertion("AssertionError: expected 500 to be 200 // Object.is equality", "expect(response.status).toBe(200);",
                   "- Expected\n+ Received\n\n- 200\n+ 500", cause)),
        ("GET /store is rejected", 14, None),
    ]
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 0.49))),
        {"convex/http.ts": model, "package.json": pkg("store")},
        {"convex/http.ts": STORAGE_HTTP_ANSWER, "package.json": ANSWER_PKG},
        grader=grader,
        finding="Used `req.bytes()` in the upload handler (the answer uses `request.blob()`); the POST storage tests failed.",
    )


def fable_cascade_delete(start: str) -> dict[str, Any]:
    path = "003-mutations/004-cascade_delete"
    model = CASCADE_DELETE_ANSWER.replace('if (!user) throw new Error("User not found");', "if (!user) return null;")
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("deletes the user and their documents", async () => {
  await deleteAllDocuments(responseAdminClient, ["users", "documents"]);
  const [userId] = await addDocuments(responseAdminClient, "users", [{ name: "a", email: "a@x.com" }]);
  await addDocuments(responseAdminClient, "documents", [{ authorId: userId, title: "t", content: "c" }]);
  await responseClient.mutation(anyApi.index.deleteUserAndDocuments, { userId });
  expect(await listTable(responseAdminClient, "documents")).toEqual([]);
});

test("throws when the user does not exist", async () => {
  const [userId] = await addDocuments(responseAdminClient, "users", [{ name: "b", email: "b@x.com" }]);
  await responseClient.mutation(anyApi.index.deleteUserAndDocuments, { userId });
  await expect(responseClient.mutation(anyApi.index.deleteUserAndDocuments, { userId })).rejects.toThrow(/not found/i);
});
"""
    tests = [
        ("compare schema", 29, None),
        ("compare function spec", 24, None),
        ("deletes the user and their documents", 58, None),
        ("throws when the user does not exist", 33,
         assertion('AssertionError: promise resolved "null" instead of rejecting', "rejects.toThrow(/not found/i)",
                   "- Expected: \n[Error: rejected promise]\n\n+ Received: \nnull")),
    ]
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, start, 0.71))),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("cascade")},
        {"convex/index.ts": CASCADE_DELETE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader,
        finding="Returned `null` when deleting a missing user; the grader expects an error matching /not found/i.",
    )


def fable_normalize_json(start: str) -> dict[str, Any]:
    path = "001-data_modeling/009-normalize_json"
    model = NORMALIZE_JSON_ANSWER.replace('managerId: v.optional(v.id("employees"))', 'manager: v.optional(v.id("employees"))')
    detail = (
        "Object contains extra field `managerId` that is not in the validator.\n\n"
        "Object: {managerId: \"kh72x0c9v8b7n6m5k4j3h2g1f0e9d8c7\", name: \"Sales\", organizationId: \"kd7b2c3d4e5f6g7h8j9k0m1n2p3q4r5s\"}\n"
        "Validator: v.object({manager: v.optional(v.id(\"employees\")), name: v.string(), organizationId: v.id(\"organizations\")})"
    )
    cause = schema_mismatch("departments", 'Value does not match validator.\nPath: .manager\nValue: "Jane"\nValidator: v.id("employees")')
    tests = [
        ("compare schema", 36, None),
        ("compare function spec", 21, None),
        ("employees accept the fields of the JSON", 44, None),
        ("employees accept only required fields", 31, None),
        ("departments accept a manager", 52,
         assertion(schema_mismatch("departments", detail), 'await addDocuments(responseAdminClient, "departments", [{ name: "Sales", organizationId: orgId, manager: "Jane" }]);',
                   cause=cause)),
    ]
    return failure(
        path, "AMBIGUOUS_TASK", "tests",
        after_tests(tests=failed(vitest(path, NORMALIZE_JSON_GRADER, tests, start, 0.88))),
        {"convex/schema.ts": model, "package.json": pkg("org")},
        {"convex/schema.ts": NORMALIZE_JSON_ANSWER, "package.json": ANSWER_PKG},
        grader=NORMALIZE_JSON_GRADER,
        finding="`manager: v.optional(v.id(\"employees\"))` is a valid reading of the task; the grader only accepted `managerId` or `manager: \"Jane\"`.",
    )


def fable_runs() -> list[dict[str, Any]]:
    """The three original runs (five repeated harness failures each, plus genuine ones) and one replacement run."""
    harness = [fable_empty_functions, fable_scheduler, fable_function_calling, fable_batch_delete, fable_internal_fns, fable_unbounded]
    base = {
        "model": "claude-fable-5", "provider": "anthropic", "experiment": "default", "total": 74,
        "report": "reports/anthropic/claude-fable-5/jn79mkv7_2026-06-10.md",
    }
    runs = []
    for n, (run_id, passed, extra, start) in enumerate([
        ("jn79mkv7c4q2y2kttt8vrpfksn88d1vr", 68, [], "08:14"),
        ("jn75w08nrtw0a5xva2x30vy5sn88dfcx", 67, [fable_storage_http_action], "09:02"),
        ("jn747aj5zrrkqkw2cv0q9an07188dgy6", 67, [fable_cascade_delete], "09:47"),
        ("jn7fyvhvdke6a3zqjnp3zseqgx88d5tj", 72, [fable_normalize_json], "15:30"),
    ]):
        makers = (harness if n < 3 else [fable_unbounded]) + extra
        runs.append({
            **base,
            "file": f"anthropic-claude-fable-5-{run_id[:8]}.json",
            "run_id": run_id,
            "passed": passed,
            "run_status": {"kind": "completed", "durationMs": 1904220.0 + 61000.0 * n},
            "evals": [(lambda make=make, at=f"{start}:{10 + 4 * i:02d}": make(at)) for i, make in enumerate(makers)],
        })
    return runs


# =========================================================================== report 4
# minimax/minimax-m2.5, run jn7cecy64b9apjqn99ecq2993h81e9t7, 2026-02-19, 47/66. Every finding is MODEL_FAULT;
# eight are "not analyzed in detail", so their errors follow the report's stated patterns
# (import-path confusion, wrong returns validators, non-existent APIs).


def frontend_stub(message: str) -> str:
    return f"""export default function App() {{
  return <div>{message}</div>;
}}
"""


def minimax_basic_http_endpoint() -> dict[str, Any]:
    path = "000-fundamentals/002-basic_http_endpoint"
    model = HTTP_ENDPOINT_ANSWER.replace(
        'import { httpRouter } from "convex/server";\nimport { httpAction } from "./_generated/server";',
        'import { httpRouter, httpAction } from "./_generated/server";',
    )
    error = deploy_bundle(no_matching_export("convex/http.ts", model, "httpRouter"))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("http-endpoint")},
        {"convex/http.ts": HTTP_ENDPOINT_ANSWER, "package.json": ANSWER_PKG},
        finding="Imported `httpRouter` from `./_generated/server` instead of `convex/server`.",
    )


def minimax_crons() -> dict[str, Any]:
    path = "000-fundamentals/003-crons"
    app = frontend_stub("Cron jobs are running")
    error = tsc_step("src/App.tsx", app, [
        ("<div>", 2875, "This JSX tag requires the module path 'react/jsx-runtime' to exist, but none could be found. "
                        "Make sure you have types for the appropriate package installed."),
    ])
    return failure(
        path, "MODEL_FAULT", "tsc", pipeline(tsc=failed(error)),
        {"convex/crons.ts": CRONS_ANSWER, "src/App.tsx": app, "package.json": pkg("crons")},
        {"convex/crons.ts": CRONS_ANSWER, "package.json": ANSWER_PKG},
        finding="Added an unnecessary `src/App.tsx` with JSX but no React dependency to a backend-only task; tsc failed.",
    )


def minimax_returns_validator() -> dict[str, Any]:
    path = "000-fundamentals/009-returns_validator"
    model = RETURNS_VALIDATOR_ANSWER.replace(
        "returns: v.array(v.union(userValidator, postValidator)),", "returns: v.object({ user: userValidator, post: postValidator }),"
    )
    error = deploy_ts("convex/index.ts", model, [
        ("return [user, post];", 2322,
         "Type '({ _id: Id<\"users\">; _creationTime: number; name: string; email: string; } | { _id: Id<\"posts\">; "
         "_creationTime: number; title: string; content: string; authorId: Id<\"users\">; })[]' is not assignable to "
         "type '{ user: { ...; }; post: { ...; }; }'.", 1, 0, len("return")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("returns")},
        {"convex/index.ts": RETURNS_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Returns validator mismatch (not analyzed in detail by the report).",
    )


SCHEMA_EVOLUTION_ANSWER = {
    "convex/schema.ts": """import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  products: defineTable({
    name: v.string(),
    description: v.optional(v.string()),
    category: v.optional(v.string()),
    active: v.union(v.boolean(), v.literal("active"), v.literal("inactive"), v.literal("banned")),
  }),
});
""",
    "convex/index.ts": """import { mutation, query } from "./_generated/server";
import { Doc } from "./_generated/dataModel";
import { v } from "convex/values";

export function migrateProductHelper(product: Doc<"products">) {
  return {
    _id: product._id,
    _creationTime: product._creationTime,
    name: product.name,
    description: product.description ?? "No description",
    category: undefined,
    active: typeof product.active === "boolean" ? (product.active ? "active" : "inactive") : product.active,
  } as const;
}

export const migrateProduct = mutation({
  args: { productId: v.id("products") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const product = await ctx.db.get(args.productId);
    if (!product) throw new Error("Product not found");
    await ctx.db.replace(args.productId, migrateProductHelper(product));
    return null;
  },
});
""",
    "package.json": ANSWER_PKG,
}


def minimax_schema_evolution() -> dict[str, Any]:
    path = "001-data_modeling/007-schema_evolution"
    schema = SCHEMA_EVOLUTION_ANSWER["convex/schema.ts"].replace("v.union(v.boolean(), v.literal", "v.union(v.literal")
    index = SCHEMA_EVOLUTION_ANSWER["convex/index.ts"].replace(
        'active: typeof product.active === "boolean" ? (product.active ? "active" : "inactive") : product.active,',
        'active: product.active === true ? "active" : product.active,',
    ).replace("category: undefined,", "category: null,")
    error = deploy_ts("convex/index.ts", index, [
        ("product.active === true", 2367,
         "This comparison appears to be unintentional because the types '\"active\" | \"inactive\" | \"banned\"' and 'boolean' have no overlap."),
        ("category: null", 2322, "Type 'null' is not assignable to type 'string | undefined'.", 1, 0, len("category")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/schema.ts": schema, "convex/index.ts": index, "package.json": pkg("schema-evolution")},
        SCHEMA_EVOLUTION_ANSWER,
        finding="Made `active` only the string union, dropping `v.boolean()` needed for backwards compatibility; `category` type mismatch.",
    )


SINGLE_INDEX_ANSWER = """import { query } from "./_generated/server";
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


def minimax_single_column_index() -> dict[str, Any]:
    path = "002-queries/001-single_column_index"
    model = SINGLE_INDEX_ANSWER.replace("  handler: async", "  returns: v.null(),\n  handler: async")
    error = deploy_ts("convex/public.ts", model, [
        ("handler: async", 2322,
         "Type '(ctx: GenericQueryCtx<DataModel>, args: { email: string; }) => Promise<{ _id: Id<\"users\">; _creationTime: number; "
         "email: string; name: string; age: number; } | null>' is not assignable to type "
         "'(ctx: GenericQueryCtx<DataModel>, args: { email: string; }) => ValidatorTypeToReturnType<null>'.\n"
         "  Type 'Promise<{ ...; } | null>' is not assignable to type 'ValidatorTypeToReturnType<null>'.", 1, 0, len("handler")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/public.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("users")},
        {"convex/public.ts": SINGLE_INDEX_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`returns: v.null()` on a query that returns a user or null; should be a union.",
    )


PARALLEL_FETCH_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getAuthorDashboard = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    if (!user) return null;
    const [preferences, posts] = await Promise.all([
      ctx.db.query("userPreferences").withIndex("by_user", (q) => q.eq("userId", user._id)).unique(),
      ctx.db.query("posts").withIndex("by_author", (q) => q.eq("authorId", user._id)).order("desc").take(15),
    ]);
    if (!preferences) throw new Error("Preferences not found");
    const withReactions = await Promise.all(
      posts.map(async (post) => {
        const reactions = await ctx.db.query("reactions").withIndex("by_post", (q) => q.eq("postId", post._id)).collect();
        const reactionCounts = { like: 0, heart: 0, celebrate: 0 };
        for (const r of reactions) reactionCounts[r.type] += 1;
        return { title: post.title, reactionCounts };
      }),
    );
    return {
      user: { name: user.name, email: user.email, theme: preferences.theme, notifications: preferences.notifications },
      posts: withReactions,
    };
  },
});
"""


def minimax_parallel_fetch() -> dict[str, Any]:
    path = "002-queries/010-parallel_fetch"
    model = PARALLEL_FETCH_ANSWER.replace("  handler: async", "  returns: v.null(),\n  handler: async")
    error = deploy_ts("convex/public.ts", model, [
        ("handler: async", 2322,
         "Type '(ctx: GenericQueryCtx<DataModel>, args: { email: string; }) => Promise<{ user: { name: string; email: string; "
         "theme: string; notifications: boolean; }; posts: { title: string; reactionCounts: { ...; }; }[]; } | null>' is not "
         "assignable to type '(ctx: GenericQueryCtx<DataModel>, args: { email: string; }) => ValidatorTypeToReturnType<null>'.",
         1, 0, len("handler")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/public.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("dashboard")},
        {"convex/public.ts": PARALLEL_FETCH_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Same `returns: v.null()` mistake on a query that can return an object.",
    )


DENORMALIZE_PAGINATION_ANSWER = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const paginateDogsByOwnerAge = query({
  args: { cursor: v.union(v.string(), v.null()), numItems: v.number() },
  handler: async (ctx, args) => {
    const result = await ctx.db
      .query("dogs")
      .withIndex("by_owner_age")
      .paginate({ cursor: args.cursor, numItems: args.numItems });
    return {
      dogs: result.page.map((dog) => ({ name: dog.name, breed: dog.breed })),
      continueCursor: result.continueCursor,
    };
  },
});
"""
DENORMALIZE_PAGINATION_MODEL = """import { query } from "./_generated/server";
import { paginationOptsValidator } from "convex/server";

export const paginateDogsByOwnerAge = query({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    const result = await ctx.db.query("dogs").withIndex("by_owner_age").paginate(args.paginationOpts);
    return {
      dogs: result.page.map((dog) => ({ name: dog.name, breed: dog.breed })),
      continueCursor: result.continueCursor,
    };
  },
});
"""
DENORMALIZE_PAGINATION_GRADER = GRADER_HEAD + SCHEMA_SPEC + """
async function page(cursor: string | null, numItems: number) {
  return await responseClient.query(anyApi.index.paginateDogsByOwnerAge, { cursor, numItems });
}

test("first page", async () => {
  expect((await page(null, 2)).dogs).toHaveLength(2);
});

test("second page continues", async () => {
  const first = await page(null, 2);
  expect((await page(first.continueCursor, 2)).dogs).toHaveLength(2);
});

test("orders by owner age", async () => {
  expect((await page(null, 10)).dogs[0].name).toBe("Rex");
});

test("empty table", async () => {
  expect((await page(null, 5)).dogs).toEqual([]);
});
"""


def denormalize_pagination_failure(start: str) -> tuple[str, str]:
    error = (
        "Error: [CONVEX Q(index:paginateDogsByOwnerAge)] [Request ID: 4b2e8f17c0a39d65] Server Error\n"
        "ArgumentValidationError: Object is missing the required field `paginationOpts`. Consider wrapping the field "
        "validator in `v.optional(...)` if this is expected.\n\n"
        "Object: {cursor: null, numItems: 2.0}\n"
        "Validator: v.object({paginationOpts: v.object({cursor: v.union(v.string(), v.null()), numItems: v.float64(), ...})})\n"
    )
    short = "[CONVEX Q(index:paginateDogsByOwnerAge)] [Request ID: 4b2e8f17c0a39d65] Server Error"
    entry = {"short": short, "error": error, "at": "return await responseClient.query(anyApi.index.paginateDogsByOwnerAge"}
    tests = [
        ("compare schema", 32, None),
        ("compare function spec", 27, entry),
        ("first page", 19, entry),
        ("second page continues", 14, entry),
        ("orders by owner age", 12, entry),
        ("empty table", 11, entry),
    ]
    return DENORMALIZE_PAGINATION_MODEL, vitest("002-queries/011-denormalize_pagination", DENORMALIZE_PAGINATION_GRADER, tests, start, 0.52)


def minimax_denormalize_pagination() -> dict[str, Any]:
    path = "002-queries/011-denormalize_pagination"
    model, report = denormalize_pagination_failure("16:12:40")
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(report)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("dogs")},
        {"convex/index.ts": DENORMALIZE_PAGINATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=DENORMALIZE_PAGINATION_GRADER,
        finding="The task specifies flat `{ cursor, numItems }` args; the model used `paginationOptsValidator` (nested `paginationOpts`).",
    )


def minimax_pagination_returns_validator() -> dict[str, Any]:
    path = "002-queries/018-pagination_returns_validator"
    model = """import { query } from "./_generated/server";
import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";

export const paginatePosts = query({
  args: { cursor: v.union(v.string(), v.null()), numItems: v.number() },
  returns: paginationResultValidator(
    v.object({ _id: v.id("posts"), _creationTime: v.number(), title: v.string(), content: v.string() }),
  ),
  handler: async (ctx, args) => {
    return await ctx.db.query("posts").paginate({ cursor: args.cursor, numItems: args.numItems });
  },
});
"""
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("paginates posts", async () => {
  const result = await responseClient.query(anyApi.index.paginatePosts, { paginationOpts: { numItems: 2, cursor: null } });
  expect(result.page).toHaveLength(2);
});
"""
    error = (
        "Error: [CONVEX Q(index:paginatePosts)] [Request ID: 91d04c7e5b2a8f36] Server Error\n"
        "ArgumentValidationError: Object contains extra field `paginationOpts` that is not in the validator.\n\n"
        "Object: {paginationOpts: {cursor: null, numItems: 2.0}}\n"
        "Validator: v.object({cursor: v.union(v.string(), v.null()), numItems: v.float64()})\n"
    )
    entry = {"short": "[CONVEX Q(index:paginatePosts)] [Request ID: 91d04c7e5b2a8f36] Server Error", "error": error,
             "at": "await responseClient.query(anyApi.index.paginatePosts"}
    tests = [("compare schema", 30, None), ("compare function spec", 25, assertion(
        "AssertionError: expected [ { …(5) } ] to deeply equal [ { …(5) } ]", "await compareFunctionSpec(skip);",
        "- Expected\n+ Received\n\n-       \"paginationOpts\": { \"fieldType\": { \"type\": \"object\", … } },\n"
        "+       \"cursor\": { \"fieldType\": { \"type\": \"union\", … } },\n+       \"numItems\": { \"fieldType\": { \"type\": \"number\" } },")),
        ("paginates posts", 16, entry)]
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "16:13:22", 0.47))),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("posts")},
        {"convex/index.ts": PAGINATION_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=grader,
        finding="Likely the same argument-shape pattern as denormalize_pagination (not analyzed in detail by the report).",
    )


NO_SCHEDULER_ANSWER = """import { internalMutation, mutation } from "./_generated/server";
import { internal } from "./_generated/api";
import { v } from "convex/values";

export const logAccess = internalMutation({
  args: { documentId: v.id("documents"), action: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.insert("accessLogs", args);
    return null;
  },
});

export const getDocument = mutation({
  args: { documentId: v.id("documents") },
  handler: async (ctx, args) => {
    const document = await ctx.db.get(args.documentId);
    if (!document) throw new Error("Document not found");
    await ctx.scheduler.runAfter(0, internal.index.logAccess, { documentId: args.documentId, action: "read" });
    return document;
  },
});
"""


def minimax_no_scheduler() -> dict[str, Any]:
    path = "002-queries/019-no_scheduler"
    model = NO_SCHEDULER_ANSWER.replace('import { v } from "convex/values";', 'import { v, Id } from "convex/values";').replace(
        "  args: { documentId: v.id(\"documents\"), action: v.string() },\n  returns: v.null(),\n  handler: async (ctx, args) => {",
        "  args: { documentId: v.id(\"documents\"), action: v.string() },\n  returns: v.null(),\n  handler: async (ctx, args: { documentId: Id<\"documents\">; action: string }) => {",
    )
    error = deploy_ts("convex/index.ts", model, [
        ("Id }", 2305, "Module '\"convex/values\"' has no exported member 'Id'.", 1, 0, 2),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("documents")},
        {"convex/index.ts": NO_SCHEDULER_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Imported `Id` from `convex/values`; it lives in `./_generated/dataModel`.",
    )


def minimax_cascade_delete_nested() -> dict[str, Any]:
    path = "003-mutations/005-cascade_delete_nested"
    model = CASCADE_NESTED_ANSWER.replace(
        """    const commentsOnPosts = await Promise.all(
      posts.map((post) =>
        ctx.db.query("comments").withIndex("by_post", (q) => q.eq("postId", post._id)).collect(),
      ),
    );""",
        """    const postIds = posts.map((post) => post._id);
    const commentsOnPosts = [
      await ctx.db.query("comments").withIndex("by_post", (q) => q._index("by_post").in(postIds)).collect(),
    ];""",
    )
    error = deploy_ts("convex/index.ts", model, [
        ("q._index", 2339, "Property '_index' does not exist on type 'IndexRangeBuilder<{ _id: Id<\"comments\">; _creationTime: number; "
                           "authorId: Id<\"users\">; postId: Id<\"posts\">; content: string; }, [\"postId\", \"_creationTime\"], 0>'.", 1, 2, len("_index")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("cascade")},
        {"convex/index.ts": CASCADE_NESTED_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Used the non-existent `q._index(\"by_post\").in(postIds)`.",
    )


def minimax_no_storage() -> dict[str, Any]:
    path = "003-mutations/006-no_storage"
    model = NO_STORAGE_ANSWER.replace('import { Id } from "./_generated/dataModel";\nimport { v } from "convex/values";',
                                      'import { v, Id } from "convex/values";')
    error = deploy_ts("convex/index.ts", model, [
        ("Id }", 2305, "Module '\"convex/values\"' has no exported member 'Id'.", 1, 0, 2),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("files")},
        {"convex/index.ts": NO_STORAGE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Not analyzed in detail by the report (its pattern: `Id` imported from `convex/values`).",
    )


RUN_MUTATION_ANSWER = """import { action, mutation } from "./_generated/server";
import { api } from "./_generated/api";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

export const saveFetchResult = mutation({
  args: { url: v.string(), data: v.any() },
  handler: async (ctx, args): Promise<Id<"fetchResults">> => {
    return await ctx.db.insert("fetchResults", { url: args.url, data: args.data });
  },
});

export const fetchAndSave = action({
  args: { url: v.string() },
  handler: async (ctx, args): Promise<Id<"fetchResults">> => {
    const response = await fetch(args.url);
    const data = await response.json();
    return await ctx.runMutation(api.index.saveFetchResult, { url: args.url, data });
  },
});
"""


def minimax_run_mutation() -> dict[str, Any]:
    path = "004-actions/001-run_mutation"
    model = RUN_MUTATION_ANSWER.replace('import { v } from "convex/values";', 'import { v } from "convex/values";\nimport fetch from "node-fetch";')
    note = ('  You can mark the path "node-fetch" as external to exclude it from the bundle, which will remove this '
            "error and leave the unresolved path in the bundle.\n")
    error = deploy_bundle(esbuild_error('Could not resolve "node-fetch"', "convex/index.ts", model, '"node-fetch"', notes=note))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("fetch-save")},
        {"convex/index.ts": RUN_MUTATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Not analyzed in detail by the report (here: imports a package it never declared).",
    )


def minimax_run_query_mutation() -> dict[str, Any]:
    path = "004-actions/002-run_query_mutation"
    model = RUN_QUERY_MUTATION_ANSWER.replace(
        "      await ctx.db.patch(existing._id, { data: args.data });\n      return existing._id;",
        "      await ctx.db.patch(existing._id, { data: args.data });\n      return existing;",
    )
    error = deploy_ts("convex/index.ts", model, [
        ("return existing;", 2322,
         "Type '{ _id: Id<\"fetchRequests\">; _creationTime: number; url: string; data: any; }' is not assignable to type "
         "'Id<\"fetchRequests\">'.", 1, 0, len("return")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("fetch-cache")},
        {"convex/index.ts": RUN_QUERY_MUTATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Not analyzed in detail by the report (here: returns the document where the id is declared).",
    )


def minimax_storage_http_action() -> dict[str, Any]:
    path = "004-actions/005-storage_http_action"
    model = STORAGE_HTTP_ANSWER.replace(
        'import { httpRouter } from "convex/server";\nimport { httpAction } from "./_generated/server";',
        'import { httpAction, httpRouter } from "./_generated/server";',
    )
    error = deploy_bundle(no_matching_export("convex/http.ts", model, "httpRouter"))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("store")},
        {"convex/http.ts": STORAGE_HTTP_ANSWER, "package.json": ANSWER_PKG},
        finding="Not analyzed in detail by the report (its pattern: `httpRouter` from `_generated/server`).",
    )


def node_and_query(first_export: str) -> str:
    return NODE_ANSWER.replace(
        'import { action } from "./_generated/server";', 'import { action, query } from "./_generated/server";'
    ) + f"""
export const {first_export} = query({{
  args: {{}},
  handler: async () => "sha256",
}});
"""


def minimax_node() -> dict[str, Any]:
    path = "004-actions/006-node"
    model = node_and_query("hashAlgorithm")
    error = deploy_push(
        "`hashAlgorithm` defined in `index.js` is a Query function. Only actions can be defined in Node.js. "
        "See https://docs.convex.dev/functions/actions for more details."
    )
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "package.json": pkg("node-hash", dev={"@types/node": "^22.10.1"})},
        NODE_ANSWER_FILES,
        finding="Not analyzed in detail by the report (here: a query exported from a \"use node\" file).",
    )


def minimax_http_action_routing() -> dict[str, Any]:
    path = "004-actions/007-http_action_routing"
    model = HTTP_ROUTING_ANSWER.replace(
        'import { httpRouter } from "convex/server";\nimport { httpAction } from "./_generated/server";',
        'import { httpAction, httpRouter } from "./_generated/server";',
    )
    error = deploy_bundle(no_matching_export("convex/http.ts", model, "httpRouter"))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("routes")},
        {"convex/http.ts": HTTP_ROUTING_ANSWER, "package.json": ANSWER_PKG},
        finding="Not analyzed in detail by the report (its pattern: `httpRouter` from `_generated/server`).",
    )


def minimax_batch_queries() -> dict[str, Any]:
    path = "005-idioms/002-batch_queries"
    outputs = batch_queries_model("string", "QueryCtx")
    posts = outputs["convex/posts.ts"].replace('.withIndex("by_user", (q) => q.eq("userId", userId))',
                                               '.withIndex("by_user", (q) => q.eq("userId", userId as string))')
    outputs["convex/posts.ts"] = posts
    error = deploy_ts("convex/posts.ts", posts, [
        ("userId as string)", 2345, "Argument of type 'string' is not assignable to parameter of type 'Id<\"users\">'.", 1, 0, len("userId as string")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error), outputs, BATCH_QUERIES_ANSWER,
        finding="Not analyzed in detail by the report (here: a helper typed with `string` where an `Id<\"users\">` is needed).",
    )


def minimax_use_mutation() -> dict[str, Any]:
    path = "006-clients/001-use_mutation"
    outputs, error = use_mutation_undef_react(path)
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)), outputs, USE_MUTATION_ANSWER,
        grader=USE_MUTATION_GRADER,
        finding="`React` used without import (`no-undef`) and an async handler passed directly to `onSubmit`.",
    )


def minimax_use_paginated_query() -> dict[str, Any]:
    path = "006-clients/002-use_paginated_query"
    app = PAGINATED_APP.replace('from "convex/react"', 'from "@convex-dev/react"')
    error = (
        "npm ERR! code E404\n"
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/@convex-dev%2freact - Not found\n"
        "npm ERR! 404\n"
        "npm ERR! 404  '@convex-dev/react@^0.0.74' is not in this registry.\n"
        "npm ERR! 404\n"
        "npm ERR! 404 Note that you can also install from a\n"
        "npm ERR! 404 tarball, folder, http url, or git url.\n"
    )
    return failure(
        path, "MODEL_FAULT", "install", fails_at_install(error),
        {"convex/schema.ts": ITEMS_SCHEMA, "convex/items.ts": PAGINATED_ITEMS, "src/App.tsx": app, "tsconfig.json": TSCONFIG_SRC,
         "package.json": pkg("items", {**REACT_PKG, "@convex-dev/react": "^0.0.74"}, REACT_DEV)},
        PAGINATED_ANSWER,
        finding="Depended on the non-existent package `@convex-dev/react` (404 on npm).",
    )


MINIMAX = {
    "file": "minimax-minimax-m2.5.json",
    "run_id": "jn7cecy64b9apjqn99ecq2993h81e9t7",
    "model": "minimax-m2.5",
    "provider": "minimax",
    "experiment": "default",
    "run_status": {"kind": "completed", "durationMs": 2480930.0},
    "total": 66,
    "passed": 47,
    "report": "reports/minimax/minimax-m2.5/jn7cecy64_2026-02-19.md",
    "evals": [
        minimax_basic_http_endpoint, minimax_crons, minimax_returns_validator, minimax_schema_evolution,
        minimax_single_column_index, minimax_parallel_fetch, minimax_denormalize_pagination,
        minimax_pagination_returns_validator, minimax_no_scheduler, minimax_cascade_delete_nested, minimax_no_storage,
        minimax_run_mutation, minimax_run_query_mutation, minimax_storage_http_action, minimax_node,
        minimax_http_action_routing, minimax_batch_queries, minimax_use_mutation, minimax_use_paginated_query,
    ],
}


# =========================================================================== report 5
# qwen/qwen3.5-plus-02-15, run jn78pe46wrs899sagdr2kds9w581dq2m, 2026-02-18, 49/66.

JSX_ANY = "JSX element implicitly has type 'any' because no interface 'JSX.IntrinsicElements' exists."


def qwen_basic_http_endpoint() -> dict[str, Any]:
    path = "000-fundamentals/002-basic_http_endpoint"
    app = frontend_stub("HTTP Routes Backend Ready")
    error = tsc_step("src/App.tsx", app, [("<div>", 7026, JSX_ANY), ("</div>", 7026, JSX_ANY)])
    return failure(
        path, "MODEL_FAULT", "tsc", pipeline(tsc=failed(error)),
        {"convex/http.ts": HTTP_ENDPOINT_ANSWER, "src/App.tsx": app, "package.json": pkg("http-routes")},
        {"convex/http.ts": HTTP_ENDPOINT_ANSWER, "package.json": ANSWER_PKG},
        finding="Added `src/App.tsx` with JSX to a backend-only task; no React types, so tsc failed.",
    )


def qwen_scheduler() -> dict[str, Any]:
    path = "000-fundamentals/004-scheduler"
    app = """import { useMutation, useAction } from "convex/react";
import { api } from "../convex/_generated/api";

export default function App() {
  const callerMutation = useMutation(api.index.callerMutation);
  const callerAction = useAction(api.index.callerAction);
  return (
    <div>
      <button onClick={() => callerMutation()}>Run Scheduler Demo</button>
      <button onClick={() => callerAction()}>Run Action Demo</button>
    </div>
  );
}
"""
    error = lint("src/App.tsx", app, [
        ("() => callerMutation()", "Promise-returning function provided to attribute where a void return was expected", "@typescript-eslint/no-misused-promises"),
        ("() => callerAction()", "Promise-returning function provided to attribute where a void return was expected", "@typescript-eslint/no-misused-promises"),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": SCHEDULER_ANSWER, "src/App.tsx": app, "package.json": pkg("scheduler", REACT_PKG, REACT_DEV)},
        {"convex/index.ts": SCHEDULER_ANSWER, "package.json": ANSWER_PKG},
        finding="Added a `src/App.tsx` with async `onClick` handlers to a backend-only task: `no-misused-promises`.",
    )


def qwen_function_calling() -> dict[str, Any]:
    path = "000-fundamentals/005-function_calling"
    app = frontend_stub("Function calling demo")
    error = tsc_step("src/App.tsx", app, [("<div>", 7026, JSX_ANY), ("</div>", 7026, JSX_ANY)])
    return failure(
        path, "MODEL_FAULT", "tsc", pipeline(tsc=failed(error)),
        {"convex/index.ts": FUNCTION_CALLING_ANSWER, "src/App.tsx": app, "package.json": pkg("function-calling")},
        {"convex/index.ts": FUNCTION_CALLING_ANSWER, "package.json": ANSWER_PKG},
        finding="Same as 002: an unnecessary frontend stub with JSX and no React types.",
    )


def qwen_helper_fns() -> dict[str, Any]:
    path = "000-fundamentals/008-helper_fns"
    model = HELPER_FNS_ANSWER.replace(
        'import { mutation, query, QueryCtx } from "./_generated/server";', 'import { mutation, query } from "./_generated/server";'
    ).replace("async function getItemData(ctx: QueryCtx, itemId", "async function getItemData(ctx: any, itemId")
    error = lint("convex/index.ts", model, [
        ("ctx: any", "Unexpected any. Specify a different type", "@typescript-eslint/no-explicit-any", 1, 5),
        ("const item = await ctx.db.get(itemId)", "Unsafe assignment of an `any` value", "@typescript-eslint/no-unsafe-assignment", 1, 6),
        ("ctx.db.get(itemId)", "Unsafe call of an `any` typed value", "@typescript-eslint/no-unsafe-call"),
        ("ctx.db.get(itemId)", "Unsafe member access .db on an `any` value", "@typescript-eslint/no-unsafe-member-access", 1, 4),
        ("name: item.name", "Unsafe assignment of an `any` value", "@typescript-eslint/no-unsafe-assignment"),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("helper")},
        {"convex/index.ts": HELPER_FNS_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`ctx: any` for the shared helper instead of `QueryCtx`: `no-explicit-any` and derived unsafe errors.",
    )


def qwen_returns_validator() -> dict[str, Any]:
    path = "000-fundamentals/009-returns_validator"
    model = RETURNS_VALIDATOR_ANSWER.replace(" as const", "")
    error = deploy_ts("convex/index.ts", model, [
        ('return { success: false, error: "Post not found" };', 2322,
         "Type '{ success: boolean; error: string; }' is not assignable to type '{ success: true; post: { _id: Id<\"posts\">; "
         "_creationTime: number; title: string; content: string; authorId: Id<\"users\">; }; } | { success: false; error: string; }'.\n"
         "  Type '{ success: boolean; error: string; }' is not assignable to type '{ success: false; error: string; }'.\n"
         "    Types of property 'success' are incompatible.\n"
         "      Type 'boolean' is not assignable to type 'false'.", 1, 0, len("return")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("returns")},
        {"convex/index.ts": RETURNS_VALIDATOR_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Returned discriminated-union objects without `as const`, so `success` widened to `boolean`.",
    )


def qwen_denormalize_pagination() -> dict[str, Any]:
    path = "002-queries/011-denormalize_pagination"
    model, report = denormalize_pagination_failure("13:44:05")
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(report)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("dogs")},
        {"convex/index.ts": DENORMALIZE_PAGINATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        grader=DENORMALIZE_PAGINATION_GRADER,
        finding="Used the built-in `paginationOptsValidator` shape instead of the flat `{ cursor, numItems }` the task specifies.",
    )


def qwen_select_distinct() -> dict[str, Any]:
    path = "002-queries/014-select_distinct"
    model = """import { query } from "./_generated/server";
import { v } from "convex/values";

export const getDistinctAges = query({
  args: {},
  returns: v.array(v.number()),
  handler: async (ctx) => {
    const ages: number[] = [];
    let current = await ctx.db.query("users").withIndex("by_age").first();
    while (current !== null) {
      const age = current!.age;
      ages.push(age);
      current = await ctx.db.query("users").withIndex("by_age", (q) => q.gt("age", age)).first();
    }
    let result = await ages;
    return result;
  },
});
"""
    error = lint("convex/index.ts", model, [
        ("current!.age", "This assertion is unnecessary since it does not change the type of the expression", "@typescript-eslint/no-unnecessary-type-assertion"),
        ("result = await", "'result' is never reassigned. Use 'const' instead", "prefer-const"),
        ("await ages", "Unexpected `await` of a non-Promise (non-\"Thenable\") value", "@typescript-eslint/await-thenable"),
    ])
    return failure(
        path, "MODEL_FAULT", "eslint", pipeline(eslint=failed(error)),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("distinct")},
        {"convex/index.ts": SELECT_DISTINCT_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Correct algorithm but `prefer-const`, `no-unnecessary-type-assertion` and `await-thenable` (awaiting non-Promises).",
    )


INTERSECTION_ANSWER = """import { query } from "./_generated/server";

export const getActiveUsersWithPosts = query({
  args: {},
  handler: async (ctx) => {
    const users = await ctx.db.query("users").withIndex("by_status", (q) => q.eq("status", "active")).collect();
    return await Promise.all(
      users.map(async (user) => {
        const posts = await ctx.db
          .query("posts")
          .withIndex("by_published", (q) => q.eq("authorId", user._id).eq("published", true))
          .collect();
        return { userId: user._id, name: user.name, posts: posts.map((post) => ({ title: post.title })) };
      }),
    );
  },
});
"""


def qwen_intersection() -> dict[str, Any]:
    path = "002-queries/021-intersection"
    schema = schema_from_task(path).replace('index("by_published"', 'index("by_authorId_and_published"')
    index = INTERSECTION_ANSWER.replace('withIndex("by_published"', 'withIndex("by_authorId_and_published"')
    grader = GRADER_HEAD + SCHEMA_SPEC + """
test("returns active users with their published posts", async () => {
  await deleteAllDocuments(responseAdminClient, ["users", "posts"]);
  const [a] = await addDocuments(responseAdminClient, "users", [{ name: "a", status: "active" }]);
  await addDocuments(responseAdminClient, "posts", [{ authorId: a, title: "t", published: true }]);
  const result = await responseClient.query(anyApi.index.getActiveUsersWithPosts, {});
  expect(result).toEqual([{ userId: a, name: "a", posts: [{ title: "t" }] }]);
});
"""
    diff = (
        "- Expected\n+ Received\n\n    \"posts\": {\n      \"indexes\": [\n        {\n"
        "-         \"indexDescriptor\": \"by_published\",\n+         \"indexDescriptor\": \"by_authorId_and_published\",\n"
        "          \"fields\": [\"authorId\", \"published\"],\n        },\n      ],"
    )
    tests = [("compare schema", 41, assertion("AssertionError: expected { tables: [ …(2) ] } to deeply equal { tables: [ …(2) ] }",
                                             "await compareSchema(skip);", diff))]
    tests += [(f"case {n}", 20 + n, None) for n in range(1, 7)]
    tests.insert(1, ("compare function spec", 24, None))
    return failure(
        path, "MODEL_FAULT", "tests", after_tests(tests=failed(vitest(path, grader, tests, "13:47:30", 0.81))),
        {"convex/schema.ts": schema, "convex/index.ts": index, "package.json": pkg("intersection")},
        {"convex/schema.ts": schema_from_task(path), "convex/index.ts": INTERSECTION_ANSWER, "package.json": ANSWER_PKG},
        grader=grader,
        finding="Named the index `by_authorId_and_published` instead of the required `by_published` (schema comparison, 7/8 passed).",
    )


PATCH_NESTED_ANSWER = """import { mutation, query } from "./_generated/server";
import { v } from "convex/values";

const contact = v.object({ email: v.string(), phone: v.optional(v.string()) });
const author = v.object({ name: v.string(), contact });
const metadata = v.object({ title: v.string(), author, tags: v.array(v.string()) });

export const createDocument = mutation({
  args: { metadata, content: v.string() },
  handler: async (ctx, args) => await ctx.db.insert("documents", args),
});

export const patchDocumentMetadata = mutation({
  args: { documentId: v.id("documents"), metadata },
  returns: v.null(),
  handler: async (ctx, args) => {
    const document = await ctx.db.get(args.documentId);
    if (!document) throw new Error("Document not found");
    await ctx.db.patch(args.documentId, { metadata: args.metadata });
    return null;
  },
});

export const patchAuthorInfo = mutation({
  args: { documentId: v.id("documents"), author },
  returns: v.null(),
  handler: async (ctx, args) => {
    const document = await ctx.db.get(args.documentId);
    if (!document) throw new Error("Document not found");
    await ctx.db.patch(args.documentId, { metadata: { ...document.metadata, author: args.author } });
    return null;
  },
});

export const getDocument = query({
  args: { documentId: v.id("documents") },
  handler: async (ctx, args) => await ctx.db.get(args.documentId),
});
"""


def qwen_patch_nested() -> dict[str, Any]:
    path = "003-mutations/003-patch_nested"
    model = PATCH_NESTED_ANSWER.replace("{ metadata: { ...document.metadata, author: args.author } }", "{ metadata: { author: args.author } }")
    error = deploy_ts("convex/index.ts", model, [
        ("{ metadata: { author: args.author } }", 2345,
         "Argument of type '{ metadata: { author: { name: string; contact: { email: string; phone?: string | undefined; }; }; }; }' "
         "is not assignable to parameter of type 'Partial<{ metadata: { title: string; author: { ...; }; tags: string[]; }; content: string; }>'.\n"
         "  Types of property 'metadata' are incompatible.\n"
         "    Type '{ author: { name: string; contact: { email: string; phone?: string | undefined; }; }; }' is missing the following "
         "properties from type '{ title: string; author: { name: string; contact: { email: string; phone?: string | undefined; }; }; tags: string[]; }': title, tags"),
    ])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("patch-nested")},
        {"convex/index.ts": PATCH_NESTED_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Patched a partial nested object without spreading the existing one; GAPS.txt documents it.",
    )


def qwen_no_storage() -> dict[str, Any]:
    path = "003-mutations/006-no_storage"
    model = """import { mutation } from "./_generated/server";
import { Id } from "./_generated/dataModel";
import { v } from "convex/values";

export const uploadFile = mutation({
  args: { contents: v.string(), fileName: v.string() },
  handler: async (ctx, args): Promise<{ fileId: Id<"files">; storageId: Id<"_storage">; url: string | null }> => {
    const blob = new Blob([args.contents]);
    const storageId = await ctx.storage.store(blob);
    const fileId = await ctx.db.insert("files", { storageId, fileName: args.fileName, size: blob.size });
    const url = await ctx.storage.getUrl(storageId);
    return { fileId, storageId, url };
  },
});

export const storeFileMetadata = mutation({
  args: { storageId: v.id("_storage"), fileName: v.string(), size: v.number() },
  handler: async (ctx, args): Promise<Id<"files">> => {
    return await ctx.db.insert("files", args);
  },
});
"""
    error = deploy_ts("convex/index.ts", model, [
        ("ctx.storage.store", 2339, "Property 'store' does not exist on type 'StorageWriter'.", 1, 12, len("store")),
    ])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("files")},
        {"convex/index.ts": NO_STORAGE_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`uploadFile` is a mutation, but storage writes are only available in actions; GAPS.txt documents it.",
    )


def qwen_run_mutation() -> dict[str, Any]:
    path = "004-actions/001-run_mutation"
    model = '"use node";\n\n' + RUN_MUTATION_ANSWER.replace("api.index.saveFetchResult", "internal.index.saveFetchResult").replace(
        'import { api } from "./_generated/api";', 'import { internal } from "./_generated/api";')
    error = deploy_push(
        "`saveFetchResult` defined in `index.js` is a Mutation function. Only actions can be defined in Node.js. "
        "See https://docs.convex.dev/functions/actions for more details."
    )
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("fetch-save")},
        {"convex/index.ts": RUN_MUTATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="Added `\"use node\"` to the whole file, making its mutation invalid; also `internal.*` for a public function.",
    )


def qwen_run_query_mutation() -> dict[str, Any]:
    path = "004-actions/002-run_query_mutation"
    model = RUN_QUERY_MUTATION_ANSWER.replace("api.index", "internal.index").replace(
        'import { api } from "./_generated/api";', 'import { internal } from "./_generated/api";').replace(
        "handler: async (ctx, args): Promise<Id<\"fetchRequests\">> => {\n    const cached", "handler: async (ctx, args) => {\n    const cached")
    error = deploy_ts("convex/index.ts", model, [
        ("fetchIfNeeded", 7022,
         "'fetchIfNeeded' implicitly has type 'any' because it does not have a type annotation and is referenced directly "
         "or indirectly in its own initializer."),
        ("internal.index.getFetchResult", 2339, "Property 'getFetchResult' does not exist on type '{}'.", 1, 15, len("getFetchResult")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": model, "convex/schema.ts": schema_from_task(path), "package.json": pkg("fetch-cache")},
        {"convex/index.ts": RUN_QUERY_MUTATION_ANSWER, "convex/schema.ts": schema_from_task(path), "package.json": ANSWER_PKG},
        finding="`internal.*` for public functions and no return annotation to break the type cycle.",
    )


def qwen_storage_http_action() -> dict[str, Any]:
    path = "004-actions/005-storage_http_action"
    model = STORAGE_HTTP_ANSWER.replace(
        "const url = await ctx.storage.getUrl(storageId);",
        "const url = `${process.env.CONVEX_SITE_URL}/getFile?storageId=${storageId}`;",
    )
    error = deploy_ts("convex/http.ts", model, [
        ("process.env", 2580, "Cannot find name 'process'. Do you need to install type definitions for node? Try `npm i --save-dev @types/node`.", 1, 0, len("process")),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("store")},
        {"convex/http.ts": STORAGE_HTTP_ANSWER, "package.json": ANSWER_PKG},
        finding="Used `process.env.CONVEX_SITE_URL` without adding `@types/node` to devDependencies.",
    )


def qwen_node() -> dict[str, Any]:
    path = "004-actions/006-node"
    error = deploy_ts("convex/index.ts", NODE_ANSWER, [
        ('"crypto"', 2307, "Cannot find module 'crypto' or its corresponding type declarations."),
        ('"path"', 2307, "Cannot find module 'path' or its corresponding type declarations."),
    ])
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/index.ts": NODE_ANSWER, "package.json": pkg("node-action")},
        NODE_ANSWER_FILES,
        finding="Correctly used `\"use node\"` and Node built-ins but forgot the `@types/node` devDependency.",
    )


def qwen_http_action_routing() -> dict[str, Any]:
    path = "004-actions/007-http_action_routing"
    model = HTTP_ROUTING_ANSWER.replace(
        'import { httpRouter } from "convex/server";\nimport { httpAction } from "./_generated/server";',
        'import { httpRouter, httpAction } from "./_generated/server";',
    ).replace('{ pathPrefix: "/api/", method', '{ path: "/api/*", method')
    error = deploy_bundle(no_matching_export("convex/http.ts", model, "httpRouter"))
    return failure(
        path, "MODEL_FAULT", "deploy", fails_at_deploy(error),
        {"convex/http.ts": model, "package.json": pkg("routes")},
        {"convex/http.ts": HTTP_ROUTING_ANSWER, "package.json": ANSWER_PKG},
        finding="Imported `httpRouter` from `./_generated/server`; also the `/api/*` glob GAPS.txt documents.",
    )


def qwen_batch_queries() -> dict[str, Any]:
    path = "005-idioms/002-batch_queries"
    outputs = batch_queries_model("Id<\"users\">", "any")
    posts = outputs["convex/posts.ts"]
    error = deploy_ts("convex/posts.ts", posts, [("(q) =>", 7006, "Parameter 'q' implicitly has an 'any' type.", 1, 1, 1)])
    return failure(
        path, "KNOWN_GAP", "deploy", fails_at_deploy(error), outputs, BATCH_QUERIES_ANSWER,
        finding="`ctx: any` in the helper makes the index callback's `q` implicitly `any`; the report cites GAPS.txt.",
    )


def qwen_use_mutation() -> dict[str, Any]:
    path = "006-clients/001-use_mutation"
    app = USE_MUTATION_ANSWER_APP.replace("  const [isSending, setIsSending] = useState(false);\n", "").replace(
        "    setIsSending(true);\n    try {\n      await sendMessage({ author, body });\n      setBody(\"\");\n    } finally {\n      setIsSending(false);\n    }",
        "    await sendMessage({ author, body });\n    setBody(\"\");",
    ).replace("disabled={isSending}", "disabled={sendMessage.isPending}").replace(
        "{isSending ? ", "{sendMessage.isPending ? ")
    mutation_type = "ReactMutation<FunctionReference<\"mutation\", \"public\", { author: string; body: string; }, Id<\"messages\">, string | undefined>>"
    error = tsc_step("src/App.tsx", app, [
        ("sendMessage.isPending", 2339, f"Property 'isPending' does not exist on type '{mutation_type}'.", 1, 12),
        ("sendMessage.isPending", 2339, f"Property 'isPending' does not exist on type '{mutation_type}'.", 2, 12),
    ])
    return failure(
        path, "MODEL_FAULT", "tsc", pipeline(tsc=failed(error)),
        {"convex/schema.ts": MESSAGES_SCHEMA, "convex/messages.ts": SEND_MESSAGE, "src/App.tsx": app,
         "package.json": pkg("chat", REACT_PKG, REACT_DEV), "tsconfig.json": TSCONFIG_SRC},
        USE_MUTATION_ANSWER, grader=USE_MUTATION_GRADER,
        finding="Assumed a React-Query style `isPending` on Convex's `useMutation` result (TS2339).",
    )


QWEN = {
    "file": "qwen-qwen3.5-plus-02-15.json",
    "run_id": "jn78pe46wrs899sagdr2kds9w581dq2m",
    "model": "qwen3.5-plus-02-15",
    "provider": "qwen",
    "experiment": "default",
    "run_status": {"kind": "completed", "durationMs": 384000.0},
    "total": 66,
    "passed": 49,
    "report": "reports/qwen/qwen3.5-plus-02-15/jn78pe46_2026-02-18.md",
    "evals": [
        qwen_basic_http_endpoint, qwen_scheduler, qwen_function_calling, qwen_helper_fns, qwen_returns_validator,
        qwen_denormalize_pagination, qwen_select_distinct, qwen_intersection, qwen_patch_nested, qwen_no_storage,
        qwen_run_mutation, qwen_run_query_mutation, qwen_storage_http_action, qwen_node, qwen_http_action_routing,
        qwen_batch_queries, qwen_use_mutation,
    ],
}

RUNS: list[dict[str, Any]] = [OPUS, CODEX, *fable_runs(), MINIMAX, QWEN]


# =========================================================================== assembly


def eval_sources(eval_path: str, answer: dict[str, str], grader: str) -> dict[str, str]:
    files = {"TASK.txt": TASKS[eval_path]}
    files.update({f"answer/{p}": text for p, text in answer.items()})
    if grader:
        files["grader.test.ts"] = grader
    if eval_path in GAPS:
        files["GAPS.txt"] = GAPS[eval_path]
    return files


def build_bundle(spec: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    run_id = spec["run_id"]
    run = {
        "_id": run_id,
        "model": spec["model"],
        "provider": spec["provider"],
        "experiment": spec["experiment"],
        "status": spec["run_status"],
    }
    failed_evals, evals, labels = [], {}, []
    for make in spec["evals"]:
        ev = make()
        path = ev["path"]
        category, name = path.split("/")
        eval_id = convex_id("k57", f"fixture-runs/{run_id}/{path}")
        steps = ev["steps"]
        assert [s["name"] for s in steps] == list(STEP_ORDER), path
        first_failed = next(s for s in steps if s["status"]["kind"] == "failed")
        assert first_failed["name"] == ev["failed_step"], (path, first_failed["name"])
        reason = STEP_FAILURE_REASON[ev["failed_step"]]
        failed_evals.append({
            "_id": eval_id, "evalPath": path, "category": category, "name": name, "failureReason": reason,
            "failedStep": {"name": ev["failed_step"], "failureReason": first_failed["status"]["failureReason"]},
        })
        evals[eval_id] = {
            "eval": {
                "_id": eval_id, "evalPath": path, "category": category, "name": name,
                "status": {"kind": "failed", "failureReason": reason, "durationMs": ev["duration"]},
                "task": TASKS[path],
            },
            "run": {**run, "runId": run_id},
            "steps": steps,
            "outputFiles": ev["outputs"],
            "evalSourceFiles": eval_sources(path, ev["answer"], ev["grader"]),
        }
        labels.append({
            "run_id": run_id, "eval_path": path, "classification": ev["label"],
            "reported_as": ev["reported_as"], "source": spec["report"], "finding": ev["finding"],
        })
    summary = {
        "run": run,
        "totalEvals": float(spec["total"]),
        "passedCount": float(spec["passed"]),
        "failedCount": float(len(failed_evals)),
        "failedEvals": failed_evals,
    }
    return {"format": BUNDLE_FORMAT, "summary": summary, "evals": evals}, labels


def validate(bundle: dict[str, Any], spec: dict[str, Any]) -> None:
    """The invariants of SPEC section 4 that consumers rely on; raises AssertionError with the reason."""
    summary, evals = bundle["summary"], bundle["evals"]
    assert is_convex_id(summary["run"]["_id"], ("jn7",)), summary["run"]["_id"]
    assert summary["failedCount"] == len(summary["failedEvals"]) == len(evals)
    # One opus eval never completed: it is neither passed nor failed.
    assert summary["passedCount"] + summary["failedCount"] <= summary["totalEvals"]
    paths = [fe["evalPath"] for fe in summary["failedEvals"]]
    assert len(set(paths)) == len(paths), spec["file"]
    for fe in summary["failedEvals"]:
        detail = evals[fe["_id"]]
        assert detail["eval"]["task"] == detail["evalSourceFiles"]["TASK.txt"]
        assert {s["status"]["kind"] for s in detail["steps"]} <= {"passed", "failed", "skipped"}


def build_all() -> dict[Path, str]:
    files: dict[Path, str] = {}
    labels: list[dict[str, str]] = []
    for spec in RUNS:
        bundle, bundle_labels = build_bundle(spec)
        validate(bundle, spec)
        files[RUNS_DIR / spec["file"]] = render(bundle)
        labels.extend(bundle_labels)
    assert all(label["classification"] in CLASSES for label in labels)
    files[LABELS_FILE] = "".join(json.dumps(label, ensure_ascii=False) + "\n" for label in labels)
    files[RUNS_DIR / "README.md"] = readme(labels)
    return files


README_HEAD = """# Bundles rebuilt from the convex-evals fixture reports

Generated by `examples/build_fixture_runs.py` (do not edit by hand; `--check`
verifies they are current). Each bundle reproduces one run that a convex-evals
maintainer triaged in a run-analysis report; the labels in
`examples/labels/fixture-runs.jsonl` are that report's classes, one per failure.

- Run ids, models, providers, experiments, pass rates, and each failure's eval,
  step and class come from the reports. All five reports give full 32-character
  run ids, so no id is made up.
- TASK.txt and GAPS.txt are the convex-evals texts (Apache License 2.0),
  verbatim. Model outputs, answers, graders and error texts are written to
  reproduce the error each finding describes. For findings the report marks
  "not analyzed in detail", the error is a plausible model mistake that follows
  the report's stated patterns, and the label keeps the report's class.
- Non-standard classes are mapped to the taxonomy: `HARNESS_FAILURE` becomes
  `AMBIGUOUS_TASK` (the grader-infrastructure case SPEC section 3 files there),
  and `TEST_FAILURE` becomes `OVERLY_STRICT` (the grader demands more than the
  task). `AMBIGUOUS_TASK (infrastructure)` stays `AMBIGUOUS_TASK`. Each label
  keeps the class as written in `reported_as`, the report in `source`, and the
  finding in `finding`.
- The reports disagree with each other in places. For example, the same missing
  `@types/node` error is `KNOWN_GAP` in two reports and `MODEL_FAULT` in a
  third. The labels keep each report's call, so no classifier can score 100%.

These bundles live in a subdirectory so that `tests/test_example_reports.py`
(which reads `examples/runs/*.json`) does not write reports for them. Score a
classifier against them with:

```sh
evalanalysis evaluate --labels examples/labels/fixture-runs.jsonl examples/runs/fixtures/*.json
```
"""


def readme(labels: list[dict[str, str]]) -> str:
    """The README: how the bundles were made, then one table per run of its labelled failures."""
    out = [README_HEAD]
    for spec in RUNS:
        rows = [label for label in labels if label["run_id"] == spec["run_id"]]
        out.append(f"\n## {spec['file']}: {spec['model']} ({spec['provider']}), {spec['passed']}/{spec['total']} passed\n")
        out.append(f"Run `{spec['run_id']}`, experiment `{spec['experiment']}`, from `{spec['report']}`.\n")
        out.append("| eval | class | reported as | finding |\n| --- | --- | --- | --- |")
        for label in rows:
            reported = "" if label["reported_as"] == label["classification"] else label["reported_as"]
            out.append(f"| {label['eval_path']} | {label['classification']} | {reported} | {label['finding'].replace('|', '/')} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check(build_all(), argv)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
