"""Figaro's Password Manager 2 (FPM) XML export (`<FPM><KeyInfo cipher="none"/><PasswordList><PasswordItem>`).

Each `PasswordItem` holds `title`, `user`, `url`, `password`. Only the plain export is read:
a file whose `KeyInfo` names a cipher holds encrypted values, which would hash as the wrong
passwords, so it is refused with how to export plainly. No change time is exported.
"""

from __future__ import annotations

from pwcheck.sources._xml import XmlLayout


def _refuse(name: str, attrs: dict[str, str]) -> str | None:
    if name == "KeyInfo" and attrs.get("cipher", "none") != "none":
        return "encrypted FPM file (KeyInfo names a cipher): in FPM2 use File → Export as plain XML, audit it, then delete it"
    return None


FORMAT = XmlLayout(
    name="fpm-xml",
    label="Figaro's Password Manager (FPM2) XML",
    manager="Figaro's Password Manager",
    carries="title, URL, username, password; no change time",
    export_hint="FPM2: File → Export → XML (plain, not encrypted)",
    root="FPM",
    record="PasswordItem",
    signature="<FPM",
    password=("password",),
    url=("url",),
    username=("user",),
    title=("title",),
    refuse=_refuse,
)
