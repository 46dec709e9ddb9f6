"""The facts `pwcheck formats` states of each reader (change times, TOTP secret) are what it reads.

They are declared on the format objects (`change_kinds()`, `detects_totp()`); here every
reader is run over its fixtures (pwcheck's generated ones and the real exporters' files) and
what its credentials carry (constructed fixtures too) must be what it declares: a change time only of a declared kind,
and a declared one seen at least once; a TOTP answer only where declared, and seen where declared.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pwcheck.model.credential import Credential
from pwcheck.sources import detect, formats, read_export
from pwcheck.sources._input import InputFile
from pwcheck.sources.kdbx import KdbxKey
from tests.support import fixture_data as fd

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _unlock(display: str) -> KdbxKey:
    return KdbxKey(fd.KDBX_PASSWORD if display.endswith("keepass.kdbx") else "", None)


def _credentials_by_format() -> dict[str, list[Credential]]:
    paths = [p for folder in (FIXTURES, FIXTURES / "real", FIXTURES / "constructed") for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".md"]
    seen: dict[str, list[Credential]] = defaultdict(list)
    for path in paths:
        try:
            fmt = detect(InputFile(path)).name
            items = list(read_export(path, unlock=_unlock))
        except Exception:  # noqa: BLE001 - a file named as another kind of document has no facts to hold
            continue
        seen[fmt] += [c for c in items if isinstance(c, Credential)]
    return seen


# Formats whose real fixture predates the change-time column; the column is read in the test named.
CHANGE_TIMES_SHOWN_ELSEWHERE = {
    "chrome-login-data-csv": "tests/sources/test_real_exports_csv.py (date_password_modified, microseconds since 1601)",
    "keeper-json": "tests/sources/test_real_exports_structured.py::test_keeper_newer_keys_more_urls_one_time_code_and_edit_time",
    "bitwarden-zip": "tests/sources/test_last_formats.py::test_bitwarden_zip_keeps_change_times_as_the_json_reader_gives_them",
}


def test_declared_change_times_and_totp_are_what_the_readers_give() -> None:
    seen = _credentials_by_format()
    checked = 0
    for fmt in formats():
        credentials = seen.get(fmt.name)
        if not credentials:
            continue
        checked += 1
        kinds = {c.changed_kind for c in credentials if c.password_changed is not None}
        assert kinds <= set(fmt.change_kinds()), (fmt.name, kinds)
        if fmt.name not in CHANGE_TIMES_SHOWN_ELSEWHERE:
            assert bool(kinds) == bool(fmt.change_kinds()), (fmt.name, "declared change times never seen")
        answers = {c.totp_stored for c in credentials} - {None}
        assert bool(answers) == fmt.detects_totp(), (fmt.name, "TOTP: declared", fmt.detects_totp(), "seen", answers)
    assert checked >= 15
