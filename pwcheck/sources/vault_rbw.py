"""`--rbw`: a Bitwarden vault through rbw, the unofficial Bitwarden CLI, whose agent the user unlocked.

rbw's `list` and `get` unlock the agent themselves when it is locked, asking for the master
password through pinentry; pwcheck must never cause that, so `rbw unlocked` comes first (it
exits 0 only when the agent runs and is unlocked, and never starts or unlocks it). Then:

- `rbw list --raw` (rbw 1.14+): a JSON array of `{id, name, user, folder, uris, type}`, `type`
  one of Login, Note, Card, Identity, SSH Key (doy/rbw `src/bin/rbw/commands.rs`,
  `DecryptedListCipher`). Only logins are fetched; the rest are skipped with their kind.
- `rbw get --raw ID` for each login: `{id, folder, name, data, fields, notes, history}` with
  `data` a login's `{username, password, totp, uris: [{uri, match_type}]}` and `history`
  `[{last_used_date, password}]` (`DecryptedCipher`). The change time is the newest
  `last_used_date` (when the password before it was replaced), as the Bitwarden export's history.

rbw prints its own (Bitwarden) item shape, not the Bitwarden export's, so it has this small
mapping; the history rule is the Bitwarden reader's (`bitwarden_json.newest_replacement`).
An entry rbw re-prompts for (Bitwarden's "master password re-prompt") makes `rbw get` ask
through pinentry: stdin is closed and the run time-limited, so at worst that login is not read.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources.bitwarden_json import newest_replacement
from pwcheck.sources.interface import as_list, at_position, make_credential, text
from pwcheck.sources.vault_cli import LOCKED, SHORT_TIMEOUT_S, STATUS_TIMEOUT_S, VaultCli, VaultLocked

KINDS = {"Note": "secure note", "Card": "card", "Identity": "identity", "SSH Key": "SSH key"}
# rbw looks an entry up by id when the argument is a UUID; anything else would be a name search.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class RbwCli(VaultCli):
    program = "rbw"
    source = "rbw"
    fmt = "rbw"
    hints = {LOCKED: "run `rbw unlock` (rbw asks for the master password itself and starts its agent)"}
    markers = ((b"agent not running", LOCKED), (b"agent is locked", LOCKED))

    def items(self, program: str) -> Iterator[SourceEvent]:
        if self.ask(program, ["unlocked"], "unlocked", timeout=SHORT_TIMEOUT_S).returncode != 0:
            raise VaultLocked(self.source, LOCKED, self.hints[LOCKED])  # whatever it said: listing would prompt
        listed = self.ask(program, ["list", "--raw"], "list --raw")
        if listed.returncode == 2 and self.classify(listed) is None:  # clap's usage error: `--raw` unknown
            raise InputError(self.source, "`rbw list --raw` was refused (exit code 2): pwcheck needs rbw 1.14 or later")
        if listed.returncode != 0:
            raise self.failure(listed, "list --raw")
        entries = self.json(listed)
        if not isinstance(entries, list):
            raise InputError(self.source, "`rbw list --raw` did not print a JSON array: not read")
        for index, entry in enumerate(entries, start=1):
            yield self._entry(program, index, entry)

    def _entry(self, program: str, index: int, entry: Any) -> SourceEvent:
        if not isinstance(entry, dict):
            return Skipped(self.source, None, f"item {index}: not an object")
        kind = entry.get("type")
        if kind is not None and kind != "Login":
            return Skipped(self.source, None, f"item {index}: {KINDS.get(kind, 'not a login') if isinstance(kind, str) else 'not a login'}")
        entry_id = entry.get("id")
        if not isinstance(entry_id, str) or not _UUID.fullmatch(entry_id):
            return InputError(self.source, f"item {index}: its id is not a UUID, so it cannot be fetched alone: not read")
        done = self.ask(program, ["get", "--raw", entry_id], "get --raw", timeout=SHORT_TIMEOUT_S)
        if done.returncode != 0:
            failure = self.failure(done, "get --raw")
            if isinstance(failure, VaultLocked):
                raise failure  # locked midway: every later entry would prompt
            return InputError(self.source, f"item {index}: {failure.message}")
        try:
            cipher = self.json(done)
        except InputError:
            return InputError(self.source, f"item {index}: `rbw get --raw` did not print valid JSON: not read")
        return read_item(self.source, self.fmt, index, cipher)

    def state(self, program: str) -> str:
        done = self.ask(program, ["unlocked"], "unlocked", timeout=STATUS_TIMEOUT_S)
        if done.returncode == 0:
            return "unlocked"
        return "locked (agent not running)" if b"agent not running" in done.stderr.lower() else LOCKED


def read_item(source: str, fmt: str, index: int, cipher: Any) -> SourceEvent:
    """One `rbw get --raw` document as a credential, a skipped item, or an error when it is out of shape."""
    if not isinstance(cipher, dict):
        return InputError(source, f"item {index}: `rbw get --raw` did not print an object: not read")
    data = cipher.get("data")
    if not isinstance(data, dict) or "password" not in data or "totp" not in data:
        return Skipped(source, None, f"item {index}: not a login")
    password = data.get("password")
    if password is not None and not isinstance(password, str):
        return InputError(source, f"item {index}: its password is not text")
    uris = [link.get("uri") for link in as_list(data.get("uris")) if isinstance(link, dict)]
    return at_position(make_credential(
        source, fmt, None, password=password, title=text(cipher.get("name")),
        urls=[uri for uri in uris if isinstance(uri, str)], username=text(data.get("username")),
        changed=newest_replacement(cipher.get("history"), "last_used_date"), changed_kind="password",
        totp=data.get("totp"),
    ), f"item {index}")


TOOL = RbwCli()
