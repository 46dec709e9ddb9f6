"""A Chromium profile made by the real Debian Chromium, with logins written in as Chromium encrypts them.

`build(root)` runs `chromium --headless` once on a fresh user-data dir, waits until it has
created `Default/Login Data` (its own schema, today's version), stops it, then inserts
logins encrypted the way Chromium on Linux does: `v10` (AES-128-CBC, IV of 16 spaces,
key PBKDF2-HMAC-SHA1("peanuts", "saltysalt", 1)) and `v11` (the same with the secret
from the Secret Service item "Chromium Safe Storage", which the tests store in a real
gnome-keyring). The encryption is written here with `cryptography` directly, not with
pwcheck's code, so a wrong reader cannot agree with a wrong writer.

Profiles made (under the one user-data dir `root/chromium`):
- `Default`: the real schema; the logins of `DEFAULT` plus a never-save and a federated row.
- `Profile 2`: the real schema; rows that cannot be read exactly (v20, invalid UTF-8, a
  wrong key) beside one good row.
- `Old`: the schema of Chromium's own test data `login_db_v28.sql` (no
  `date_password_modified`), its three rows (no password) and one v10 login.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from tests.support import fixture_data as fd

if TYPE_CHECKING:
    from tests.support.secretservice import SecretService

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "chromium"
# What Chromium stores in the keyring: a random base64 text; the test's own, fixed.
SAFE_STORAGE_SECRET = b"cHdjaGVjay10ZXN0LXNhZmUtc3RvcmFnZQ=="
KEYRING_LABEL = "Chromium Safe Storage"
KEYRING_ATTRIBUTES = {"xdg:schema": "chrome_libsecret_os_crypt_password_v2", "application": "chromium"}
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--password-store=basic")
START_WAIT_S = 90.0


@dataclass(frozen=True)
class Login:
    origin: str
    username: str
    password: str
    scheme: str  # "v10" or "v11"
    modified: int  # Chrome time: microseconds since 1601-01-01 UTC
    host_hash: bool = False  # Chrome 130+'s SHA-256 of the host before the plaintext


def chrome_time(iso: str) -> int:
    moment = datetime.fromisoformat(iso).replace(tzinfo=timezone.utc)
    return int((moment - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds()) * 1_000_000


DEFAULT = [
    Login("https://accounts.example.com/login", "alice", fd.ALPHA, "v10", chrome_time("2021-03-04T05:06:07")),
    Login("https://shop.example.org/", "bob@example.org", fd.CAFE_NFD, "v11", chrome_time("2022-01-02T03:04:05")),
    Login("https://mail.example.net/", "carol", fd.SPACED, "v11", chrome_time("2023-06-07T08:09:10"), host_hash=True),
    Login("https://forum.example.com/", "", fd.NEWLINE, "v10", 0),
]
OLD = [Login("https://old.example.com/", "dave", fd.UMLAUT, "v10", 0)]


def derive(secret: bytes) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA1(), length=16, salt=b"saltysalt", iterations=1).derive(secret)


def encrypt(plain: bytes, scheme: str, secret: bytes = SAFE_STORAGE_SECRET) -> bytes:
    key = derive(b"peanuts" if scheme == "v10" else secret)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(b" " * 16)).encryptor()
    return scheme.encode() + encryptor.update(padded) + encryptor.finalize()


def login_value(login: Login) -> bytes:
    plain = login.password.encode("utf-8")
    if login.host_hash:
        host = login.origin.split("/")[2]
        plain = hashlib.sha256(host.encode()).digest() + plain
    return encrypt(plain, login.scheme)


def run_chromium(user_data: Path) -> None:
    """The real Chromium, headless, until it has made `Default/Login Data`; then stopped (SIGTERM)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise RuntimeError("chromium is not installed (Debian: apt-get install chromium)")
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    process = subprocess.Popen([binary, *CHROMIUM_ARGS, f"--user-data-dir={user_data}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    database = user_data / "Default" / "Login Data"
    try:
        deadline = time.monotonic() + START_WAIT_S
        while time.monotonic() < deadline and not _has_logins_table(database):
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited with {process.returncode} before creating Login Data")
            time.sleep(0.25)
        if not _has_logins_table(database):
            raise RuntimeError("chromium did not create Default/Login Data")
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _has_logins_table(database: Path) -> bool:
    if not database.is_file():
        return False
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'logins'").fetchone() == (1,)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def insert(database: Path, login: Login, value: bytes | None = None, *, blacklisted: int = 0, federation: str = "",
           with_modified: bool = True) -> None:
    """One row as Chromium's LoginDatabase writes it (the columns a saved password fills)."""
    columns = {
        "origin_url": login.origin, "action_url": login.origin, "username_element": "user", "username_value": login.username,
        "password_element": "pass", "password_value": login_value(login) if value is None else value, "submit_element": "",
        "signon_realm": "/".join(login.origin.split("/")[:3]) + "/", "date_created": login.modified or 13_000_000_000_000_000,
        "blacklisted_by_user": blacklisted, "scheme": 0, "password_type": 0, "times_used": 1, "federation_url": federation,
    }
    if with_modified:
        columns["date_password_modified"] = login.modified
    connection = sqlite3.connect(database)
    try:
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        connection.execute(f"INSERT INTO logins ({names}) VALUES ({marks})", list(columns.values()))
        connection.commit()
    finally:
        connection.close()


def build(root: Path) -> Path:
    """The user-data dir with the three profiles described in the module docstring."""
    user_data = root / "chromium"
    run_chromium(user_data)
    default = user_data / "Default" / "Login Data"
    second_dir = user_data / "Profile 2"
    second_dir.mkdir()
    shutil.copyfile(default, second_dir / "Login Data")  # the real, empty schema, before any row
    for login in DEFAULT:
        insert(default, login)
    insert(default, Login("https://never.example.com/", "", "", "v10", 0), b"", blacklisted=1)
    insert(default, Login("https://fed.example.com/", "erin", "", "v10", 0), b"", federation="https://idp.example.com")
    second = second_dir / "Login Data"
    good = Login("https://ok.example.com/", "frank", fd.EMOJI, "v10", chrome_time("2024-01-01T00:00:00"))
    insert(second, good)
    insert(second, Login("https://appbound.example.com/", "gina", "", "v10", 0), b"v20" + bytes(48))
    insert(second, Login("https://binary.example.com/", "hank", "", "v10", 0), encrypt(b"\xff\xfe-not-utf8", "v10"))
    insert(second, Login("https://wrongkey.example.com/", "ivy", "", "v10", 0), encrypt(b"x" * 20, "v11", b"another-key"))
    old_dir = user_data / "Old"
    old_dir.mkdir()
    connection = sqlite3.connect(old_dir / "Login Data")
    try:
        connection.executescript((FIXTURES / "login_db_v28.sql").read_text(encoding="utf-8"))
    finally:
        connection.close()
    for login in OLD:
        insert(old_dir / "Login Data", login, with_modified=False)
    for path in user_data.rglob("Login Data*-journal"):
        assert path.stat().st_size == 0, path
    return user_data


@contextmanager
def chromium_keyring(prefix: str = "pwc") -> Iterator["SecretService"]:
    """A real gnome-keyring (private bus) holding Chromium's key as Chromium stores it; skips the test without one."""
    import pytest

    from tests.support.secretservice import SecretService, missing_binaries, short_tempdir

    if missing_binaries():
        pytest.skip(f"needs {', '.join(missing_binaries())}")
    root = short_tempdir(prefix)
    service = SecretService(root / "svc").start()
    try:
        service.secret_tool_store(KEYRING_LABEL, KEYRING_ATTRIBUTES, SAFE_STORAGE_SECRET)
        yield service
    finally:
        service.stop()
        shutil.rmtree(root, ignore_errors=True)
