"""`--keychain` on Linux against a real gnome-keyring Secret Service, headless.

Items are stored the way apps store them (keyring.set_password, secret-tool with the
attribute sets GNOME Web, network-password clients and Chrome use); every one must
come back with the right site, account and exact-bytes hash, the non-credentials
skipped and counted, and a second, locked collection reported without any prompt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential, Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import Note
from pwcheck.sources.keychain import KeychainRequest, read_keychain
from tests.support import fixture_data as fd
from tests.support.rangeserver import RangeServer
from tests.support.secretservice import PrivateBus, SecretService, short_tempdir

LOCKED = "locked: unlock it in your keyring app, then rerun"


@dataclass(frozen=True)
class Stored:
    """One item as an app stores it, and what pwcheck must report for it."""

    how: str  # "keyring" or "secret-tool"
    label: str
    attributes: dict[str, str]
    secret: bytes
    url: str | None
    username: str | None
    domain: str | None

    @property
    def password(self) -> str:
        return self.secret.decode("utf-8")


CREDENTIALS = [
    # keyring.set_password(service, username, password): service/username/application
    Stored("keyring", "", {"service": "github.com", "username": "alice"}, fd.ALPHA.encode(), "github.com", "alice", "github.com"),
    Stored("keyring", "", {"service": "Python app", "username": "bob"}, fd.COMMA.encode(), None, "bob", None),
    # secret-tool store service X username Y (adds xdg:schema)
    Stored("secret-tool", "gitlab token", {"service": "git:https://gitlab.example.com", "username": "carol"},
           fd.QUOTE.encode(), "https://gitlab.example.com", "carol", "example.com"),
    # org.gnome.keyring.NetworkPassword: server/user/protocol/port (domain is an SMB workgroup here)
    Stored("secret-tool", "dave@ftp.example.net",
           {"xdg:schema": "org.gnome.keyring.NetworkPassword", "user": "dave", "server": "ftp.example.net",
            "protocol": "ftp", "port": "2121", "domain": "WORKGROUP"},
           fd.NEWLINE.encode(), "ftp://ftp.example.net:2121", "dave", "example.net"),
    # GNOME Web (org.epiphany.FormPassword): form_username is the field's name, not the account
    Stored("secret-tool", "Password for erin on https://www.bbc.co.uk",
           {"xdg:schema": "org.epiphany.FormPassword", "uri": "https://www.bbc.co.uk",
            "target_origin": "https://www.bbc.co.uk", "username": "erin", "form_username": "email",
            "form_password": "pass", "server_time_modified": "0"},
           fd.SPACED.encode(), "https://www.bbc.co.uk", "erin", "bbc.co.uk"),
    # only the label names the site
    Stored("secret-tool", "https://intranet.example.org/login", {"id": "7"}, fd.EMOJI.encode(),
           "https://intranet.example.org/login", None, "example.org"),
    # exact bytes: decomposed é must not be normalised (the NFC form is a corpus trap)
    Stored("secret-tool", "café", {"service": "gh:cafe.example.fr", "username": "frank"}, fd.CAFE_NFD.encode(),
           "cafe.example.fr", "frank", "example.fr"),
]
NOT_CREDENTIALS = [
    (Stored("secret-tool", "Chrome Safe Storage",
            {"xdg:schema": "chrome_libsecret_os_crypt_password_v2", "application": "chrome"},
            b"c2VjcmV0a2V5LW5vdC1hLXBhc3N3b3Jk", None, None, None),
     "browser's encryption key, not a website credential"),
    (Stored("secret-tool", "shopping list", {"xdg:schema": "org.gnome.keyring.Note"}, fd.UMLAUT.encode(), None, None, None),
     "secure note"),
    (Stored("secret-tool", "ssh key blob", {"service": "binary.example.com", "username": "x"}, b"\xff\xfe\x00\x81key",
            None, None, None),
     "secret is binary data, not a text password"),
]


@pytest.fixture(scope="module")
def keychain(secret_service_factory) -> SecretService:  # type: ignore[no-untyped-def]
    """A Login collection holding every stored item, and a locked Work collection."""
    import keyring
    from keyring.backends import SecretService as SecretServiceBackend

    service = secret_service_factory({"work": "Work"})
    from pwcheck.system import secrets_store
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus.address)
        # keyring keeps its backend in a module global; the context puts the old one back.
        patch.setattr(keyring.core, "_keyring_backend", SecretServiceBackend.Keyring(), raising=False)
        for item in CREDENTIALS + [stored for stored, _ in NOT_CREDENTIALS]:
            if item.how == "keyring":
                keyring.set_password(item.attributes["service"], item.attributes["username"], item.password)
            else:
                service.secret_tool_store(item.label, item.attributes, item.secret)
        secrets_store.set_secret(secrets_store.HIBP_API_KEY, "hibp-key-not-a-login")
    return service


def run_cli(service: SecretService, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pwcheck", *args], capture_output=True, env=service.full_env(), timeout=120
    )


def audit_json(service: SecretService, server: RangeServer, *args: str) -> tuple[int, dict, str]:
    proc = run_cli(service, "audit", *args, "--format", "json", "--api-url", server.url, "--timeout", "1")
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()


def test_every_credential_found_with_site_account_and_count(keychain: SecretService, range_server: RangeServer) -> None:
    code, doc, stderr = audit_json(keychain, range_server, "--keychain")
    got = sorted(
        ((e["source"], e["url"], e["username"], e["domain"], e["pwned_count"], e["format"]) for e in doc["entries"]), key=repr
    )
    want = sorted(
        (("keychain:Login", s.url, s.username, s.domain, fd.CORPUS_COUNTS.get(s.password, 0), "secret-service")
         for s in CREDENTIALS), key=repr
    )
    assert got == want, stderr
    # The locked collection is one error line naming it; the rest was still audited.
    assert doc["errors"] == [{"source": "keychain:Work", "line": None, "message": LOCKED}]
    assert f"keychain:Work: {LOCKED}" in stderr and "Traceback" not in stderr
    assert code == 2
    assert all(e["password_changed_kind"] == "edit" and e["password_changed"] for e in doc["entries"])


def test_non_credentials_skipped_and_counted(keychain: SecretService, range_server: RangeServer) -> None:
    _, doc, _ = audit_json(keychain, range_server, "--keychain")
    reasons = sorted(s["reason"] for s in doc["skipped"])
    assert reasons == sorted([reason for _, reason in NOT_CREDENTIALS] + ["pwcheck's own secret"])
    assert {s["source"] for s in doc["skipped"]} == {"keychain:Login"}
    (note,) = [n for n in doc["notes"] if n.startswith("keychain:Login:")]
    assert note.startswith("keychain:Login: 4 item(s) skipped: ")
    assert "1 browser's encryption key, not a website credential" in note


def test_collection_option_reads_only_that_collection_with_files(
    keychain: SecretService, range_server: RangeServer, fixtures: Path
) -> None:
    code, doc, stderr = audit_json(keychain, range_server, str(fixtures / "chrome-old.csv"), "--collection", "login")
    assert doc["errors"] == [] and code == 1, stderr
    sources = [e["source"] for e in doc["entries"]]
    assert sources.count("keychain:Login") == len(CREDENTIALS)
    assert sources.count(str(fixtures / "chrome-old.csv")) == len(fd.CHROME_OLD)
    assert sources.index(str(fixtures / "chrome-old.csv")) < sources.index("keychain:Login")


def test_unknown_collection_is_one_clear_error(keychain: SecretService, range_server: RangeServer) -> None:
    code, doc, stderr = audit_json(keychain, range_server, "--collection", "Nope")
    assert code == 2
    assert doc["errors"][0]["message"].startswith("no collection named 'Nope' (collections: ")
    assert "Work" in doc["errors"][0]["message"] and "Login" in doc["errors"][0]["message"]
    assert [line for line in stderr.splitlines() if line.startswith("pwcheck:")] == [f"pwcheck: keychain: {doc['errors'][0]['message']}"]


def test_hashes_are_of_the_exact_stored_bytes(keychain: SecretService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", keychain.bus.address)
    events = list(read_keychain(KeychainRequest(collections=("Login",))))
    credentials = [e for e in events if isinstance(e, Credential)]
    by_user = {c.username: c for c in credentials}
    for stored in CREDENTIALS:
        assert by_user[stored.username].sha1 == hashlib.sha1(stored.secret).digest(), stored.label
    assert by_user["erin"].title == "Password for erin on https://www.bbc.co.uk"
    assert any(isinstance(e, Note) for e in events)
    assert sum(isinstance(e, Skipped) for e in events) == len(NOT_CREDENTIALS) + 1


def test_terminal_report_never_shows_a_secret(keychain: SecretService, range_server: RangeServer) -> None:
    proc = run_cli(keychain, "audit", "--keychain", "--all", "--api-url", range_server.url)
    everything = (proc.stdout + proc.stderr).decode()
    assert "bbc.co.uk" in everything and "not read:" in everything and "note:" in everything
    for stored in CREDENTIALS + [s for s, _ in NOT_CREDENTIALS]:
        text = stored.secret.decode("utf-8", errors="ignore")
        assert text.strip() not in everything
        assert hashlib.sha1(stored.secret).hexdigest() not in everything.lower()
    assert "hibp-key-not-a-login" not in everything


def test_no_session_bus_is_one_line_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # no `bus` socket there
    proc = subprocess.run([sys.executable, "-m", "pwcheck", "audit", "--keychain"], capture_output=True, env=env, timeout=60)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in stderr
    assert stderr.splitlines() == ["pwcheck: keychain: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): "
                                   "the Secret Service needs a desktop session"]


def test_bus_without_secret_service_is_one_line_exit_2(secret_service_factory) -> None:  # type: ignore[no-untyped-def]
    root = short_tempdir("pwb")
    bus = PrivateBus(root).start()
    try:
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus.address}
        proc = subprocess.run([sys.executable, "-m", "pwcheck", "audit", "--keychain"], capture_output=True, env=env, timeout=60)
    finally:
        bus.stop()
        shutil.rmtree(root, ignore_errors=True)
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("pwcheck: keychain: no Secret Service on the session bus")


def test_a_service_that_never_answers_times_out(secret_service_factory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A process owns org.freedesktop.secrets but never replies: the read ends with one error."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    root = short_tempdir("pwt")
    bus = PrivateBus(root).start()
    mute = open_dbus_connection(bus.address)
    try:
        mute.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"), timeout=10)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
        with pytest.raises(InputError) as caught:
            list(read_keychain(KeychainRequest(timeout=0.5)))
        assert caught.value.message == "the Secret Service did not answer within 0.5 s"
    finally:
        mute.close()
        bus.stop()
        shutil.rmtree(root, ignore_errors=True)
