"""The LLM result cache: keyed by everything that changes an answer, atomic, and forgiving of bad entries."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import evalanalysis as ea
from evalanalysis import ResultCache
from evalanalysis.llm.cache import cache_key

KEY_ARGS = dict(kind="verdict", provider="anthropic", model="m", taxonomy=ea.DEFAULT_TAXONOMY, system="s", user="u")


def test_the_key_changes_with_every_input_and_nothing_else():
    base = cache_key(**KEY_ARGS)
    assert base == cache_key(**KEY_ARGS) and len(base) == 64
    custom = ea.Taxonomy((ea.TaxonomyClass("HARNESS_FAILURE", "x", role="infrastructure"),))
    for change in ({"kind": "synthesis"}, {"provider": "openai"}, {"model": "m2"}, {"taxonomy": custom},
                   {"system": "s2"}, {"user": "u2"}):
        assert cache_key(**{**KEY_ARGS, **change}) != base, change


def test_a_new_prompt_version_is_a_new_key(monkeypatch):
    """Changing the prompt builder bumps PROMPT_VERSION, so answers to the old prompts are not reused."""
    import evalanalysis.llm.cache

    base = cache_key(**KEY_ARGS)
    monkeypatch.setattr(evalanalysis.llm.cache, "PROMPT_VERSION", evalanalysis.llm.cache.PROMPT_VERSION + "-next")
    assert cache_key(**KEY_ARGS) != base


def test_round_trip_and_usage(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache_key(**KEY_ARGS)
    assert cache.get(key, "verdict") is None
    cache.put(key, "verdict", {"classification": "MODEL_FAULT"}, ea.Usage(100, 20, 1), provider="anthropic", model="m")
    assert cache.get(key, "verdict") == ({"classification": "MODEL_FAULT"}, ea.Usage(100, 20, 1))
    assert cache.get(key, "synthesis") is None  # same key, other kind: not this entry
    (path,) = list(tmp_path.rglob("*.json"))
    assert path == tmp_path / "llm" / key[:2] / f"{key}.json"
    entry = json.loads(path.read_text())
    assert set(entry) == {"format", "key", "kind", "provider", "model", "prompt_version", "created", "usage", "result"}
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_corrupt_or_foreign_entries_are_misses_and_get_replaced(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache_key(**KEY_ARGS)
    path = cache.path(key)
    path.parent.mkdir(parents=True)
    for junk in (b"", b"{not json", b"[]", json.dumps({"format": "other", "key": key}).encode(), b"\xff\xfe"):
        path.write_bytes(junk)
        assert cache.get(key, "verdict") is None
    cache.put(key, "verdict", {"ok": True}, ea.Usage(), provider="p", model="m")
    assert cache.get(key, "verdict")[0] == {"ok": True}


def test_a_disabled_cache_is_silent_and_an_unwritable_one_warns_once(tmp_path, capsys):
    key = cache_key(**KEY_ARGS)
    off = ResultCache(tmp_path / "off", enabled=False)
    off.put(key, "verdict", {}, ea.Usage(), provider="p", model="m")
    assert off.get(key, "verdict") is None and not (tmp_path / "off").exists()
    assert capsys.readouterr().err == ""
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    cache = ResultCache(blocked)
    for _ in range(3):
        cache.put(key, "verdict", {}, ea.Usage(), provider="p", model="m")  # no exception
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"warning: cannot write the LLM cache in {blocked / 'llm'} (") and line.endswith("results are not cached")


def test_concurrent_writers_and_readers_never_see_half_an_entry(tmp_path):
    cache = ResultCache(tmp_path)
    key = cache_key(**KEY_ARGS)
    big = {"text": "x" * 200_000}
    seen: list[object] = []

    def write():
        for _ in range(30):
            ResultCache(tmp_path).put(key, "verdict", big, ea.Usage(1, 1, 1), provider="p", model="m")

    def read():
        for _ in range(200):
            hit = cache.get(key, "verdict")
            if hit is not None:
                seen.append(hit[0])

    threads = [threading.Thread(target=write) for _ in range(4)] + [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(value == big for value in seen)
    assert cache.get(key, "verdict")[0] == big
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"]


WRITER = """
import sys
import evalanalysis as ea
from evalanalysis import ResultCache
cache = ResultCache(sys.argv[1])
for i in range(25):
    cache.put(sys.argv[2], "verdict", {"text": "x" * 300_000, "writer": sys.argv[3]}, ea.Usage(1, 1, 1), provider="p", model="m")
"""


def test_processes_writing_the_same_entry_never_leave_half_of_one(tmp_path):
    key = cache_key(**KEY_ARGS)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), key, str(n)]) for n in range(3)]
    cache = ResultCache(tmp_path)
    while any(w.poll() is None for w in writers):
        hit = cache.get(key, "verdict")
        assert hit is None or len(hit[0]["text"]) == 300_000
    assert [w.returncode for w in writers] == [0, 0, 0]
    assert cache.get(key, "verdict")[0]["writer"] in {"0", "1", "2"}
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"]  # no temporary file left behind


def test_settings_choose_the_directory(tmp_path):
    settings = ea.load_config(env={"EVALANALYSIS_CACHE_DIR": str(tmp_path / "c")}, user_file=tmp_path / "none.toml", cwd=tmp_path)
    cache = ResultCache.from_settings(settings.cache)
    assert cache.enabled and cache.root == tmp_path / "c" / "llm"
    off = ea.load_config(overrides={"cache.enabled": False}, env={}, user_file=tmp_path / "none.toml", cwd=tmp_path)
    assert not ResultCache.from_settings(off.cache).enabled
