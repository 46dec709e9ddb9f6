"""The one exception tree: every error pwcheck raises carries its exit code and one line.

    PwcheckError                 base: `exit_code`, a one-line message naming no secret
    ├── InputError               (2) a file, row or keychain that cannot be read: source, line
    │   └── sources._zip.ArchiveLimit       an archive past its size limits
    ├── UsageError               (2) the command line asks for something impossible
    ├── ConfigError              (2) the config file, a variable or an ignore rule is invalid
    ├── personal.state.StateError        (2) the --new state or its key is unusable
    ├── personal.wipe.WipeRefused        (2) an export that must not be overwritten
    ├── system.files.UnsafeTarget        (2) an output path pwcheck will not write over
    ├── schedule._job.ScheduleError      (2) a job no scheduler file can carry, or units systemd refuses
    ├── system.secrets_store.SecretStoreError (2) the keychain holding pwcheck's own secrets
    ├── check.store_format.StoreError    (2) an offline store that is missing or damaged
    ├── sources._nss.NssError            (2) Firefox's NSS library missing, or refusing a profile or value
    ├── model.credential.UnhashablePassword (2, also ValueError) a password that is not text
    ├── check.range_format.MalformedRange   (3, also ValueError) a range answer out of shape
    ├── check.range_client.RangeUnavailable (3) a range that failed after every retry
    └── breaches.catalogue.CatalogueError   (3, also ValueError) a catalogue out of shape

Each subclass lives beside the code that raises it (as pip-audit keeps a service's
errors beside its interface); this module holds the base and the errors every stage
shares. Messages are built from structure (file names, line numbers, column and key
names, type names), never from field contents, so none can carry a password. The command
line maps them to exit codes in one place (`pwcheck/cli/group.py`).
"""

from __future__ import annotations

from pwcheck.model.exit_codes import EXIT_INPUT_ERROR


class PwcheckError(Exception):
    """Base of every pwcheck error: `str(exc)` is the one line shown, `exit_code` what it ends in."""

    exit_code: int = EXIT_INPUT_ERROR


class InputError(PwcheckError):
    """A file or keychain that cannot be read; names the source and, when known, the line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class UsageError(PwcheckError):
    """The command line or environment asks for something impossible (exit 2)."""


class ConfigError(PwcheckError):
    """One clear line: where (file:line or variable), which key, what is wrong."""
