"""What the five convex-evals reports in tests/data/reports say, transcribed by reading them by hand.

One tuple per per-failure finding: (eval path, failed step or None when the
report gives none, class as written). Failures a report lists without a class
(the claude-fable-5 follow-up runs' "Remaining failures", the grader issue found
in 001-data_modeling/009-normalize_json) are not findings: nothing was concluded
about them.
"""

QWEN = "qwen/qwen3.5-plus-02-15/jn78pe46_2026-02-18.md"
MINIMAX = "minimax/minimax-m2.5/jn7cecy64_2026-02-19.md"
FABLE = "anthropic/claude-fable-5/jn79mkv7_2026-06-10.md"
OPUS = "anthropic/claude-opus-4-6/jn72t14a_2026-02-06.md"
CODEX = "openai/gpt-5.2-codex/jn76nmvg_2026-02-11.md"

# Sections grouped by category (`### 000-fundamentals`, then `#### 002-basic_http_endpoint — tsc`).
QWEN_FINDINGS = [
    ("000-fundamentals/002-basic_http_endpoint", "tsc", "MODEL_FAULT"),
    ("000-fundamentals/004-scheduler", "eslint", "MODEL_FAULT"),
    ("000-fundamentals/005-function_calling", "tsc", "MODEL_FAULT"),
    ("000-fundamentals/008-helper_fns", "eslint", "MODEL_FAULT"),
    ("000-fundamentals/009-returns_validator", "deploy", "MODEL_FAULT"),
    ("002-queries/011-denormalize_pagination", "tests", "MODEL_FAULT"),
    ("002-queries/014-select_distinct", "eslint", "MODEL_FAULT"),
    ("002-queries/021-intersection", "tests", "MODEL_FAULT"),
    ("003-mutations/003-patch_nested", "deploy", "KNOWN_GAP"),
    ("003-mutations/006-no_storage", "deploy", "KNOWN_GAP"),
    ("004-actions/001-run_mutation", "deploy", "MODEL_FAULT"),
    ("004-actions/002-run_query_mutation", "deploy", "MODEL_FAULT"),
    ("004-actions/005-storage_http_action", "deploy", "MODEL_FAULT"),
    ("004-actions/006-node", "deploy", "MODEL_FAULT"),
    ("004-actions/007-http_action_routing", "deploy", "MODEL_FAULT"),
    ("005-idioms/002-batch_queries", "deploy", "KNOWN_GAP"),
    ("006-clients/001-use_mutation", "tsc", "MODEL_FAULT"),
]

