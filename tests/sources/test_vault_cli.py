"""`--bitwarden`, `--1password`, `--rbw`: vaults read through their CLIs, here stand-ins on PATH.

The stand-ins (tests/support/vault_standin.py) print the tools' real JSON output shapes, recorded
from public sources (tests/fixtures/SOURCES.md, "Vault command-line tools"), answer only the exact
command lines pwcheck must use, and play the locked, signed-out, hung, flooding and broken cases.
Expected password digests were computed apart (`printf %s 'pw' | sha1sum`) and are written out.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Note, SourceEvent
from pwcheck.sources import vault_cli
from pwcheck.sources.vault_cli import TOOLS, VaultLocked
from tests.support.cli import invoke, run
from tests.support.rangeserver import RangeServer
from tests.support.vault_standin import (
    BW_LIST,
    OP_GET,
    OP_LIST,
    OP_WHOAMI,
    RBW_LOGIN_ID,
    REAL,
    SESSION,
    Answer,
    bw_ok,
    calls,
    install,
    op_ok,
    rbw_ok,
    running,
)

# Every password the recorded outputs hold (and the stand-ins echo on stderr when locked).
PASSWORDS = ("mypassword", "Q7vFwTJcqwxKmTU]Dzx7NW*wrNPXmj", "OctoberPoppyNuttyDraperySabbath",
             "j89Dyb7psat*hkbkyLUQyq@GR.a-g2pQH_V_xtMhrn37rQ_2uRYoRiozj6TjWVLy2pbfEvjnse")
LOGIN_NAME = ("Login Name", "https://mail.google.com", ("https://google.com", "https://gmail.com"), "myusername@gmail.com",
              "91DFD9DDB4198AFFC5C194CD8CE6D338FDE470E2")


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("BW_SESSION", SESSION)
    return directory


def read(name: str) -> list[SourceEvent]:
    return list(TOOLS.get(name).read())


def credentials(events: list[SourceEvent]) -> list[tuple[object, ...]]:
    return [(c.title, c.url, c.other_urls, c.username, c.sha1.hex().upper()) for c in events if isinstance(c, Credential)]


def skips(events: list[SourceEvent]) -> list[str]:
    return [s.reason for s in events if isinstance(s, Skipped)]


# -- each tool read exactly ---------------------------------------------------------------------


def test_bitwarden_items_read_by_the_export_reader_with_the_session_passed_on(bin_dir: Path) -> None:
    log = bw_ok(bin_dir)
    events = read("bitwarden")
    assert credentials(events) == [LOGIN_NAME]
    assert skips(events) == ["item 1: secure note", "item 2: card", "item 3: identity"]
    (login,) = [c for c in events if isinstance(c, Credential)]
    assert (login.source, login.format, login.totp_stored, login.password_changed) == ("bitwarden (bw)", "bitwarden-cli", True, None)
    assert [e.message for e in events if isinstance(e, Note)] == ["3 item(s) skipped: 1 secure note, 1 card, 1 identity"]
    (call,) = calls(log)
    assert call["argv"] == list(BW_LIST) and call["stdin"] == ""
    assert call["env"] == {"BW_SESSION": SESSION, "OP_SESSION_standin": None, "PWCHECK_KDBX_PASSWORD": None}


def test_bitwarden_organisation_item_without_view_password_is_skipped_as_hidden(bin_dir: Path) -> None:
    item = {"object": "item", "type": 1, "name": "Shared", "viewPassword": False,
            "login": {"username": "team", "password": None, "totp": None, "uris": []}}
    install(bin_dir, "bw", {BW_LIST: Answer(text=json.dumps([item]))})
    assert skips(read("bitwarden")) == ["item 1: password hidden from you (organisation item)"]


def test_onepassword_two_runs_for_the_whole_vault_primary_url_first(bin_dir: Path) -> None:
    log = op_ok(bin_dir)
    events = read("1password")
    assert credentials(events) == [
        ("Dummy Login", "https://acme.com", (), "agent.smith", "C11CE49F4BD0A6DAA0152AE53D52E30140386C7F"),
        ("OmittedValues", None, (), "fluxility", "65BF9195C86FE61FAD1DD6ABB36793CD02108190"),
        ("Authy Backup", None, (), None, "6E1EB1F1DCD74D6C3E1013986EFB0A00B9FE1B53"),
    ]
    assert skips(events) == []
    found = [c for c in events if isinstance(c, Credential)]
    assert [(c.format, c.password_changed.isoformat() if c.password_changed else None, c.changed_kind, c.totp_stored)
            for c in found] == [("1password-cli", "2018-04-25T21:56:06+00:00", "edit", False),
                                ("1password-cli", "2023-09-12T08:30:07+00:00", "edit", False),
                                ("1password-cli", "2016-02-20T16:23:54+00:00", "edit", False)]
    whoami, listed, got = calls(log)
    assert [whoami["argv"], listed["argv"], got["argv"]] == [list(OP_WHOAMI), list(OP_LIST), list(OP_GET)]
    assert got["stdin"] == (REAL / "op-item-list.json").read_text()  # the list, streamed into `op item get -`


def test_onepassword_field_types_checked_urls_ordered_and_totp_noted(bin_dir: Path) -> None:
    items = [
        {"title": "Two sites", "category": "LOGIN", "urls": [{"href": "https://b.example"}, {"primary": True, "href": "https://a.example"}],
         "fields": [{"purpose": "USERNAME", "value": "me"}, {"purpose": "PASSWORD", "value": "pw-two-sites"},
                    {"type": "OTP", "value": "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"}]},
        {"title": "Odd", "category": "LOGIN", "fields": [{"purpose": "PASSWORD", "value": 5}]},
        {"title": "Card", "category": "CREDIT_CARD"},
        {"title": "Hostile kind", "category": ["LOGIN"]},
    ]
    install(bin_dir, "op", {OP_WHOAMI: Answer(), OP_LIST: Answer(text=json.dumps([{}] * 4)),
                            OP_GET: Answer(text="".join(json.dumps(item, indent=2) + "\n" for item in items))})
    events = read("1password")
    assert credentials(events) == [("Two sites", "https://a.example", ("https://b.example",), "me",
                                    "747F9ACBE9C09C26D7391300B83C5E7BC0748539")]
    assert [c.totp_stored for c in events if isinstance(c, Credential)] == [True]
    assert [str(e) for e in events if isinstance(e, InputError)] == ["1password (op): item 2: its password is not text"]
    assert skips(events) == ["item 3: credit card", "item 4: not a login"]


def test_onepassword_fewer_items_than_listed_is_not_read_in_full(bin_dir: Path) -> None:
    install(bin_dir, "op", {OP_WHOAMI: Answer(), OP_LIST: Answer(stdout=[str(REAL / "op-item-list.json")]),
                            OP_GET: Answer(stdout=[str(REAL / "op-item-get-dummy-login.json"), str(REAL / "op-item-get-v2_out_04.json")])})
    with pytest.raises(InputError, match=r"gave 2 of the 3 items listed: not all read"):
        read("1password")


def test_rbw_checks_unlocked_first_then_fetches_only_logins(bin_dir: Path) -> None:
    log = rbw_ok(bin_dir)
    events = read("rbw")
    assert credentials(events) == [LOGIN_NAME]
    assert skips(events) == ["item 1: card", "item 3: identity", "item 4: secure note"]
    assert [e.message for e in events if isinstance(e, Note)] == ["3 item(s) skipped: 1 card, 1 identity, 1 secure note"]
    assert [(c.format, c.totp_stored) for c in events if isinstance(c, Credential)] == [("rbw", True)]
    assert [call["argv"] for call in calls(log)] == [["unlocked"], ["list", "--raw"], ["get", "--raw", RBW_LOGIN_ID]]


def test_rbw_history_dates_the_password_and_a_bad_id_is_not_read(bin_dir: Path, tmp_path: Path) -> None:
    got = json.loads((REAL / "rbw-get-raw-login.json").read_text())
    got["history"] = [{"last_used_date": "2021-03-04T05:06:07.000Z", "password": "older"},
                      {"last_used_date": "2022-01-02T03:04:05.000Z", "password": "old"}]
    (tmp_path / "got.json").write_text(json.dumps(got))
    listed = [{"id": RBW_LOGIN_ID, "type": "Login"}, {"id": "--help", "type": "Login"}]
    install(bin_dir, "rbw", {("unlocked",): Answer(), ("list", "--raw"): Answer(text=json.dumps(listed)),
                             ("get", "--raw", RBW_LOGIN_ID): Answer(stdout=[str(tmp_path / "got.json")])})
    events = read("rbw")
    (login,) = [c for c in events if isinstance(c, Credential)]
    assert (login.password_changed.isoformat() if login.password_changed else None, login.changed_kind) == (
        "2022-01-02T03:04:05+00:00", "password")
    assert [str(e) for e in events if isinstance(e, InputError)] == [
        "rbw: item 2: its id is not a UUID, so it cannot be fetched alone: not read"]


# -- locked, signed out: the unlock command, exit 2 ------------------------------------------------


@pytest.mark.parametrize("program,option,answers,hint", [
    ("bw", "--bitwarden", {BW_LIST: Answer(stderr="Vault is locked.", code=1)},
     'bitwarden (bw): the vault is locked: run `bw unlock` and then the `export BW_SESSION="..."` line it prints, '
     "then run pwcheck again (pwcheck never asks for a master password)"),
    ("bw", "--bitwarden", {BW_LIST: Answer(stderr="You are not logged in.", code=1)},
     'bitwarden (bw): the vault is not signed in: run `bw login` (then `bw unlock` and the `export BW_SESSION="..."` '
     "line it prints), then run pwcheck again (pwcheck never asks for a master password)"),
    ("op", "--1password", {OP_WHOAMI: Answer(stderr="[ERROR] 2024/01/01 12:00:00 You are not currently signed in. "
                                                    "Please run `op signin --help` for instructions", code=1)},
     "1password (op): the vault is not signed in: run `eval $(op signin)` (with the 1Password app's CLI integration on, "
     "`op signin`), then run pwcheck again (pwcheck never asks for a master password)"),
    ("rbw", "--rbw", {("unlocked",): Answer(stderr="rbw unlocked: agent is locked\n", code=1)},
     "rbw: the vault is locked: run `rbw unlock` (rbw asks for the master password itself and starts its agent), "
     "then run pwcheck again (pwcheck never asks for a master password)"),
    ("rbw", "--rbw", {("unlocked",): Answer(stderr="rbw unlocked: agent not running\n", code=1)},
     "rbw: the vault is locked: run `rbw unlock` (rbw asks for the master password itself and starts its agent), "
     "then run pwcheck again (pwcheck never asks for a master password)"),
], ids=["bw-locked", "bw-logged-out", "op-signed-out", "rbw-locked", "rbw-no-agent"])
def test_locked_vault_names_the_unlock_command_and_exits_2(
    bin_dir: Path, program: str, option: str, answers: dict[tuple[str, ...], Answer], hint: str,
) -> None:
    log = install(bin_dir, program, answers)
    with pytest.raises(VaultLocked) as caught:
        read({"--bitwarden": "bitwarden", "--1password": "1password", "--rbw": "rbw"}[option])
    assert str(caught.value) == hint
    result = invoke("audit", option, "--format", "json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"] == [{"source": hint.split(": ")[0], "line": None,
                                                    "message": hint.split(": ", 1)[1]}]
    assert len(calls(log)) == 2  # one call each time: nothing after the locked answer (no listing that would prompt)


def test_rbw_older_than_list_raw_says_which_version_is_needed(bin_dir: Path) -> None:
    install(bin_dir, "rbw", {("unlocked",): Answer(), ("list", "--raw"): Answer(
        stderr="error: unexpected argument '--raw' found\n\nUsage: rbw list [OPTIONS]\n", code=2)})
    with pytest.raises(InputError) as caught:
        read("rbw")
    assert str(caught.value) == "rbw: `rbw list --raw` was refused (exit code 2): pwcheck needs rbw 1.14 or later"


def test_rbw_locked_midway_ends_the_source(bin_dir: Path) -> None:
    install(bin_dir, "rbw", {("unlocked",): Answer(), ("list", "--raw"): Answer(stdout=[str(REAL / "rbw-list-raw.json")]),
                             ("get", "--raw", RBW_LOGIN_ID): Answer(stderr="rbw get: agent is locked\n", code=1)})
    with pytest.raises(VaultLocked):
        read("rbw")


# -- hostile or broken tools: never a clean audit ---------------------------------------------------


def test_a_hung_tool_is_killed_with_its_children_and_not_read(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault_cli, "TIMEOUT_S", 1.0)
    log = install(bin_dir, "bw", {BW_LIST: Answer(hang=True)})
    started = time.monotonic()
    with pytest.raises(InputError, match=r"`bw list items` gave no complete answer within 1 s: not read"):
        read("bitwarden")
    assert time.monotonic() - started < 15
    (call,) = calls(log)
    child = call["child"]
    assert isinstance(child, int)
    deadline = time.monotonic() + 5
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child)


def test_a_hung_tool_through_the_command_exits_2(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault_cli, "TIMEOUT_S", 1.0)
    install(bin_dir, "op", {OP_WHOAMI: Answer(), OP_LIST: Answer(hang=True)})
    result = invoke("audit", "--1password", "--format", "json")
    assert result.returncode == 2
    assert [e["message"] for e in json.loads(result.stdout)["errors"]] == [
        "`op item list` gave no complete answer within 1 s: not read"]


def test_endless_output_is_cut_at_the_cap_and_not_read(bin_dir: Path) -> None:
    install(bin_dir, "bw", {BW_LIST: Answer(flood=True)})
    with pytest.raises(InputError, match=r"`bw list items` printed more than 64 MiB: not read"):
        read("bitwarden")


@pytest.mark.parametrize("text,message", [
    ('[{"type": 1, "name": "x", "login": {"password": "pw"}', "bitwarden (bw):1: invalid JSON (Expecting ',' delimiter)"),
    ('{"items": []}', "bitwarden (bw): `bw list items` did not print a JSON array: not read"),
    ("", "bitwarden (bw):1: invalid JSON (Expecting value)"),
    (None, "bitwarden (bw): the output is not UTF-8 text: not read"),
])
def test_malformed_output_is_could_not_read_exit_2(bin_dir: Path, tmp_path: Path, text: str | None, message: str) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'[{"type": 1, "login": {"password": "caf\xe9"}}]')
    install(bin_dir, "bw", {BW_LIST: Answer(text=text) if text is not None else Answer(stdout=[str(latin1)])})
    with pytest.raises(InputError) as caught:
        read("bitwarden")
    assert str(caught.value) == message
    assert invoke("audit", "--bitwarden").returncode == 2


def test_a_failure_shows_none_of_what_the_tool_said(bin_dir: Path) -> None:
    install(bin_dir, "bw", {BW_LIST: Answer(stderr=f"boom {SESSION} mypassword", code=3)})
    with pytest.raises(InputError) as caught:
        read("bitwarden")
    assert str(caught.value) == ("bitwarden (bw): `bw list items` failed (exit code 3); its own messages are not shown, "
                                 "as they may hold vault data: run it yourself to see")


def test_a_missing_tool_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match=r"^rbw: rbw not found on PATH"):
        read("rbw")


# -- status, for `pwcheck sources` ----------------------------------------------------------------


def test_status_asks_without_unlocking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    monkeypatch.setenv("PATH", str(bin_dir))
    bw_log = install(bin_dir, "bw", {("status", "--nointeraction"): Answer(
        text='{"serverUrl":null,"lastSync":"2024-01-01T00:00:00.000Z","userEmail":"u@example.org","userId":"x","status":"locked"}')})
    op_log = install(bin_dir, "op", {OP_WHOAMI: Answer(stderr="[ERROR] account is not signed in", code=1)})
    assert vault_cli.status() == [
        ("bitwarden (bw)", f"found at {bin_dir / 'bw'}, locked"),
        ("1password (op)", f"found at {bin_dir / 'op'}, not signed in"),
        ("rbw", "not installed"),
    ]
    assert [c["argv"] for c in calls(bw_log) + calls(op_log)] == [["status", "--nointeraction"], ["whoami"]]


# -- nothing secret leaves: a real process with debug logging -------------------------------------


@pytest.fixture
def all_three(bin_dir: Path) -> Iterator[Path]:
    bw_ok(bin_dir)
    op_ok(bin_dir)
    rbw_ok(bin_dir)
    yield bin_dir


def test_all_three_audited_in_one_report_under_their_own_names(all_three: Path, range_server: RangeServer) -> None:
    result = invoke("audit", "--bitwarden", "--1password", "--rbw", "--format", "json", "--api-url", range_server.url)
    doc = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert sorted((e["source"], e["title"]) for e in doc["entries"]) == [
        ("1password (op)", "Authy Backup"), ("1password (op)", "Dummy Login"), ("1password (op)", "OmittedValues"),
        ("bitwarden (bw)", "Login Name"), ("rbw", "Login Name")]


def test_no_password_or_session_in_any_output(bin_dir: Path, range_server: RangeServer) -> None:
    """Locked bw echoing the session and a password on stderr, then all three read: -vv output holds neither."""
    install(bin_dir, "bw", {BW_LIST: Answer(stderr=f"Vault is locked. {SESSION} mypassword", code=1)})
    op_ok(bin_dir)
    rbw_ok(bin_dir)
    env = {"PATH": os.environ["PATH"], "BW_SESSION": SESSION, "PWCHECK_API_URL": range_server.url}
    proc = run("audit", "--bitwarden", "--1password", "--rbw", "-vv", "--format", "json", env=env)
    assert proc.returncode == 2, proc.stderr[-2000:]
    everything = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    assert "pwcheck debug" in everything  # the debug log was on, and is scanned too
    assert "bw unlock" in everything
    for secret in (SESSION, *PASSWORDS):
        assert secret not in everything



# -- any JSON anywhere: each item reader answers with an event, never an exception ----------------

KEYS = ["type", "category", "login", "password", "data", "fields", "purpose", "value", "urls", "href", "primary", "uris",
        "uri", "history", "last_used_date", "passwordHistory", "lastUsedDate", "totp", "title", "name", "updated_at",
        "viewPassword", "PASSWORD", "USERNAME", "LOGIN", "OTP"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(KEYS) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=16,
)


@settings(max_examples=300, deadline=None)
@given(item=ANY_JSON)
def test_any_json_item_is_an_event_not_a_crash(item: object) -> None:
    from pwcheck.sources import bitwarden_json, vault_onepassword, vault_rbw

    for reader in (bitwarden_json.read_item, vault_onepassword.read_item, vault_rbw.read_item):
        assert isinstance(reader("s", "f", 1, item), (Credential, Skipped, InputError))


def test_the_usage_error_names_the_vault_options() -> None:
    result = invoke("audit")
    assert result.returncode == 2
    assert "--bitwarden, --1password, --rbw" in result.stderr.decode()


def test_the_sources_command_lists_each_vault_and_the_option_that_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pwcheck sources` shows `status()`: an unlocked bw with `--bitwarden`, tools not installed without an option."""
    bin_dir = tmp_path / "bin"
    monkeypatch.setenv("PATH", str(bin_dir))
    install(bin_dir, "bw", {("status", "--nointeraction"): Answer(
        text='{"serverUrl":null,"lastSync":null,"userEmail":"u@example.org","userId":"x","status":"unlocked"}')})

    text = invoke("sources").stdout.decode()
    assert f"vault bitwarden (bw): found at {bin_dir / 'bw'}, unlocked  (--bitwarden)" in text.splitlines()
    assert "vault 1password (op): not installed" in text.splitlines() and "vault rbw: not installed" in text.splitlines()
    doc = json.loads(invoke("sources", "--json").stdout)
    assert doc["vaults"][0] == {"vault": "bitwarden (bw)", "detail": f"found at {bin_dir / 'bw'}, unlocked",
                                "option": "--bitwarden"}
