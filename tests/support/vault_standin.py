"""Stand-in vault CLIs (`bw`, `op`, `rbw`) for the tests: small programs put first on PATH.

Each stand-in answers only the exact argument lists it was given (anything else exits 97,
so a changed command line fails the test), records every call (arguments, what came on
stdin, the session variables it saw) in a log, and prints what the real tool would: a
recorded JSON output (tests/fixtures/real/), a message on stderr and an exit code. It can
also hang (with a child of its own, to prove the whole group is killed) or print without end.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
BW_LIST = ("list", "items", "--nointeraction")
OP_WHOAMI = ("whoami",)
OP_LIST = ("item", "list", "--categories", "Login,Password", "--format", "json")
OP_GET = ("item", "get", "-", "--format", "json")
OP_ITEMS = [str(REAL / name) for name in ("op-item-get-dummy-login.json", "op-item-get-v2_out_04.json", "op-item-get-v2_out_01.json")]
RBW_LOGIN_ID = "dddddddd-dddd-dddd-dddd-dddddddddddd"
# What `bw unlock` would have printed: passed on to `bw`, never shown.
SESSION = "standin-session-key-7c1f0a9e4b2d"

# Environment variables the stand-in reports seeing: the sessions pwcheck must pass on, and
# pwcheck's own secret, which it must not.
WATCHED = ("BW_SESSION", "OP_SESSION_standin", "PWCHECK_KDBX_PASSWORD")

_SCRIPT = '''#!{python}
import json, os, subprocess, sys, time
TABLE = json.loads({table!r})
args = sys.argv[1:]
stdin = sys.stdin.buffer.read()
call = {{"argv": args, "stdin": stdin.decode("utf-8", "replace"), "env": {{k: os.environ.get(k) for k in {watched!r}}}}}
answer = TABLE.get(json.dumps(args))
if answer and answer["hang"]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    call["child"] = child.pid
with open({log!r}, "a") as log:
    log.write(json.dumps(call) + "\\n")
if answer is None:
    sys.stderr.write("stand-in: unexpected arguments\\n")
    sys.exit(97)
if answer["hang"]:
    time.sleep(600)
if answer["flood"]:
    chunk = b"[" + b"0," * (1 << 19)
    while True:
        sys.stdout.buffer.write(chunk)
for path in answer["stdout"]:
    with open(path, "rb") as handle:
        sys.stdout.buffer.write(handle.read())
sys.stdout.buffer.write(answer["text"].encode())
sys.stdout.flush()
sys.stderr.write(answer["stderr"])
sys.exit(answer["code"])
'''


@dataclass
class Answer:
    """What one exact command line prints and how it ends."""

    stdout: list[str] = field(default_factory=list)  # files printed one after another
    text: str = ""
    stderr: str = ""
    code: int = 0
    hang: bool = False
    flood: bool = False


def install(bin_dir: Path, program: str, answers: dict[tuple[str, ...], Answer]) -> Path:
    """Write `bin_dir/program` answering `answers`; returns its call log (one JSON line per call)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    log = bin_dir / f"{program}.calls"
    log.touch()
    table = json.dumps({json.dumps(list(argv)): asdict(answer) for argv, answer in answers.items()})
    path = bin_dir / program
    path.write_text(_SCRIPT.format(python=sys.executable, table=table, log=str(log), watched=WATCHED))
    path.chmod(0o755)
    return log


def calls(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def running(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie waiting for its reaper does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status and os.path.exists(f"/proc/{pid}")


def bw_ok(bin_dir: Path) -> Path:
    """`bw` unlocked: `bw list items` prints the recorded items."""
    return install(bin_dir, "bw", {BW_LIST: Answer(stdout=[str(REAL / "bw-list-items.json")])})


def op_ok(bin_dir: Path) -> Path:
    """`op` signed in: the recorded list, then the recorded items for `op item get -`."""
    return install(bin_dir, "op", {
        OP_WHOAMI: Answer(text='{"url":"my.1password.com","email":"x","user_uuid":"U","account_uuid":"A"}\n'),
        OP_LIST: Answer(stdout=[str(REAL / "op-item-list.json")]),
        OP_GET: Answer(stdout=OP_ITEMS),
    })


def rbw_ok(bin_dir: Path) -> Path:
    """rbw's agent unlocked: the recorded list, and the recorded login for its id."""
    return install(bin_dir, "rbw", {
        ("unlocked",): Answer(),
        ("list", "--raw"): Answer(stdout=[str(REAL / "rbw-list-raw.json")]),
        ("get", "--raw", RBW_LOGIN_ID): Answer(stdout=[str(REAL / "rbw-get-raw-login.json")]),
    })


def vault_passwords() -> set[str]:
    """Every password the recorded vault outputs hold, read from them here (for the privacy scan)."""
    found = {str(item["login"]["password"]) for item in json.loads((REAL / "bw-list-items.json").read_text())
             if isinstance(item.get("login"), dict) and item["login"].get("password")}
    for path in OP_ITEMS:
        found |= {field["value"] for field in json.loads(Path(path).read_text())["fields"]
                  if field.get("purpose") == "PASSWORD" and "value" in field}
    found.add(json.loads((REAL / "rbw-get-raw-login.json").read_text())["data"]["password"])
    return found
