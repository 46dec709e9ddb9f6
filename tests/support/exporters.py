"""Write exports the way each exporter writes them: shared by `make_fixtures.py` and the property tests.

Each function takes rows as dicts (column -> value; a missing column is empty) and returns
the file's exact text or bytes. The quirks are the exporters' own (see
shared/reference/export-formats.md): Firefox quotes every non-null field and ends lines in
CRLF without a final one; KeePassXC quotes everything; LastPass quotes only fields with a
comma or line break, writes other quotes raw, and on Windows doubles the CR of every line end.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

from tests.support import fixture_data as fd

Rows = Iterable[Mapping[str, Any]]


def csv_text(header: Sequence[str], rows: Rows, *, quote_all: bool = False, newline: str = "\n") -> str:
    """RFC 4180 CSV as Chromium, Bitwarden, NordPass, ... write it: quoted when holding `,` `"` CR or LF.

    (Python's own writer leaves a lone CR unquoted when the line end is LF, which no
    exporter does and no reader can take back.)
    """

    def cell(value: str) -> str:
        if quote_all or any(ch in value for ch in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [list(header)] + [[_cell(row.get(name)) for name in header] for row in rows]
    return "".join(",".join(cell(value) for value in line) + newline for line in lines)


def firefox_text(header: Sequence[str], rows: Rows) -> str:
    """Every field quoted, a null field empty and unquoted, CRLF between lines, none at the end."""

    def field(value: Any) -> str:
        return "" if value is None else '"' + str(value).replace('"', '""') + '"'

    lines = [",".join(f'"{name}"' for name in header)]
    lines += [",".join(field(row.get(name)) for name in header) for row in rows]
    return "\r\n".join(lines)


def lastpass_text(header: Sequence[str], rows: Rows, *, windows: bool = True) -> str:
    """LastPass: quotes only around commas and line breaks; on Windows every LF became CRLF."""

    def cell(value: str) -> str:
        if any(ch in value for ch in ",\r\n"):
            return '"' + value.replace('"', '""') + '"'
        return value  # a quote in a plain field is written raw

    lines = [",".join(header)] + [",".join(cell(_cell(row.get(name))) for name in header) for row in rows]
    text = "".join(line + "\r\n" for line in lines)
    return text.replace("\n", "\r\n") if windows else text


def lastpass_ambiguous(value: str) -> bool:
    """A raw LastPass field that reads back as a quoted one (the documented ambiguity)."""
    from pwcheck.sources.lastpass import split_record

    if any(ch in value for ch in ",\r\n") or not value.startswith('"'):
        return False
    return split_record(value, allow_open=False) != [value] or split_record(value) is None


def zip_bytes(members: Mapping[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def json_text(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def keepass_xml(entries: Sequence[Mapping[str, Any]], recycle_bin_entries: Sequence[Mapping[str, Any]] = ()) -> str:
    """KeePass 2 XML export: entries with `strings`, `mtime` (ISO) and `history` (older versions)."""
    bin_uuid = "cmVjeWNsZWJpbnV1aWQxMg=="

    protect = ' ProtectInMemory="True"'

    def entry(e: Mapping[str, Any], indent: str) -> str:
        strings = "".join(
            f"{indent}  <String><Key>{k}</Key><Value{protect if k == 'Password' else ''}>{_xml(v)}</Value></String>\n"
            for k, v in e["strings"].items()
        )
        history = "".join(entry(h, indent + "    ") for h in e.get("history", ()))
        history_block = f"{indent}  <History>\n{history}{indent}  </History>\n" if history else ""
        times = f"{indent}  <Times><CreationTime>2020-01-01T00:00:00Z</CreationTime><LastModificationTime>{e['mtime']}</LastModificationTime></Times>\n"
        return f"{indent}<Entry>\n{indent}  <UUID>ZW50cnl1dWlkMDAwMDAwMA==</UUID>\n{strings}{times}{history_block}{indent}</Entry>\n"

    body = "".join(entry(e, "      ") for e in entries)
    trash = "".join(entry(e, "        ") for e in recycle_bin_entries)
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<KeePassFile>\n'
        f"  <Meta><Generator>KeePass</Generator><RecycleBinEnabled>True</RecycleBinEnabled><RecycleBinUUID>{bin_uuid}</RecycleBinUUID></Meta>\n"
        "  <Root>\n    <Group>\n      <UUID>cm9vdGdyb3VwdXVpZDAwMA==</UUID>\n      <Name>Root</Name>\n"
        f"{body}      <Group>\n        <UUID>{bin_uuid}</UUID>\n        <Name>Recycle Bin</Name>\n{trash}      </Group>\n"
        "    </Group>\n    <DeletedObjects />\n  </Root>\n</KeePassFile>\n"
    )


def _xml(value: str) -> str:
    """Text content as KeePass writes it: markup escaped, CR as a character reference (XML would drop it)."""
    return escape(value).replace("\r", "&#13;")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


# A login that is not in the test corpus, and one that is (tests/support/fixture_data.py).
CLEAN_ROW = ("https://intranet.example.net/", "hank", fd.CLEAN)
PWNED_ROW = ("https://forum.example.org/login", "alice", fd.ALPHA)


def chrome_export(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A Chrome export with (url, username, password) rows, written fresh each run."""
    path = tmp_path / "chrome.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "username", "password"])
        writer.writerows(["x", url, user, password] for url, user, password in rows)
    return path
