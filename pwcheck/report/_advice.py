"""What the 2FA and Passkeys directories say, as the human formats show it: each list's source
and age, and each contact's two-factor and passkey facts with the contact's own link.

Advice, never findings: no line here is styled "bad".
"""

from __future__ import annotations

from pwcheck.model.directory import ContactAdvice
from pwcheck.model.entry import Entry
from pwcheck.model.findings import AuditReport
from pwcheck.report._cell import Cell


def directory_lines(report: AuditReport) -> list[Cell]:
    """One line per directory: its source and age, or why it is not there (advice only: never "bad")."""
    directories = report.directories
    if directories is None:
        return [Cell("2FA Directory: not requested", "muted"), Cell("Passkeys Directory: not requested", "muted")]
    return [Cell(f"{d.title}: {d.note}", "muted" if d.available or "not fetched" in d.note else "warn")
            for d in (directories.twofactor, directories.passkeys)]


def advice_cells(advice: ContactAdvice | None, entries: tuple[Entry, ...]) -> tuple[Cell, ...]:
    """What the directories say of a contact, each with its own documentation link.

    "not set up here" only where an export that can carry a TOTP secret holds none for a
    current login; where no export can tell, "available" and nothing more.
    """
    if advice is None:
        return ()
    cells = []
    passkeys = advice.passkeys
    if passkeys is not None:
        text = ("accepts passkeys: replace the password" if passkeys.replaces_password
                else "accepts a passkey as a second factor")
        cells.append(Cell(text + (f": {passkeys.documentation}" if passkeys.documentation else ""), "warn"))
    twofactor = advice.twofactor
    if twofactor is not None:
        stored = [e.credential.totp_stored for e in entries if e.superseded is None]
        missing = sum(1 for s in stored if s is False)
        methods = ", ".join(twofactor.methods)
        link = f": {twofactor.documentation}" if twofactor.documentation else ""
        if missing:
            some = f" for {missing} of {len(stored)} logins" if missing < len(stored) else ""
            cells.append(Cell(f"two-factor available ({methods}), not set up here{some}{link}", "warn"))
        elif stored and all(s is True for s in stored):
            cells.append(Cell(f"two-factor set up here ({methods})", "good"))
        else:
            cells.append(Cell(f"two-factor available ({methods}){link}", "muted"))
    return tuple(cells)