# Numbered `### 4. 001-data_modeling/007-schema_evolution — deploy (tsc)` with bold bullets; some classes
# carry qualifiers such as "(not analyzed in detail)".
MINIMAX_FINDINGS = [
    ("000-fundamentals/002-basic_http_endpoint", "deploy", "MODEL_FAULT"),
    ("000-fundamentals/003-crons", "tsc", "MODEL_FAULT"),
    ("000-fundamentals/009-returns_validator", "deploy", "MODEL_FAULT"),
    ("001-data_modeling/007-schema_evolution", "deploy", "MODEL_FAULT"),
    ("002-queries/001-single_column_index", "deploy", "MODEL_FAULT"),
    ("002-queries/010-parallel_fetch", "deploy", "MODEL_FAULT"),
    ("002-queries/011-denormalize_pagination", "tests", "MODEL_FAULT"),
    ("002-queries/018-pagination_returns_validator", "tests", "MODEL_FAULT (likely same pattern as denormalize_pagination)"),
    ("002-queries/019-no_scheduler", "deploy", "MODEL_FAULT"),
    ("003-mutations/005-cascade_delete_nested", "deploy", "MODEL_FAULT"),
    ("003-mutations/006-no_storage", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("004-actions/001-run_mutation", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("004-actions/002-run_query_mutation", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("004-actions/005-storage_http_action", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("004-actions/006-node", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("004-actions/007-http_action_routing", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("005-idioms/002-batch_queries", "deploy", "MODEL_FAULT (not analyzed in detail)"),
    ("006-clients/001-use_mutation", "eslint", "MODEL_FAULT"),
    ("006-clients/002-use_paginated_query", "install", "MODEL_FAULT"),
]

# A multi-run report: a table of grader failures with the team's own classes, then `###` sections.
FABLE_FINDINGS = [
    ("000-fundamentals/000-empty_functions", None, "HARNESS_FAILURE"),
    ("000-fundamentals/004-scheduler", None, "HARNESS_FAILURE"),
    ("000-fundamentals/005-function_calling", None, "HARNESS_FAILURE"),
    ("003-mutations/007-batch_delete_self_schedule", None, "TEST_FAILURE"),
    ("005-idioms/000-internal_fns", None, "HARNESS_FAILURE"),
    ("002-queries/022-unbounded_query_no_collect", None, "MODEL_FAULT"),
    ("004-actions/005-storage_http_action", None, "MODEL_FAULT"),
    ("003-mutations/004-cascade_delete", None, "MODEL_FAULT"),
]

# `### 1. 002-basic_http_endpoint (000-fundamentals) -- tests (0%)` with `**Classification**:` paragraphs.
OPUS_FINDINGS = [
    ("000-fundamentals/002-basic_http_endpoint", "tests", "AMBIGUOUS_TASK (infrastructure)"),
    ("000-fundamentals/003-crons", "deploy", "MODEL_FAULT"),
    ("002-queries/014-select_distinct", "eslint", "OVERLY_STRICT"),
    ("002-queries/018-pagination_returns_validator", "deploy", "KNOWN_GAP"),
    ("003-mutations/005-cascade_delete_nested", "eslint", "MODEL_FAULT"),
    ("004-actions/002-run_query_mutation", "eslint", "MODEL_FAULT"),
    ("004-actions/003-mutation_schedule_action", "tests", "MODEL_FAULT"),
    ("004-actions/005-storage_http_action", "deploy", "KNOWN_GAP"),
    ("004-actions/007-http_action_routing", "eslint", "OVERLY_STRICT"),
    ("006-clients/001-use_mutation", "eslint", "KNOWN_GAP"),
]
# Repeats the opus report states: "Same issue as previous run (jn7922)", the "Recurring from previous run"
# pattern list, and "The previous report (jn7922) classified this as MODEL_FAULT".
OPUS_REPEATS = {
    "000-fundamentals/003-crons",
    "002-queries/018-pagination_returns_validator",
    "003-mutations/005-cascade_delete_nested",
    "004-actions/002-run_query_mutation",
    "004-actions/005-storage_http_action",
    "006-clients/001-use_mutation",
}

# A classification table and `### 1) 000-fundamentals/003-crons — OVERLY_STRICT` sections with the same findings.
CODEX_FINDINGS = [
    ("000-fundamentals/003-crons", "tests", "OVERLY_STRICT"),
    ("000-fundamentals/005-function_calling", "deploy", "KNOWN_GAP"),
    ("000-fundamentals/008-helper_fns", "eslint", "MODEL_FAULT"),
    ("000-fundamentals/009-returns_validator", "deploy", "MODEL_FAULT"),
    ("001-data_modeling/009-normalize_json", "tests", "MODEL_FAULT"),
    ("002-queries/012-index_and_filter", "tests", "OVERLY_STRICT"),
    ("002-queries/013-async_iterator_filter", "deploy", "MODEL_FAULT"),
    ("002-queries/017-pagination_join", "deploy", "MODEL_FAULT"),
    ("002-queries/018-pagination_returns_validator", "deploy", "MODEL_FAULT"),
    ("003-mutations/005-cascade_delete_nested", "deploy", "MODEL_FAULT"),
    ("003-mutations/006-no_storage", "deploy", "KNOWN_GAP"),
    ("004-actions/004-storage", "deploy", "KNOWN_GAP"),
    ("004-actions/005-storage_http_action", "deploy", "KNOWN_GAP"),
    ("004-actions/006-node", "deploy", "KNOWN_GAP"),
    ("004-actions/007-http_action_routing", "tests", "KNOWN_GAP"),
    ("005-idioms/002-batch_queries", "deploy", "KNOWN_GAP"),
    ("006-clients/000-use_query", "tests", "OVERLY_STRICT"),
    ("006-clients/001-use_mutation", "eslint", "KNOWN_GAP"),
    ("006-clients/002-use_paginated_query", "deploy", "MODEL_FAULT"),
]

FINDINGS = {QWEN: QWEN_FINDINGS, MINIMAX: MINIMAX_FINDINGS, FABLE: FABLE_FINDINGS, OPUS: OPUS_FINDINGS, CODEX: CODEX_FINDINGS}

# (run ids, provider, model as written, experiment, date, pass rate as written)
METADATA = {
    QWEN: (("jn78pe46wrs899sagdr2kds9w581dq2m",), "qwen", "qwen/qwen3.5-plus-02-15", "default (with guidelines)",
           "2026-02-18", "49 / 66 (74.2%)"),
    MINIMAX: (("jn7cecy64b9apjqn99ecq2993h81e9t7",), "minimax", "minimax/minimax-m2.5", "default (with guidelines)",
              "2026-02-19", "47/66 (71%)"),
    FABLE: (("jn79mkv7c4q2y2kttt8vrpfksn88d1vr", "jn75w08nrtw0a5xva2x30vy5sn88dfcx", "jn747aj5zrrkqkw2cv0q9an07188dgy6"),
            "anthropic", "claude-fable-5", "default", "2026-06-10", "68/74, 67/74, 67/74"),
    OPUS: (("jn72t14a0tmje3jrj9wwng78gh80mdfw",), "anthropic", "claude-opus-4-6", "default", "2026-02-06", "55/66 (83.3%)"),
    CODEX: (("jn76nmvgpcdwcmpnpkv2rzea8s80y3ef",), "openai", "gpt-5.2-codex", "no_guidelines", "2026-02-11", "47/66 (71.2%)"),
}

# How many "Actions taken" entries each report records ("Actions Taken in This Session" in the opus one).
ACTION_COUNTS = {QWEN: 0, MINIMAX: 0, FABLE: 4, OPUS: 4, CODEX: 0}
