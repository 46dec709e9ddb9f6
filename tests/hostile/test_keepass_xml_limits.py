"""KeePass 2 XML is read within depth, element, history and text limits, like CSV's.

Before the limits, nested or sibling `<Entry>` elements were each held (a 15 MB file of
nested entries took 787 MB and 16 s), and every text node was buffered whole. Each limit
is one error line naming the file and line; text pwcheck does not read (notes, custom
fields) is passed over, never held and never refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential
from pwcheck.model.errors import InputError
from pwcheck.sources import keepass_xml, read_export
from tests.support import exporters as ex
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import FIXTURES, Sandbox

HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n<KeePassFile><Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID>\n'
TAIL = b"</Group></Root></KeePassFile>\n"
LOGIN = b"<Entry><String><Key>Password</Key><Value>p</Value></String></Entry>\n"


def _write(tmp_path: Path, body: bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(HEAD + body + TAIL)
    return path


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        list(read_export(path))
    assert caught.value.source == str(path)
    return caught.value


def test_nesting_deeper_than_the_limit(tmp_path: Path) -> None:
    levels = keepass_xml.MAX_DEPTH
    error = _error(_write(tmp_path, LOGIN + b"<Group>\n" * levels + b"</Group>" * levels))
    assert error.message == f"XML nested deeper than {keepass_xml.MAX_DEPTH} elements: not a KeePass export"
    # KeePassFile, Root and Group are open above; the login is line 3, the first <Group> line 4.
    assert error.line == 4 + (keepass_xml.MAX_DEPTH - 3)


def test_entries_inside_a_history_version(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, b"<Entry>\n<History>\n<Entry>\n<Entry>\n</Entry></Entry></History></Entry>"))
    assert "entries nested more than two deep" in error.message and error.line == 6


def test_more_history_versions_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keepass_xml, "MAX_HISTORY", 50)
    fine = _write(tmp_path, b"<Entry><History>" + b"<Entry/>" * 50 + b"</History></Entry>", "fine.xml")
    assert len(list(read_export(fine))) == 1
    error = _error(_write(tmp_path, b"<Entry><History>" + b"<Entry/>" * 51 + b"</History></Entry>"))
    assert "more than 50 history versions" in error.message


def test_more_elements_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keepass_xml, "MAX_ELEMENTS", 1000)
    error = _error(_write(tmp_path, LOGIN * 300))
    assert error.message == "more than 1,000 XML elements: not a password export"
    # 4 elements on lines 1-2, then 4 per login from line 3: the 1001st opens the 250th login.
    assert error.line == 3 + 249


@pytest.mark.parametrize("key", ["Password", "UserName", "URL", "Title"])
def test_a_kept_value_longer_than_the_limit_names_its_line(tmp_path: Path, key: str) -> None:
    big = b"x" * (keepass_xml.MAX_TEXT + 1)
    body = LOGIN + b"<Entry>\n<String><Key>" + key.encode() + b"</Key>\n<Value>" + big + b"</Value></String></Entry>"
    error = _error(_write(tmp_path, body))
    assert error.message == "XML value longer than 1 Mi characters" and error.line == 6


def test_text_pwcheck_does_not_read_is_passed_over_not_held(tmp_path: Path) -> None:
    """A 20 MiB note and a 20 MiB custom field are neither refused nor kept; the entry is read."""
    big = b"n" * (20 << 20)
    body = (b"<Entry><String><Key>Notes</Key><Value>" + big + b"</Value></String>"
            b"<String><Key>Custom</Key><Value>" + big + b"</Value></String>"
            b"<String><Key>Password</Key><Value>p</Value></String></Entry>")
    (item,) = list(read_export(_write(tmp_path, body)))
    assert isinstance(item, Credential)


def test_a_real_export_still_reads_the_same(tmp_path: Path) -> None:
    """Limits change nothing for a real export with history, the recycle bin and protected values."""
    text = ex.keepass_xml(
        [{"strings": {"Title": "T", "UserName": "u", "Password": "new", "URL": "https://a.example", "Notes": "n"},
          "mtime": "2024-01-01T00:00:00Z", "history": [{"strings": {"Password": "old"}, "mtime": "2023-01-01T00:00:00Z"}]}],
        [{"strings": {"Password": "gone"}, "mtime": "2024-01-01T00:00:00Z"}],
    )
    path = tmp_path / "real.xml"
    path.write_text(text)
    credential, skipped = list(read_export(path))
    assert isinstance(credential, Credential) and credential.username == "u" and credential.changed_kind == "password"
    assert not isinstance(skipped, Credential)


NESTED = 1_000_000  # a 15 MB file: 787 MB and 16 s before the limits (2,000,000 levels)
HISTORY = 3_000_000  # a 24 MB file


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("keepass-xml-limits")
    return {
        "nested": _write(directory, b"<Entry>" * NESTED + b"</Entry>" * NESTED, "nested.xml"),
        "history": _write(directory, LOGIN[:-9] + b"<History>" + b"<Entry/>" * HISTORY + b"</History></Entry>", "history.xml"),
        "groups": _write(directory, b"<Group>" * NESTED + b"</Group>" * NESTED, "groups.xml"),
    }


@pytest.mark.parametrize("name", ["nested", "history", "groups"])
def test_hostile_keepass_xml_is_one_line_and_exit_2_within_bounded_memory(hostile: dict[str, Path], name: str, tmp_path: Path) -> None:
    good = FIXTURES / "chrome-old.csv"
    measured = run_pwcheck("audit", str(hostile[name]), str(good), "--demo", "--format", "json", "-q", env=Sandbox(tmp_path).env())
    stderr = measured.stderr.decode()
    assert measured.returncode == 2 and not measured.timed_out, stderr
    (line,) = stderr.splitlines()
    assert line.startswith(f"pwcheck: {hostile[name]}:3: ") and "not a KeePass export" in line, line
    doc = json.loads(measured.stdout)
    assert any(e["source"] == str(good) for e in doc["entries"])  # the good file was still audited
    assert measured.peak_mib < 200, measured.peak_mib  # 300-800 MB before the limits
