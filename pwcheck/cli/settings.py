"""The config file, `PWCHECK_*` variables and defaults, merged once into values with origins.

Precedence is flags > `PWCHECK_*` environment > file > defaults. This module resolves the
last three into one value per key (remembering where each came from, for `config show`)
and hands click a `default_map`; click then lets a command-line flag win. So every
command sees one consistent answer and no command reads the environment itself.

Invalid config is one `ConfigError` naming the key and, for the file, its line: a typo in
a nightly job's config must stop it loudly (exit 2), not run with a silently different
setting. Unknown keys are errors for the same reason.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pwcheck.cli.options import CHECKS, FAIL_ON
from pwcheck.model.errors import ConfigError
from pwcheck.model.strength import DEFAULT_WEAK_BELOW
from pwcheck.net.defaults import (
    DEFAULT_API_URL,
    DEFAULT_CACHE_TTL_HOURS,
    DEFAULT_CONCURRENCY,
    DEFAULT_PASSKEYS_URL,
    DEFAULT_TIMEOUT,
    DEFAULT_TWOFACTOR_URL,
    MAX_CONCURRENCY,
)
from pwcheck.system.dirs import config_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

# PWCHECK_KDBX_PASSWORD is no setting (never in a file, never a flag: argv is public). The group
# takes it out of the environment once (`take_environment_secrets`) and keeps it in click's
# `meta`, which every subcommand's context shares, for the commands that open a `.kdbx`.
KDBX_PASSWORD_META = "pwcheck.kdbx_password"


def take_environment_secrets(meta: dict[str, Any]) -> None:
    """Move the secrets pwcheck reads from its environment into `meta`, removing them from os.environ."""
    from pwcheck.system.hardening import KDBX_PASSWORD_ENV, take_from_environment

    meta[KDBX_PASSWORD_META] = take_from_environment(KDBX_PASSWORD_ENV)


def kdbx_password(meta: dict[str, Any]) -> str | None:
    """PWCHECK_KDBX_PASSWORD as the group found it: "" is the empty password, None was unset."""
    value = meta.get(KDBX_PASSWORD_META)
    return value if isinstance(value, str) else None




def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


def _number(kind: type, low: float, high: float | None) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"must be a number >= {low}")
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"must be {'an integer' if kind is int else 'a number'}") from None
        if kind is int and isinstance(value, float) and value != number:
            raise ValueError("must be an integer")
        if number < low or (high is not None and number > high):
            raise ValueError(f"must be between {low} and {high}" if high is not None else f"must be >= {low}")
        return number

    return check


def _url(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^\s/]+", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError("must be one of " + ", ".join(options))
        return str(value)

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _names(allowed: tuple[str, ...], *, empty: bool) -> Callable[[Any], str]:
    """A list of names from `allowed`, as a TOML list or `a,b` text; kept as `a,b` (what the option reads)."""
    def check(value: Any) -> str:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValueError("must be a list of names")
        names = [item.strip().lower() for item in items if item.strip()]
        if any(name not in allowed for name in names) or (not names and not empty):
            raise ValueError(f"must be {'' if empty else 'one or more '}of " + ", ".join(allowed))
        return ",".join(names)

    return check


def _paths(value: Any) -> list[str]:
    if isinstance(value, str):  # from the environment: os.pathsep-separated
        value = [part for part in value.split(os.pathsep) if part]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError("must be a list of file paths")
    return [str(Path(item).expanduser()) for item in value]


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a file path")
    return str(Path(value).expanduser())


def _time_of_day(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError('must be a time "HH:MM" (24-hour)')
    return value


def _report_formats() -> tuple[str, ...]:
    from pwcheck.report import format_names

    return tuple(format_names())


@dataclass(frozen=True)
class Key:
    """One setting: its check, default, variable, and the command options it feeds."""

    name: str
    check: Callable[[Any], Any]
    default: Any
    env: str | None
    params: tuple[str, ...] = ()  # "command.param" in click's default_map (others are read from Config)
    invert: bool = False  # the option is the negation (output.progress -> --no-progress)
    help: str = ""


KEYS: tuple[Key, ...] = (
    Key("sources.exports", _paths, [], "PWCHECK_EXPORTS", (), help="export files audited when none are given"),
    Key("sources.keychain", _bool, False, "PWCHECK_KEYCHAIN", ("audit.keychain",), help="also read the OS keychain"),
    Key("check.api_url", _url, DEFAULT_API_URL, "PWCHECK_API_URL", ("audit.api_url", "password.api_url")),
    Key("check.concurrency", _number(int, 1, MAX_CONCURRENCY), DEFAULT_CONCURRENCY, "PWCHECK_CONCURRENCY", ("audit.concurrency",)),
    Key("check.timeout", _number(float, 0.1, 600), DEFAULT_TIMEOUT, "PWCHECK_TIMEOUT", ("audit.timeout", "password.timeout")),
    Key("check.http2", _bool, False, "PWCHECK_HTTP2", ("audit.http2",)),
    Key("check.checks", _names(CHECKS, empty=False), ",".join(CHECKS), "PWCHECK_CHECKS", ("audit.checks",),
        help="which checks an audit runs"),
    Key("check.fail_on", _names(FAIL_ON, empty=True), "", "PWCHECK_FAIL_ON", ("audit.fail_on",),
        help="what else makes exit code 1: weak, unsecured"),
    Key("check.weak_below", _number(int, 1, 4), DEFAULT_WEAK_BELOW, "PWCHECK_WEAK_BELOW", ("audit.weak_below",),
        help="a strength score (0-4) below this is weak"),
    Key("cache.enabled", _bool, False, "PWCHECK_CACHE", ("audit.cache",), help="cache ranges"),
    Key("cache.ttl_hours", _number(float, 0, None), DEFAULT_CACHE_TTL_HOURS, "PWCHECK_CACHE_TTL_HOURS", ("audit.cache_ttl",)),
    Key("directories.enabled", _bool, True, "PWCHECK_DIRECTORIES", ("audit.no_directories",), invert=True,
        help="fetch the 2FA and Passkeys directories"),
    Key("directories.twofactor_url", _url, DEFAULT_TWOFACTOR_URL, "PWCHECK_TWOFACTOR_URL", ("audit.twofactor_url",)),
    Key("directories.passkeys_url", _url, DEFAULT_PASSKEYS_URL, "PWCHECK_PASSKEYS_URL", ("audit.passkeys_url",)),
    Key("directories.signing_key", _path, None, "PWCHECK_DIRECTORIES_KEY", ("audit.directories_key",),
        help="OpenPGP key file the directories' signatures must verify with"),
    Key("output.format", lambda v: _choice(*_report_formats())(v), "terminal", "PWCHECK_FORMAT", ("audit.report_format",)),
    Key("output.show_all", _bool, False, "PWCHECK_SHOW_ALL", ("audit.show_all",)),
    Key("output.progress", _bool, True, "PWCHECK_PROGRESS", ("audit.no_progress",), invert=True),
    Key("output.quiet", _bool, False, "PWCHECK_QUIET", ("audit.quiet", "password.quiet")),
    Key("notify.desktop", _bool, True, "PWCHECK_NOTIFY_DESKTOP", help="desktop notification on new findings"),
    Key("notify.email", _text, "", "PWCHECK_NOTIFY_EMAIL", help="mail new findings via the local sendmail"),
    Key("schedule.frequency", _choice("daily", "weekly"), "daily", None, help="for `schedule install`"),
    Key("schedule.time", _time_of_day, "03:17", None, help="for `schedule install` (HH:MM)"),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}
TABLES = tuple(dict.fromkeys(key.name.split(".")[0] for key in KEYS))


@dataclass
class Config:
    """Resolved values with their origins, plus the file's `[[ignore]]` rules."""

    path: Path
    values: dict[str, Any]
    origins: dict[str, str]
    ignore_rules: list[tuple[dict[str, Any], int | None]] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def default_map(self) -> dict[str, Any]:
        """click's default_map: env and file values (not defaults: options keep their own)."""
        tree: dict[str, Any] = {}
        for key in KEYS:
            if self.origins[key.name] == "default":
                continue
            value = self.values[key.name]
            for param in key.params:
                *path, leaf = param.split(".")
                node = tree
                for part in path:
                    node = node.setdefault(part, {})
                node[leaf] = (not value) if key.invert else value
        return tree


