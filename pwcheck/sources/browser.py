"""`--browser NAME[:PROFILE]` and `--browser-profile DIR`: a browser's own password store, read in place.

Browsers come in families that store passwords alike: the Chromium family (Chrome,
Chromium, Edge, Brave, Vivaldi, Opera: `Login Data`, an SQLite database) and the Firefox
family (Firefox, LibreWolf: `logins.json` with `key4.db`). Each family is one module
exposing exactly three functions (`BrowserFamily`): the profiles under a user-data dir,
how many logins a profile holds (nothing decrypted: `pwcheck sources`), and the profile
read as source events. This module only knows the browsers (`BROWSERS`), where each
keeps its user-data dir on each platform, and which profile the command line means.

Family modules are named by string and imported only when a browser of that family is
chosen, in the spirit of `pwcheck.system.registry` (a family is a module of three
functions, not one attribute, so the table names the module): `--help` and an audit of
files import no browser code, and the Firefox module (NSS through ctypes) is never
loaded for a Chromium profile. A family module that is missing from this build is one
clear "not available" line, not a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Protocol, cast

from pwcheck.model.errors import InputError, UsageError
from pwcheck.model.source import ItemSource, SourceEvent


class BrowserFamily(Protocol):
    """What every family module offers (see `browser_chromium.py`)."""

    def profile_dirs(self, user_data_dir: Path) -> list[tuple[str, Path]]: ...

    def count_logins(self, profile: Path) -> int: ...

    def read_profile(
        self, profile: Path, source: str, browser: str, prompt: Callable[[str], str]
    ) -> Iterator[SourceEvent]: ...


# family -> module exposing the three functions; imported only when chosen.
FAMILIES: dict[str, str] = {
    "chromium": "pwcheck.sources.browser_chromium",
    "firefox": "pwcheck.sources.browser_firefox",
}


@dataclass(frozen=True)
class Browser:
    """One browser: its family and its user-data dir per platform, relative to the usual base.

    Linux: `~/.config` (Firefox-likes: `~`); macOS: `~/Library/Application Support`;
    Windows: `%LOCALAPPDATA%` (Firefox-likes and Opera: `%APPDATA%`).
    """

    name: str
    label: str
    family: str
    linux: str
    macos: str
    windows: str
    windows_roaming: bool = False  # under %APPDATA% rather than %LOCALAPPDATA%
    linux_home: bool = False  # under ~ rather than ~/.config


BROWSERS: dict[str, Browser] = {b.name: b for b in (
    Browser("chrome", "Google Chrome", "chromium", "google-chrome", "Google/Chrome", r"Google\Chrome\User Data"),
    Browser("chromium", "Chromium", "chromium", "chromium", "Chromium", r"Chromium\User Data"),
    Browser("edge", "Microsoft Edge", "chromium", "microsoft-edge", "Microsoft Edge", r"Microsoft\Edge\User Data"),
    Browser("brave", "Brave", "chromium", "BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser",
            r"BraveSoftware\Brave-Browser\User Data"),
    Browser("vivaldi", "Vivaldi", "chromium", "vivaldi", "Vivaldi", r"Vivaldi\User Data"),
    Browser("opera", "Opera", "chromium", "opera", "com.operasoftware.Opera", r"Opera Software\Opera Stable",
            windows_roaming=True),
    Browser("firefox", "Firefox", "firefox", ".mozilla/firefox", "Firefox", r"Mozilla\Firefox", windows_roaming=True,
            linux_home=True),
    Browser("librewolf", "LibreWolf", "firefox", ".librewolf", "librewolf", "librewolf", windows_roaming=True,
            linux_home=True),
)}


def browser(name: str) -> Browser:
    """The browser called `name` (case-insensitive), or a usage error listing the names."""
    found = BROWSERS.get(name.strip().lower())
    if found is None:
        raise UsageError(f"--browser: unknown browser {name!r} (one of: {', '.join(BROWSERS)})")
    return found


def family(name: str) -> BrowserFamily:
    """Import the family module; one missing from this build is said plainly."""
    module = FAMILIES[name]
    try:
        return cast(BrowserFamily, importlib.import_module(module))
    except ImportError as exc:
        if exc.name != module and not (exc.name or "").startswith("pwcheck."):
            raise InputError(name, f"cannot read {name} profiles: Python package {exc.name!r} is not installed") from None
        raise InputError(name, f"reading {name} profiles is not available in this build of pwcheck") from None


def user_data_dir(entry: Browser, platform: str = sys.platform, environ: dict[str, str] | None = None,
                  home: Path | None = None) -> Path:
    """Where `entry` keeps its profiles on `platform` (arguments for tests; defaults: this machine)."""
    env = os.environ if environ is None else environ
    base_home = home if home is not None else Path.home()
    if platform == "darwin":
        return base_home / "Library" / "Application Support" / entry.macos
    if platform in ("win32", "cygwin"):
        variable = "APPDATA" if entry.windows_roaming else "LOCALAPPDATA"
        fallback = base_home / "AppData" / ("Roaming" if entry.windows_roaming else "Local")
        root = Path(env[variable]) if env.get(variable) else fallback
        return root.joinpath(*entry.windows.split("\\"))
    if entry.linux_home:
        return base_home / entry.linux
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else base_home / ".config"
    return config / entry.linux


@dataclass(frozen=True)
class ProfileRequest:
    """One `--browser` value (or the family `--browser-profile` names): which browser, which profile."""

    browser: Browser
    profile: str | None = None  # a profile's label under the user-data dir; None: the default one
    directory: Path | None = None  # `--browser-profile DIR`: this directory, whatever it is called


def parse_requests(values: tuple[str, ...], profile_dir: Path | None) -> list[ProfileRequest]:
    """`--browser chrome`, `--browser "chrome:Profile 2"`, and `--browser-profile DIR` (with one `--browser`).

    With `--browser-profile`, `--browser` says which family reads the directory (Chromium
    when none is given is a guess the user did not make: refused instead).
    """
    parsed = []
    for value in values:
        name, _, profile = value.partition(":")
        parsed.append(ProfileRequest(browser(name), profile or None))
    if profile_dir is None:
        return parsed
    if len(parsed) != 1 or parsed[0].profile is not None:
        raise UsageError("--browser-profile DIR needs exactly one --browser NAME (without :PROFILE) saying which browser wrote it")
    return [ProfileRequest(parsed[0].browser, None, profile_dir)]


def resolve(request: ProfileRequest) -> tuple[str, Path]:
    """(label, directory) of the profile a request means; an InputError when there is none."""
    entry = request.browser
    if request.directory is not None:
        return request.directory.name or str(request.directory), request.directory
    root = user_data_dir(entry)
    found = family(entry.family).profile_dirs(root) if root.is_dir() else []
    if not found:
        raise InputError(entry.name, f"no {entry.label} profile found under {root} (use --browser-profile DIR)")
    if request.profile is None:
        return found[0]
    for label, directory in found:
        if label == request.profile or directory.name == request.profile:
            return label, directory
    names = ", ".join(label for label, _ in found)
    raise InputError(entry.name, f"no {entry.label} profile named {request.profile!r} (profiles: {names})")


def browser_source(request: ProfileRequest, prompt: Callable[[str], str]) -> ItemSource:
    """One profile as an audit source named `browser:profile` (`chromium:Default`).

    The profile is found now, to name the source; one that cannot be found is that
    source's error when the audit reads it, beside every other source's results.
    """
    entry = request.browser
    try:
        label, directory = resolve(request)
    except InputError as exc:
        failure = exc
        return ItemSource(f"{entry.name}:{request.profile or 'default'}", lambda: _raise(failure))
    source = f"{entry.name}:{label}"
    return ItemSource(source, lambda: family(entry.family).read_profile(directory, source, entry.name, prompt))


def _raise(error: InputError) -> Iterator[SourceEvent]:
    raise error


@dataclass(frozen=True)
class FoundProfile:
    """A profile `pwcheck sources` found, with its login count (or why it could not be counted)."""

    browser: str
    label: str
    directory: Path
    logins: int | None
    problem: str | None = None


def installed_profiles(
    environ: dict[str, str] | None = None, home: Path | None = None, platform: str = sys.platform
) -> list[FoundProfile]:
    """Every profile of every known browser on this machine, counted without decrypting anything."""
    found: list[FoundProfile] = []
    for entry in BROWSERS.values():
        root = user_data_dir(entry, platform, environ, home)
        if not root.is_dir():
            continue
        try:
            module = family(entry.family)
        except InputError as exc:
            found.append(FoundProfile(entry.name, "", root, None, exc.message))
            continue
        for label, directory in module.profile_dirs(root):
            try:
                found.append(FoundProfile(entry.name, label, directory, module.count_logins(directory)))
            except InputError as exc:
                found.append(FoundProfile(entry.name, label, directory, None, exc.message))
    return found


def browser_sources(values: tuple[str, ...], profile_dir: Path | None,
                    prompt: Callable[[str], str] | None = None) -> list[ItemSource]:
    """The sources `--browser` (repeatable) and `--browser-profile` ask for, in the order given."""
    return [browser_source(request, prompt or hidden_prompt) for request in parse_requests(values, profile_dir)]


def hidden_prompt(label: str) -> str:
    """A hidden question on the terminal (Firefox's primary password); without a terminal, an InputError."""
    if not sys.stdin.isatty():
        raise InputError(label, "needs a password, and there is no terminal to ask on")
    import click

    return str(click.prompt(label, hide_input=True, default="", show_default=False, prompt_suffix=": ", err=True))
