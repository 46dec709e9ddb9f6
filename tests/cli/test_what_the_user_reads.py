"""What reaches the person on stderr (issue 15, items 1, 5 and 18): no argv value echoed by
`password`, control characters in any message shown as text, a warning for plain http.

All in process (`invoke`). Plain-http hosts other than loopback are reached through a
recording proxy on 127.0.0.1 (`HTTP_PROXY`), so nothing leaves the machine and no name is
looked up; the proxy refuses every request, which is all these tests need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.support import fixture_data as fd
from tests.support.cli import invoke
from tests.support.proxyserver import ConnectProxy
from tests.support.rangeserver import RangeServer

RAW_CONTROLS = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\n"}
CLEARTEXT = "plain http:// and not this machine"


@pytest.mark.parametrize("argv", [
    ["hunter2"], ["--stdin", "hunter2"], ["hunter2", "--stdin"], ["--hunter2"], ["-hunter2x"], ["--stdin=hunter2"],
    ["--timeout", "hunter2"], ["--lines", "--stdin", "x", "hunter2"], ["--api-url"],
], ids=lambda argv: " ".join(argv))
def test_password_usage_errors_repeat_nothing_of_the_command_line(argv: list[str]) -> None:
    proc = invoke("password", *argv)
    assert proc.returncode == 2
    out = (proc.stdout + proc.stderr).decode()
    assert "hunter2" not in out and "Usage: python -m pwcheck password" in out
    assert "none of it is repeated here" in out and "--stdin" in out


def test_a_refused_option_value_is_named_by_its_option_only() -> None:
    err = invoke("password", "--timeout", "hunter2").stderr.decode()
    assert "invalid value for --timeout" in err and "hunter2" not in err


@pytest.mark.parametrize("argv", [
    ("formats", "\x1b]52;c;aGk=\x07"),  # click quotes extra arguments as they are
    ("--no-such\x1b[2J",),
    ("audit", "--format", "no\x9bsuch"),
])
def test_click_usage_errors_show_control_characters_as_text(argv: tuple[str, ...]) -> None:
    proc = invoke(*argv)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert set(err) & RAW_CONTROLS == set() and "\\x" in err


def test_a_file_name_with_control_characters_is_shown_as_text(range_server: RangeServer, tmp_path: Path) -> None:
    missing = tmp_path / "export\x1b]52;c;aGk=\x07\x1b[2J.csv"
    proc = invoke("audit", str(missing), "--api-url", range_server.url, "--no-breaches")
    assert proc.returncode == 2
    for stream in (proc.stdout.decode(), proc.stderr.decode()):
        assert set(stream) & RAW_CONTROLS == set() and "export\\x1b]52;c;aGk=\\x07\\x1b[2J.csv" in stream


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    server = ConnectProxy().start()
    try:
        yield server
    finally:
        server.stop()


def test_plain_http_range_api_beyond_loopback_is_warned_about(proxy: ConnectProxy) -> None:
    proc = invoke("password", "--stdin", "-q", "--api-url", "http://team:SECRET@mirror.example", "--timeout", "1",
                  stdin=fd.ALPHA.encode(), env={"HTTP_PROXY": proxy.url, "NO_PROXY": ""})
    err = proc.stderr.decode()
    assert proc.returncode == 3  # the proxy refused: not checked
    assert f"warning: http://mirror.example is {CLEARTEXT}" in err and "hash prefixes" in err  # -q keeps warnings
    assert "SECRET" not in err
    assert proxy.heads and proxy.heads[0].startswith(b"GET http://mirror.example/range/")  # what travelled in clear


def test_plain_http_catalogue_beyond_loopback_is_warned_about(
    range_server: RangeServer, fixtures: Path, proxy: ConnectProxy
) -> None:
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--format", "json", "--api-url", range_server.url,
                  "--breaches-url", "http://mirror.example/api/v3/breaches", "--timeout", "1",
                  env={"HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"})
    err = proc.stderr.decode()
    assert f"warning: http://mirror.example/api/v3/breaches is {CLEARTEXT}" in err and "breach catalogue" in err
    assert err.count(CLEARTEXT) == 1  # the range API on 127.0.0.1 is not warned about


def test_plain_http_mirror_download_is_warned_about(tmp_path: Path, proxy: ConnectProxy) -> None:
    proc = invoke("corpus", "download", "--store", str(tmp_path / "store"), "--api-url", "http://mirror.example",
                  "--prefixes", "00000-00000", "--timeout", "1", "--no-progress",
                  env={"HTTP_PROXY": proxy.url, "NO_PROXY": ""})
    assert f"warning: http://mirror.example is {CLEARTEXT}" in proc.stderr.decode()


def test_https_loopback_and_offline_are_not_warned_about(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    proc = invoke("audit", str(fixtures / "chrome.csv"), "--api-url", range_server.url,
                  "--breaches-url", range_server.breaches_url)
    assert proc.returncode == 1 and CLEARTEXT not in proc.stderr.decode()
    by_name = range_server.url.replace("127.0.0.1", "localhost")
    proc = invoke("password", "--stdin", "--api-url", by_name, stdin=fd.ALPHA.encode())
    assert proc.returncode == 1 and CLEARTEXT not in proc.stderr.decode()
    proc = invoke("password", "--stdin", "--offline", str(tmp_path), "--api-url", "http://mirror.example", stdin=b"x")
    assert proc.returncode == 2 and CLEARTEXT not in proc.stderr.decode()  # --offline asks nothing of the API


def test_config_and_ignore_lines_show_no_url_password_and_no_control_character() -> None:
    shown_config = invoke("config", "show", env={"PWCHECK_API_URL": "https://team:SECRET@mirror.example/"})
    assert shown_config.returncode == 0 and b"SECRET" not in shown_config.stdout
    assert b"https://mirror.example/" in shown_config.stdout
    added = invoke("ignore", "add", "--url", "https://forum.example.org/\x1b[2J", "--reason", "test \x9b31m")
    listed = invoke("ignore", "list")
    for proc in (added, listed):
        out = proc.stdout.decode()
        assert proc.returncode == 0 and set(out) & RAW_CONTROLS == set() and "\\x1b[2J" in out
