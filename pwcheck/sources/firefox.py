"""Firefox CSV: every field quoted, `timePasswordChanged` in Unix epoch milliseconds.

The Firefox Accounts row (`chrome://FirefoxAccounts`) is the browser's own sync login,
not a website's, so it is skipped with that reason.
"""

from __future__ import annotations

from typing import Mapping

from pwcheck.sources._csv import CsvLayout
from pwcheck.sources._time import from_epoch_ms

# Shared with the profile reader (`browser_firefox.py`), so the export and the profile skip alike.
FIREFOX_ACCOUNTS = "chrome://FirefoxAccounts"
FIREFOX_ACCOUNTS_REASON = "Firefox Accounts sync login, not a website"


def _skip_firefox_accounts(row: Mapping[str, str]) -> str | None:
    if row.get("url", "").startswith(FIREFOX_ACCOUNTS):
        return FIREFOX_ACCOUNTS_REASON
    return None


FORMAT = CsvLayout(
    name="firefox",
    label="Firefox CSV",
    carries="URL, username, password, password-changed time",
    export_hint="Firefox: about:logins → ⋯ → Export Passwords",
    manager="Mozilla Firefox",
    required=frozenset(
        {
            "url",
            "username",
            "password",
            "httpRealm",
            "formActionOrigin",
            "guid",
            "timeCreated",
            "timeLastUsed",
            "timePasswordChanged",
        }
    ),
    password="password",
    url="url",
    username="username",
    changed="timePasswordChanged",
    parse_changed=from_epoch_ms,
    changed_kind="password",
    skip_row=_skip_firefox_accounts,
)
