"""Broken and hostile exports that still hold distinctive passwords, for the error paths.

Each file makes a reader fail or skip in a different way; none of the resulting messages
may quote a password. `HOSTILE_PASSWORDS` are the needles these files add.
"""

from __future__ import annotations

import json
from pathlib import Path

KILO = "pw-hostile-Kilo-10"
LIMA = "pw-hostile-Lima-11"
MIKE = "pw-hostile-Mike-12"
NOVEMBER = "pw-hostile-November-13"
OSCAR = "pw-hostile-Oscar-14"
PAPA = "pw-hostile-Papa-15"
QUEBEC = "pw-hostile-Quebec-16"
ROMEO = "pw-hostile-Romeo-17"
HOSTILE_PASSWORDS = {KILO, LIMA, MIKE, NOVEMBER, OSCAR, PAPA, QUEBEC, ROMEO}
CHROME_HEADER = "name,url,username,password\n"


def write_hostile_inputs(directory: Path) -> list[Path]:
    """Write every hostile file into `directory`; returns their paths."""
    files = {
        # A good row, then a quote that never closes: the reader fails at a line.
        "unterminated.csv": CHROME_HEADER + f"A,https://a.example,u,{KILO}\nB,https://b.example,u,\"{LIMA}\n",
        # Invalid UTF-8 right after a password.
        "bad-utf8.csv": (CHROME_HEADER + f"A,https://a.example,u,{MIKE}\n").encode() + b"B,https://b.example,u,\xff\xfe" + OSCAR.encode() + b"\n",
        # JSON cut off inside a password string.
        "truncated.json": '{"encrypted": false, "items": [{"type": 1, "login": {"password": "' + PAPA,
        # A lone surrogate cannot be hashed as UTF-8: skipped, and the reason must not quote it.
        "surrogate.json": '{"encrypted": false, "items": [{"type": 1, "login": {"password": "\\ud800' + NOVEMBER + '"}}]}',
        # A NUL byte inside a CSV field.
        "nul.csv": (CHROME_HEADER + f"A,https://a.example,u,{QUEBEC}\x00x\n").encode(),
        # A field far larger than any password, made of one.
        "giant-field.csv": CHROME_HEADER + "A,https://a.example,u,\"" + ROMEO * 80_000 + "\"\n",
        # A row with the wrong number of columns.
        "short-row.csv": CHROME_HEADER + f"A,https://a.example,{KILO}\n",
        # An encrypted Bitwarden export (no plaintext, but the error path must still be clean).
        "encrypted.json": json.dumps({"encrypted": True, "passwordProtected": True, "data": LIMA}),
        # Not an export at all, but full of a password.
        "notes.txt": f"my bank password is {MIKE}\n",
    }
    paths = []
    for name, content in files.items():
        path = directory / f"hostile-{name}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths.append(path)
    return paths
