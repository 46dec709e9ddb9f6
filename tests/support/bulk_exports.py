"""Large generated exports for streaming tests and reader throughput (rows/s) measurements.

`write_bulk(fmt, path, rows)` writes a `rows`-login export in the exporter's own shape (via
`tests/support/exporters.py`); `measure(fmt, rows)` reads one back and returns rows per second.
Run `python -m tests.support.bulk_exports [ROWS]` to print a table (the benchmark suite can import
`measure` and report medians against its peers).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from tests.support import exporters as ex

NOTE = "note, with \"quotes\" and a comma " * 4


def _logins(rows: int) -> Iterator[tuple[str, str, str]]:
    for index in range(rows):
        yield f"https://site{index}.example.com/login", f"user{index}@example.com", f'pw-{index},"x"-Ω'


def _csv(header: list[str], row: Callable[[tuple[str, str, str]], dict[str, Any]], **kw: Any) -> Callable[[int], bytes]:
    return lambda rows: ex.csv_text(header, (row(login) for login in _logins(rows)), **kw).encode()


WRITERS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "chromium": (".csv", _csv(["name", "url", "username", "password", "note"], lambda l: {"name": "T", "url": l[0], "username": l[1], "password": l[2], "note": NOTE})),
    "firefox": (".csv", lambda rows: ex.firefox_text(
        ["url", "username", "password", "httpRealm", "formActionOrigin", "guid", "timeCreated", "timeLastUsed", "timePasswordChanged"],
        ({"url": u, "username": n, "password": p, "guid": "{g}", "timePasswordChanged": "1700000000000"} for u, n, p in _logins(rows))).encode()),
    "keepassxc-csv": (".csv", _csv(
        ["Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon", "Last Modified", "Created"],
        lambda l: {"Group": "Root", "Title": "T", "Username": l[1], "Password": l[2], "URL": l[0], "Notes": NOTE, "Last Modified": "2024-01-01T00:00:00Z"},
        quote_all=True)),
    "lastpass": (".csv", lambda rows: ex.lastpass_text(
        ["url", "username", "password", "totp", "extra", "name", "grouping", "fav"],
        ({"url": u, "username": n, "password": p, "extra": NOTE, "name": "T", "fav": "0"} for u, n, p in _logins(rows))).encode()),
    "generic-csv": (".csv", _csv(["Website", "Login", "Password"], lambda l: {"Website": l[0], "Login": l[1], "Password": l[2]})),
    "bitwarden-json": (".json", lambda rows: ex.json_text({"encrypted": False, "items": [
        {"type": 1, "name": "T", "login": {"uris": [{"uri": u}], "username": n, "password": p, "passwordRevisionDate": "2024-01-01T00:00:00Z"}}
        for u, n, p in _logins(rows)]}).encode()),
    "keepass-xml": (".xml", lambda rows: ex.keepass_xml(
        [{"strings": {"Title": "T", "UserName": n, "Password": p, "URL": u}, "mtime": "2024-01-01T00:00:00Z"} for u, n, p in _logins(rows)]).encode()),
}


def write_bulk(fmt: str, directory: Path, rows: int) -> Path:
    suffix, write = WRITERS[fmt]
    path = directory / f"bulk-{fmt}{suffix}"
    path.write_bytes(write(rows))
    return path


def measure(fmt: str, rows: int, directory: Path | None = None) -> float:
    """Rows per second for detecting and reading one `rows`-login export of `fmt` (items are not kept)."""
    from pwcheck.sources import read_export

    with tempfile.TemporaryDirectory() as tmp:
        path = write_bulk(fmt, directory or Path(tmp), rows)
        started = time.perf_counter()
        count = sum(1 for _ in read_export(path))
        elapsed = time.perf_counter() - started
    assert count == rows, (fmt, count)
    return rows / elapsed


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for name in WRITERS:
        print(f"{name:16} {measure(name, size):>10,.0f} rows/s  ({size:,} rows)")
