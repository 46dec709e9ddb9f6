"""Start-up is paid by every run of pwcheck: `--help` of every command imports no heavy
module, and each command that runs imports only the heavy modules of the table `MAY_IMPORT`.

A subprocess on purpose: what matters is what a fresh interpreter imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pwcheck.breaches.api_key import marker_path
from pwcheck.cli.main import COMMANDS as COMMAND_MODULES
from pwcheck.cli.main import SUMMARIES
from tests.support.rangeserver import RangeServer

HEAVY = ("rich", "httpx", "httpcore", "aiohttp", "yarl", "multidict", "certifi", "tldextract", "requests", "keyring", "secretstorage", "jeepney", "pykeepass")
COMMANDS = ([], ["audit"], ["password"], ["formats"], ["config"], ["ignore"], ["schedule"], ["corpus"], ["serve"], ["hashes"],
            ["sources"])
SCRIPT = """
import json, sys
sys.argv = ["pwcheck", *json.loads(sys.argv[1]), *json.loads(sys.argv[2])]
from pwcheck.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stdout = sys.__stdout__
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "pwcheck")
def test_help_imports_no_heavy_module(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args), '["--help"]'], capture_output=True, timeout=60, check=True
    )
    result = json.loads(proc.stdout.decode().splitlines()[-1])
    assert result["code"] == 0
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
    readers = [m for m in result["modules"] if m.startswith(("pwcheck.sources.", "pwcheck.report."))
               and m.rsplit(".", 1)[1] not in ("interface", "_input", "_csv", "_stream", "hash_list", "strength")]
    # (`sources.strength` is part of `make_credential`, and imports zxcvbn only when it scores.)
    assert not loaded & {"zxcvbn_rs_py", "zxcvbn"}
    assert readers == [], "no export reader or renderer is imported to list their names"


def test_group_help_imports_no_command_module() -> None:
    """`pwcheck --help` lists every command from `SUMMARIES`: importing their modules was two thirds of its time."""
    proc = subprocess.run([sys.executable, "-c", SCRIPT, "[]", '["--help"]'], capture_output=True, timeout=60, check=True)
    result = json.loads(proc.stdout.decode().splitlines()[-1])
    assert result["code"] == 0
    commands = {f"pwcheck.cli.{target.partition(':')[0].rsplit('.', 1)[1]}" for target in COMMAND_MODULES.values()}
    assert commands & set(result["modules"]) == set()
    assert "pwcheck.model.entry" not in result["modules"]  # `--weak-below`'s default is `model.strength`'s


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_summary_is_the_commands_own_first_paragraph(name: str) -> None:
    """What `--help` lists for a command not imported is what click makes of the command's own help, at every width."""
    import importlib

    import click

    module, _, attribute = COMMAND_MODULES[name].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    stand_in = click.Command(name, help=SUMMARIES[name])
    assert not command.hidden and not command.deprecated and command.short_help is None
    for limit in range(0, 160):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), limit


def test_summaries_name_every_command() -> None:
    assert set(SUMMARIES) == set(COMMAND_MODULES)


# Per command that runs: the heavy modules it may import; every other one of HEAVY is a regression.
# `password --stdin`: one range request, through pwcheck's own HTTP/1.1 client (no HTTP library at all).
# A default `audit` of a CSV over plain http with no API key stored: the same client for every request
# (httpx only with --http2, aiohttp never), rich for the terminal table; not
# tldextract nor the `requests` it imports (the Public Suffix List is read from its snapshot file:
# `pwcheck.analyse.suffixes`), no keyring while the marker says no key was stored, no TLS library
# beyond the standard `ssl`, no KeePass reader.
MAY_IMPORT = {
    "password": set(),
    "audit": {"rich"},
    # `sources` on Linux: jeepney and secretstorage to look for a Secret Service on the bus (nothing read).
    "sources": {"jeepney", "secretstorage"},
}


def _imported(args: list[str], stdin: bytes) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(args[:1]), json.dumps(args[1:])],
                          input=stdin, capture_output=True, timeout=60, check=True)
    result = json.loads(proc.stdout.decode().splitlines()[-1])
    return result["code"], {name.split(".")[0] for name in result["modules"]}


