"""Configuration: layers, precedence, provenance, and errors that name the key and the file."""

from __future__ import annotations

import pytest

from evalanalysis import ConfigError, load_config
from evalanalysis.config import describe


def write(path, text):
    path.write_text(text)
    return path


def test_defaults_without_any_file(tmp_path):
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.classifier.name == "rules"
    assert s.analyze.concurrency == 4
    assert s.taxonomy.names == ("MODEL_FAULT", "OVERLY_STRICT", "AMBIGUOUS_TASK", "KNOWN_GAP")
    assert s.origins == {}


def test_precedence_cli_over_env_over_project_over_user(tmp_path):
    user = write(tmp_path / "user.toml", '[analyze]\nconcurrency = 2\nreports_dir = "u"\n[classifier]\nmodel = "m-user"\n')
    write(tmp_path / "evalanalysis.toml", '[analyze]\nconcurrency = 3\n[classifier]\nname = "openai"\n')
    env = {"EVALANALYSIS_CLASSIFIER": "anthropic", "EVALANALYSIS_ANALYZE_REPORTS_DIR": "e"}
    s = load_config(env=env, cwd=tmp_path, user_file=user, overrides={"analyze.reports_dir": "cli"})
    assert s.analyze.concurrency == 3
    assert s.classifier.model == "m-user"
    assert s.classifier.name == "anthropic"
    assert s.analyze.reports_dir == "cli"
    assert s.origins["analyze.concurrency"] == str(tmp_path / "evalanalysis.toml")
    assert s.origins["classifier.model"] == str(user)
    assert s.origins["classifier.name"] == "environment EVALANALYSIS_CLASSIFIER"
    assert s.origins["analyze.reports_dir"] == "command line"
    rows = {key: (value, origin) for key, value, origin in describe(s)}
    assert rows["analyze.concurrency"] == (3, str(tmp_path / "evalanalysis.toml"))
    assert rows["cache.enabled"] == (True, "default")


