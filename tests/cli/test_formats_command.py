"""`pwcheck formats`: every reader, grouped by the manager that writes it, with the facts it carries.

The change-time and TOTP facts are the format objects' own declarations (held to the readers in
`tests/sources/test_format_facts.py`); here the command must show every one of them, grouped and
ordered as promised, and `--json` must say the same to a script.
"""

from __future__ import annotations

import json

from pwcheck.sources import by_name, format_names
from tests.support.cli import invoke


def _json() -> list[dict[str, object]]:
    proc = invoke("formats", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert isinstance(doc, dict) and isinstance(doc["formats"], list)
    return doc["formats"]


def test_json_lists_every_reader_once_with_its_declared_facts() -> None:
    rows = _json()
    assert sorted(r["name"] for r in rows) == sorted(format_names())  # type: ignore[type-var]
    for row in rows:
        fmt = by_name(str(row["name"]))
        assert row == {
            "name": fmt.name, "manager": fmt.manager, "label": fmt.label, "export": fmt.export_hint,
            "carries": fmt.carries, "change_times": list(fmt.change_kinds()), "totp_secret": fmt.detects_totp(),
        }


def test_json_facts_of_known_readers() -> None:
    rows = {r["name"]: r for r in _json()}
    assert rows["firefox"]["change_times"] == ["password"]
    assert rows["keepassxc-csv"]["change_times"] == ["edit"]
    assert rows["kdbx"]["change_times"] == ["password", "edit"]
    assert rows["chromium"]["change_times"] == [] and rows["chromium"]["totp_secret"] is False
    assert rows["bitwarden-json"]["totp_secret"] is True and rows["lastpass"]["totp_secret"] is True
    assert rows["1password-1pux"]["manager"] == rows["1password4-csv"]["manager"] == "1Password"


def test_json_is_grouped_by_manager_sorted_without_case() -> None:
    managers = [str(r["manager"]) for r in _json()]
    groups = list(dict.fromkeys(managers))
    assert groups == sorted(groups, key=str.casefold)
    assert len(groups) == len(set(managers))  # each manager's readers together
    assert "1Password" in groups and "Generic CSV" in groups


def test_text_groups_each_reader_under_its_manager_with_both_facts() -> None:
    proc = invoke("formats")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    blocks: dict[str, list[str]] = {}
    manager = ""
    for line in out.splitlines():
        if line and not line.startswith(" "):
            manager = line
            blocks[manager] = []
        elif line.strip():
            blocks[manager].append(line.strip())
    assert list(blocks) == sorted(blocks, key=str.casefold)
    assert set(blocks) == {by_name(n).manager for n in format_names()}
    firefox = "\n".join(blocks["Mozilla Firefox"])
    assert "firefox" in firefox and "about:logins" in firefox
    assert "change times: yes: password change" in firefox and "TOTP secret: no" in firefox
    keepass = "\n".join(blocks["KeePass"])
    assert "kdbx" in keepass and "change times: yes: password change (history), else any edit" in keepass
    assert "TOTP secret: whether one is stored is detected" in keepass
    chrome = "\n".join(blocks["Google Chrome / Chromium browsers"])
    assert "change times: no" in chrome and "TOTP secret: no" in chrome
    for name in format_names():  # every reader, with both facts under it
        assert sum(block[0].split()[0] == name for block in _entries(blocks)) == 1, name
    for entry in _entries(blocks):
        assert any(line.startswith("change times: ") for line in entry), entry
        assert any(line.startswith("TOTP secret: ") for line in entry), entry


def _entries(blocks: dict[str, list[str]]) -> list[list[str]]:
    """Each reader's lines: its name and label first, then the indented facts."""
    entries: list[list[str]] = []
    for lines in blocks.values():
        for line in lines:
            if line.startswith(("export: ", "carries: ", "change times: ", "TOTP secret: ")):
                entries[-1].append(line)
            else:
                entries.append([line])
    return entries


def test_a_reader_that_leaves_early_gets_one_line_and_exit_2() -> None:
    """`pwcheck formats | head -1`, made certain: the pipe's reading end is closed before pwcheck writes
    (a real process: the pipe is the point). The output was not delivered, so never exit 0."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "pwcheck", "formats"], stdout=write_end, stderr=subprocess.PIPE,
                              timeout=60, check=False)
    finally:
        os.close(write_end)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "pwcheck: standard output was closed before all of it was written (broken pipe)\n"
