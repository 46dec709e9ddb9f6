"""The audit's strength scorer, run as a child process: zxcvbn on the other CPU core.

zxcvbn holds the GIL while it scores, so a thread cannot score while the audit's own
Python code runs; a process can. `Scoring` (`pwcheck.sources.strength`) starts this
module with `python -m`, sends each distinct password (already cut to `MAX_SCORED`
characters) with its user inputs as one JSON line on an anonymous pipe, and reads the
scores back, in the same order, once it closes the pipe. Nothing else crosses: no file, no
argument, no environment variable holds a password, the child writes only the scores, and
it inherits the parent's core-dump limit (0). A text is dropped once scored.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    from pwcheck.sources.strength import score

    scores: list[int | None] = []
    for line in sys.stdin.buffer:
        text, inputs = json.loads(line)
        scores.append(score(text, inputs))
        del text, line
    sys.stdout.write("".join("-\n" if value is None else f"{value}\n" for value in scores))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
