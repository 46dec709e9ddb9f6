"""`--bitwarden`: the Bitwarden vault through `bw list items`, with the session the user unlocked.

`bw list items` prints a JSON array of the vault's items in the shape of the JSON export's
`items` (bitwarden/clients `apps/cli/src/vault/models/cipher.response.ts`: `CipherResponse
extends CipherWithIdExport`, adding `object`, `attachments` and dates), so each item goes through
the export's own reader (`bitwarden_json.read_item`): one reading of a Bitwarden item.

`--nointeraction` keeps `bw` from prompting for the master password; locked, it says "Vault is
locked." and signed out "You are not logged in.". The session comes from `BW_SESSION` in the
environment, as the user exported it after `bw unlock`. `bw status` (JSON, `status`:
unauthenticated / locked / unlocked) is how `pwcheck sources` asks, which unlocks nothing.
"""

from __future__ import annotations

from typing import Iterator

from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources.bitwarden_json import read_item
from pwcheck.sources.vault_cli import LOCKED, NOT_SIGNED_IN, STATUS_TIMEOUT_S, VaultCli

STATES = {"unlocked": "unlocked", "locked": LOCKED, "unauthenticated": NOT_SIGNED_IN}


class BitwardenCli(VaultCli):
    program = "bw"
    source = "bitwarden (bw)"
    fmt = "bitwarden-cli"
    hints = {
        LOCKED: 'run `bw unlock` and then the `export BW_SESSION="..."` line it prints',
        NOT_SIGNED_IN: 'run `bw login` (then `bw unlock` and the `export BW_SESSION="..."` line it prints)',
    }
    markers = ((b"you are not logged in", NOT_SIGNED_IN), (b"vault is locked", LOCKED))

    def items(self, program: str) -> Iterator[SourceEvent]:
        items = self.json(self.run(program, ["list", "items", "--nointeraction"], "list items"))
        if not isinstance(items, list):
            raise InputError(self.source, "`bw list items` did not print a JSON array: not read")
        for index, item in enumerate(items, start=1):
            yield read_item(self.source, self.fmt, index, item)

    def state(self, program: str) -> str:
        answer = self.json(self.run(program, ["status", "--nointeraction"], "status", timeout=STATUS_TIMEOUT_S))
        status = answer.get("status") if isinstance(answer, dict) else None
        return STATES.get(status, "state unknown") if isinstance(status, str) else "state unknown"


TOOL = BitwardenCli()
