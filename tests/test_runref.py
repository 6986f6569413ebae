"""Resolving what the user typed: ids, visualizer URLs, bundle paths; never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalanalysis import BadInput, is_convex_id, resolve_run

RUN = "jn72t14a0tmje3jrj9wwng78gh80mdfw"


@pytest.mark.parametrize(
    "text",
    [
        RUN,
        f"  {RUN}\n",
        f"https://convex-evals.netlify.app/experiment/jx7abc/run/{RUN}",
        f"https://convex-evals.netlify.app/experiment/jx7abc/run/{RUN}/002-queries/014-select_distinct?tab=steps#x",
        f"http://localhost:5173/run/{RUN}/",
        f"/experiment/x/run/{RUN}",
    ],
)
def test_ids_and_urls_resolve_to_the_run_id(text):
    assert resolve_run(text).run_id == RUN


def test_a_bundle_path_resolves_to_the_bundle(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("{}")
    ref = resolve_run(str(path))
    assert ref.bundle == path and ref.run_id is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no run given"),
        ("hello", "is not a run"),
        ("jn72t14a0tmje3jrj9wwng78gh80mdfI", "is not a run"),  # uppercase is not base32 here
        ("https://convex-evals.netlify.app/experiment/x", "no /run/<runId>"),
        ("https://convex-evals.netlify.app/run/notanid", "is not a Convex run id"),
        ("missing.json", "does not exist"),
    ],
)
def test_bad_input_says_what_was_expected(text, message):
    with pytest.raises(BadInput, match=message) as err:
        resolve_run(text)
    assert err.value.exit_code == 2
    assert len(str(err.value).splitlines()) <= 2


@given(st.text())
def test_never_crashes_on_any_string(text):
    try:
        ref = resolve_run(text)
    except BadInput:
        return
    assert ref.run_id is not None or ref.bundle is not None


@given(st.text(alphabet="abc/:?#.%run0123456789jn7", max_size=60))
def test_never_crashes_on_url_like_strings(text):
    try:
        ref = resolve_run("https://x/" + text)
    except BadInput as exc:
        assert str(exc).strip() and len(str(exc).splitlines()) <= 2
        return
    # A URL is accepted only for the Convex run id it carries, and it carries no bundle.
    assert ref.bundle is None and ref.run_id is not None and is_convex_id(ref.run_id)
    assert ref.run_id in "https://x/" + text
