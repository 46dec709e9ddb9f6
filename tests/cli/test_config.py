"""The config file, PWCHECK_* variables and flags: precedence, errors with key and line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pwcheck.corpus.memory import MemoryCorpus
from tests.support import fixture_data as fd
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer


def config_path() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "pwcheck" / "config.toml"


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def second_server():  # type: ignore[no-untyped-def]
    server = RangeServer(MemoryCorpus.from_lines(fd.corpus_lines())).start()
    yield server
    server.stop()


def test_config_path_follows_platform_dir_and_override(tmp_path: Path) -> None:
    assert invoke("config", "path").stdout.decode().strip() == str(config_path())
    custom = tmp_path / "site.toml"
    assert invoke("config", "path", env={"PWCHECK_CONFIG": str(custom)}).stdout.decode().strip() == str(custom)


def test_precedence_flag_over_env_over_file_over_default(range_server: RangeServer, second_server: RangeServer, fixtures: Path) -> None:
    write_config(f'[check]\napi_url = "{range_server.url}"\nconcurrency = 3\n\n[output]\nformat = "json"\n')
    export = str(fixtures / "chrome-old.csv")

    # File: api_url and output format come from the config.
    proc = invoke("audit", export)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "pwcheck.report/1"
    assert len(range_server.requests) == 2 and not second_server.requests

    # Environment beats the file.
    proc = invoke("audit", export, env={"PWCHECK_API_URL": second_server.url, "PWCHECK_FORMAT": "terminal"})
    assert proc.returncode == 1 and len(second_server.requests) == 2 and len(range_server.requests) == 2
    assert not proc.stdout.startswith(b"{")

    # A flag beats both.
    proc = invoke("audit", export, "--api-url", range_server.url, "--format", "json", env={"PWCHECK_API_URL": second_server.url})
    assert proc.returncode == 1 and len(range_server.requests) == 4 and len(second_server.requests) == 2
    assert json.loads(proc.stdout)["schema"] == "pwcheck.report/1"


def test_config_show_names_each_origin() -> None:
    path = write_config("[check]\n# comment\nconcurrency = 3\ntimeout = 5\n")
    proc = invoke("config", "show", env={"PWCHECK_TIMEOUT": "7.5"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert f"check.concurrency = 3  # {path}:3" in lines
    assert "check.timeout = 7.5  # env PWCHECK_TIMEOUT" in lines
    assert "check.http2 = false  # default" in lines


def test_sources_exports_are_audited_when_no_file_is_given(range_server: RangeServer, fixtures: Path) -> None:
    write_config(f'[sources]\nexports = ["{fixtures / "chrome-old.csv"}"]\n[check]\napi_url = "{range_server.url}"\n')
    proc = invoke("audit", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert {e["username"] for e in json.loads(proc.stdout)["entries"]} == {"alice", "gina"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("[check]\n\nconcurrency = 999\n", ":3: check.concurrency must be between 1 and 512"),
        ("[check]\ntimeout = 5\nconcurency = 4\n", ":3: unknown key 'check.concurency'"),
        ("[output]\nquiet = \"maybe\"\n", ":2: output.quiet must be true or false"),
        ("[check]\napi_url = 'pw-Plain-Alpha-1'\n", ":2: check.api_url must be an http:// or https:// URL"),
        ("[check]\nconcurrency = \n", "invalid TOML: Invalid value (at line 2, column 15)"),
        ("[[ignore]]\ndomain = \"example.com\"\n", ":1: ignore rule needs a 'reason'"),
    ],
)
def test_invalid_config_is_one_line_naming_key_and_line(text: str, expected: str, fixtures: Path, range_server: RangeServer) -> None:
    path = write_config(text)
    # --api-url: an [[ignore]] rule is only checked after the passwords are (pwcheck/cli/audit.py `_review`),
    # so without it that case asked the real HIBP API (a subprocess has no socket guard).
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--api-url", range_server.url)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert str(path) in stderr and expected in stderr, stderr
    assert fd.ALPHA not in stderr  # a value is never echoed: it could be a misplaced password


def test_invalid_environment_variable_names_the_variable(fixtures: Path) -> None:
    proc = invoke("audit", str(fixtures / "chrome.csv"), env={"PWCHECK_CONCURRENCY": "lots"})
    assert proc.returncode == 2
    assert b"environment variable PWCHECK_CONCURRENCY (check.concurrency) must be an integer" in proc.stderr


def test_broken_config_can_still_be_located_and_shown_as_broken() -> None:
    write_config("[check\n")
    assert invoke("config", "path").returncode == 0
    proc = invoke("config", "show")
    assert proc.returncode == 2 and b"invalid TOML" in proc.stderr


def test_config_edit_never_waits_without_a_terminal(tmp_path: Path) -> None:
    started = tmp_path / "editor-started"  # an editor that returns at once but leaves a mark: a regression fails fast
    editor = f"touch {started}"
    proc = invoke("config", "edit", stdin=b"", env={"EDITOR": editor, "VISUAL": editor})
    assert proc.returncode == 2 and b"needs a terminal" in proc.stderr
    assert not config_path().exists() and not started.exists()
