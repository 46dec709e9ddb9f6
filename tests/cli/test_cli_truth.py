"""Exit 1 means findings and nothing else: an unexpected error is one line and exit 2 (never
1, which scripts read as "pwned"), and unencodable input text is replaced, never a crash."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import fixture_data as fd
from tests.support.breach_fixture import breach, catalogue_bytes
from tests.support.cli import invoke, run
from tests.support.exporters import PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer

NO_TRACEBACK = b"Traceback"


def pwned(report: dict[str, Any]) -> int:
    return sum(1 for entry in report["entries"] if entry["pwned_count"])


def bitwarden_with(tmp_path: Path, name: str, username: str, url: str) -> Path:
    """A Bitwarden JSON export whose text fields carry `\\ud800` escapes (valid JSON, unencodable text)."""
    doc = {"encrypted": False, "folders": [], "items": [{
        "id": "1", "type": 1, "name": name, "login": {"uris": [{"match": None, "uri": url}],
                                                      "username": username, "password": fd.ALPHA},
    }]}
    path = tmp_path / "bitwarden.json"
    path.write_text(json.dumps(doc), encoding="ascii")  # json.dumps escapes the surrogate: the file is plain ASCII
    assert "\\ud800" in path.read_text()
    return path


def assert_one_line_exit_2(proc: subprocess.CompletedProcess[bytes]) -> str:
    returncode, stderr = proc.returncode, proc.stderr
    assert returncode == 2, stderr
    assert NO_TRACEBACK not in stderr, stderr
    errors = [line for line in stderr.decode().splitlines() if "unexpected" in line]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.parametrize("report_format", ["json", "csv", "markdown", "terminal", "html"])
def test_lone_surrogate_in_an_export_is_replaced_not_a_crash(range_server: RangeServer, tmp_path: Path, report_format: str) -> None:
    path = bitwarden_with(tmp_path, "Vault \ud800", "alice\ud800", "https://forum.example.org/\ud800")
    out = tmp_path / f"report.{report_format}"
    proc = run("audit", str(path), "--format", report_format, "-o", str(out), "--all", "--api-url", range_server.url)
    assert proc.returncode == 1, proc.stderr  # the pwned password is the finding it is
    assert NO_TRACEBACK not in proc.stderr
    text = out.read_bytes().decode("utf-8")  # valid UTF-8: the surrogate was replaced
    assert "alice" in text and "\ud800" not in text
    assert out.stat().st_mode & 0o777 == 0o600
    stdout = invoke("audit", str(path), "--format", report_format, "--all", "--api-url", range_server.url)
    assert stdout.returncode == 1 and b"alice" in stdout.stdout


def test_lone_surrogate_in_an_export_with_new(range_server: RangeServer, tmp_path: Path) -> None:
    path = bitwarden_with(tmp_path, "Vault", "alice\ud800", "https://forum.example.org/\ud800")
    first = invoke("audit", str(path), "--new", "--format", "json", "--api-url", range_server.url)
    assert first.returncode == 1 and pwned(json.loads(first.stdout)) == 1
    again = invoke("audit", str(path), "--new", "--format", "json", "--api-url", range_server.url)
    assert again.returncode == 0, again.stderr  # the same finding: still present, not new


def test_lone_surrogate_in_a_catalogue_title(range_server: RangeServer, tmp_path: Path) -> None:
    range_server.breaches = catalogue_bytes([breach("Forum", "forum.example.org", "2015-01-01", Title="Forum \ud800")])
    assert b"\\ud800" in range_server.breaches
    path = export(tmp_path, [PWNED_ROW])
    for report_format in ("terminal", "json", "html"):
        out = tmp_path / f"r.{report_format}"
        proc = run("audit", str(path), "--format", report_format, "-o", str(out), "--breaches-url", range_server.breaches_url,
                   "--api-url", range_server.url)
        assert proc.returncode == 1 and NO_TRACEBACK not in proc.stderr, proc.stderr
        assert "Forum" in out.read_bytes().decode("utf-8")


def test_deeply_nested_config_is_a_config_error(range_server: RangeServer, tmp_path: Path) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    path = export(tmp_path, [PWNED_ROW])
    proc = run("audit", str(path), "--api-url", range_server.url)
    assert proc.returncode == 2 and NO_TRACEBACK not in proc.stderr, proc.stderr
    assert b"config.toml" in proc.stderr and len(proc.stderr.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("damage", ["value-not-a-table", "no-first-seen", "findings-list", "key-check-number"])
def test_damaged_new_state_is_exit_2_and_writes_no_report_over_it(range_server: RangeServer, tmp_path: Path, damage: str) -> None:
    path = export(tmp_path, [PWNED_ROW])
    first = invoke("audit", str(path), "--new", "--api-url", range_server.url)
    assert first.returncode == 1
    state = Path(os.environ["XDG_STATE_HOME"]) / "pwcheck" / "findings.json"
    data = json.loads(state.read_text())
    (fingerprint,) = data["findings"]
    if damage == "value-not-a-table":
        data["findings"][fingerprint] = 5
    elif damage == "no-first-seen":
        data["findings"][fingerprint] = {"last_seen": "x"}
    elif damage == "findings-list":
        data["findings"] = {fingerprint: ["first_seen"]}
    else:
        data["key_check"] = 7
    state.write_text(json.dumps(data))
    proc = run("audit", str(path), "--new", "--api-url", range_server.url)
    assert proc.returncode == 2 and NO_TRACEBACK not in proc.stderr, proc.stderr
    assert b"findings.json" in proc.stderr


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_bad_ssl_cert_file_is_exit_2(range_server: RangeServer, tmp_path: Path, content: bytes | None) -> None:
    cert = tmp_path / "ca.pem"
    if content is not None:
        cert.write_bytes(content)
    path = export(tmp_path, [PWNED_ROW])
    out = tmp_path / "report.json"
    https = range_server.url.replace("http:", "https:")
    proc = run("audit", str(path), "--api-url", https, "--format", "json", "-o", str(out), env={"SSL_CERT_FILE": str(cert)})
    assert proc.returncode == 2 and NO_TRACEBACK not in proc.stderr, proc.stderr
    assert b"SSL_CERT_FILE" in proc.stderr
    proc = run("password", "--stdin", "--api-url", https, stdin=fd.ALPHA.encode(), env={"SSL_CERT_FILE": str(cert)})
    assert proc.returncode == 2 and NO_TRACEBACK not in proc.stderr and b"SSL_CERT_FILE" in proc.stderr, proc.stderr


def test_any_unexpected_exception_is_one_line_and_exit_2(range_server: RangeServer, tmp_path: Path) -> None:
    """A bug anywhere (here: the renderer) ends as one line naming no content, and exit 2;
    -vv adds the traceback with its message withheld."""
    path = export(tmp_path, [PWNED_ROW])
    boom = tmp_path / "sitecustomize.py"
    boom.write_text(
        "import pwcheck.report.json as j\n"
        "def render(self, report, out, options):\n"
        f"    raise ValueError(open({str(path)!r}).read() + ' ' + 'ab' * 20)  # the export's text: a password\n"
        "j.JsonRenderer.render = render\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = tmp_path / "report.json"
    proc = run("audit", str(path), "--format", "json", "-o", str(out), "--api-url", range_server.url, env=env)
    line = assert_one_line_exit_2(proc)
    assert "ValueError" in line and fd.ALPHA not in proc.stderr.decode()
    assert not out.exists()  # no half-written report left behind
    verbose = run("audit", str(path), "--format", "json", "-o", str(out), "-vv", "--api-url", range_server.url, env=env)
    assert verbose.returncode == 2 and NO_TRACEBACK in verbose.stderr and b"render" in verbose.stderr
    assert fd.ALPHA.encode() not in verbose.stderr and b"ab" * 20 not in verbose.stderr
