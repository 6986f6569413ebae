"""The error fingerprint: equal for the same failure in two runs, different when the error changed."""

from __future__ import annotations

from evalanalysis import evidence

VITEST = """FAIL tests/api.test.ts > lists items {ms}ms
  AssertionError: expected 3 to equal 4
 ❯ /tmp/run-{rid}/convex/api.ts:{line}:5
 ✓ tests/api.test.ts > creates an item {ms}ms
Duration {s}s"""


def test_the_same_failure_in_two_runs_has_one_fingerprint():
    a = evidence.error_fingerprint("tests", VITEST.format(ms=12, rid="jn7abcdefghjkmnpqrstvwxyz0123456", line=12, s="1.23"))
    b = evidence.error_fingerprint("tests", VITEST.format(ms=40, rid="jn7zzzzzzzzzzzzzzzzzzzzzzzzzzzzz", line=19, s="2.5"))
    assert a == b and a.key == b.key
    assert str(a) == "tests: FAIL <path> > lists items <duration>\nAssertionError: expected 3 to equal 4"


def test_a_different_error_or_step_is_a_different_failure():
    base = evidence.error_fingerprint("tests", "AssertionError: expected 3 to equal 4")
    assert evidence.error_fingerprint("tests", "AssertionError: expected 3 to equal 5").key != base.key
    assert evidence.error_fingerprint("deploy", "AssertionError: expected 3 to equal 4").key != base.key
    assert len(base.key) == 12 and int(base.key, 16) >= 0


def test_rule_ids_codes_and_values_stay_while_paths_positions_ids_hashes_and_times_go():
    eslint = evidence.normalise_error("/home/me/p/convex/messages.ts\n  12:5  error  Unexpected any  @typescript-eslint/no-explicit-any")
    assert eslint == "<path>\n<pos> error Unexpected any @typescript-eslint/no-explicit-any"
    deploy = evidence.normalise_error(
        "Error: commit a1b2c3d4e5 failed at 2026-01-02T03:04:05Z after 30 seconds for k57abcdefghjkmnpqrstvwxyz0123456\n"
        "convex/schema.ts(3,4): error TS2322: Type 'string' is not assignable to type 'number'. (request 0f8e1d2c-aaaa-bbbb-cccc-0123456789ab)"
    )
    assert deploy == (
        "Error: commit <hash> failed at <time> after <duration> for <id>\n"
        "<path>: error TS2322: Type 'string' is not assignable to type 'number'. (request <id>)"
    )


def test_no_error_text_still_fingerprints_the_step():
    assert str(evidence.error_fingerprint(None, None)) == "unknown"
    assert evidence.error_fingerprint("deploy", "").text == ""


def test_a_position_at_the_start_of_the_one_line_error_is_normalised():
    # Reports keep the error's telling line, stripped: ESLint's `12:5  error ...` then starts the text.
    moved = evidence.error_fingerprint("eslint", "14:3 error 'x' is never reassigned. Use 'const' instead prefer-const")
    original = evidence.error_fingerprint("eslint", "11:9 error 'x' is never reassigned. Use 'const' instead prefer-const")
    assert moved == original and moved.text.startswith("<pos> error")
    assert evidence.error_fingerprint("eslint", "11:9 error 'y' is never reassigned").key != original.key


def test_a_file_name_is_replaced_whole():
    assert evidence.normalise_error("npm error enoent Could not read package.json: Error") == "npm error enoent Could not read <path>: Error"


def test_an_earlier_finding_is_about_this_error_when_its_quoted_error_or_its_note_says_so():
    error = "convex/index.ts:9:41 - error TS2339: Property 'store' does not exist on type 'StorageWriter'."
    # Our reports quote the telling line: equal fingerprints are the same error, positions aside.
    quoted = "convex/index.ts:12:3 - error TS2339: Property 'store' does not exist on type 'StorageWriter'."
    assert evidence.note_describes(None, error, earlier_error=quoted) == "same"
    # A maintainer's paraphrase is read like a GAPS.txt entry, together with the note.
    assert evidence.note_describes("Storage used from a mutation", error, earlier_error="store() called in a mutation") == "same"
    assert evidence.note_describes('Used `runtime: "node"` instead of the `"use node"` directive', error) == "different"
    assert evidence.note_describes("Recurring from previous run (jn7922)", error) == "unknown"
    assert evidence.note_describes("Storage used from a mutation", "✖ Failed to deploy") == "unknown"
