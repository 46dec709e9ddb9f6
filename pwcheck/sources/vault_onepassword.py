"""`--1password`: the 1Password account through `op` (1Password CLI 2), signed in by the user.

`op whoami` first: it says whether a session exists without starting a sign-in (the other
commands would ask the 1Password app to authorise, or prompt). Then `op item list --categories
Login,Password --format json` lists the items and `op item get - --format json` reads the
list from stdin and prints each whole item, one JSON document after another: two runs for the
whole vault instead of one per item (`op` takes about a second a run).

An item's shape (`op item get --format json`, as in community.general's recorded outputs):
`title`, `category`, `urls[]` (`href`, `primary`), `updated_at`, and `fields[]` where the
built-in username and password carry `purpose: USERNAME` / `PASSWORD` and a one-time-password
field `type: OTP` (its `value` the otpauth URI). `updated_at` is any edit of the item, and op
says no password-specific time, so the change time is an edit time (`changed_kind="edit"`).
Login and Password items are read, as the .1pux reader does; the list asks for no others.
"""

from __future__ import annotations

from typing import Any, Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._time import from_iso
from pwcheck.sources.interface import as_list, at_position, make_credential, text
from pwcheck.sources.vault_cli import NOT_SIGNED_IN, SHORT_TIMEOUT_S, STATUS_TIMEOUT_S, VaultCli, VaultLocked, json_stream

READ = ("LOGIN", "PASSWORD")
# `category` values of items that are not logins, named in the skip reason (anything else: "not a login").
CATEGORIES = {
    "SECURE_NOTE": "secure note", "CREDIT_CARD": "credit card", "IDENTITY": "identity", "DOCUMENT": "document",
    "SSH_KEY": "SSH key", "API_CREDENTIAL": "API credential", "BANK_ACCOUNT": "bank account", "DATABASE": "database",
    "SERVER": "server", "SOFTWARE_LICENSE": "software license", "WIRELESS_ROUTER": "wireless router",
}


class OnePasswordCli(VaultCli):
    program = "op"
    source = "1password (op)"
    fmt = "1password-cli"
    hints = {NOT_SIGNED_IN: "run `eval $(op signin)` (with the 1Password app's CLI integration on, `op signin`)"}
    markers = (
        (b"not currently signed in", NOT_SIGNED_IN), (b"account is not signed in", NOT_SIGNED_IN),
        (b"session expired", NOT_SIGNED_IN), (b"no accounts configured", NOT_SIGNED_IN),
        (b"authorization prompt dismissed", NOT_SIGNED_IN),
    )

    def items(self, program: str) -> Iterator[SourceEvent]:
        whoami = self.ask(program, ["whoami"], "whoami", timeout=SHORT_TIMEOUT_S)
        if whoami.returncode != 0:  # whatever it said: not signed in, and nothing else would work
            raise VaultLocked(self.source, NOT_SIGNED_IN, self.hints[NOT_SIGNED_IN])
        listed = self.run(program, ["item", "list", "--categories", "Login,Password", "--format", "json"], "item list")
        summary = self.json(listed)
        if not isinstance(summary, list):
            raise InputError(self.source, "`op item list` did not print a JSON array: not read")
        if not summary:
            return
        got = self.run(program, ["item", "get", "-", "--format", "json"], "item get", stdin=listed.stdout)
        del listed
        count = 0
        for count, item in enumerate(json_stream(got.stdout, self.source), start=1):
            yield read_item(self.source, self.fmt, count, item)
        if count != len(summary):
            raise InputError(self.source, f"`op item get` gave {count} of the {len(summary)} items listed: not all read")

    def state(self, program: str) -> str:
        return "signed in" if self.ask(program, ["whoami"], "whoami", timeout=STATUS_TIMEOUT_S).returncode == 0 else NOT_SIGNED_IN


def read_item(source: str, fmt: str, index: int, item: Any) -> SourceEvent:
    """One `op item get` document as a credential, a skipped item, or an error when its password is not text."""
    if not isinstance(item, dict):
        return Skipped(source, None, f"item {index}: not an object")
    category = item.get("category")
    if category not in READ:
        return Skipped(source, None, f"item {index}: {CATEGORIES.get(category, 'not a login') if isinstance(category, str) else 'not a login'}")
    fields = [field for field in as_list(item.get("fields")) if isinstance(field, dict)]
    password = next((field.get("value") for field in fields if field.get("purpose") == "PASSWORD"), None)
    if password is not None and not isinstance(password, str):
        return InputError(source, f"item {index}: its password is not text")
    username = next((text(field.get("value")) for field in fields if field.get("purpose") == "USERNAME"), None)
    links = [link for link in as_list(item.get("urls")) if isinstance(link, dict) and isinstance(link.get("href"), str)]
    links.sort(key=lambda link: link.get("primary") is not True)  # the primary first, the rest in order
    return at_position(make_credential(
        source, fmt, None, password=password, title=text(item.get("title")), urls=[link["href"] for link in links],
        username=username, changed=from_iso(text(item.get("updated_at"))), changed_kind="edit",
        totp=[field.get("value") for field in fields if field.get("type") == "OTP"],
    ), f"item {index}")


TOOL = OnePasswordCli()
