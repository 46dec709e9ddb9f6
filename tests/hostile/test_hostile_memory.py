"""Hostile files against the real CLI with its address space capped: each is refused with one
line and exit 2 (or read), nothing crashes, and the cap proves memory stays bounded."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.privacy.harness import FIXTURES, Sandbox

ADDRESS_SPACE = 1536 << 20  # 1.5 GiB: the interpreter, httpx, aiohttp and rich fit with room to spare


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("export.csv", "w") as member:
            member.write(b"name,url,username,password\n")
            block = b"0" * (1 << 20)
            for _ in range(1024):  # 1 GiB inflated, about 1 MiB on disk
                member.write(block)


HOSTILE = {
    "zip-bomb.zip": _zip_bomb,
    "deep.json": lambda p: p.write_text('{"encrypted": false, "items": ' + "[" * 200_000 + "]" * 200_000 + "}"),
    "giant-field.csv": lambda p: p.write_text('name,url,username,password\nA,https://a.example,u,"' + "x" * (64 << 20) + '"\n'),
    "no-newline.csv": lambda p: p.write_text("name,url,username,password\n" + "a," * (32 << 20)),
    "many-columns.csv": lambda p: p.write_text(",".join(f"c{i}" for i in range(2_000_000)) + "\n1,2\n"),
    "huge.json": lambda p: p.write_text(json.dumps({"encrypted": False, "items": []})[:-2] + "[" + "{}," * (30 << 20) + "{}]}"),
    "many-rows.csv": lambda p: p.write_text("name,url,username,password\n" + "a,b,c,\n" * 3_000_000),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, make in HOSTILE.items():
        paths[name] = directory / name
        make(paths[name])
    return paths


def test_the_cap_really_limits_the_process() -> None:
    """Control: a child that tries to allocate 2 GiB under the same cap fails."""
    proc = subprocess.run([sys.executable, "-c", "b = bytearray(2 << 30)"], capture_output=True, preexec_fn=_cap_memory, timeout=60)
    assert proc.returncode != 0 and b"MemoryError" in proc.stderr


def test_hostile_files_are_refused_within_bounded_memory(hostile_files: dict[str, Path], tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    files = [str(path) for path in hostile_files.values()] + [str(FIXTURES / "chrome-old.csv")]
    proc = subprocess.run(
        [sys.executable, "-m", "pwcheck", "audit", *files, "--demo", "--format", "json"],
        capture_output=True, stdin=subprocess.DEVNULL, env=box.env(), preexec_fn=_cap_memory, timeout=600,
    )
    stderr = proc.stderr.decode()
    assert proc.returncode == 0 or proc.returncode == 2, stderr  # --demo: 0 only when nothing failed
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    doc = json.loads(proc.stdout)
    errors = {Path(e["source"]).name: e["message"] for e in doc["errors"]}
    assert set(errors) >= {"zip-bomb.zip", "deep.json", "giant-field.csv", "no-newline.csv", "huge.json"}, errors
    assert "nested too deeply" in errors["deep.json"]
    assert "line longer than" in errors["giant-field.csv"] and "line longer than" in errors["no-newline.csv"]
    assert "larger than 64 MiB" in errors["huge.json"]
    assert "more than 1,000,000 items" in errors["many-rows.csv"]
    assert "ZIP" in errors["zip-bomb.zip"]
    assert any(e["source"].endswith("chrome-old.csv") for e in doc["entries"])  # the good file was still audited
