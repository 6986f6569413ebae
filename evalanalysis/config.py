"""Settings: TOML files, `EVALANALYSIS_*` environment, CLI flags; each value knows where it came from.

Precedence, lowest first: built-in defaults, the user file
(`user_config_dir("evalanalysis")/config.toml`), the project file
(`./evalanalysis.toml`, or `--config FILE` instead), the environment, CLI flags.
Unknown keys are errors naming the key and the file. Secrets never come from
files: they are read from the environment by the plugins that need them.

A plugin's options are its `[plugins.<name>]` table, which the plugin itself
structures and checks. `[convex]`, once a core section, is now `[plugins.convex]`:
an old `[convex]` table is moved there on loading, with a note (see `MOVED_SECTIONS`).
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
import typing
from pathlib import Path
from typing import Any, Callable, Mapping

import attrs
import cattrs
import platformdirs
from attrs import field, frozen

from . import converter
from .errors import ConfigError
from .llm.prices import price_problem
from .taxonomy import CLASS_ROLES as ROLES, DEFAULT_TAXONOMY, Taxonomy, TaxonomyClass

SECRET_WORDS = {"key", "apikey", "token", "secret", "password", "credential", "credentials"}


@frozen
class AnalyzeSettings:
    """`[analyze]`: what `evalanalysis analyze` does by default."""

    source: str | None = None
    formats: tuple[str, ...] = ("markdown", "json")
    reports_dir: str = "reports"
    concurrency: int = 4
    history: bool = True


@frozen
class ClassifierSettings:
    """`[classifier]`: which classifier decides, and how LLM ones call their provider."""

    name: str = "rules"
    model: str | None = None
    base_url: str | None = None
    api: str = "chat"
    timeout: float = 120.0
    max_retries: int = 2
    max_retry_wait: float = 30.0
    max_output_tokens: int = 2048
    prompt_token_budget: int = 12000
    synthesis: bool = True
    fallback: str = "rules"
    batch: bool = False
    batch_poll_interval: float = 30.0
    budget_usd: float | None = None


@frozen
class CacheSettings:
    """`[cache]`: the on-disk cache of LLM results and parsed reports."""

    enabled: bool = True
    dir: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.dir) if self.dir else Path(platformdirs.user_cache_dir("evalanalysis"))


@frozen
class LogSettings:
    """`[log]`: the prompt log, every prompt sent to an LLM and its answer (secrets masked)."""

    enabled: bool = True
    dir: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.dir) if self.dir else Path(platformdirs.user_data_dir("evalanalysis"))


@frozen
class TaxonomySettings:
    """`[taxonomy]`: the classes failures may get; empty means the seed's four."""

    classes: tuple[TaxonomyClass, ...] = ()


@frozen
class Settings:
    """All resolved settings. `origins` maps a dotted key to where its value came from."""

    analyze: AnalyzeSettings = field(factory=AnalyzeSettings)
    classifier: ClassifierSettings = field(factory=ClassifierSettings)
    cache: CacheSettings = field(factory=CacheSettings)
    log: LogSettings = field(factory=LogSettings)
    taxonomy_settings: TaxonomySettings = field(factory=TaxonomySettings)
    plugins: Mapping[str, Mapping[str, Any]] = field(factory=dict)
    origins: Mapping[str, str] = field(factory=dict)
    # `[prices."model"]`: dollars per million tokens over the built-in price table (`evalanalysis.llm.prices`)
    prices: Mapping[str, Mapping[str, float]] = field(factory=dict)

    @property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy(self.taxonomy_settings.classes) if self.taxonomy_settings.classes else DEFAULT_TAXONOMY

    def plugin_options(self, name: str) -> Mapping[str, Any]:
        """The `[plugins.<name>]` table, free-form options for a third-party plugin."""
        return self.plugins.get(name, {})


