"""Firefox's password store read in place: a real profile made by Debian's firefox-esr, logins
encrypted by Firefox's own NSS (`tests/support/firefox_profile.py`), read through NSS again.

The two profiles (without and with a primary password) are built once per session and only
read: the reader must never write to them, and `test_profile_left_unchanged` proves it.
Expected SHA-1s were computed apart from pwcheck (`printf %s 'pw' | sha1sum`).
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError, UsageError
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources import _nss
from pwcheck.sources import browser_firefox as ff
from pwcheck.sources.collect import collect
from tests.support.firefox_profile import Login, build, write_logins

PRIMARY = "Prim-ärpass 1"
LOGINS = [
    Login("https://accounts.example.com", "alice@example.com", "correct horse ✓ ", 1600000000123),
    Login("https://forum.example.org", "bob", "  spaces kept\t", 1700000000000, form_submit_url="https://forum.example.org"),
    Login("https://intranet.example.net", "carol", "realm-pass-9", 1650000000000, http_realm="Staff only"),
    Login("https://old.example.com", "dave", "gone-pass", 1500000000000, deleted=True),
    Login("chrome://FirefoxAccounts", "8a7f0c1e", '{"version":1,"accountData":{}}', 1690000000000,
          http_realm="Firefox Accounts credentials"),
    Login("https://nouser.example", "", "P@ss-no-user", 1710000000000),
]
# (url, username, SHA-1 of the password, change time)
EXPECTED = [
    ("https://accounts.example.com", "alice@example.com", "bd61088ef30c522fd350c8772fb18999105267ca",
     datetime(2020, 9, 13, 12, 26, 40, 123000, tzinfo=timezone.utc)),
    ("https://forum.example.org", "bob", "34091f7d89832ecccd402b29934663d69bd0eb4e",
     datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
    ("https://intranet.example.net", "carol", "93a9980484fa8acdece66fd6137bbf1412fba708",
     datetime(2022, 4, 15, 5, 20, tzinfo=timezone.utc)),
    ("https://nouser.example", None, "7bc77bc1deb9a06c492551bb57dc842151a88f93",
     datetime(2024, 3, 9, 16, 0, tzinfo=timezone.utc)),
]
SKIPPED = sorted([ff.DELETED_REASON, "Firefox Accounts sync login, not a website"])


@dataclass
class Profiles:
    plain: Path
    locked: Path
    root: Path  # the folder holding Firefox's own profiles.ini for them


@pytest.fixture(scope="session")
def profiles(tmp_path_factory: pytest.TempPathFactory) -> Profiles:
    """One profile made by firefox-esr, copied twice: logins alone, logins under a primary password."""
    base = tmp_path_factory.mktemp("firefox")
    made = build(base, LOGINS, {"plain": None, "locked": PRIMARY})
    return Profiles(made["plain"], made["locked"], base / "home/.config/mozilla/firefox")


def _read(profile: Path, answers: list[str] | None = None) -> tuple[list[SourceEvent], list[str]]:
    asked: list[str] = []
    given = list(answers or [])

    def prompt(question: str) -> str:
        asked.append(question)
        return given.pop(0) if given else ""

    return list(ff.read_profile(profile, "firefox:test", "firefox", prompt)), asked


def _check_exact(events: list[SourceEvent]) -> None:
    credentials = [e for e in events if isinstance(e, Credential)]
    assert [(c.url, c.username, c.sha1.hex(), c.password_changed) for c in credentials] == EXPECTED
    assert {(c.format, c.title, c.other_urls, c.changed_kind, c.line) for c in credentials} == {
        ("firefox-profile", None, (), "password", None)}
    assert sorted(e.reason for e in events if isinstance(e, Skipped)) == SKIPPED
    assert not [e for e in events if isinstance(e, InputError)]
    notes = [e.message for e in events if isinstance(e, Note)]
    assert notes == ["2 item(s) skipped: 1 deleted login Firefox keeps for Sync, 1 Firefox Accounts sync login, not a website"] \
        or notes == ["2 item(s) skipped: 1 Firefox Accounts sync login, not a website, 1 deleted login Firefox keeps for Sync"]


def test_reads_exact_credentials_without_asking(profiles: Profiles) -> None:
    events, asked = _read(profiles.plain)
    _check_exact(events)
    assert asked == []


def test_count_logins_decrypts_nothing(profiles: Profiles) -> None:
    """Website logins only, as about:logins shows them; no prompt is even possible here."""
    assert ff.count_logins(profiles.plain) == 4
    assert ff.count_logins(profiles.locked) == 4


def test_primary_password_right(profiles: Profiles) -> None:
    events, asked = _read(profiles.locked, [PRIMARY])
    _check_exact(events)
    assert asked == [f"Firefox primary password for {profiles.locked}"]


def test_primary_password_wrong_then_right(profiles: Profiles) -> None:
    events, asked = _read(profiles.locked, ["prim-ärpass 1", PRIMARY])
    _check_exact(events)
    assert len(asked) == 2


def test_primary_password_wrong_twice_is_an_error(profiles: Profiles) -> None:
    with pytest.raises(InputError) as caught:
        _read(profiles.locked, ["nope", PRIMARY + " "])
    assert caught.value.exit_code == 2
    assert str(caught.value) == "firefox:test: wrong primary password, 2 times: not read"


def test_primary_password_not_given_is_never_clean(profiles: Profiles) -> None:
    """Through the audit's own collection: an error for the source, no credential, not complete."""
    asked: list[str] = []
    source = ff.firefox_source(profiles.locked, lambda question: asked.append(question) or "")
    got = collect([source], strength=False)
    assert asked == [f"Firefox primary password for {profiles.locked}"]
    assert got.credentials == [] and got.complete == []
    assert [(e.source, e.message, e.exit_code) for e in got.errors] == [
        (f"firefox:{profiles.locked}", "this profile has a primary password and none was given: not read", 2)]


