"""What the last `--new` run found, kept so the next run can say what is new.

A finding is remembered only as a keyed fingerprint: HMAC-SHA256 over (source kind, URL,
username, SHA-1 digest) with a random 32-byte key made once per install. Without the key
a fingerprint cannot be tested against a guessed password, so the state file holds
nothing reversible: no password, no hash, no username, no site. The key lives in the OS
keychain (keyring, service "pwcheck"); where no keychain backend works (a cron job with no
session bus, a headless box) it falls back to a 0600 file in the state dir, which is
still kept outside the state file itself.

"Source" is the export's *format* (chromium, firefox, ...), not its file name: a person
re-exports to a new file each time, and that must not make every finding new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pwcheck.model.credential import Credential
from pwcheck.model.errors import PwcheckError
from pwcheck.system.dirs import state_dir
from pwcheck.system.files import replace_private

KEYRING_SERVICE = "pwcheck"
KEYRING_USERNAME = "state-fingerprint-key"
KEY_FILE = "state.key"
STATE_FILE = "findings.json"
SCHEMA = "pwcheck.personal.state/1"


@dataclass(frozen=True)
class StateKey:
    """The per-install HMAC key and where it is kept (for messages; never the key)."""

    secret: bytes = field(repr=False)
    where: str

    @property
    def check(self) -> str:
        """A value stored with the state to notice a lost or replaced key (reveals nothing)."""
        return hmac.new(self.secret, b"pwcheck-state-key-check", hashlib.sha256).hexdigest()[:16]

    def fingerprint(self, credential: Credential) -> str:
        """HMAC-SHA256 of the finding's identity, length-prefixed so fields cannot run together."""
        parts = [b"pwcheck.finding/1"]
        for text in (credential.format, credential.url, credential.username):
            # surrogatepass: a lone surrogate from a JSON export is still one exact, stable identity
            raw = None if text is None else text.encode("utf-8", "surrogatepass")
            parts.append(b"N" if raw is None else b"S" + struct.pack(">I", len(raw)) + raw)
        parts.append(credential.sha1)
        return hmac.new(self.secret, b"\x00".join(parts), hashlib.sha256).hexdigest()

    def source_tag(self, name: str) -> str:
        """A keyed tag of a source's name (an export's path can name a site): what the state keeps of it."""
        return hmac.new(self.secret, b"pwcheck.source/1\x00" + name.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:16]


def load_key() -> StateKey:
    """The install's key: a fallback file if one exists, else the keychain (created on first use).

    The file wins when present so a key that once had to fall back stays the same key.
    Any keychain failure falls back to the file; the error type is noted, never a secret.
    """
    path = state_dir() / KEY_FILE
    if path.exists():
        return StateKey(_read_key_file(path), f"file {path}")
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
        if stored and _valid_hex_key(stored):
            return StateKey(bytes.fromhex(stored), "OS keychain")
        fresh = secrets.token_hex(32)
        keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, fresh)
        # Some backends (keyring's null backend) accept a write and keep nothing: read it back.
        if keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME) == fresh:
            return StateKey(bytes.fromhex(fresh), "OS keychain")
        reason = "keychain did not keep the key"
    except Exception as exc:  # noqa: BLE001 - any backend failure means: use the file
        reason = f"no usable keychain ({type(exc).__name__})"
    secret = secrets.token_bytes(32)
    replace_private(path, secret.hex() + "\n")
    return StateKey(secret, f"file {path} ({reason})")


def _valid_hex_key(text: str) -> bool:
    try:
        return len(bytes.fromhex(text)) == 32
    except ValueError:
        return False


def _read_key_file(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if not _valid_hex_key(text):
        raise StateError(f"{path}: not a pwcheck state key (delete it to start afresh)")
    return bytes.fromhex(text)


class StateError(PwcheckError):
    """The state or its key cannot be used; the message names the file, never content."""


@dataclass
class State:
    """Fingerprints of the last run's findings, with when each was first seen and the sources it came from."""

    key_check: str
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)
    updated: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "key_check": self.key_check, "updated": self.updated, "findings": self.findings}


def state_path() -> Path:
    return state_dir() / STATE_FILE


def load_state() -> State | None:
    """The last run's state, or None before the first `--new` run."""
    path = state_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StateError(f"{path}: unreadable state ({type(exc).__name__}); delete it to start afresh") from None
    if not _valid_state(data):
        raise StateError(f"{path}: not a {SCHEMA} file; delete it to start afresh")
    return State(data["key_check"], data["findings"], data.get("updated"))


def _valid_state(data: Any) -> bool:
    """Every field in the shape `save_state` writes: a damaged file is refused whole, never half-used."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("key_check"), str):
        return False
    findings = data.get("findings")
    if not isinstance(findings, dict) or not isinstance(data.get("updated"), (str, type(None))):
        return False
    return all(
        isinstance(fingerprint, str) and isinstance(seen, dict)
        and all(isinstance(seen.get(name), str) for name in ("first_seen", "last_seen"))
        and _tags(seen.get("sources", []))
        for fingerprint, seen in findings.items()
    )


def _tags(value: Any) -> bool:
    """The keyed source tags a finding was seen in (absent in states written before they were kept)."""
    return isinstance(value, list) and all(isinstance(tag, str) for tag in value)


def save_state(state: State) -> Path:
    """Write atomically, 0600 in a 0700 dir."""
    state.updated = now_iso()
    path = state_path()
    replace_private(path, json.dumps(state.to_json(), indent=1, sort_keys=True) + "\n")
    return path


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
