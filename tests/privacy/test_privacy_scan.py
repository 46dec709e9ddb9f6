"""Every command, every report format, every error path: no secret in anything pwcheck leaves.

One row per invocation in `INVOCATIONS`; see `harness.py` for how to add a command, a
report format or an input format. Each row runs the real CLI in a sandboxed HOME against
the real range server on 127.0.0.1 and scans stdout, stderr (with debug logging on) and
every file written under the sandbox for every password in every form (`secrets.py`).
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from pwcheck import USER_AGENT
from pwcheck.corpus.memory import MemoryCorpus
from pwcheck.report import format_names as report_formats
from tests.support import fixture_data as fd
from tests.support.privacy.harness import EXPORTS, Run, Sandbox, scanner_for
from tests.support.privacy.hostile import HOSTILE_PASSWORDS, write_hostile_inputs
from tests.support.privacy.secrets import Scanner
from tests.support.rangeserver import RangeServer
from tests.support.vault_standin import BW_LIST, SESSION, Answer, bw_ok, install, op_ok, rbw_ok, vault_passwords


@dataclass(frozen=True)
class Invocation:
    """One way of running pwcheck. Placeholders in `args`: {exports} (every fixture export),
    {hostile} (the broken files of hostile.py), {home}, {format} (rows with per_format=True
    run once per report format). `server`: ok | 503 | down. `codes`: the exit codes expected."""

    id: str
    args: tuple[str, ...]
    codes: tuple[int, ...]
    stdin: bytes | None = None
    server: str = "ok"
    per_format: bool = False
    verbose: bool = True  # the row passes -v/-vv: its stderr must then hold debug lines
    vaults: str = ""  # "ok": stand-in bw, op and rbw on PATH, unlocked; "locked": bw locked, echoing secrets on stderr
    strong_only: bool = False  # {exports} less the real fixtures whose test passwords are weak (`Export.weak`)

    @property
    def command(self) -> str:
        return next((a for a in self.args if not a.startswith("-")), "")


INVOCATIONS: tuple[Invocation, ...] = (
    Invocation("audit-stdout", ("audit", "{exports}", "--format", "{format}", "--all", "-vv"), (1,), per_format=True),
    Invocation("audit-to-file", ("audit", "{exports}", "--format", "{format}", "-o", "{home}/report.out", "-v"), (1,), per_format=True),
    Invocation("audit-hostile", ("audit", "{hostile}", "{exports}", "--format", "{format}", "-vv"), (2,), per_format=True),
    Invocation("audit-demo", ("audit", "--demo", "--format", "{format}", "-vv"), (0,), per_format=True),
    Invocation("audit-quiet", ("audit", "{exports}", "-q"), (1,), verbose=False),
    Invocation("audit-not-checked", ("audit", "{exports}", "--format", "json", "-vv", "--timeout", "0.5"), (3,), server="503"),
    Invocation("audit-server-down", ("audit", "{exports}", "-vv", "--timeout", "0.5"), (3,), server="down"),
    Invocation("audit-forced-format", ("audit", "--input-format", "bitwarden-json", "{exports}", "-vv"), (2,)),
    Invocation("audit-delete-exports", ("audit", "{exports}", "--delete-exports", "-v"), (1,)),
    Invocation("audit-bad-option", ("audit", "--format", "nope", "{exports}"), (2,), verbose=False),
    # Strength scores and unsecured sites alone (no lookup), with --fail-on: scores are shown, never the text
    # (every fixture password scores 3 or more, real fixtures marked weak left out, and no fixture URL is plain
    # http to a public host: exit 0).
    Invocation("audit-weak-unsecured", ("audit", "{exports}", "--checks", "weak,unsecured", "--fail-on", "weak,unsecured",
                                        "--format", "{format}", "--all", "-vv"), (0,), per_format=True, strong_only=True),
    Invocation("audit-no-files", ("audit", "-v"), (2,), verbose=False),
    # Vault CLIs (stand-ins printing their recorded JSON, tests/support/vault_standin.py), with BW_SESSION set.
    Invocation("audit-vaults", ("audit", "--bitwarden", "--1password", "--rbw", "--format", "{format}", "--all", "-vv"), (0,),
               per_format=True, vaults="ok"),
    Invocation("audit-vault-locked", ("audit", "--bitwarden", "--1password", "--rbw", "-vv"), (2,), vaults="locked"),
    Invocation("password-pwned", ("password", "--stdin", "-vv"), (1,), stdin=fd.ALPHA.encode() + b"\n"),
    Invocation("password-clean", ("password", "--stdin", "-vv"), (0,), stdin=fd.CLEAN.encode()),
    Invocation("password-unicode", ("password", "--stdin", "-vv"), (1,), stdin=fd.EMOJI.encode()),
    Invocation("password-not-checked", ("password", "--stdin", "-vv", "--timeout", "0.5"), (3,), stdin=fd.QUOTE.encode(), server="503"),
    Invocation("password-server-down", ("password", "--stdin", "-vv", "--timeout", "0.5"), (3,), stdin=fd.UMLAUT.encode(), server="down"),
    Invocation("password-two-lines", ("password", "--stdin"), (2,), stdin=fd.NEWLINE.encode(), verbose=False),
    Invocation("password-lines", ("password", "--stdin", "--lines", "-vv"), (1,),
               stdin="\n".join([fd.ALPHA, fd.CLEAN, fd.EMOJI, fd.SPACED]).encode() + b"\n"),
    Invocation("password-no-terminal", ("password", "-v"), (2,), stdin=fd.SPACED.encode(), verbose=False),
    # A password typed as an argument: the usage error repeats nothing of the command line.
    Invocation("password-as-argument", ("password", fd.UMLAUT, "--stdin"), (2,), stdin=b"", verbose=False),
    Invocation("audit-new-cache", ("audit", "{exports}", "--new", "--cache", "--format", "json", "-vv"), (1,)),
    Invocation("config-show", ("config", "show"), (0,), verbose=False),
    Invocation(
        "ignore-add",
        ("ignore", "add", "--url", "https://forum.example.org/login", "--username", "alice", "--reason", "test account"),
        (0,), verbose=False,
    ),
    Invocation("schedule-print", ("schedule", "install", "--print", "--backend", "systemd", "{exports}"), (0,), verbose=False),
    Invocation("hashes", ("hashes", "{hashlist}", "--format", "json", "-vv"), (1,)),
    Invocation("corpus-import", ("corpus", "import", "{corpus}", "--store", "{inputs}/store"), (0,), verbose=False),
    Invocation("serve-no-store", ("serve", "--store", "{inputs}/no-store"), (2,), verbose=False),
    Invocation("formats", ("formats", "-v"), (0,), verbose=False),
    # Browser profiles found and counted, nothing decrypted (tests/privacy/test_browser_privacy.py audits one).
    Invocation("sources", ("sources", "--json", "-v"), (0,), verbose=False),
    Invocation("formats-json", ("formats", "--json"), (0,), verbose=False),
    Invocation("help", ("--help",), (0,), verbose=False),
    Invocation("version", ("--version",), (0,), verbose=False),
)

ALLOWED_HEADERS = {"host", "user-agent", "add-padding", "accept", "accept-encoding", "connection"}


def expand(rows: tuple[Invocation, ...]) -> list[tuple[Invocation, str | None]]:
    out: list[tuple[Invocation, str | None]] = []
    for row in rows:
        out += [(row, fmt) for fmt in report_formats()] if row.per_format else [(row, None)]
    return out


CASES = expand(INVOCATIONS)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return scanner_for(EXPORTS, HOSTILE_PASSWORDS | _demo_passwords() | vault_passwords() | {SESSION})


def _demo_passwords() -> set[str]:
    from pwcheck.demo import demo_files
    from tests.support.privacy.harness import captured_passwords

    return set().union(*(captured_passwords(path) for path in demo_files()))


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def _hash_list(box: Sandbox) -> Path:
    """A hash list holding the SHA-1 of every fixture password (inputs are not scanned)."""
    path = box.inputs / "hashes.txt"
    path.write_text("".join(f"{fd.sha1_hex(p)}\n" for p in fd.ALL_PASSWORDS))
    return path


def _corpus_file(box: Sandbox) -> Path:
    """The test corpus in the downloader's single-file layout, sorted."""
    path = box.inputs / "pwnedpasswords.txt"
    path.write_text("\r\n".join(sorted(fd.corpus_lines())) + "\r\n")
    return path