def _state(profile: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(profile.iterdir()) if p.is_file() and not p.is_symlink()}


def test_profile_left_unchanged(profiles: Profiles) -> None:
    """key4.db, cert9.db, logins.json and every other file: same bytes, same mtime, no file added."""
    for profile, answers in ((profiles.plain, []), (profiles.locked, [PRIMARY])):
        before = _state(profile)
        assert {"key4.db", "cert9.db", "logins.json", "pkcs11.txt"} <= set(before)
        listing = sorted(p.name for p in profile.iterdir())
        _read(profile, answers)
        assert _state(profile) == before
        assert sorted(p.name for p in profile.iterdir()) == listing


def test_profiles_found_where_firefox_registered_them(profiles: Profiles, monkeypatch: pytest.MonkeyPatch) -> None:
    """firefox-esr 153 wrote its profiles.ini under $XDG_CONFIG_HOME/mozilla/firefox: found there."""
    home = profiles.root.parents[2]
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    roots = ff.default_roots("firefox")
    assert roots[:2] == [home / ".mozilla/firefox", home / ".config/mozilla/firefox"]
    found = [entry for root in roots for entry in ff.profile_dirs(root)]
    assert found == [("pwcheck-test", profiles.plain.parent / "made")]
    assert ff.default_roots("librewolf")[0] == home / ".librewolf"
    with pytest.raises(UsageError):
        ff.default_roots("chrome")


def test_profile_dirs_default_first(tmp_path: Path) -> None:
    """installs.ini's default, then profiles.ini's Default=1, then the rest; absent folders left out."""
    for name in ("Profiles/a.default", "Profiles/b.default-release", "Profiles/c.work"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "profiles.ini").write_text(
        "[Install4F96D1932A9F858E]\nDefault=Profiles/b.default-release\nLocked=1\n\n"
        "[Profile2]\nName=work\nIsRelative=1\nPath=Profiles/c.work\n\n"
        f"[Profile1]\nName=default\nIsRelative=1\nPath=Profiles/a.default\nDefault=1\n\n"
        f"[Profile3]\nName=abs\nIsRelative=0\nPath={tmp_path / 'elsewhere'}\n\n"
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=Profiles/b.default-release\n\n"
        "[Profile4]\nName=gone\nIsRelative=1\nPath=Profiles/gone\n\n[General]\nStartWithLastProfile=1\nVersion=2\n")
    (tmp_path / "installs.ini").write_text("[Install4F96D1932A9F858E]\nDefault=Profiles/c.work\nLocked=1\n")
    assert ff.profile_dirs(tmp_path) == [
        ("work", tmp_path / "Profiles/c.work"), ("default-release", tmp_path / "Profiles/b.default-release"),
        ("default", tmp_path / "Profiles/a.default"), ("abs", tmp_path / "elsewhere")]
    assert ff.profile_dirs(tmp_path / "none") == []
    (tmp_path / "profiles.ini").write_bytes(b"[Profile0\n\xff")
    with pytest.raises(InputError, match="invalid ini text"):
        ff.profile_dirs(tmp_path)


