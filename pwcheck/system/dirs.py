"""Where pwcheck keeps its own files: the platform's config, state, cache and log dirs.

One place decides, so every module agrees and tests can redirect all of them with the
platform's usual variables (XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME on Linux).
`PWCHECK_CONFIG` names a config file directly (e.g. a machine-wide onboarding config).
Directories are created 0700 when pwcheck first writes into them, never on read.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

APP = "pwcheck"
CONFIG_FILE = "config.toml"
IGNORE_FILE = "ignore.toml"


def _platformdirs() -> ModuleType:
    import platformdirs

    return platformdirs


def config_dir() -> Path:
    """The directory holding config.toml and ignore.toml."""
    override = os.environ.get("PWCHECK_CONFIG")
    if override:
        return Path(override).expanduser().parent
    return Path(_platformdirs().user_config_dir(APP, appauthor=False))


def config_file() -> Path:
    """The config file: `PWCHECK_CONFIG` if set, else config.toml in the config dir."""
    override = os.environ.get("PWCHECK_CONFIG")
    if override:
        return Path(override).expanduser()
    return config_dir() / CONFIG_FILE


def ignore_file() -> Path:
    """Ignore rules pwcheck writes itself (`pwcheck ignore add`), beside the config."""
    return config_dir() / IGNORE_FILE


def state_dir() -> Path:
    """Per-install state: the findings of the last `--new` run and, failing a keychain, its key."""
    return Path(_platformdirs().user_state_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Disposable data: cached ranges (public data, but they reveal which prefixes were asked)."""
    return Path(_platformdirs().user_cache_dir(APP, appauthor=False))


def log_dir() -> Path:
    """Where scheduled runs append their log lines."""
    return Path(_platformdirs().user_log_dir(APP, appauthor=False))
