"""Commands for offline and team use: `corpus import|download|verify|info`, `serve`, `hashes`.

Thin click wrappers, registered on the main group by cli.py; the work happens in
`pwcheck/check/` (store, import, download, serve) and `pwcheck/check/hash_list.py`.
Every heavy import is inside a command so `pwcheck --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pwcheck.analyse.findings import EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.check._interface import DEFAULT_CONCURRENCY

store_option = click.option(
    "--store", "store_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the local store (sha1.pwstore, ntlm.pwstore).",
)
ntlm_option = click.option("--ntlm", is_flag=True, help="The NTLM corpus instead of SHA-1.")
no_progress_option = click.option("--no-progress", is_flag=True, help="No progress bar.")
# Hidden: limit the prefix space (tests and benchmarks mirror a small part for real).
prefixes_option = click.option("--prefixes", default=None, hidden=True, envvar="PWCHECK_PREFIXES")


def _prefix_range(text: str | None) -> tuple[int, int]:
    from pwcheck.check.store_format import BUCKETS, parse_prefix_range

    if text is None:
        return 0, BUCKETS - 1
    try:
        return parse_prefix_range(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--prefixes") from None


def _fail(message: str, code: int = EXIT_INPUT_ERROR) -> None:
    from pwcheck.ui import error_line

    error_line(message)
    sys.exit(code)


@click.group()
def corpus() -> None:
    """Keep a local copy of Pwned Passwords: import, download (mirror), verify, info."""


@corpus.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@store_option
@ntlm_option
@no_progress_option
@prefixes_option
def corpus_import(source: Path, store_dir: Path, ntlm: bool, no_progress: bool, prefixes: str | None) -> None:
    """Build the store from the official downloader's output.

    SOURCE is its single file (HASH:COUNT lines, sorted) or its folder of {PREFIX}.txt
    files. SHA-1 or NTLM is read from the first line.
    """
    from pwcheck.check.corpus_import import detect_kind, import_corpus, source_size
    from pwcheck.check.store_format import StoreError
    from pwcheck.ui import progress_bar

    try:
        kind = detect_kind(source)
        if ntlm and kind.name != "ntlm":
            _fail(f"{source}: holds {kind.name} hashes, not NTLM")
        label = "ranges" if source.is_dir() else "bytes"
        with progress_bar(source_size(source), f"importing ({label})", not no_progress) as advance:
            result = import_corpus(source, store_dir, kind, advance, _prefix_range(prefixes))
    except StoreError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted: no store was written (the previous one, if any, is unchanged)", 130)
    rate = result.lines / result.seconds if result.seconds else 0.0
    click.echo(f"imported {result.hashes:,} {result.kind.name} hashes into {result.path} "
               f"in {result.seconds:.1f} s ({rate:,.0f} lines/s)")


@corpus.command("download")
@store_option
@ntlm_option
@click.option("--api-url", envvar="PWCHECK_API_URL", default="https://api.pwnedpasswords.com", show_default=True,
              help="Base URL of the range API to mirror (env PWCHECK_API_URL).")
@click.option("--concurrency", type=click.IntRange(1, 512), default=DEFAULT_CONCURRENCY, show_default=True, help="Ranges in flight.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True, help="Seconds per response.")
@click.option("--http2", is_flag=True, help="Use httpx's HTTP/2 transport.")
@no_progress_option
@prefixes_option
def corpus_download(
    store_dir: Path, ntlm: bool, api_url: str, concurrency: int, timeout: float, http2: bool, no_progress: bool,
    prefixes: str | None,
) -> None:
    """Mirror every range of the API into the store: resumable, and incremental with ETags.

    An interrupted run keeps what it fetched in a journal beside the store; the next run
    fetches only the rest. A later run over a finished store asks each range with its
    ETag and reports how many changed.
    """
    from pwcheck.check.corpus_download import download_corpus
    from pwcheck.check.range_client import ClientSettings
    from pwcheck.check.store_format import StoreError, kind_for

    settings = ClientSettings(api_url=api_url, concurrency=concurrency, read_timeout=timeout, http2=http2, ntlm=ntlm)
    try:
        result = download_corpus(store_dir, kind_for(ntlm), settings, _prefix_range(prefixes), not no_progress)
    except StoreError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted: fetched ranges are kept; run the same command again to resume", 130)
    click.echo(result.summary())
    if result.failed:
        sys.exit(EXIT_NOT_CHECKED)


@corpus.command("verify")
@store_option
@no_progress_option
def corpus_verify(store_dir: Path, no_progress: bool) -> None:
    """Check every store in DIR: header, index, and the checksum and order of every bucket."""
    from pwcheck.check.store import Store, verify
    from pwcheck.check.store_format import BUCKETS, KINDS, StoreError
    from pwcheck.ui import progress_bar

    present = [kind for kind in KINDS.values() if (store_dir / kind.file_name).exists()]
    if not present:
        _fail(f"{store_dir}: no store here")
    bad = False
    for kind in present:
        try:
            with Store.open(store_dir, kind) as store, progress_bar(BUCKETS, f"verifying {kind.name}", not no_progress) as advance:
                problems = verify(store, advance)
        except StoreError as exc:
            problems = [str(exc)]
        for problem in problems:
            click.echo(f"{store_dir / kind.file_name}: {problem}", err=True)
        bad = bad or bool(problems)
        click.echo(f"{kind.name}: {'CORRUPT' if problems else 'ok'}")
    sys.exit(EXIT_INPUT_ERROR if bad else 0)


@corpus.command("info")
@store_option
def corpus_info(store_dir: Path) -> None:
    """What each store in DIR holds: kind, hash count, source, build date, size."""
    from pwcheck.check.store import Store
    from pwcheck.check.store_format import KINDS, StoreError

    found = False
    for kind in KINDS.values():
        if not (store_dir / kind.file_name).exists():
            continue
        found = True
        try:
            with Store.open(store_dir, kind) as store:
                h = store.header
                coverage = f"{h.first_prefix:05X}-{h.last_prefix:05X} (partial)" if h.partial else "all prefixes"
                click.echo(f"{kind.name}: {h.hash_count:,} hashes, {h.file_size:,} bytes, format {h.version}, "
                           f"{coverage}, source {h.source}, built {h.created}")
        except StoreError as exc:
            click.echo(f"{kind.name}: unusable: {exc}")
    if not found:
        _fail(f"{store_dir}: no store here")


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="uvicorn worker processes.")
def serve(store_dir: Path, host: str, port: int, workers: int) -> None:
    """Serve the store as the range API (GET /range/{prefix}, ?mode=ntlm) for a team.

    Point pwcheck (and any HIBP client) at it with --api-url http://HOST:PORT.
    Needs the `serve` extra: pip install 'pwcheck[serve]'.
    """
    from pwcheck.check.store_format import StoreError

    try:
        from pwcheck.check.serve import run_server
    except ImportError:
        _fail("`pwcheck serve` needs uvicorn: pip install 'pwcheck[serve]'")
    try:
        run_server(store_dir, host, port, workers)
    except StoreError as exc:
        _fail(str(exc))


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@ntlm_option
@click.option("--offline", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Check against the local store in DIR instead of the API.")
@click.option("--api-url", envvar="PWCHECK_API_URL", default="https://api.pwnedpasswords.com", show_default=True)
@click.option("--format", "report_format", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@no_progress_option
def hashes(file: Path, ntlm: bool, offline: Path | None, api_url: str, report_format: str, no_progress: bool) -> None:
    """Check a list of SHA-1 (or --ntlm NTLM) hashes: one per line, or pwdump `user:rid:lm:nt:::`.

    Reports the users whose hash is pwned and the hashes shared by several users; a hash
    is never printed, only the user or line that holds it.
    """
    from pwcheck.check.hash_list import run_hashes_command
    from pwcheck.commands import CheckerChoice

    choice = CheckerChoice(offline, ntlm=ntlm)
    sys.exit(run_hashes_command(file, choice, api_url, report_format, not no_progress))


def register(main: click.Group) -> None:
    """Add these commands to the main group."""
    main.add_command(corpus)
    main.add_command(serve)
    main.add_command(hashes)