SECTIONS: dict[str, type] = {
    "analyze": AnalyzeSettings,
    "classifier": ClassifierSettings,
    "cache": CacheSettings,
    "log": LogSettings,
    "taxonomy": TaxonomySettings,
}
_SETTINGS_FIELD = {"taxonomy": "taxonomy_settings"}

# Former core sections now owned by a plugin: old section -> plugin name. Such a plugin's table is
# layered key by key, as the section was: a `[convex]` table in a file is read as `[plugins.convex]`
# (which wins where both set a key), `EVALANALYSIS_CONVEX_<KEY>` and a `convex.<key>` override set
# `plugins.convex.<key>`, and each key keeps its own origin. The plugin checks the values.
MOVED_SECTIONS = {"convex": "convex"}
_LAYERED_PLUGINS = frozenset(MOVED_SECTIONS.values())

# Short environment names for the settings people change most.
ENV_ALIASES = {
    "EVALANALYSIS_SOURCE": "analyze.source",
    "EVALANALYSIS_FORMAT": "analyze.formats",
    "EVALANALYSIS_REPORTS_DIR": "analyze.reports_dir",
    "EVALANALYSIS_CONCURRENCY": "analyze.concurrency",
    "EVALANALYSIS_CLASSIFIER": "classifier.name",
    "EVALANALYSIS_MODEL": "classifier.model",
    "EVALANALYSIS_CACHE_DIR": "cache.dir",
    "EVALANALYSIS_LOG_DIR": "log.dir",
}
# Read elsewhere (plugin loading, tracing, CLI), not settings.
ENV_RESERVED = {"EVALANALYSIS_LOAD_PLUGINS", "EVALANALYSIS_TRACE_PLUGINS", "EVALANALYSIS_CONFIG", "EVALANALYSIS_DEBUG"}


def user_config_path() -> Path:
    """Where the user's own config file lives (platformdirs)."""
    return Path(platformdirs.user_config_dir("evalanalysis")) / "config.toml"


def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def scalar_keys() -> dict[str, Any]:
    """Every dotted key a user may set, with its type (taxonomy classes excluded)."""
    keys = {}
    for section, cls in SECTIONS.items():
        for name, tp in _field_types(cls).items():
            if section != "taxonomy":
                keys[f"{section}.{name}"] = tp
    return keys


def _looks_secret(key: str) -> bool:
    """`api_key`, `deploy-key`, `authToken`: a name with a secret's word in it (not `keywords` or `max_tokens`)."""
    words = re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", key)
    return any(word.lower() in SECRET_WORDS for word in words)


def _refuse_secret(origin: str, where: str) -> None:
    raise ConfigError(
        f"{origin}: {where} is not allowed: secrets come only from the environment "
        "(ANTHROPIC_API_KEY, OPENAI_API_KEY, CONVEX_DEPLOY_KEY)"
    )