def run_row(row: Invocation, fmt: str | None, box: Sandbox, server: RangeServer) -> Run:
    exports = [str(p) for p in box.copy_inputs(tuple(e for e in EXPORTS if not (row.strong_only and e.weak)))]
    hostile = [str(p) for p in write_hostile_inputs(box.inputs)]
    args: list[str] = []
    for arg in row.args:
        if arg == "{exports}":
            args += exports
        elif arg == "{hostile}":
            args += hostile
        else:
            args.append(arg.format(home=box.home, format=fmt, inputs=box.inputs, hashlist=_hash_list(box), corpus=_corpus_file(box)))
    if row.server == "503":
        server.always["*"] = "503"
    url = _closed_port_url() if row.server == "down" else server.url
    return box.run(args, stdin=row.stdin, env={"PWCHECK_API_URL": url, **_vault_env(row, box)})


def _vault_env(row: Invocation, box: Sandbox) -> dict[str, str]:
    """Stand-in vault CLIs first on PATH (kept with the inputs, outside the scanned tree), and the session."""
    if not row.vaults:
        return {}
    bin_dir = box.inputs / "bin"
    if row.vaults == "locked":
        install(bin_dir, "bw", {BW_LIST: Answer(stderr=f"Vault is locked. {SESSION} {sorted(vault_passwords())}", code=1)})
    else:
        bw_ok(bin_dir)
    op_ok(bin_dir)
    rbw_ok(bin_dir)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "BW_SESSION": SESSION}


