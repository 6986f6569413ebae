"""The one redaction component: every secret the process holds, and every 8-character piece of one, masked."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from evalanalysis import Redactor, redact, redact_data, register_secret
from evalanalysis.cli import main
from evalanalysis.llm.redaction import PIECE, secrets
from tests import bundles

KEY = "sk-ant-api03-Zq9xW2vB7nM4kL1pR8tY6uI0oP3aS5dF"
CONVEX = "prod:happy-otter-123|01a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6"


def pieces(text: str, secret: str) -> list[str]:
    return [secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1) if secret[i : i + PIECE] in text]


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    span=st.tuples(st.integers(0, len(KEY) - PIECE), st.integers(PIECE, len(KEY))),
)
def test_any_piece_of_a_secret_in_any_text_is_masked(before, after, span):
    start, length = span
    quoted = KEY[start : start + length]
    masked = Redactor([(KEY, "[API key]")]).mask(before + quoted + after)
    assert not pieces(masked, KEY), masked
    if len(quoted) >= PIECE:
        assert "[API key]" in masked


def test_text_without_a_secret_is_unchanged_and_pieces_shorter_than_8_stay():
    redactor = Redactor([(KEY, "[API key]")])
    text = "HTTP 500 api_error: overloaded; sk-ant- is a prefix, Zq9xW2v is seven characters"
    assert redactor.mask(text) == text


def test_a_convex_key_is_masked_whole_and_its_secret_part_alone_but_not_the_deployment_name():
    redactor = Redactor([(CONVEX, "[Convex key]")])
    secret = CONVEX.split("|")[1]
    assert redactor.mask(f"key {CONVEX} refused") == "key [Convex key] refused"
    assert redactor.mask(f"bad admin key {secret[4:20]}") == "bad admin key [Convex key]"
    # the deployment's name is public: it is in the URL every message names
    assert redactor.mask("at https://happy-otter-123.convex.cloud") == "at https://happy-otter-123.convex.cloud"


def test_an_authorization_header_value_is_masked_as_the_credential_it_carries():
    redactor = Redactor([(f"Bearer {KEY}", "[API key]")])
    assert redactor.mask(f"sent {KEY[:20]}") == "sent [API key]"


def test_json_data_is_masked_in_every_string_and_key():
    redactor = Redactor([(KEY, "[API key]")])
    data = {"a": [KEY, {KEY[2:14]: 1.5, "b": None}], "n": 3}
    assert redactor.mask_data(data) == {"a": ["[API key]", {"[API key]": 1.5, "b": None}], "n": 3}


def test_the_process_redactor_reads_every_secret_variable_of_the_environment(monkeypatch):
    for variable in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_ADMIN_KEY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("CONVEX_SELF_HOSTED_ADMIN_KEY", CONVEX)
    text = f"{KEY[5:30]} and {CONVEX.split('|')[1][:12]}"
    assert redact(text) == "[API key] and [Convex key]"
    assert redact_data({"x": text}) == {"x": "[API key] and [Convex key]"}
    monkeypatch.delenv("OPENAI_API_KEY")
    assert redact(KEY) == KEY  # the environment is read again: a key no longer held is no longer known


def test_a_registered_secret_is_masked_from_then_on():
    other = "plugin-token-7f3e9a1b2c4d6e8f"
    register_secret(other, "[plugin token]")
    assert redact(f"token {other[3:15]}") == "token [plugin token]"
    assert secrets()


def test_masking_20_mb_of_text_without_a_secret_returns_it_whole():
    redactor = Redactor([(KEY, "[API key]")])
    text = "const x = 1;\n" * 1_600_000
    assert redactor.mask(text) is text or redactor.mask(text) == text


def test_whatever_a_command_prints_has_the_secrets_masked(tmp_path, monkeypatch):
    """The last line of defence: a run whose own data quotes a key prints it nowhere (terminal, --json, files)."""
    data = bundles.bundle([bundles.failure(1, "000-fundamentals/001-x", "tests", f"Expected 2, got {KEY}")], total=3)
    data["summary"]["run"]["experiment"] = f"exp {KEY[:16]}"
    path = tmp_path / "run.json"
    path.write_text(json.dumps(data))
    env = {"ANTHROPIC_API_KEY": KEY}
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    shown = runner.invoke(main, ["analyze", str(path), "--format", "markdown,json,html"], env=env)
    as_json = runner.invoke(main, ["analyze", str(path), "--json", "--reports-dir", "other"], env=env)
    snapshot = runner.invoke(main, ["snapshot", str(path), "-o", "snap.json"], env=env)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    written = [p.read_text() for p in files]
    assert (shown.exit_code, as_json.exit_code, snapshot.exit_code) == (0, 0, 0), shown.output
    assert "[API key]" in shown.output and "[API key]" in json.loads(as_json.output)["run"]["experiment"]
    assert {p.suffix for p in files} >= {".md", ".json", ".html"}
    assert all("[API key]" in text for text in written)
    for text in (shown.output, as_json.output, snapshot.output, *written):
        assert not pieces(text, KEY), pieces(text, KEY)


def test_a_text_masked_once_is_masked_again_once_a_new_secret_is_known():
    """Texts a redactor returned are remembered as clean, but only until it learns another secret."""
    later = "sk-later-0a1b2c3d4e5f6a7b8c9d"
    redactor = Redactor([(KEY, "[API key]")])
    text = ("x" * 2000) + f" {KEY} and {later} " + ("y" * 2000)
    once = redactor.mask(text)
    assert KEY not in once and later in once and redactor.mask(once) is once
    redactor.add(later, "[later]")
    again = redactor.mask(once)
    assert later not in again and "[later]" in again and "[API key]" in again