@pytest.fixture
def scratch(profiles: Profiles, tmp_path: Path) -> Path:
    """A copy of the plain profile a test may break."""
    copy = tmp_path / "profile"
    shutil.copytree(profiles.plain, copy, symlinks=True)
    return copy


def test_hostile_logins_are_errors_with_their_position(scratch: Path) -> None:
    """Every field type-checked: what cannot be read exactly is an error, the rest still read."""
    document = json.loads((scratch / "logins.json").read_text())
    good = document["logins"][0]
    document["logins"] = [
        "not an object",
        {**good, "hostname": 7},
        {**good, "encryptedPassword": None},
        {**good, "encryptedUsername": ["x"]},
        {**good, "encryptedPassword": "%%% not base64"},
        {**good, "encryptedPassword": "AAAAAAAAAAAAAAAAAAAAAA=="},
        {**good, "timePasswordChanged": "1600000000123"},
        {**good, "timePasswordChanged": True},
        good,
    ]
    (scratch / "logins.json").write_text(json.dumps(document))
    events, _ = _read(scratch)
    errors = [str(e) for e in events if isinstance(e, InputError)]
    assert errors[:4] == [
        "firefox:test: login 1: not a JSON object",
        "firefox:test: login 2: 'hostname' is not text",
        "firefox:test: login 3: 'encryptedPassword' is not text",
        "firefox:test: login 4: 'encryptedUsername' is not text",
    ]
    assert errors[4] == "firefox:test: login 5: not base64"
    assert errors[5].startswith("firefox:test: login 6: NSS could not decrypt it (SEC_ERROR_")
    assert errors[6:] == ["firefox:test: login 7: 'timePasswordChanged' is not a number",
                          "firefox:test: login 8: 'timePasswordChanged' is not a number"]
    assert [(c.url, c.sha1.hex()) for c in events if isinstance(c, Credential)] == [
        ("https://accounts.example.com", "bd61088ef30c522fd350c8772fb18999105267ca")]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"logins": {}}', "firefox:test/logins.json: not a Firefox logins.json ('logins' is not an array)"),
    (b"[1, 2]", "firefox:test/logins.json: not a Firefox logins.json ('logins' is not an array)"),
    (b'{"logins": [', "firefox:test/logins.json:1: invalid JSON (Expecting value)"),
])
def test_unreadable_logins_json(scratch: Path, content: bytes, message: str) -> None:
    (scratch / "logins.json").write_bytes(content)
    with pytest.raises(InputError) as caught:
        _read(scratch)
    assert str(caught.value) == message
    with pytest.raises(InputError):
        ff.count_logins(scratch)


def test_profile_without_logins_or_key(scratch: Path, tmp_path: Path) -> None:
    """No logins.json: nothing saved, said. Logins without key4.db, or no folder at all: errors."""
    (scratch / "key4.db").unlink()
    with pytest.raises(InputError, match="key4.db is missing"):
        _read(scratch)
    (scratch / "logins.json").unlink()
    assert _read(scratch)[0] == [Note("firefox:test", "no saved logins in this profile")]
    assert ff.count_logins(scratch) == 0
    with pytest.raises(InputError, match="no Firefox profile here"):
        _read(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"not a Firefox profile \(no logins.json, key4.db or prefs.js\)"):
        _read(tmp_path / "empty")
    with pytest.raises(InputError):
        ff.count_logins(tmp_path / "empty")


def test_no_nss_library_says_how_to_export(profiles: Profiles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ff, "library_candidates", lambda: ["/nonexistent/libnss3.so", "libnss3-not-here.so"])
    with pytest.raises(InputError) as caught:
        _read(profiles.plain)
    assert caught.value.exit_code == 2
    assert "libnss3) was not found on this machine" in str(caught.value)
    assert "about:logins → ⋯ → Export Passwords" in str(caught.value)