@pytest.mark.parametrize("row,fmt", CASES, ids=[f"{r.id}-{f}" if f else r.id for r, f in CASES])
def test_no_secret_in_anything_a_run_leaves(row: Invocation, fmt: str | None, tmp_path: Path, scanner: Scanner) -> None:
    corpus = MemoryCorpus.from_lines(fd.corpus_lines())
    server = RangeServer(corpus, stall_seconds=2.0).start()
    try:
        box = Sandbox(tmp_path)
        run = run_row(row, fmt, box, server)
    finally:
        server.stop()
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode in row.codes, f"exit {run.returncode}: {stderr[-2000:]}"
    assert "Traceback" not in stderr
    if row.verbose:
        assert "pwcheck debug" in stderr, "a -v row must actually produce debug output to be scanned"
    hits = [hit for where, blob in run.blobs() for hit in scanner.hits(blob, where)]
    assert hits == []
    for path, mode in run.modes.items():
        assert mode == 0o600, f"{path} written with mode {oct(mode)}"
    for directory in {p.parent for p in run.written}:
        if directory not in box.scanned_roots and all(directory != r for r in box.xdg.values()):
            assert directory.stat().st_mode & 0o077 == 0, f"{directory} is open to others"
    for request in server.requests:
        assert request.method == "GET"
        assert re.fullmatch(r"/range/[0-9A-F]{5}", request.path_qs), request.path_qs
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert set(headers) <= ALLOWED_HEADERS, set(headers) - ALLOWED_HEADERS
        assert headers["user-agent"] == USER_AGENT and headers["add-padding"] == "true"
    if row.id.startswith("audit-to-file"):
        assert box.home / "report.out" in run.written


def test_every_command_has_a_row() -> None:
    """A command added to the CLI without a row here fails: add one to INVOCATIONS."""
    from pwcheck.cli.main import main

    with click.Context(main) as ctx:
        commands = {name for name in main.list_commands(ctx) if not main.get_command(ctx, name).hidden}  # type: ignore[union-attr]
    covered = {row.command for row in INVOCATIONS}
    assert commands <= covered, f"commands without a privacy row: {sorted(commands - covered)}"


def test_every_input_format_has_a_fixture() -> None:
    """A format added to FORMATS without an Export line in harness.EXPORTS fails."""
    from pwcheck.sources import FORMATS, detect
    from pwcheck.sources._input import InputFile

    assert {fmt.name for fmt in FORMATS} <= {export.format for export in EXPORTS}
    for export in EXPORTS:
        assert detect(InputFile(export.path)).name == export.format, export.path


def test_every_fixture_yields_secrets_to_look_for() -> None:
    from tests.support.privacy.harness import captured_passwords

    for export in EXPORTS:
        assert captured_passwords(export.path) or export.hashes, f"{export.path}: no secret captured"


def test_the_scanner_finds_every_form_it_claims() -> None:
    """The harness itself can fail: each kind of leak planted in a blob is found."""
    from tests.support.privacy.secrets import needles_for

    scanner = Scanner({fd.QUOTE})
    for needle in needles_for(fd.QUOTE):
        blob = b"prefix " + needle.data.upper() if needle.ignore_case else b"prefix " + needle.data
        assert scanner.hits(blob + b" suffix", "planted"), needle.label
    assert scanner.hits('"pw\\"quote\\"Charlie-3"'.encode(), "json-escaped")
    assert scanner.hits("pw\"quote\"Charlie-3".encode("utf-16-le"), "utf-16")
    assert not scanner.hits(b"nothing secret here: example.org 1,234", "clean")
