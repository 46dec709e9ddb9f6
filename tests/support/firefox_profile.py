"""Real Firefox profiles for the profile reader's tests: made by Firefox, logins encrypted by its NSS.

`create_profile` runs Debian's `firefox-esr` headless once (it writes `key4.db`, `cert9.db`,
`pkcs11.txt` as for any user). `write_logins` then stores logins the way Firefox's password
manager does: each username and password through NSS's own `PK11SDR_Encrypt` (the library
shipped beside the `firefox-esr` binary, the one that made the key database), the records in
the shape Firefox's `storage-json.sys.mjs` `#addLogin` and `LoginStore.sys.mjs` write
(unindented JSON, `version` 3), and, when asked, a primary password set with `PK11_ChangePW`
on the internal key slot as about:preferences does.

The encryption runs in a child process (`python -m tests.support.firefox_profile DIR`, the
logins as JSON on stdin): NSS holds one database set per process, and the test process is
where the reader under test opens its own.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Login:
    """One saved login as the password manager holds it before encryption."""

    hostname: str
    username: str
    password: str
    time_password_changed: int  # ms since the epoch, as Firefox writes it
    http_realm: str | None = None
    form_submit_url: str | None = None
    deleted: bool = False
    raw_password_hex: str | None = None  # bytes to encrypt instead of `password` (not UTF-8: a damaged value)


def firefox() -> str:
    """The Firefox binary (`firefox-esr` on Debian, installed by .ci/run)."""
    found = shutil.which("firefox-esr") or shutil.which("firefox")
    assert found, "firefox-esr is not installed: .ci/run installs it (DEBIAN_PACKAGES)"
    return found


def nss_library() -> Path:
    """Firefox's own NSS, beside its real binary (Debian links /usr/bin/firefox-esr there)."""
    return Path(os.path.realpath(firefox())).parent / "libnss3.so"


def create_profile(directory: Path, home: Path) -> None:
    """A fresh profile made by Firefox itself: registered, then started headless once and closed."""
    env = {**os.environ, "HOME": str(home), "MOZ_HEADLESS": "1", "XDG_CONFIG_HOME": str(home / ".config")}
    directory.mkdir(parents=True, exist_ok=True)
    base = [firefox(), "--headless", "--no-remote"]
    subprocess.run([*base, "-CreateProfile", f"pwcheck-test {directory}"], env=env, check=True, capture_output=True,
                   timeout=60)
    # A screenshot of about:blank starts the whole browser (NSS included) and exits when done.
    subprocess.run([*base, "-profile", str(directory), "--screenshot", str(home / "shot.png"), "about:blank"],
                   env=env, check=True, capture_output=True, timeout=120)
    assert (directory / "key4.db").is_file(), "Firefox did not create key4.db"


def write_logins(profile: Path, logins: list[Login], primary: str | None = None) -> None:
    """Encrypt `logins` into `profile/logins.json` with Firefox's NSS; set `primary` first if given."""
    payload = json.dumps({"logins": [asdict(login) for login in logins], "primary": primary})
    subprocess.run([sys.executable, "-m", "tests.support.firefox_profile", str(profile), str(nss_library())],
                   input=payload.encode(), check=True, cwd=ROOT, timeout=60)


class _SECItem(ctypes.Structure):
    _fields_ = [("type", ctypes.c_uint), ("data", ctypes.c_void_p), ("len", ctypes.c_uint)]


def _encrypting(profile: Path, library: Path, logins: list[dict[str, object]], primary: str | None) -> None:
    """In the child: NSS read-write on the profile, as Firefox opens it, then one record per login."""
    import base64

    ctypes.CDLL(str(library.parent / "libnssutil3.so"), mode=ctypes.RTLD_GLOBAL)
    nss = ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
    nss.PK11_GetInternalKeySlot.restype = ctypes.c_void_p
    slot_only, with_text, with_two = [ctypes.c_void_p], [ctypes.c_void_p, ctypes.c_char_p], [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    nss.PK11_FreeSlot.argtypes = nss.PK11_NeedUserInit.argtypes = slot_only
    nss.PK11_CheckUserPassword.argtypes = with_text
    nss.PK11_ChangePW.argtypes = nss.PK11_InitPin.argtypes = with_two
    assert nss.NSS_InitReadWrite(f"sql:{profile}".encode()) == 0, "NSS could not open the profile"
    slot = nss.PK11_GetInternalKeySlot()
    if nss.PK11_NeedUserInit(slot):
        assert nss.PK11_InitPin(slot, b"", b"") == 0
    if primary is not None:
        assert nss.PK11_ChangePW(slot, b"", primary.encode()) == 0, "could not set the primary password"
        assert nss.PK11_CheckUserPassword(slot, primary.encode()) == 0

    def encrypt(text: str | bytes) -> str:
        data = text.encode() if isinstance(text, str) else text
        buffer = ctypes.create_string_buffer(data, len(data) + 1)
        given, key_id, out = _SECItem(0, ctypes.cast(buffer, ctypes.c_void_p), len(data)), _SECItem(0, None, 0), _SECItem(0, None, 0)
        assert nss.PK11SDR_Encrypt(ctypes.byref(key_id), ctypes.byref(given), ctypes.byref(out), None) == 0
        value = base64.b64encode(ctypes.string_at(out.data, out.len)).decode()
        nss.SECITEM_ZfreeItem(ctypes.byref(out), 0)
        return value

    records = []
    for number, login in enumerate(logins, start=1):
        changed = login["time_password_changed"]
        record: dict[str, object] = {
            "id": number, "hostname": login["hostname"], "httpRealm": login["http_realm"],
            "formSubmitURL": login["form_submit_url"] if login["http_realm"] is None else None,
            "usernameField": "username" if login["http_realm"] is None else "",
            "passwordField": "password" if login["http_realm"] is None else "",
            "encryptedUsername": encrypt(str(login["username"])), "encryptedPassword": encrypt(
                bytes.fromhex(str(login["raw_password_hex"])) if login["raw_password_hex"] else str(login["password"])),
            "guid": "{" + str(uuid.uuid4()) + "}", "encType": 1, "timeCreated": changed, "timeLastUsed": changed,
            "timePasswordChanged": changed, "timesUsed": 1, "syncCounter": 1, "everSynced": False,
            "encryptedUnknownFields": None,
        }
        if login["deleted"]:
            record["deleted"] = True
        records.append(record)
    document = {"nextId": len(records) + 1, "logins": records, "potentiallyVulnerablePasswords": [],
                "dismissedBreachAlertsByLoginGUID": {}, "version": 3}
    (profile / "logins.json").write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    nss.PK11_FreeSlot(slot)
    assert nss.NSS_Shutdown() == 0, "NSS did not shut down cleanly"


if __name__ == "__main__":
    request = json.loads(sys.stdin.buffer.read())
    _encrypting(Path(sys.argv[1]), Path(sys.argv[2]), request["logins"], request["primary"])


def build(base: Path, logins: list[Login], primaries: dict[str, str | None]) -> dict[str, Path]:
    """One profile made by firefox-esr under `base`, copied once per name with `logins` written in,
    under that name's primary password (None: none). Tests build once per session and only read."""
    create_profile(base / "made", base / "home")
    made = {}
    for name, primary in primaries.items():
        made[name] = base / name
        shutil.copytree(base / "made", made[name], symlinks=True)
        write_logins(made[name], logins, primary)
    return made
