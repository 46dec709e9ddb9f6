"""Dashlane: a ZIP of CSV files whose `credentials.csv` holds the logins (or that file alone).

`credentials.csv` is `username,username2,username3,title,password,note,url,category,otpSecret`
(newer: `otpUrl`); the username is the first non-empty of the three. The other members
(secure notes, payments, ids, personal info) are counted as skipped, one per row.
No change time is exported.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterator

from pwcheck.model.credential import Skipped
from pwcheck.model.source import SourceEvent
from pwcheck.sources._csv import CsvLayout
from pwcheck.sources._input import InputFile
from pwcheck.sources._zip import find_member, member_csv_header, member_names, member_text
from pwcheck.sources.interface import SourceFormat

MEMBER = "credentials.csv"
# The other members hold no logins; their rows are counted as skipped, by kind.
OTHER_MEMBERS = {"securenotes.csv": "secure note", "payments.csv": "card or bank account", "ids.csv": "identity document", "personalInfo.csv": "identity"}

LAYOUT = CsvLayout(
    name="dashlane",
    label="Dashlane credentials.csv",
    carries="title, URL, username, password; no change time",
    required=frozenset({"username", "username2", "username3", "title", "password", "note", "url", "category"}),
    optional=frozenset({"otpSecret", "otpUrl"}),
    password="password",
    totp=("otpSecret", "otpUrl"),
    url="url",
    username=("username", "username2", "username3"),
    title="title",
)


class Dashlane(SourceFormat):
    name = "dashlane"
    label = "Dashlane export (ZIP, or its credentials.csv)"
    carries = "title, URL, username, password; no change time"
    export_hint = "Dashlane: Settings → Export data → CSV (a ZIP; give the ZIP or credentials.csv)"
    manager = "Dashlane"
    carries_totp = LAYOUT.detects_totp()  # its credentials.csv layout reads `otpSecret` / `otpUrl`

    def matches(self, inp: InputFile) -> bool:
        if inp.kind == "zip":
            member = find_member(inp, MEMBER)
            header = member_csv_header(inp, member) if member else None
            return header is not None and LAYOUT.matches_header(header)
        return LAYOUT.matches(inp)

    def missing_columns(self, header: tuple[str, ...]) -> list[str] | None:
        return LAYOUT.missing_columns(header)

    def refusal(self, inp: InputFile) -> str | None:
        if inp.kind == "zip":
            return None if self.matches(inp) else f"not a {self.label} (no {MEMBER} with Dashlane's columns)"
        return LAYOUT.refusal(inp)

    def read(self, inp: InputFile) -> Iterator[SourceEvent]:
        if inp.kind != "zip":
            yield from LAYOUT.read(inp)
            return
        member = find_member(inp, MEMBER)
        assert member is not None  # matched or refused before reading
        yield from LAYOUT.read_records(inp.name, member_text(inp, member).csv_rows())
        for name in member_names(inp):
            kind = OTHER_MEMBERS.get(name.rsplit("/", 1)[-1])
            if kind:
                for line, fields in islice(member_text(inp, name).csv_rows(), 1, None):
                    if any(fields):
                        yield Skipped(inp.name, line, f"{name}: {kind}")


FORMAT = Dashlane()