def _check_plugin_options(value: Any, origin: str, where: str) -> None:
    """Plugin tables are free-form, but a secret in one would be shown by `evalanalysis config`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if _looks_secret(key):
                _refuse_secret(origin, f"{where}.{key}")
            _check_plugin_options(item, origin, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_plugin_options(item, origin, where)


def _check_file_keys(data: dict[str, Any], origin: str) -> None:
    for section, table in data.items():
        if section == "plugins":
            if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
                raise ConfigError(f"{origin}: [plugins] must hold one table per plugin, e.g. [plugins.myplugin]")
            _check_plugin_options(table, origin, "plugins")
            continue
        if section in MOVED_SECTIONS:
            if not isinstance(table, dict):
                raise ConfigError(f"{origin}: {section} must be a table ([{section}])")
            _check_plugin_options(table, origin, section)
            continue
        if section == "prices":
            if not isinstance(table, dict):
                raise ConfigError(f'{origin}: [prices] must hold one table per model, e.g. [prices."model-name"]')
            for model, prices in table.items():
                problem = price_problem(model, prices)
                if problem is not None:
                    raise ConfigError(f"{origin}: prices.{model!r} {problem}")
            continue
        if section not in SECTIONS:
            raise ConfigError(f"{origin}: unknown section [{section}]; known sections: {', '.join([*SECTIONS, 'plugins', 'prices'])}")
        if not isinstance(table, dict):
            raise ConfigError(f"{origin}: {section} must be a table ([{section}])")
        allowed = set(_field_types(SECTIONS[section]))
        for key in table:
            if key in allowed:
                continue
            if _looks_secret(key):
                _refuse_secret(origin, f"{section}.{key}")
            raise ConfigError(f"{origin}: unknown key {section}.{key}; known keys: {', '.join(sorted(allowed))}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except ValueError as exc:  # tomllib's own words for an integer of more than 4,300 digits
        raise ConfigError(f"{path}: holds a number too long to read ({str(exc).split(';', 1)[0]})") from None
    except RecursionError:
        raise ConfigError(f"{path}: arrays or tables nested too deeply to be a configuration") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if converter.nesting_depth_over(data):
        raise ConfigError(f"{path}: arrays or tables nested more than {converter.MAX_NESTING} levels deep")
    return data


def _parse_env_value(raw: str, tp: Any, name: str) -> Any:
    base = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
    target = base[0] if typing.get_origin(tp) is not tuple else tp
    if typing.get_origin(target) is tuple:
        return [part.strip() for part in raw.split(",") if part.strip()]
    if target is bool:
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"environment {name}={raw!r}: expected true or false")
    if target is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"environment {name}={raw!r}: expected an integer") from None
    if target is float:
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"environment {name}={raw!r}: expected a number") from None
    return raw


def _env_layer(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    keys = scalar_keys()
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, raw in sorted(env.items()):
        if not name.startswith("EVALANALYSIS_") or name in ENV_RESERVED:
            continue
        dotted = ENV_ALIASES.get(name)
        if dotted is None:
            section, _, key = name[len("EVALANALYSIS_") :].lower().partition("_")
            dotted = f"{section}.{key}"
            # The plugin reads the text: it alone knows the key's type. A secret's name is no setting.
            if section in MOVED_SECTIONS and key and not _looks_secret(key):
                dotted = f"plugins.{MOVED_SECTIONS[section]}.{key}"
                values[dotted] = raw
                origins[dotted] = f"environment {name}"
                continue
        if dotted not in keys:
            known = ", ".join(sorted(ENV_ALIASES))
            raise ConfigError(f"unknown environment variable {name}; use EVALANALYSIS_<SECTION>_<KEY> or one of {known}")
        values[dotted] = _parse_env_value(raw, keys[dotted], name)
        origins[dotted] = f"environment {name}"
    return values, origins


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    flat = {}
    for section, table in data.items():  # moved sections first: `[plugins.convex]` wins over `[convex]`
        if section in MOVED_SECTIONS:
            flat.update({f"plugins.{MOVED_SECTIONS[section]}.{key}": value for key, value in table.items()})
    for section, table in data.items():
        if section == "prices":
            for model, prices in table.items():
                flat[f"prices.{model}"] = {**flat.get(f"prices.{model}", {}), **prices}
        elif section == "plugins":
            for plugin, options in table.items():
                if plugin in _LAYERED_PLUGINS:
                    flat.update({f"plugins.{plugin}.{key}": value for key, value in options.items()})
                else:
                    flat[f"plugins.{plugin}"] = options
        elif section not in MOVED_SECTIONS:
            for key, value in table.items():
                flat[f"{section}.{key}"] = value
    return flat


_noted: set[tuple[str, str]] = set()


def _stderr_note(text: str) -> None:
    """A note on stderr, once per process (a program may load its settings many times). A note
    naming a relative path is told again from another working directory: it is another file."""
    try:
        where = os.getcwd()
    except OSError:  # the working directory was removed
        where = ""
    if (where, text) not in _noted:
        _noted.add((where, text))
        print(f"note: {text}", file=sys.stderr, flush=True)


def load_config(
    config_file: str | os.PathLike[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    user_file: str | os.PathLike[str] | None = None,
    note: Callable[[str], None] = _stderr_note,
) -> Settings:
    """Resolve settings from every layer. `overrides` are dotted keys set by CLI flags.

    `note` is told of deprecated settings still read (an old `[convex]` table); by default
    it prints `note: ...` on stderr, once per process for each message.
    """
    env = os.environ if env is None else env
    layers: list[tuple[dict[str, Any], dict[str, str]]] = []

    user_path = Path(user_file) if user_file is not None else user_config_path()
    project_path = Path(config_file) if config_file is not None else Path(cwd or ".") / "evalanalysis.toml"
    if config_file is None and "EVALANALYSIS_CONFIG" in env:
        project_path = Path(env["EVALANALYSIS_CONFIG"])
    explicit = config_file is not None or "EVALANALYSIS_CONFIG" in env
    for path, required in ((user_path, False), (project_path, explicit)):
        if not path.exists():
            if required:
                raise ConfigError(f"config file {path} does not exist")
            continue
        data = _read_toml(path)
        _check_file_keys(data, str(path))
        for section in [name for name in data if name in MOVED_SECTIONS]:
            note(f"[{section}] in {path} is deprecated; use [plugins.{MOVED_SECTIONS[section]}]")
        flat = _flatten(data)
        layers.append((flat, {k: str(path) for k in flat}))

    layers.append(_env_layer(env))
    if overrides:
        cli = _layered_overrides({k: v for k, v in overrides.items() if v is not None})
        layers.append((cli, {k: "command line" for k in cli}))

    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for values, where in layers:
        merged.update(values)
        origins.update(where)
    return _structure_settings(merged, origins)


def _layered_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides, checked, with a moved section's keys (`convex.url`) and a layered plugin's
    whole table (`plugins.convex`) spelled as that plugin's keys (`plugins.convex.url`)."""
    known = {*scalar_keys(), "taxonomy.classes"}
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        section, _, rest = key.partition(".")
        if section in MOVED_SECTIONS and rest:
            out[f"plugins.{MOVED_SECTIONS[section]}.{rest}"] = value
        elif section == "plugins" and rest in _LAYERED_PLUGINS:
            if not isinstance(value, Mapping):
                raise ConfigError(f"setting {key!r} must be a table of the plugin's options, e.g. {{'url': ...}}")
            out.update({f"{key}.{name}": item for name, item in value.items()})
        elif section == "prices" and rest:
            problem = price_problem(rest, value)
            if problem is not None:
                raise ConfigError(f"setting {key!r} {problem}")
            out[key] = dict(value)
        elif key in known or (section == "plugins" and rest):
            out[key] = value
        else:
            raise ConfigError(f"unknown setting {key!r}; settings are dotted keys such as 'analyze.concurrency' (see `evalanalysis config`)")
    return out


