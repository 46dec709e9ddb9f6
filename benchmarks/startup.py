"""Start-up: how long `pwcheck --help` and `pwcheck password --stdin` take, as a person runs them.

Each is a fresh process (the installed console script), next to a bare `python -c pass`
in the same rounds so the interpreter's own start-up is visible. Also counts the heavy
modules `--help` imports: they must load lazily, inside the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks._harness import Figure, child_env, figure, interleave, median, python_cmd, run_child
from benchmarks._rangeserver import range_server

# issue 19: as ratios to `python -c pass` in the same rounds (the interpreter's own start-up varies by machine).
HELP_TARGET_RATIO = 4.0
PASSWORD_TARGET_RATIO = 8.0
HEAVY = ("httpx", "httpcore", "aiohttp", "rich", "tldextract", "h2", "ssl", "asyncio")
PWNED = b"password"  # any password: the benchmark corpus is synthetic, so this one reads "not found"


def pwcheck_cmd(*args: str) -> list[str]:
    """The console script next to this interpreter (what users run), else `python -m pwcheck`."""
    script = Path(sys.executable).with_name("pwcheck")
    return [str(script), *args] if script.exists() else python_cmd("-m", "pwcheck", *args)


def heavy_imports(*cli_args: str) -> list[str]:
    """Which of the heavy modules are loaded once the CLI has parsed `cli_args` (run in a child)."""
    code = (
        "import sys, json\n"
        "from pwcheck.cli.main import main\n"
        "try:\n"
        f"    main({list(cli_args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(python_cmd("-c", code), capture_output=True, text=True, check=True, env=child_env())
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> list[Figure]:
    runs = args.runs or (5 if args.quick else 15)
    env = child_env()
    with range_server(latency=0.0) as url:
        samples = interleave(runs, {
            "python": lambda: run_child(python_cmd("-c", "pass"), env=env),
            "help": lambda: run_child(pwcheck_cmd("--help"), env=env),
            "password": lambda: run_child(
                pwcheck_cmd("password", "--stdin", "--api-url", url), stdin=PWNED + b"\n", env=env
            ),
        })
    wall = {name: [s.wall for s in values] for name, values in samples.items()}
    help_median, python_median, password_median = median(wall["help"]), median(wall["python"]), median(wall["password"])
    heavy = heavy_imports("--help")
    return [
        figure("python -c pass (interpreter floor)", "s", wall["python"]),
        figure(
            "pwcheck --help", "s", wall["help"], target=f"<= {HELP_TARGET_RATIO:g}x python -c pass",
            met=help_median <= HELP_TARGET_RATIO * python_median, ratio_to={"python -c pass": help_median / python_median},
        ),
        figure(
            "pwcheck password --stdin (local server, 0 ms)", "s", wall["password"],
            target=f"<= {PASSWORD_TARGET_RATIO:g}x python -c pass", met=password_median <= PASSWORD_TARGET_RATIO * python_median,
            ratio_to={"python -c pass": password_median / python_median, "pwcheck --help": password_median / help_median},
        ),
        figure(
            "heavy modules imported by --help", "modules", [float(len(heavy))], target="0",
            met=not heavy, note=", ".join(heavy) if heavy else "none of " + "/".join(HEAVY[:5]),
        ),
    ]
