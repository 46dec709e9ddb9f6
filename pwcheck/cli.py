"""The `pwcheck` command line: thin click commands that wire sources, checkers and reports.

Heavy modules (httpx, rich, tldextract) are imported inside the commands so that
`pwcheck --help` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pwcheck import __version__
from pwcheck.analyse.findings import EXIT_CLEAN, EXIT_FOUND, EXIT_INPUT_ERROR, EXIT_NOT_CHECKED
from pwcheck.report import format_names as report_formats
from pwcheck.sources import format_names as input_formats

DEFAULT_API_URL = "https://api.pwnedpasswords.com"

api_url_option = click.option(
    "--api-url",
    envvar="PWCHECK_API_URL",
    default=DEFAULT_API_URL,
    show_default=True,
    help="Base URL of the range API (env PWCHECK_API_URL), e.g. your own `pwcheck serve`.",
)
concurrency_option = click.option(
    "--concurrency", type=click.IntRange(1, 256), default=32, show_default=True, help="Range requests in flight at once."
)
timeout_option = click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True, help="Seconds to wait for a response."
)
http2_option = click.option("--http2", is_flag=True, help="Use httpx's HTTP/2 transport instead of HTTP/1.1 keep-alive.")


def _checker(api_url: str, concurrency: int, timeout: float, http2: bool):  # type: ignore[no-untyped-def]
    from pwcheck.check.range_client import ClientSettings, RangeClient

    return RangeClient(ClientSettings(api_url=api_url, concurrency=concurrency, read_timeout=timeout, http2=http2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pwcheck")
def main() -> None:
    """Check stored passwords against Have I Been Pwned, grouped by the organisation behind each site.

    Only the first 5 hex characters of each password's SHA-1 leave this machine.

    \b
    Exit codes: 0 nothing found, 1 pwned credential found, 2 usage or input error,
    3 some passwords could not be checked (never reported as clean).
    """
    from pwcheck.hardening import disable_core_dumps

    disable_core_dumps()


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--demo", is_flag=True, help="Audit a bundled sample export against a bundled corpus, offline.")
@click.option("--input-format", type=click.Choice(input_formats()), help="Skip detection: read every FILE as this format.")
@click.option("--format", "report_format", type=click.Choice(report_formats()), default="terminal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here (0600).")
@click.option("--all", "show_all", is_flag=True, help="Also show contacts with no pwned password.")
@click.option("--no-progress", is_flag=True, help="No progress bar (it is drawn only on a terminal anyway).")
@click.option(
    "--kdbx-keyfile", type=click.Path(path_type=Path, dir_okay=False),
    help="Key file for .kdbx inputs. Their password is asked at a hidden prompt, or read from PWCHECK_KDBX_PASSWORD.",
)
@api_url_option
@concurrency_option
@timeout_option
@http2_option
def audit(
    files: tuple[Path, ...],
    demo: bool,
    input_format: str | None,
    report_format: str,
    output: Path | None,
    show_all: bool,
    no_progress: bool,
    kdbx_keyfile: Path | None,
    api_url: str,
    concurrency: int,
    timeout: float,
    http2: bool,
) -> None:
    """Audit password exports: which credentials are pwned, grouped by contact.

    FILE is a browser or password-manager export (detected by content).
    """
    from pwcheck.commands import AuditOptions, run_audit_command

    options = AuditOptions(
        files=list(files), demo=demo, input_format=input_format, report_format=report_format, output=output,
        show_all=show_all, progress=not no_progress, checker_factory=lambda url: _checker(url, concurrency, timeout, http2),
        api_url=api_url, kdbx_keyfile=kdbx_keyfile,
    )
    sys.exit(run_audit_command(options))


@main.command()
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from stdin (one trailing newline is dropped).")
@api_url_option
@timeout_option
def password(from_stdin: bool, api_url: str, timeout: float) -> None:
    """Check one password, typed at a hidden prompt or piped with --stdin (never as an argument).

    Exit 0 not found, 1 pwned, 2 no password given, 3 could not check.
    """
    from pwcheck.commands import run_password_command

    sys.exit(run_password_command(from_stdin, _checker(api_url, 1, timeout, False)))


@main.command()
def formats() -> None:
    """List the export formats pwcheck reads, with what each carries."""
    from pwcheck.sources import FORMATS

    for fmt in FORMATS:
        click.echo(f"{fmt.name:18} {fmt.label}: {fmt.carries}")
        if fmt.export_hint:
            click.echo(f"{'':18} export: {fmt.export_hint}")


__all__ = ["main", "EXIT_CLEAN", "EXIT_FOUND", "EXIT_INPUT_ERROR", "EXIT_NOT_CHECKED"]