def test_explicit_config_file_replaces_the_project_file(tmp_path):
    write(tmp_path / "evalanalysis.toml", "[analyze]\nconcurrency = 3\n")
    other = write(tmp_path / "other.toml", "[analyze]\nconcurrency = 7\n")
    s = load_config(other, env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.analyze.concurrency == 7


def test_unknown_key_names_the_key_and_the_file(tmp_path):
    path = write(tmp_path / "evalanalysis.toml", "[analyze]\nconcurency = 3\n")
    with pytest.raises(ConfigError) as err:
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert str(path) in str(err.value) and "analyze.concurency" in str(err.value)


def test_unknown_section_is_rejected(tmp_path):
    write(tmp_path / "evalanalysis.toml", "[analyse]\nconcurrency = 3\n")
    with pytest.raises(ConfigError, match=r"unknown section \[analyse\]"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_a_secret_in_a_file_is_refused_with_the_reason(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[classifier]\napi_key = "sk-123"\n')
    with pytest.raises(ConfigError, match="secrets come only from the environment"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ('[plugins.myplugin]\napi_key = "sk-live-123"\n', "plugins.myplugin.api_key"),
        ('[plugins.myplugin]\nauthToken = "t"\n', "plugins.myplugin.authToken"),
        ('[plugins.myplugin]\nservers = [{ url = "u", password = "p" }]\n', "plugins.myplugin.servers.password"),
        ('[convex]\ndeploy-key = "prod:x|y"\n', "convex.deploy-key"),
        ('[plugins.convex]\ndeploy_key = "prod:x|y"\n', "plugins.convex.deploy_key"),
    ],
)
def test_a_secret_in_a_plugin_table_is_refused_too(tmp_path, toml, where):
    write(tmp_path / "evalanalysis.toml", toml)
    with pytest.raises(ConfigError, match=f"{where} is not allowed: secrets come only from the environment"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_plugin_options_that_only_sound_like_secrets_are_kept(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[plugins.keyword]\nkeywords = ["a"]\nmax_tokens = 5\nmonkey = 1\n')
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.plugin_options("keyword") == {"keywords": ["a"], "max_tokens": 5, "monkey": 1}


def test_bad_value_type_names_key_and_file(tmp_path):
    path = write(tmp_path / "evalanalysis.toml", '[analyze]\nconcurrency = "four"\n')
    with pytest.raises(ConfigError) as err:
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert str(path) in str(err.value) and "analyze.concurrency" in str(err.value)


def test_bad_values_are_rejected(tmp_path):
    write(tmp_path / "evalanalysis.toml", "[analyze]\nconcurrency = 0\n")
    with pytest.raises(ConfigError, match="analyze.concurrency must be at least 1"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_invalid_toml_is_a_config_error(tmp_path):
    write(tmp_path / "evalanalysis.toml", "[analyze\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_environment_values_are_typed_and_unknown_ones_rejected(tmp_path):
    s = load_config(
        env={"EVALANALYSIS_CONCURRENCY": "8", "EVALANALYSIS_CACHE_ENABLED": "no", "EVALANALYSIS_FORMAT": "markdown, html"},
        cwd=tmp_path, user_file=tmp_path / "none.toml",
    )
    assert (s.analyze.concurrency, s.cache.enabled, s.analyze.formats) == (8, False, ("markdown", "html"))
    with pytest.raises(ConfigError, match="EVALANALYSIS_CONCURENCY"):
        load_config(env={"EVALANALYSIS_CONCURENCY": "8"}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="expected an integer"):
        load_config(env={"EVALANALYSIS_CONCURRENCY": "many"}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_a_custom_taxonomy_is_configuration(tmp_path):
    write(
        tmp_path / "evalanalysis.toml",
        """
[[taxonomy.classes]]
name = "MODEL_FAULT"
description = "The model got it wrong."
role = "model_fault"

[[taxonomy.classes]]
name = "HARNESS_FAILURE"
description = "The harness or grader broke."
role = "infrastructure"
counts_as_pass = true
actionable = true

[[taxonomy.classes]]
name = "TEST_FAILURE"
description = "The grader's test is wrong."
role = "overly_strict"
counts_as_pass = true
actionable = true
""",
    )
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.taxonomy.names == ("MODEL_FAULT", "HARNESS_FAILURE", "TEST_FAILURE")
    assert s.taxonomy.for_role("infrastructure").name == "HARNESS_FAILURE"
    assert s.taxonomy.for_role("overly_strict").name == "TEST_FAILURE"


def test_a_taxonomy_role_must_be_known(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[[taxonomy.classes]]\nname = "X"\ndescription = "x"\nrole = "vibes"\n')
    with pytest.raises(ConfigError, match="role must be one of"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_plugin_tables_are_free_form(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[plugins.mine]\nthreshold = 3\nlabel = "x"\n')
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.plugin_options("mine") == {"threshold": 3, "label": "x"}
    assert s.plugin_options("other") == {}


def test_missing_explicit_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", env={}, user_file=tmp_path / "none.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[analyze]\nformats = "markdown"\n', "analyze.formats: expected a list, got a string"),
        ("[analyze]\nformats = []\n", "analyze.formats must name at least one format"),
        ('[analyze]\nreports_dir = ""\n', "analyze.reports_dir must not be empty"),
        ("[classifier]\ntimeout = nan\n", "classifier.timeout: expected a finite number"),
        ('[taxonomy]\nclasses = "MODEL_FAULT"\n', "taxonomy.classes: expected a list, got a string"),
    ],
)
def test_values_of_the_wrong_shape_name_the_key(tmp_path, toml, message):
    path = write(tmp_path / "evalanalysis.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_config_file_that_is_not_utf8_is_a_config_error(tmp_path):
    (tmp_path / "evalanalysis.toml").write_bytes(b'[analyze]\nreports_dir = "r\xe9ports"\n')
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_an_empty_format_list_from_the_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="environment EVALANALYSIS_FORMAT: analyze.formats must name"):
        load_config(env={"EVALANALYSIS_FORMAT": " , "}, cwd=tmp_path, user_file=tmp_path / "none.toml")


@pytest.mark.parametrize("key", ["concurrency", "analyse.concurrency", "plugins."])
def test_an_override_that_names_no_setting_is_refused(tmp_path, key):
    with pytest.raises(ConfigError, match=f"unknown setting '{key}'"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml", overrides={key: 3})


def test_a_prompt_budget_smaller_than_the_instructions_is_refused(tmp_path):
    write(tmp_path / "evalanalysis.toml", "[classifier]\nprompt_token_budget = 1500\n")
    with pytest.raises(ConfigError, match="prompt_token_budget must be at least 2000"):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_config_shows_where_the_cache_really_is(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    rows = {key: (value, origin) for key, value, origin in describe(s)}
    assert rows["cache.dir"] == (str(tmp_path / "xdg-cache" / "evalanalysis"), "default (platformdirs user cache dir)")


# ------------------------------------------------------------------ [convex], now [plugins.convex]


def test_an_old_convex_table_is_read_as_the_plugin_table_key_by_key(tmp_path):
    user = write(tmp_path / "user.toml", '[convex]\nurl = "https://user.example.com"\nmax_retries = 9\ntimeout = 5.0\n')
    project = write(
        tmp_path / "evalanalysis.toml",
        '[plugins.convex]\ntimeout = 7.0\n\n[convex]\ntimeout = 6.0\nurl = "https://project.example.com"\n',
    )
    notes: list[str] = []
    s = load_config(env={}, cwd=tmp_path, user_file=user, note=notes.append)
    # the project file over the user file, and in one file [plugins.convex] over [convex], each key alone
    assert s.plugin_options("convex") == {"url": "https://project.example.com", "max_retries": 9, "timeout": 7.0}
    assert s.origins["plugins.convex.max_retries"] == str(user)
    assert s.origins["plugins.convex.timeout"] == s.origins["plugins.convex.url"] == str(project)
    assert notes == [
        f"[convex] in {user} is deprecated; use [plugins.convex]",
        f"[convex] in {project} is deprecated; use [plugins.convex]",
    ]
    assert not hasattr(s, "convex")
    rows = {key: (value, origin) for key, value, origin in describe(s)}
    assert rows["plugins.convex.max_retries"] == (9, str(user))
    assert not any(key.startswith("convex.") for key in rows)


def test_the_plugin_table_alone_gets_no_note(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[plugins.convex]\nurl = "https://x.example.com"\n')
    notes: list[str] = []
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml", note=notes.append)
    assert s.plugin_options("convex") == {"url": "https://x.example.com"} and notes == []


def test_the_deprecation_note_reaches_stderr_once(tmp_path, capsys):
    path = write(tmp_path / "evalanalysis.toml", '[convex]\nurl = "https://x.example.com"\n')
    for _ in range(3):
        load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert capsys.readouterr().err == f"note: [convex] in {path} is deprecated; use [plugins.convex]\n"


def test_convex_environment_variables_and_overrides_set_the_plugin_keys(tmp_path):
    write(tmp_path / "evalanalysis.toml", '[plugins.convex]\nurl = "https://file.example.com"\ntimeout = 5.0\nmax_retries = 1\n')
    env = {"EVALANALYSIS_CONVEX_TIMEOUT": "0.3", "EVALANALYSIS_CONVEX_RETRY_BACKOFF": "0.01"}
    s = load_config(env=env, cwd=tmp_path, user_file=tmp_path / "none.toml",
                    overrides={"convex.url": "https://flag.example.com", "plugins.convex.max_retries": 4})
    # environment values stay text: the plugin alone knows its keys' types
    assert s.plugin_options("convex") == {
        "url": "https://flag.example.com", "timeout": "0.3", "max_retries": 4, "retry_backoff": "0.01",
    }
    assert s.origins["plugins.convex.timeout"] == "environment EVALANALYSIS_CONVEX_TIMEOUT"
    assert s.origins["plugins.convex.url"] == s.origins["plugins.convex.max_retries"] == "command line"
    whole = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml", overrides={"plugins.convex": {"timeout": 2.0}})
    assert whole.plugin_options("convex") == {"url": "https://file.example.com", "timeout": 2.0, "max_retries": 1}


def test_a_secret_named_convex_variable_is_no_setting(tmp_path):
    with pytest.raises(ConfigError, match="unknown environment variable EVALANALYSIS_CONVEX_DEPLOY_KEY"):
        load_config(env={"EVALANALYSIS_CONVEX_DEPLOY_KEY": "prod:x|y"}, cwd=tmp_path, user_file=tmp_path / "none.toml")


def test_the_core_leaves_convex_values_and_the_openai_api_to_their_plugins(tmp_path):
    """Checked when the convex source or the openai classifier is built (test_convex_source, test_llm_classifiers)."""
    write(tmp_path / "evalanalysis.toml", '[classifier]\napi = "batch"\n\n[plugins.convex]\ntimeout = -1\nnope = 1\n')
    s = load_config(env={}, cwd=tmp_path, user_file=tmp_path / "none.toml")
    assert s.classifier.api == "batch" and s.plugin_options("convex") == {"timeout": -1, "nope": 1}
