"""The audit's strength scorer, run as a child process: zxcvbn on the other CPU core.

zxcvbn holds the GIL while it scores, so a thread cannot score while the audit's own
Python code runs; a process can. `Scoring` (`pwcheck.sources.strength`) starts this
file as a script (`python -I .../_scorer.py`: isolated, and without the package around it), sends each distinct password (already cut to `MAX_SCORED`
characters) with its user inputs as one JSON line on an anonymous pipe, and reads the
scores back, in the same order, once it closes the pipe. Nothing else crosses: no file, no
argument, no environment variable holds a password, the child writes only the scores, and
it inherits the parent's core-dump limit (0). A text is dropped once scored.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main() -> None:
    score = _strength().score
    scores: list[int | None] = []
    for line in sys.stdin.buffer:
        text, inputs = json.loads(line)
        scores.append(score(text, inputs))
        del text, line
    sys.stdout.write("".join("-\n" if value is None else f"{value}\n" for value in scores))
    sys.stdout.flush()


def _strength() -> Any:
    """`strength.py` loaded on its own, by path: it needs only the standard library and zxcvbn, and the
    `pwcheck.sources` package around it would cost the child three times its start-up (80 ms, not 25)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("pwcheck_strength", Path(__file__).with_name("strength.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    main()