def _structure_settings(flat: dict[str, Any], origins: dict[str, str]) -> Settings:
    nested: dict[str, dict[str, Any]] = {}
    plugins: dict[str, Any] = {}
    prices: dict[str, Any] = {}
    for dotted, value in flat.items():
        section, _, key = dotted.partition(".")
        if section == "prices":
            prices[key] = dict(value)
        elif section == "plugins":
            plugin, _, option = key.partition(".")
            if plugin in _LAYERED_PLUGINS and option:
                plugins.setdefault(plugin, {})[option] = value
            else:
                plugins[key] = value
        else:
            nested.setdefault(section, {})[key] = value
    sections = {}
    for section, cls in SECTIONS.items():
        try:
            sections[_SETTINGS_FIELD.get(section, section)] = converter.strict.structure(nested.get(section, {}), cls)
        except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
            message = converter.error_messages(exc, path=section)[0]
            text, _, where = message.rpartition(" @ ")
            key = where.split("[")[0]
            origin = origins.get(key) or origins.get(f"{section}.classes") or "configuration"
            raise ConfigError(f"{origin}: bad value for {where}: {text}") from None
    settings = Settings(**sections, plugins=plugins, origins=origins, prices=prices)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    def fail(key: str, message: str) -> None:
        raise ConfigError(f"{settings.origins.get(key, 'configuration')}: {key} {message}")

    if settings.analyze.concurrency < 1:
        fail("analyze.concurrency", "must be at least 1")
    if not settings.analyze.formats:
        fail("analyze.formats", "must name at least one format (markdown, json, html)")
    if not settings.analyze.reports_dir.strip():
        fail("analyze.reports_dir", "must not be empty")
    # No file system takes a NUL in a path; found only at write time, the analysis would be lost.
    if "\0" in settings.analyze.reports_dir:
        fail("analyze.reports_dir", "must not contain a NUL character")
    if settings.cache.dir is not None and "\0" in settings.cache.dir:
        fail("cache.dir", "must not contain a NUL character")
    if settings.log.dir is not None and "\0" in settings.log.dir:
        fail("log.dir", "must not contain a NUL character")
    if settings.classifier.prompt_token_budget < 2000:  # the system text alone is about 1,200 tokens
        fail("classifier.prompt_token_budget", "must be at least 2000")
    if settings.classifier.timeout <= 0:
        fail("classifier.timeout", "must be positive")
    if settings.classifier.max_retries < 0:
        fail("classifier.max_retries", "must be 0 or more")
    if settings.classifier.max_retry_wait < 0:
        fail("classifier.max_retry_wait", "must be 0 or more")
    if not settings.classifier.batch_poll_interval > 0:
        fail("classifier.batch_poll_interval", "must be positive")
    budget = settings.classifier.budget_usd
    if budget is not None and not (0 < budget < float("inf")):
        fail("classifier.budget_usd", "must be a positive number of dollars")
    names = [c.name for c in settings.taxonomy_settings.classes]
    if len(set(names)) != len(names):
        fail("taxonomy.classes", "has duplicate class names")
    for c in settings.taxonomy_settings.classes:
        if c.role not in ROLES:
            fail("taxonomy.classes", f"class {c.name}: role must be one of {', '.join(ROLES)}")
        if not c.name or not c.name.replace("_", "").isalnum():
            fail("taxonomy.classes", f"class name {c.name!r} must be letters, digits and underscores")


