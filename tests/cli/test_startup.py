"""`--help` of every command imports no heavy module: start-up is paid by every run of pwcheck.

A subprocess on purpose: what matters is what a fresh interpreter imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rich", "httpx", "httpcore", "aiohttp", "tldextract", "requests", "keyring", "secretstorage", "jeepney", "pykeepass")
COMMANDS = ([], ["audit"], ["password"], ["formats"], ["config"], ["ignore"], ["schedule"], ["corpus"], ["serve"], ["hashes"])
SCRIPT = """
import json, sys
sys.argv = ["pwcheck", *json.loads(sys.argv[1]), "--help"]
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
        [sys.executable, "-c", SCRIPT, json.dumps(args)], capture_output=True, timeout=60, check=True
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
