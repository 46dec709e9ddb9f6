"""`totp_stored`: whether an item holds a one-time-password secret, known only where the format can carry one.

The secret is read to answer that and dropped: no Credential field or repr holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pwcheck.model.credential import Credential
from pwcheck.sources import file_source
from pwcheck.sources.interface import has_secret, make_credential
from pwcheck.sources.pass_store import entry_event

SECRET = "otpauth://totp/Site:alice?secret=JBSWY3DPEHPK3PXP"


@pytest.mark.parametrize("value, stored", [
    (SECRET, True), ("JBSWY3DPEHPK3PXP", True), ("", False), ("  ", False), (None, False), (0, False), (True, True),
    ([None, "", SECRET], True), ([None, ""], False), ({"totp": SECRET}, True), ({}, False),
])
def test_has_secret(value: object, stored: bool) -> None:
    assert has_secret(value) is stored


def test_the_credential_keeps_the_answer_never_the_secret() -> None:
    item = make_credential("x", "f", 1, password="pw", title=None, urls=[], username=None, totp=SECRET)
    assert isinstance(item, Credential) and item.totp_stored is True
    assert "JBSWY3DPEHPK3PXP" not in repr(item) and all("JBSWY3DPEHPK3PXP" not in str(v) for v in vars_of(item))
    cannot = make_credential("x", "f", 1, password="pw", title=None, urls=[], username=None)
    assert isinstance(cannot, Credential) and cannot.totp_stored is None


def vars_of(item: Credential) -> list[object]:
    return [getattr(item, name) for name in item.__slots__]  # type: ignore[attr-defined]


@pytest.mark.parametrize("header, row, expected", [
    ("url,username,password,totp,extra,name,grouping,fav", f"https://a.example,al,pw-1,{SECRET},,A,,0", True),
    ("url,username,password,totp,extra,name,grouping,fav", "https://a.example,al,pw-1,,,A,,0", False),
    ("url,username,password,extra,name,grouping,fav", "https://a.example,al,pw-1,,A,,0", None),  # older LastPass: no column
    ("name,url,username,password,note", "A,https://a.example,al,pw-1,", None),  # Chrome cannot carry one
])
def test_csv_exports(tmp_path: Path, header: str, row: str, expected: bool | None) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    from pwcheck.sources.collect import collect

    collected = collect([file_source(path, None, None, None)])
    assert [c.totp_stored for c in collected.credentials] == [expected]


def test_a_pass_entry_says_whether_pass_otp_stored_a_secret() -> None:
    with_otp = entry_event("pass", "github.com/alice", f"pw-Quebec-1\n{SECRET}\n".encode())
    without = entry_event("pass", "gitlab.com/alice", b"pw-Romeo-2\nurl: https://gitlab.com\n")
    assert isinstance(with_otp, Credential) and with_otp.totp_stored is True
    assert isinstance(without, Credential) and without.totp_stored is False
