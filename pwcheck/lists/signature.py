"""OpenPGP signatures on public lists, checked with GnuPG's `gpgv` against one key the user names.

The 2FA and Passkeys directories publish a detached signature beside each file
(`totp.json.sig`), and a team mirror can sign its copies the same way. A signature is only
worth the key it is checked against, and neither project ships its key in its repositories
(the 2FA Directory's is published in DNS), so pwcheck pins none: the person names the key
file (`--directories-key`, `directories.signing_key`), and from then on a list is used only
when its signature verifies with that key and nothing else.

`gpgv` is used, not `gpg`: it only verifies, reads only the keyring it is given (its home
is an empty private temporary folder, so the person's own keys and trust settings play no
part), and has no network or agent. An ASCII-armoured key is de-armoured here (gpgv reads
binary keyrings only). Only `VALIDSIG` on gpgv's status output with exit status 0 counts:
a bad, expired or unknown-key signature, a missing `gpgv` or a timeout all mean "does not
verify", and the list is then treated like any other unusable answer (the verified cached
copy, or unavailable).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pwcheck.model.errors import PwcheckError, UsageError
from pwcheck.model.exit_codes import EXIT_NOT_CHECKED

MAX_KEY_BYTES = 1024 * 1024
MAX_SIGNATURE_BYTES = 64 * 1024
GPGV_TIMEOUT = 20.0


class SignatureRefused(PwcheckError):
    """The signature did not verify; the message says why in words (never the data).

    Caught where the list is fetched (the list is then unusable); never reaches the command line.
    """

    exit_code = EXIT_NOT_CHECKED


@dataclass(frozen=True)
class SigningKey:
    """One OpenPGP public key (or keyring) as binary packets, and where it came from."""

    path: str
    packets: bytes

    @property
    def digest(self) -> str:
        """Names the key in the cache: a copy verified with another key is not trusted with this one."""
        return hashlib.sha256(self.packets).hexdigest()[:32]


def load_key(path: Path) -> SigningKey:
    """The key file, armoured or binary; a usage error (exit 2) when it cannot be one."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"--directories-key {path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    if len(raw) > MAX_KEY_BYTES:
        raise UsageError(f"--directories-key {path}: larger than 1 MB, not an OpenPGP public key")
    packets = dearmor(raw) if raw.lstrip().startswith(b"-----BEGIN PGP") else raw
    # A public-key packet's tag is 6: old format 0x98-0x9B, new format 0xC6.
    if not packets or not (packets[0] & 0x80) or (packets[0] != 0xC6 and (packets[0] & 0x3C) >> 2 != 6):
        raise UsageError(f"--directories-key {path}: not an OpenPGP public key (export it with gpg --export)")
    return SigningKey(str(path), packets)


def dearmor(text: bytes) -> bytes:
    """The packets of an ASCII-armoured block (RFC 4880 section 6.2), or b"" when it is not one."""
    lines = text.decode("ascii", "replace").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("-----BEGIN PGP"))
    except StopIteration:
        return b""
    body: list[str] = []
    in_headers = True
    for line in lines[start + 1:]:
        stripped = line.strip()
        if stripped.startswith("-----END PGP"):
            break
        if in_headers:
            if not stripped:
                in_headers = False
            elif ":" not in stripped:  # no armour headers at all: this line is data
                in_headers = False
                body.append(stripped)
            continue
        if stripped.startswith("="):  # the CRC-24 line
            break
        body.append(stripped)
    try:
        return base64.b64decode("".join(body), validate=True)
    except (binascii.Error, ValueError):
        return b""


def verify(data: bytes, signature: bytes, key: SigningKey, timeout: float = GPGV_TIMEOUT) -> str:
    """The fingerprint of the key that made `signature` over `data`; `SignatureRefused` otherwise."""
    gpgv = shutil.which("gpgv")
    if gpgv is None:
        raise SignatureRefused("gpgv (GnuPG) is not installed, so the signature cannot be checked")
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise SignatureRefused("the signature file is too large to be one")
    with tempfile.TemporaryDirectory(prefix="pwcheck-gpgv-") as folder:
        os.chmod(folder, 0o700)
        home = Path(folder)
        files = {"key.gpg": key.packets, "list.sig": signature, "list": data}
        for name, content in files.items():
            (home / name).write_bytes(content)
        try:
            done = subprocess.run(
                [gpgv, "--homedir", str(home), "--keyring", str(home / "key.gpg"), "--status-fd", "1",
                 str(home / "list.sig"), str(home / "list")],
                stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False,
                env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
            )
        except subprocess.TimeoutExpired:
            raise SignatureRefused(f"gpgv gave no answer within {timeout:g}s") from None
        except OSError as exc:
            raise SignatureRefused(f"gpgv could not be run ({exc.strerror or type(exc).__name__})") from None
    status = done.stdout.decode("ascii", "replace").splitlines()
    valid = [line.split() for line in status if line.startswith("[GNUPG:] VALIDSIG ")]
    if done.returncode == 0 and valid and len(valid[0]) >= 3:
        return valid[0][-1] if len(valid[0]) >= 12 else valid[0][2]
    for word, reason in (("BADSIG", "the signature does not match the list"), ("NO_PUBKEY", "signed with another key"),
                         ("EXPKEYSIG", "signed with an expired key"), ("REVKEYSIG", "signed with a revoked key"),
                         ("EXPSIG", "the signature has expired")):
        if any(line.startswith(f"[GNUPG:] {word}") for line in status):
            raise SignatureRefused(reason)
    raise SignatureRefused("not a valid OpenPGP signature")