def describe(settings: Settings) -> list[tuple[str, Any, str]]:
    """(dotted key, value, origin) for every setting, for `evalanalysis config`."""
    rows = []
    for section, cls in SECTIONS.items():
        obj = getattr(settings, _SETTINGS_FIELD.get(section, section))
        for a in attrs.fields(cls):
            key = f"{section}.{a.name}"
            value = getattr(obj, a.name)
            origin = settings.origins.get(key, "default")
            if section == "taxonomy":
                value = [c.name for c in settings.taxonomy.classes]
            elif key == "cache.dir" and value is None:
                value, origin = str(settings.cache.path), "default (platformdirs user cache dir)"
            elif key == "log.dir" and value is None:
                value, origin = str(settings.log.path), "default (platformdirs user data dir)"
            rows.append((key, value, origin))
    for model, prices in settings.prices.items():
        rows.append((f"prices.{model}", dict(prices), settings.origins.get(f"prices.{model}", "default")))
    for plugin, options in settings.plugins.items():
        if plugin in _LAYERED_PLUGINS:  # one row per key: each has its own origin
            rows += [(f"plugins.{plugin}.{k}", v, settings.origins.get(f"plugins.{plugin}.{k}", "default")) for k, v in options.items()]
        else:
            rows.append((f"plugins.{plugin}", dict(options), settings.origins.get(f"plugins.{plugin}", "default")))
    return rows