def load(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read the file (missing = empty), apply `PWCHECK_*` variables; ConfigError if invalid."""
    path = path or config_file()
    environ = dict(os.environ) if environ is None else environ
    text, data = _read(path)
    values = {key.name: key.default for key in KEYS}
    origins = {key.name: "default" for key in KEYS}
    rules: list[tuple[dict[str, Any], int | None]] = []
    for table, content in data.items():
        if table == "ignore":
            rules = _ignore_tables(path, text, content)
            continue
        if table not in TABLES or not isinstance(content, dict):
            raise ConfigError(f"{path}:{_line_of(text, table, None)}: unknown key {table!r}")
        for name, value in content.items():
            dotted = f"{table}.{name}"
            line = _line_of(text, table, name)
            key = KEYS_BY_NAME.get(dotted)
            if key is None:
                raise ConfigError(f"{path}:{line}: unknown key {dotted!r}")
            values[dotted] = _checked(key, value, f"{path}:{line}: {dotted}")
            origins[dotted] = f"{path}:{line}"
    for key in KEYS:
        if key.env and key.env in environ:
            values[key.name] = _checked(key, environ[key.env], f"environment variable {key.env} ({key.name})")
            origins[key.name] = f"env {key.env}"
    return Config(path, values, origins, rules)


def _checked(key: Key, value: Any, where: str) -> Any:
    try:
        return key.check(value)
    except ValueError as exc:
        # The message names the key and the rule, never the value: a misplaced password must not echo.
        raise ConfigError(f"{where} {exc}") from None


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line N, column M)"; keep that, it names no value.
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _ignore_tables(path: Path, text: str, content: Any) -> list[tuple[dict[str, Any], int | None]]:
    if not isinstance(content, list) or not all(isinstance(item, dict) for item in content):
        raise ConfigError(f"{path}:{_line_of(text, 'ignore', None)}: 'ignore' must be [[ignore]] tables")
    lines = [number for number, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*ignore\s*\]\]", line)]
    return [(item, lines[index] if index < len(lines) else None) for index, item in enumerate(content)]


def _line_of(text: str, table: str, name: str | None) -> int | str:
    """The line defining `table.name` (or the table), found by a scan: tomllib keeps no positions."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\[?\s*([A-Za-z0-9_.\"-]+)\s*\]\]?", line)
        if header:
            current = header.group(1).replace('"', "")
            if name is None and current == table:
                return number
            continue
        assign = re.match(r"\s*([A-Za-z0-9_.\"-]+)\s*=", line)
        if not assign:
            continue
        dotted = assign.group(1).replace('"', "").replace(" ", "")
        full = f"{current}.{dotted}" if current else dotted
        if full == (f"{table}.{name}" if name else table) or (name is None and full.startswith(table + ".")):
            return number
    return "?"


