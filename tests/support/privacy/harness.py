"""The privacy scan harness: run the real CLI in a sandbox, collect everything it left, scan it.

HOW TO EXTEND (one line each):
- A new command: add an `Invocation` row to `INVOCATIONS` in `test_privacy_scan.py` (the
  coverage test fails until every command registered on `pwcheck.cli.main` has a row).
- A new report format: nothing to add. Rows with `per_format=True` run once for every
  name in `pwcheck.report.RENDERERS`, to stdout and to a file (`-o`).
- A new input format: add an `Export(format, fixture)` line to `EXPORTS` below (the
  coverage test fails until every name in `pwcheck.sources.FORMATS` has one). Its
  secrets are captured automatically: the fixture is read in-process with the hashing
  function wrapped, so every password the reader hashes becomes a needle. Inputs that
  hold hashes rather than passwords list them in `Export.hashes`.

What a run leaves: stdout, stderr, every file created or changed under the sandbox's
HOME, XDG_* dirs, XDG_RUNTIME_DIR and TMPDIR, and every request the range server saw.
Inputs live outside the scanned tree (they hold the passwords by definition).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tests.support.privacy.secrets import Needle, Scanner, hash_needles

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# Environment variables the sandbox passes through; everything else is dropped (proxies,
# PWCHECK_*, the developer's own XDG dirs) so a run sees only the sandbox.
# PWCHECK_BREACHES_URL, PWCHECK_TWOFACTOR_URL, PWCHECK_PASSKEYS_URL: conftest points them at a closed
# loopback port; without them an audit would ask the real breach catalogue (haveibeenpwned.com) and
# the real 2FA and Passkeys directories for their public lists.
PASS_THROUGH = ("PATH", "DBUS_SESSION_BUS_ADDRESS", "SYSTEMROOT", "PYTHONPATH", "PWCHECK_BREACHES_URL",
                "PWCHECK_TWOFACTOR_URL", "PWCHECK_PASSKEYS_URL")


@dataclass(frozen=True)
class Export:
    """One fixture export per input format; `hashes` for inputs that carry hashes, not passwords."""

    format: str
    path: Path
    hashes: tuple[str, ...] = ()
    # A real exporter's fixture whose test passwords are weak ("pass"): scanned like the others,
    # but left out of the run that promises no weak password (`strong_only` rows).
    weak: bool = False


EXPORTS: tuple[Export, ...] = (
    Export("chromium", FIXTURES / "chrome.csv"),
    Export("chromium", FIXTURES / "chrome-old.csv"),
    Export("firefox", FIXTURES / "firefox.csv"),
    Export("bitwarden-json", FIXTURES / "bitwarden.json"),
    # Issue 3's formats: one line per fixture in fixture_data.FORMAT_CASES (the .kdbx is
    # opened with KDBX_PASSWORD, given to the CLI through PWCHECK_KDBX_PASSWORD and scanned for).
    *(Export(fmt, FIXTURES / name) for name, fmt, _, _ in __import__("tests.support.fixture_data", fromlist=["x"]).FORMAT_CASES),
    # Formats whose only fixture is a real exporter's file (tests/fixtures/SOURCES.md).
    Export("keepass-csv", FIXTURES / "real" / "passimport-keepass.csv"),
    Export("padlock", FIXTURES / "real" / "passimport-padlock.csv"),
    Export("1password-legacy-csv", FIXTURES / "real" / "passimport-1password.csv"),
    Export("1password-legacy-csv", FIXTURES / "real" / "bitwarden-1password7-windows.csv"),
    Export("1password-mac-csv", FIXTURES / "real" / "bitwarden-1password7-mac.csv"),
    Export("1password4-csv", FIXTURES / "real" / "passimport-1password4.csv"),
    # Issue 16's CSV and text-table formats: pass-import's test vault as each exporter writes it.
    *(Export(fmt, FIXTURES / "real" / f"passimport-{name}.csv") for fmt, name in (
        ("blur-csv", "blur"), ("buttercup-csv", "buttercup"), ("chrome-login-data-csv", "chromesqlite"),
        ("dashlane-old-csv", "dashlane"), ("encryptr-csv", "encryptr"), ("enpass-csv", "enpass"),
        ("ff-password-exporter-csv", "ff-password-exporter"), ("password-gorilla-csv", "gorilla"),
        ("keeper-csv", "keeper"), ("myki-csv", "myki"), ("passman-csv", "passman"), ("passpack-csv", "passpack"),
        ("safeincloud-csv", "safeincloud"), ("saferpass-csv", "saferpass"), ("synology-c2-csv", "synology"),
        ("upm-csv", "upm"), ("zoho-csv", "zoho"), ("zoho-vault-csv", "zoho.vault"),
    )),
    # Issue 16's JSON, XML and 1PIF formats (tests/sources/test_real_exports_structured.py).
    Export("1password-1pif", FIXTURES / "real" / "passimport-1password.1pif"),
    Export("enpass-json", FIXTURES / "real" / "passimport-enpass.json"),
    Export("passman-json", FIXTURES / "real" / "passimport-passman.json"),
    Export("blur-json", FIXTURES / "real" / "passimport-blur.json"),
    Export("dashlane-json", FIXTURES / "real" / "passimport-dashlane.json"),
    Export("keeper-json", FIXTURES / "real" / "bitwarden-keeper.json"),
    Export("keepassx-xml", FIXTURES / "real" / "passimport-keepassx.xml"),
    Export("pwsafe-xml", FIXTURES / "real" / "passimport-pwsafe.xml"),
    Export("safeincloud-xml", FIXTURES / "real" / "bitwarden-safeincloud.xml"),
    Export("revelation-xml", FIXTURES / "real" / "passimport-revelation.xml"),
    Export("fpm-xml", FIXTURES / "real" / "passimport-fpm.xml"),
    Export("kaspersky-txt", FIXTURES / "real" / "protonweb-kaspersky.txt", weak=True),
    # Issue 16's last formats (tests/sources/test_last_formats.py): Avast and Avira CONSTRUCTED from
    # Bitwarden's importers (no real export is public); Bitwarden's ZIP around its real JSON export.
    # Their test passwords are weak (short, patterned): scanned, left out of the strong-only runs.
    Export("avast-csv", FIXTURES / "constructed" / "avast.csv", weak=True),
    Export("avast-json", FIXTURES / "constructed" / "avast.json", weak=True),
    Export("avira-csv", FIXTURES / "constructed" / "avira.csv", weak=True),
    Export("bitwarden-zip", FIXTURES / "constructed" / "bitwarden-attachments.zip", weak=True),
)


def captured_passwords(path: Path) -> set[str]:
    """Every password the real reader hashes while reading `path` (in-process, wrapped hash)."""
    import pwcheck.model.credential as credential_module
    import pwcheck.sources.interface as interface_module
    from pwcheck.sources import read_export

    seen: set[str] = set()
    real = credential_module.password_sha1

    def recording(password: str | bytes) -> bytes:
        seen.add(password if isinstance(password, str) else password.decode("utf-8", "surrogateescape"))
        return real(password)

    originals = (credential_module.password_sha1, interface_module.password_sha1)
    credential_module.password_sha1 = interface_module.password_sha1 = recording  # type: ignore[assignment]
    try:
        from pwcheck.sources.kdbx import KdbxKey
        from tests.support.fixture_data import KDBX_PASSWORD

        list(read_export(path, unlock=lambda _: KdbxKey(KDBX_PASSWORD, None)))
    finally:
        credential_module.password_sha1, interface_module.password_sha1 = originals  # type: ignore[assignment]
    return seen


@dataclass
class Run:
    """Everything one CLI run produced that a person or another program could see."""

    args: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes
    written: dict[Path, bytes] = field(default_factory=dict)
    modes: dict[Path, int] = field(default_factory=dict)

    def blobs(self) -> Iterator[tuple[str, bytes]]:
        yield "stdout", self.stdout
        yield "stderr", self.stderr
        for path, data in self.written.items():
            yield f"file {path}", data


class Sandbox:
    """A temporary HOME with XDG dirs, runtime dir and TMPDIR inside it; inputs kept apart."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.inputs = root / "inputs"
        self.runtime = root / "run"
        self.tmp = root / "tmp"
        self.xdg = {
            "XDG_CONFIG_HOME": self.home / ".config",
            "XDG_DATA_HOME": self.home / ".local" / "share",
            "XDG_CACHE_HOME": self.home / ".cache",
            "XDG_STATE_HOME": self.home / ".local" / "state",
        }
        for directory in (self.home, self.inputs, self.runtime, self.tmp, *self.xdg.values()):
            directory.mkdir(parents=True, exist_ok=True)
        self.runtime.chmod(0o700)

    @property
    def scanned_roots(self) -> list[Path]:
        return [self.home, self.runtime, self.tmp]

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
        env.update({name: str(path) for name, path in self.xdg.items()})
        from tests.support.fixture_data import KDBX_PASSWORD

        env.update(HOME=str(self.home), XDG_RUNTIME_DIR=str(self.runtime), TMPDIR=str(self.tmp),
                   LANG="C.UTF-8", COLUMNS="200", PYTHONDONTWRITEBYTECODE="1", PWCHECK_KDBX_PASSWORD=KDBX_PASSWORD)
        env.update(extra or {})
        return env

    def copy_inputs(self, exports: tuple[Export, ...] = EXPORTS) -> list[Path]:
        paths = []
        for index, export in enumerate(exports):
            target = self.inputs / f"{index}-{export.path.name}"
            shutil.copyfile(export.path, target)
            paths.append(target)
        return paths

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        state = {}
        for root in self.scanned_roots:
            for path in root.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    info = path.stat()
                    state[path] = (info.st_mtime_ns, info.st_size)
        return state

    def run(self, args: list[str], *, stdin: bytes | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> Run:
        before = self._snapshot()
        proc = subprocess.run(
            [sys.executable, "-m", "pwcheck", *args], input=stdin if stdin is not None else b"",
            capture_output=True, env=self.env(env), cwd=self.home, timeout=timeout,
        )
        run = Run(args, proc.returncode, proc.stdout, proc.stderr)
        for path, state in self._snapshot().items():
            if before.get(path) != state:
                run.written[path] = path.read_bytes()
                run.modes[path] = path.stat().st_mode & 0o777
        return run


def scanner_for(exports: tuple[Export, ...] = EXPORTS, extra_passwords: set[str] | None = None) -> Scanner:
    """Needles for every secret in `exports`, as the readers themselves see them."""
    from tests.support import fixture_data as fd

    passwords: set[str] = set(fd.ALL_PASSWORDS) | {fd.KDBX_PASSWORD} | set(extra_passwords or ())
    extra: list[Needle] = []
    for export in exports:
        passwords |= captured_passwords(export.path)
        for hashed in export.hashes:
            extra += hash_needles(hashed)
    return Scanner(passwords, extra)