def test_one_profile_at_a_time(profiles: Profiles) -> None:
    """NSS holds one profile per process: a second reader waits until the first has shut NSS down."""
    first: Iterator[SourceEvent] = ff.read_profile(profiles.plain, "first", "firefox", lambda _: "")
    assert isinstance(next(first), Credential)  # NSS is open on the plain profile now
    second: list[SourceEvent] = []
    reader = threading.Thread(target=lambda: second.extend(ff.read_profile(profiles.locked, "second", "firefox",
                                                                           lambda _: PRIMARY)))
    reader.start()
    reader.join(timeout=0.5)
    assert reader.is_alive() and second == []
    rest = list(first)
    reader.join(timeout=30)
    assert not reader.is_alive()
    _check_exact(second)
    assert len([e for e in rest if isinstance(e, Credential)]) == 3


def test_nss_refuses_a_process_where_it_already_runs(profiles: Profiles) -> None:
    """NSS started by something else in this process is left alone, not re-initialised under it."""
    lib = _nss.load(_nss.library_candidates())
    assert lib.NSS_Initialize(f"sql:{profiles.plain}".encode(), b"", b"", b"secmod.db", _nss.NSS_INIT_READONLY) == 0
    try:
        with pytest.raises(InputError, match="NSS is already in use in this process"):
            _read(profiles.locked, [PRIMARY])
    finally:
        assert lib.NSS_Shutdown() == 0
    assert _read(profiles.plain)[0]  # and once it is shut down, readable again


def test_decrypted_bytes_not_utf8_are_an_error(scratch: Path) -> None:
    """Firefox stores UTF-8 text: other bytes are a damaged value, reported, never hashed as something else."""
    write_logins(scratch, [Login("https://a.example", "amy", "", 1600000000000, raw_password_hex="70e9ff41"),
                           Login("https://b.example", "ben", "fine-pass-1", 1600000000000)])
    events, _ = _read(scratch)
    assert [str(e) for e in events if isinstance(e, InputError)] == [
        "firefox:test: login 1: a decrypted value is not UTF-8 text, as Firefox writes it"]
    assert [c.username for c in events if isinstance(c, Credential)] == ["ben"]


def test_profile_path_with_spaces_quotes_and_accents(profiles: Profiles, tmp_path: Path) -> None:
    """macOS keeps profiles under 'Application Support'; NSS gets the path quoted, whatever it holds."""
    odd = tmp_path / "Application Support" / "it's ü \"q\""
    shutil.copytree(profiles.locked, odd, symlinks=True)
    events, _ = _read(odd, [PRIMARY])
    _check_exact(events)


def test_library_candidates_per_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser's own NSS first (Windows and macOS have no system NSS), the system's last."""
    monkeypatch.setenv("ProgramFiles", "C:/Program Files")
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert _nss.library_candidates("win32") == [
        str(Path("C:/Program Files/Mozilla Firefox/nss3.dll")), str(Path("C:/Program Files/LibreWolf/nss3.dll"))]
    mac = _nss.library_candidates("darwin")
    assert mac[:2] == ["/Applications/Firefox.app/Contents/MacOS/libnss3.dylib",
                       "/Applications/LibreWolf.app/Contents/MacOS/libnss3.dylib"]
    linux = _nss.library_candidates("linux")
    assert linux[0] == "/usr/lib/firefox-esr/libnss3.so" and linux[-1] == "libnss3.so"


def test_a_second_profile_in_the_same_thread_is_refused_not_a_deadlock(profiles: Profiles) -> None:
    first = ff.read_profile(profiles.plain, "first", "firefox", lambda _: "")
    assert isinstance(next(first), Credential)
    with pytest.raises(InputError, match="still being read in this thread"):
        _read(profiles.locked, [PRIMARY])
    assert len([e for e in first if isinstance(e, Credential)]) == 3
    _check_exact(_read(profiles.locked, [PRIMARY])[0])


def test_damaged_key_database_is_an_error(scratch: Path) -> None:
    (scratch / "key4.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    with pytest.raises(InputError) as caught:
        _read(scratch)
    assert caught.value.exit_code == 2 and str(caught.value).startswith("firefox:test: NSS ")


def test_librewolf_asks_in_its_own_name(profiles: Profiles) -> None:
    asked: list[str] = []
    source = ff.firefox_source(profiles.locked, lambda question: asked.append(question) or PRIMARY, "librewolf")
    assert source.name == f"librewolf:{profiles.locked}"
    assert len([e for e in source.read() if isinstance(e, Credential)]) == 4
    assert asked == [f"LibreWolf primary password for {profiles.locked}"]
