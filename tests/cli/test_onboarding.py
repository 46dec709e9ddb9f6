"""Non-interactive use: --quiet, no prompt without a terminal, and the README's example
scripts run as written (the Linux login script and the CI job; PowerShell is not on this machine)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import invoke, run
from tests.support.exporters import CLEAN_ROW, PWNED_ROW
from tests.support.exporters import chrome_export as export
from tests.support.rangeserver import RangeServer

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_script(marker: str) -> str:
    """The fenced block of the README that contains `marker` (so the docs are what is tested)."""
    blocks = re.findall(r"```(?:sh|powershell)\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    matching = [block for block in blocks if marker in block]
    assert len(matching) == 1, marker
    return matching[0]


def run_script(script: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The README's script run by `sh` as written, `pwcheck` found on PATH: the commands a user copies."""
    path = tmp_path / "script.sh"
    path.write_text(script)
    full = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **env}
    return subprocess.run(["sh", str(path)], capture_output=True, text=True, env=full, timeout=120,
                          stdin=subprocess.DEVNULL, cwd=tmp_path)


@pytest.mark.parametrize("stdin,code", [(fd.ALPHA.encode(), 1), (fd.CLEAN.encode(), 0)])
def test_password_quiet_prints_nothing_and_answers_by_exit_code(range_server: RangeServer, stdin: bytes, code: int) -> None:
    # A real process: "nothing on stderr" covers all of it, Python warnings included (pytest captures those in process).
    proc = run("password", "--stdin", "--quiet", "--api-url", range_server.url, stdin=stdin)
    assert proc.returncode == code and proc.stdout == b"" and proc.stderr == b""


def test_quiet_still_reports_errors(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    # Real processes: "nothing on stderr" covers all of it, Python warnings included (pytest captures those in process).
    # -q silences notes and reminders; the report the command writes is still written (stdout here).
    proc = run("audit", str(fixtures / "chrome.csv"), "--quiet", "--api-url", range_server.url)
    assert proc.returncode == 1 and proc.stdout != b"" and proc.stderr == b""
    missing = tmp_path / "missing.csv"
    proc = run("audit", str(fixtures / "chrome.csv"), str(missing), "--quiet", "--api-url", range_server.url)
    assert proc.returncode == 2 and str(missing).encode() in proc.stderr
    range_server.always["*"] = "503"
    proc = run("password", "--stdin", "--quiet", "--api-url", range_server.url, "--timeout", "1", stdin=fd.ALPHA.encode())
    assert proc.returncode == 3 and b"could not check" in proc.stderr


def test_quiet_from_config_and_env(range_server: RangeServer, fixtures: Path) -> None:
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--api-url", range_server.url, env={"PWCHECK_QUIET": "1"})
    assert proc.returncode == 1 and proc.stdout != b"" and b"plaintext copy" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["password"], ["config", "edit"], ["audit"], ["ignore", "add", "--domain", "x.com"], ["schedule", "install", "--backend", "cron"]],
)
def test_nothing_prompts_without_a_terminal(args: list[str]) -> None:
    """stdin is an open pipe that never sends anything: a prompt would hang until the timeout.

    A real process: the pipe, the editor it could start and the timeout are the process's."""
    proc = subprocess.Popen([sys.executable, "-m", "pwcheck", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "EDITOR": "sleep 600"})
    try:
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2, stderr


def test_readme_linux_login_script(range_server: RangeServer, tmp_path: Path) -> None:
    path = export(tmp_path, [CLEAN_ROW])
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'[sources]\nexports = ["{path}"]\n')
    script = readme_script("pwcheck-login.sh")
    env = {"PWCHECK_API_URL": range_server.url}
    first = run_script(script, tmp_path, env)
    assert first.returncode == 0 and first.stdout == "" and first.stderr == "", first.stderr
    export(tmp_path, [CLEAN_ROW, PWNED_ROW])
    second = run_script(script, tmp_path, env)
    assert second.returncode == 0 and "newly known to attackers" in second.stderr
    third = run_script(script, tmp_path, env)  # the same finding again: silent
    assert third.stderr == "" and third.stdout == ""
    assert len(range_server.requests) == 2  # --cache: the third login asked for nothing new


def test_readme_ci_job(range_server: RangeServer, tmp_path: Path) -> None:
    script = readme_script("ci-pwcheck.sh")
    clean = export(tmp_path, [CLEAN_ROW])
    env = {"PWCHECK_API_URL": range_server.url, "EXPORT_FILE": str(clean)}
    ok = run_script(script, tmp_path, {**env, "SERVICE_PASSWORD": fd.CLEAN})
    assert ok.returncode == 0 and "password exit 0, export exit 0" in ok.stdout, ok.stderr
    assert (tmp_path / "pwcheck-report.json").stat().st_mode & 0o777 == 0o600
    bad = run_script(script, tmp_path, {**env, "SERVICE_PASSWORD": fd.ALPHA})
    assert bad.returncode != 0 and "password exit 1, export exit 0" in bad.stdout
    assert fd.ALPHA not in bad.stdout + bad.stderr


def test_readme_powershell_snippet_uses_documented_options() -> None:
    """pwsh is not installed here; at least every pwcheck option the snippet uses exists."""
    script = readme_script("Read-Host -AsSecureString")
    assert "pwcheck password --stdin --quiet" in script
    help_text = invoke("password", "--help").stdout.decode()
    assert "--stdin" in help_text and "--quiet" in help_text
