"""Which browser and profile `--browser NAME[:PROFILE]` and `--browser-profile DIR` mean, on each platform."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pwcheck.model.errors import InputError, UsageError
from pwcheck.sources import browser as b

HOME = Path("/home/u")


@pytest.mark.parametrize("name,platform,expected", [
    ("chrome", "linux", "/home/u/.config/google-chrome"),
    ("chromium", "linux", "/home/u/.config/chromium"),
    ("brave", "linux", "/home/u/.config/BraveSoftware/Brave-Browser"),
    ("edge", "linux", "/home/u/.config/microsoft-edge"),
    ("firefox", "linux", "/home/u/.mozilla/firefox"),
    ("chrome", "darwin", "/home/u/Library/Application Support/Google/Chrome"),
    ("vivaldi", "darwin", "/home/u/Library/Application Support/Vivaldi"),
    ("chrome", "win32", "/L/Google/Chrome/User Data"),
    ("edge", "win32", "/L/Microsoft/Edge/User Data"),
    ("opera", "win32", "/R/Opera Software/Opera Stable"),
    ("firefox", "win32", "/R/Mozilla/Firefox"),
])
def test_default_user_data_dirs(name: str, platform: str, expected: str) -> None:
    environ = {"LOCALAPPDATA": "/L", "APPDATA": "/R"}
    assert b.user_data_dir(b.BROWSERS[name], platform, environ, HOME) == Path(expected)


def test_xdg_config_home_is_honoured_on_linux() -> None:
    assert b.user_data_dir(b.BROWSERS["chromium"], "linux", {"XDG_CONFIG_HOME": "/x"}, HOME) == Path("/x/chromium")


def test_requests() -> None:
    assert b.parse_requests(("chrome", "Chromium:Profile 2"), None) == [
        b.ProfileRequest(b.BROWSERS["chrome"]), b.ProfileRequest(b.BROWSERS["chromium"], "Profile 2"),
    ]
    assert b.parse_requests(("brave",), Path("/p")) == [b.ProfileRequest(b.BROWSERS["brave"], None, Path("/p"))]
    with pytest.raises(UsageError, match="unknown browser 'netscape'"):
        b.parse_requests(("netscape",), None)
    with pytest.raises(UsageError, match="needs exactly one --browser"):
        b.parse_requests((), Path("/p"))
    with pytest.raises(UsageError, match="needs exactly one --browser"):
        b.parse_requests(("chrome:Default",), Path("/p"))


def test_profile_by_name_and_default(chromium_user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(chromium_user_data.parent))
    assert b.resolve(b.ProfileRequest(b.BROWSERS["chromium"])) == ("Default", chromium_user_data / "Default")
    assert b.resolve(b.ProfileRequest(b.BROWSERS["chromium"], "Profile 2")) == ("Profile 2", chromium_user_data / "Profile 2")
    with pytest.raises(InputError, match="no Chromium profile named 'Nope' \\(profiles: Default, Old, Profile 2\\)"):
        b.resolve(b.ProfileRequest(b.BROWSERS["chromium"], "Nope"))
    with pytest.raises(InputError, match="no Google Chrome profile found under"):
        b.resolve(b.ProfileRequest(b.BROWSERS["chrome"]))
    source = b.browser_source(b.ProfileRequest(b.BROWSERS["chromium"], "Old"), lambda label: "")
    assert source.name == "chromium:Old"


def test_firefox_is_not_available_until_its_module_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """`firefox` resolves to pwcheck.sources.browser_firefox by name; a build without it says so, no traceback."""
    assert b.FAMILIES["firefox"] == "pwcheck.sources.browser_firefox"
    monkeypatch.setitem(sys.modules, "pwcheck.sources.browser_firefox", None)  # as if the module were missing
    with pytest.raises(InputError, match="reading firefox profiles is not available in this build"):
        b.family("firefox")


def test_families_are_imported_only_when_chosen() -> None:
    import subprocess

    code = ("import sys, pwcheck.sources.browser as b; b.parse_requests(('chrome', 'firefox'), None); "
            "print(sorted(m for m in sys.modules if m.startswith('pwcheck.sources.browser_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_sources_inventory_counts_and_says_what_it_could_not(tmp_path: Path) -> None:
    """A profile whose database is not SQLite is listed with why it was not counted, never as 0 logins."""
    root = tmp_path / "config" / "google-chrome"
    (root / "Default").mkdir(parents=True)
    (root / "Default" / "Login Data").write_bytes(b"not a database" * 64)
    found = b.installed_profiles({"XDG_CONFIG_HOME": str(tmp_path / "config")}, tmp_path, "linux")
    assert [(p.browser, p.label, p.logins) for p in found] == [("chrome", "Default", None)]
    assert found[0].problem == "not a readable SQLite database (DatabaseError)"
