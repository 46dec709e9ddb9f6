"""A huge field is shown cut, with how much is left out; JSON keeps it exactly.

A 20 MiB username took minutes and a gigabyte to lay out in the terminal report (still
running after 100 s). The human formats show the first 256 characters of a field and a
marker; JSON and CSV keep every field as exported, and the password is hashed whole.
Real processes with a time limit, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pwcheck.report import _views
from tests.support.peak import run_pwcheck
from tests.support.privacy.harness import Sandbox

BIG = 20 << 20
SMALLER = 8 << 20  # the four fields together stay under the 64 MiB a JSON export may hold
LIMIT = 60  # seconds per report


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    items = [
        {"type": 1, "name": "Huge username", "login": {"uris": [{"uri": "https://a.example/"}], "username": "u" * BIG, "password": "password"}},
        {"type": 1, "name": "Huge site", "login": {"uris": [{"uri": "https://" + "h" * BIG + ".example/"}], "username": "v", "password": "password"}},
        {"type": 1, "name": "T" * SMALLER, "login": {"uris": [], "username": "w", "password": "p" * SMALLER}},
    ]
    path = tmp_path_factory.mktemp("display") / "bitwarden.json"
    path.write_text(json.dumps({"encrypted": False, "items": items}))
    return path


def _report(export: Path, fmt: str, tmp_path: Path) -> str:
    measured = run_pwcheck("audit", str(export), "--demo", "--all", "--format", fmt, "-q", env=Sandbox(tmp_path).env(), timeout=LIMIT)
    assert not measured.timed_out, f"the {fmt} report took more than {LIMIT} s"
    assert measured.returncode in (0, 1), measured.stderr.decode()[-500:]  # --demo: 0 unless something failed
    return measured.stdout.decode()


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_human_reports_show_huge_fields_cut_with_a_marker(export: Path, fmt: str, tmp_path: Path) -> None:
    out = _report(export, fmt, tmp_path)
    left_out = f"(+{BIG - _views.MAX_SHOWN:,} characters)"
    assert out.count(left_out) >= 2 and len(out) < 200_000, len(out)  # the username, the site (and contact, title)
    assert "u" * (_views.MAX_SHOWN + 1) not in out


def test_json_keeps_every_field_exactly_and_the_password_is_hashed_whole(export: Path, tmp_path: Path) -> None:
    doc = json.loads(_report(export, "json", tmp_path))
    entries = {e["title"][:20]: e for e in doc["entries"] if e["source"] == str(export)}
    assert entries["Huge username"]["username"] == "u" * BIG
    assert entries["Huge site"]["url"] == "https://" + "h" * BIG + ".example/"
    assert entries["T" * 20]["title"] == "T" * SMALLER
    assert entries["T" * 20]["pwned_count"] == 0  # "p" * 8 MiB is in no corpus; its digest, not a cut one, was looked up
    assert hashlib.sha1(("p" * SMALLER).encode()).hexdigest() not in json.dumps(doc)


def test_clipped_marks_only_what_is_too_long() -> None:
    assert _views.clipped("a" * _views.MAX_SHOWN) == "a" * _views.MAX_SHOWN
    assert _views.clipped("a" * (_views.MAX_SHOWN + 5)) == "a" * _views.MAX_SHOWN + "… (+5 characters)"
