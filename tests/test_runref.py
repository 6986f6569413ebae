"""Resolving what the user typed: ids, visualizer URLs, bundle paths; never a crash."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

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
    """A URL names the first Convex id among the segments after a `run` one (percent-escapes decoded);
    with none, the error says which segment is not an id, that the URL has no /run/<runId>, or, for
    a URL ending in .json, that there is no such bundle."""
    url = "https://x/" + text
    segments = [unquote(s) for s in urlsplit(url).path.split("/")]
    after_run = [segments[i + 1] for i, segment in enumerate(segments[:-1]) if segment == "run"]
    ids = [candidate for candidate in after_run if is_convex_id(candidate)]
    if ids:
        ref = resolve_run(url)
        assert (ref.run_id, ref.bundle) == (ids[0], None)
        return
    with pytest.raises(BadInput) as err:
        resolve_run(url)
    assert err.value.exit_code == 2
    if after_run:
        assert str(err.value).startswith(f"{after_run[0][:80]!r} after /run/ is not a Convex run id; expected ")
    elif url.lower().endswith(".json"):
        assert str(err.value) == f"bundle {url} does not exist"
    else:
        assert str(err.value).startswith(f"no /run/<runId> in {url!r}; expected ")


@pytest.mark.parametrize("text", [f"a/run/{RUN}", f"run/%72un/{RUN}", f"run/x/run/{RUN}?run/jn7"])
def test_a_url_whose_run_segment_holds_an_id_gives_that_id(text):
    """The property above rarely draws a whole id; these do."""
    assert resolve_run("https://x/" + text).run_id == RUN
