"""Every input is read once: stdin (`-`), `/dev/stdin`, a process substitution and a named
pipe are buffered (bounded) and detected and parsed from that buffer; a regular file is
opened once and streamed. Real pipes, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pwcheck.model.credential import Credential
from pwcheck.model.errors import InputError
from pwcheck.sources import _input, read_export
from tests.support import fixture_data as fd
from tests.support.cli import run
from tests.support.rangeserver import RangeServer

READERS = ["chrome.csv", "bitwarden.json", "keepass.xml", "keepass.kdbx", "1password.1pux", "dashlane.zip", "lastpass.csv"]


def audit(server: RangeServer, *args: str, stdin: bytes | None = None) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    proc = run("audit", *args, "--format", "json", "--api-url", server.url, "--timeout", "5", stdin=stdin)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()


def chrome_entries(doc: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(e["url"], e["username"]) for e in doc["entries"]]


EXPECTED = [(x.url, x.username) for x in fd.CHROME]


@pytest.mark.parametrize("arg", ["-", "/dev/stdin"])
def test_piped_export_is_read_and_checked(range_server: RangeServer, fixtures: Path, arg: str) -> None:
    code, doc, stderr = audit(range_server, arg, stdin=(fixtures / "chrome.csv").read_bytes())
    assert code == 1, stderr
    assert chrome_entries(doc) == EXPECTED
    assert doc["errors"] == [] and len(doc["skipped"]) == fd.CHROME_SKIPPED
    assert "plaintext copy" not in stderr  # a pipe is no file left on disk


def test_process_substitution_is_read(range_server: RangeServer, fixtures: Path) -> None:
    command = (f'{sys.executable} -m pwcheck audit <(cat "{fixtures / "chrome.csv"}") '
               f'--format json --api-url {range_server.url} --timeout 5')
    env = {k: v for k, v in os.environ.items() if k != "PWCHECK_API_URL"}
    proc = subprocess.run(["bash", "-c", command], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert chrome_entries(json.loads(proc.stdout)) == EXPECTED


def test_large_piped_csv_is_read_whole(range_server: RangeServer, tmp_path: Path) -> None:
    # Larger than the 64 KiB that detection looks at: the rest must not be lost or misread.
    rows = "".join(f"Site {i},https://s{i}.example.com/,user{i},{fd.CLEAN}\n" for i in range(4000))
    data = ("name,url,username,password\n" + rows).encode()
    assert len(data) > 200_000
    code, doc, stderr = audit(range_server, "-", stdin=data)
    assert code == 0, stderr
    assert len(doc["entries"]) == 4000 and doc["errors"] == [] and doc["skipped"] == []


@pytest.mark.parametrize("name", READERS)
def test_every_reader_reads_a_named_pipe(fixtures: Path, tmp_path: Path, name: str) -> None:
    fifo = tmp_path / "export"
    os.mkfifo(fifo)
    data = (fixtures / name).read_bytes()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data), daemon=True)
    writer.start()
    from_pipe = list(read_export(fifo, unlock=lambda _: _kdbx_key()))
    writer.join(10)
    from_file = list(read_export(fixtures / name, unlock=lambda _: _kdbx_key()))
    assert [_shape(i) for i in from_pipe] == [_shape(i) for i in from_file]
    assert any(isinstance(i, Credential) for i in from_pipe)


def _kdbx_key():  # type: ignore[no-untyped-def]
    from pwcheck.sources.kdbx import KdbxKey

    return KdbxKey(fd.KDBX_PASSWORD, None)


def _shape(item: object) -> tuple[object, ...]:
    if isinstance(item, Credential):
        return ("credential", item.line, item.url, item.username, item.sha1)
    return (type(item).__name__, getattr(item, "line", None), getattr(item, "reason", getattr(item, "message", None)))


@pytest.mark.parametrize("name", READERS)
def test_a_regular_file_is_opened_once(fixtures: Path, name: str) -> None:
    # An audit hook counts every open of the export in a fresh interpreter, reading it in full.
    script = f"""
import sys
from pathlib import Path
target = {str(fixtures / name)!r}
opens = []
sys.addaudithook(lambda event, args: opens.append(args[0]) if event == "open" and args and str(args[0]) == target else None)
from pwcheck.sources import read_export
from pwcheck.sources.kdbx import KdbxKey
items = list(read_export(Path(target), unlock=lambda _: KdbxKey({fd.KDBX_PASSWORD!r}, None)))
print(len(items), len(opens))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    items, opens = map(int, proc.stdout.split())
    assert items > 0 and opens == 1


def test_piped_input_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_input, "MAX_STREAM_BYTES", 1 << 20)
    read_end, write_end = os.pipe()

    def feed() -> None:
        try:
            with os.fdopen(write_end, "wb") as handle:
                handle.write(b"name,url,username,password\n" + b"a,https://a.example,u,p\n" * 100_000)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(InputError) as error:
            list(read_export(Path(f"/dev/fd/{read_end}"), display="piped"))
    finally:
        os.close(read_end)
    writer.join(10)
    assert error.value.source == "piped" and "1 MiB" in error.value.message


def test_named_pipe_without_a_writer_says_what_it_waits_for(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    stderr_path = tmp_path / "stderr"
    env = {k: v for k, v in os.environ.items() if k != "PWCHECK_API_URL"}
    with open(stderr_path, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pwcheck", "audit", str(fifo), "--format", "json", "--api-url", range_server.url],
            stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
        )
        deadline = time.monotonic() + 30
        while b"waiting" not in stderr_path.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.1)
        said = stderr_path.read_bytes().decode()
        assert str(fifo) in said and "named pipe" in said and "Ctrl-C" in said
        assert proc.poll() is None
        fifo.write_bytes((fixtures / "chrome.csv").read_bytes())  # a writer comes: the audit goes on
        stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr_path.read_text()
    assert chrome_entries(json.loads(stdout)) == EXPECTED


def test_delete_exports_never_touches_a_pipe_or_a_file_named_dash(range_server: RangeServer, fixtures: Path, tmp_path: Path) -> None:
    dash = tmp_path / "-"
    dash.write_bytes(b"not this one")
    env = {k: v for k, v in os.environ.items() if k != "PWCHECK_API_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "pwcheck", "audit", "-", "--delete-exports", "--api-url", range_server.url, "--format", "json"],
        input=f"name,url,username,password\nA,https://a.example.com,u,{fd.CLEAN}\n".encode(), capture_output=True,
        env=env, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert dash.read_bytes() == b"not this one"
