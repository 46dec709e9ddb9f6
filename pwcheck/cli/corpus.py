"""`pwcheck corpus import|download|export-static|verify|info`: keep a local copy of Pwned Passwords.

The work happens in `pwcheck/corpus/` (build, import, download) and `pwcheck/check/store.py`
(reading and verifying a store).
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from pwcheck.cli import options
from pwcheck.model.errors import UsageError
from pwcheck.model.exit_codes import EXIT_CLEAN, EXIT_INPUT_ERROR, EXIT_INTERRUPTED, EXIT_NOT_CHECKED
from pwcheck.system.display import shown


def _prefix_range(text: str | None) -> tuple[int, int]:
    from pwcheck.check.store_format import BUCKETS, parse_prefix_range

    if text is None:
        return 0, BUCKETS - 1
    try:
        return parse_prefix_range(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--prefixes") from None


class _Interrupted(UsageError):
    exit_code = EXIT_INTERRUPTED


def _fail(message: str, code: int = EXIT_INPUT_ERROR) -> NoReturn:
    raise (_Interrupted if code == EXIT_INTERRUPTED else UsageError)(message)


@click.group()
def corpus() -> None:
    """Keep a local copy of Pwned Passwords: import, download (mirror), export-static, verify, info."""


@corpus.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@options.store
@options.ntlm
@options.no_progress
@options.prefixes
def corpus_import(source: Path, store_dir: Path, ntlm: bool, no_progress: bool, prefixes: str | None) -> None:
    """Build the store from the official downloader's output.

    SOURCE is its single file (HASH:COUNT lines, sorted) or its folder of {PREFIX}.txt
    files. SHA-1 or NTLM is read from the first line.
    """
    from pwcheck.corpus.importer import detect_kind, import_corpus, source_size
    from pwcheck.system.console import progress_bar

    try:
        kind = detect_kind(source)
        if ntlm and kind.name != "ntlm":
            _fail(f"{source}: holds {kind.name} hashes, not NTLM")
        label = "ranges" if source.is_dir() else "bytes"
        with progress_bar(source_size(source), f"importing ({label})", not no_progress) as advance:
            result = import_corpus(source, store_dir, kind, advance, _prefix_range(prefixes))
    except KeyboardInterrupt:
        _fail("interrupted: no store was written (the previous one, if any, is unchanged)", 130)
    rate = result.lines / result.seconds if result.seconds else 0.0
    click.echo(f"imported {result.hashes:,} {result.kind.name} hashes into {result.path} "
               f"in {result.seconds:.1f} s ({rate:,.0f} lines/s)")


@corpus.command("download")
@options.store
@options.ntlm
@options.api_url
@options.concurrency
@options.timeout
@options.http2
@options.no_progress
@options.prefixes
def corpus_download(
    store_dir: Path, ntlm: bool, api_url: str, concurrency: int, timeout: float, http2: bool, no_progress: bool,
    prefixes: str | None,
) -> None:
    """Mirror every range of the API into the store: resumable, and incremental with ETags.

    An interrupted run keeps what it fetched in a journal beside the store; the next run
    fetches only the rest. A later run over a finished store asks each range with its
    ETag and reports how many changed.
    """
    from pwcheck.check.store_format import kind_for
    from pwcheck.corpus.download import download_corpus
    from pwcheck.net.http import ClientSettings
    from pwcheck.net.urls import cleartext_warning
    from pwcheck.system.console import warning

    cleartext = cleartext_warning(api_url, "the corpus (whose counts later audits trust)")
    if cleartext is not None:
        warning(cleartext)
    settings = ClientSettings(api_url=api_url, concurrency=concurrency, read_timeout=timeout, http2=http2, ntlm=ntlm)
    try:
        result = download_corpus(store_dir, kind_for(ntlm), settings, _prefix_range(prefixes), not no_progress)
    except KeyboardInterrupt:
        _fail("interrupted: fetched ranges are kept; run the same command again to resume", 130)
    click.echo(result.summary())
    click.get_current_context().exit(EXIT_NOT_CHECKED if result.failed else EXIT_CLEAN)


@corpus.command("export-static")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@options.store
@click.option("--world-readable", is_flag=True,
              help="Files 0644 and folders 0755 (for a web server running as another user); default 0600/0700.")
@click.option("--listen", default="127.0.0.1:8080", show_default=True,
              help="The `listen` of the generated nginx server block.")
@click.option("--gzip/--no-gzip", default=True, show_default=True,
              help="Compress answers in the generated nginx block (off: faster on a LAN, twice the bytes).")
@options.no_progress
@options.prefixes
def corpus_export_static(
    directory: Path, store_dir: Path, world_readable: bool, listen: str, gzip: bool, no_progress: bool,
    prefixes: str | None,
) -> None:
    """Write the store as the range API's static files in DIRECTORY, for nginx or a CDN.

    DIRECTORY/range/<PREFIX> (and range/ntlm/<PREFIX> when the NTLM store is there) hold
    the API's exact bodies, padded once; DIRECTORY/pwcheck-static.nginx.conf serves them.
    Unchanged ranges are not rewritten, so their ETags survive a nightly export.
    """
    from pwcheck.corpus.static import export_static, exported_ranges
    from pwcheck.system.console import progress_bar

    span = _prefix_range(prefixes)
    try:
        with progress_bar(exported_ranges(store_dir, span), "exporting ranges", not no_progress, rate_unit="ranges") as advance:
            result = export_static(store_dir, directory, span, world_readable, advance, listen, gzip)
    except KeyboardInterrupt:
        _fail("interrupted: every range file is whole, old or new; run the same command again to finish", 130)
    except OSError as exc:
        _fail(f"{directory}: cannot write the export ({exc.strerror or type(exc).__name__})")
    click.echo(shown(result.summary(directory)))


@corpus.command("verify")
@options.store
@options.no_progress
def corpus_verify(store_dir: Path, no_progress: bool) -> None:
    """Check every store in DIR: header, index, and the checksum and order of every bucket."""
    from pwcheck.check.store import Store, verify
    from pwcheck.check.store_format import BUCKETS, KINDS, StoreError
    from pwcheck.system.console import progress_bar

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
            click.echo(shown(f"{store_dir / kind.file_name}: {problem}"), err=True)
        bad = bad or bool(problems)
        click.echo(f"{kind.name}: {'CORRUPT' if problems else 'ok'}")
    click.get_current_context().exit(EXIT_INPUT_ERROR if bad else EXIT_CLEAN)


@corpus.command("info")
@options.store
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
                click.echo(shown(f"{kind.name}: {h.hash_count:,} hashes, {h.file_size:,} bytes, format {h.version}, "
                                 f"{coverage}, source {h.source}, built {h.created}"))
        except StoreError as exc:
            click.echo(shown(f"{kind.name}: unusable: {exc}"))
    if not found:
        _fail(f"{store_dir}: no store here")