TEMPLATE = f"""\
# pwcheck configuration. Precedence: command-line flags > PWCHECK_* variables > this file > defaults.
# `pwcheck config show` prints every setting with where its value came from.

[sources]
# Export files audited when `pwcheck audit` is given none (and by the scheduled check).
# Use absolute or ~ paths: a timer does not run in the directory you are in now.
# exports = ["~/Documents/chrome-passwords.csv"]

[check]
# api_url = "{DEFAULT_API_URL}"
# concurrency = {DEFAULT_CONCURRENCY}
# timeout = {DEFAULT_TIMEOUT:g}

[cache]
# Cache ranges between runs (scheduled runs always do): reveals which prefixes were asked.
# enabled = false
# ttl_hours = {DEFAULT_CACHE_TTL_HOURS:g}

[directories]
# Which contacts offer two-factor or accept passkeys (advice, never a finding). Each list is
# downloaded whole and cached: nothing about your accounts is sent. Point them at a mirror here.
# enabled = true
# twofactor_url = "{DEFAULT_TWOFACTOR_URL}"
# passkeys_url = "{DEFAULT_PASSKEYS_URL}"

[output]
# format = "terminal"
# quiet = false

[notify]
# desktop = true
# email = "me@example.com"      # sent with the local sendmail on new findings

[schedule]
# frequency = "daily"           # or "weekly"
# time = "03:17"

# Ignore rules can live here too (`pwcheck ignore add` writes ignore.toml instead):
# [[ignore]]
# domain = "example.com"
# reason = "test accounts only"
"""


def show_lines(config: Config) -> list[str]:
    """`config show`: one `key = value  # origin` line per setting, then the ignore rules' count."""
    lines = [f"# {config.path}" + ("" if config.path.exists() else " (not created yet: defaults)")]
    for key in KEYS:
        value = config.values[key.name]
        rendered = "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, list) else (
            str(value).lower() if isinstance(value, bool) else f'"{value}"' if isinstance(value, str) else str(value)
        )
        lines.append(f"{key.name} = {rendered}  # {config.origins[key.name]}")
    if config.ignore_rules:
        lines.append(f"# {len(config.ignore_rules)} [[ignore]] rule(s) here; `pwcheck ignore list` shows every rule")
    return lines