def test_password_stdin_imports_only_its_heavy_modules(range_server: RangeServer) -> None:
    code, loaded = _imported(["password", "--stdin", "--api-url", range_server.url, "--timeout", "5"], b"bench-x\n")
    assert code in (0, 1)
    assert loaded & set(HEAVY) <= MAY_IMPORT["password"], sorted(loaded & set(HEAVY))


def test_a_command_imports_no_other_commands_module(range_server: RangeServer) -> None:
    """Commands are loaded lazily (`PwcheckGroup.lazy`): `password` never imports `audit`'s module, the
    export readers' registry or the renderers, which were a third of its start-up."""
    proc = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(["password"]),
                           json.dumps(["--stdin", "--api-url", range_server.url, "--timeout", "5"])],
                          input=b"bench-x\n", capture_output=True, timeout=60, check=True)
    modules = set(json.loads(proc.stdout.decode().splitlines()[-1])["modules"])
    assert "pwcheck.cli.password" in modules
    others = {m for m in modules if m.startswith(("pwcheck.cli.", "pwcheck.report", "pwcheck.sources"))}
    assert others <= {"pwcheck.cli", "pwcheck.cli.password", "pwcheck.cli.main", "pwcheck.cli.group", "pwcheck.cli.options",
                      "pwcheck.cli.settings"}, sorted(others)


def test_default_audit_imports_only_its_heavy_modules(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    marker = marker_path()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("off\n")  # what set-api-key / delete-api-key / a first audit record when no key is stored
    url = range_server.url
    code, loaded = _imported(["audit", str(fixtures / "chrome.csv"), "--api-url", url, "--breaches-url",
                              range_server.breaches_url, "--twofactor-url", f"{url}/directories/totp.json",
                              "--passkeys-url", f"{url}/directories/supported.json", "--timeout", "5"], b"")
    assert code in (0, 1, 3)
    assert loaded & set(HEAVY) <= MAY_IMPORT["audit"], sorted(loaded & set(HEAVY))


def test_default_audit_imports_the_readers_up_to_its_format_only(range_server: RangeServer, fixtures: Path) -> None:
    """Detection imports each reader module when it reaches it (`sources._in_order`): a Chrome CSV, second
    in `REGISTRY`, loads two of them, not every one (the KeePass, XML and JSON machinery: ~45 ms)."""
    from pwcheck.sources import REGISTRY

    url = range_server.url
    proc = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(["audit"]),
                           json.dumps([str(fixtures / "chrome.csv"), "--api-url", url, "--no-breaches", "--no-directories",
                                       "--timeout", "5", "--format", "json"])],
                          capture_output=True, timeout=60, check=True)
    modules = set(json.loads(proc.stdout.decode().splitlines()[-1])["modules"])
    readers = {REGISTRY.location(name).partition(":")[0]: name for name in REGISTRY.names()}
    loaded = [name for module, name in readers.items() if module in modules]
    # kdbx: the audit command takes its unlocker (`make_unlocker`) whatever its inputs are.
    assert [name for name in loaded if name != "kdbx"] == REGISTRY.names()[:REGISTRY.names().index("chromium") + 1]


def test_sources_imports_only_its_heavy_modules() -> None:
    code, loaded = _imported(["sources", "--json"], b"")
    assert code == 0
    assert loaded & set(HEAVY) <= MAY_IMPORT["sources"], sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("padding", [True, False], ids=["ranges", "lists-and-accounts"])
def test_no_tls_context_for_plain_http(monkeypatch: pytest.MonkeyPatch, padding: bool) -> None:
    """The CA bundle (certifi, tens of ms) is loaded for https:// only."""
    from pwcheck.net import h1_client
    from pwcheck.net.http import ClientSettings, make_http_client

    built: list[str] = []
    monkeypatch.setattr(h1_client, "ssl_context", lambda: built.append("ctx"))
    make_http_client(ClientSettings(api_url="http://127.0.0.1:9"), padding=padding)
    assert built == []
    make_http_client(ClientSettings(api_url="https://127.0.0.1:9"), padding=padding)
    assert built == ["ctx"]
