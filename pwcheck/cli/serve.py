"""`pwcheck serve`: the local store as the range API, for a team."""

from __future__ import annotations

from pathlib import Path

import click

from pwcheck import install_hint
from pwcheck.cli import options
from pwcheck.model.errors import UsageError


@click.command()
@options.store
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="uvicorn worker processes.")
@click.option(
    "--header-timeout", type=click.FloatRange(0.1, 300), default=10.0, show_default=True,
    help="Seconds a client has to send a request's line and headers; then the connection is closed.",
)
def serve(store_dir: Path, host: str, port: int, workers: int, header_timeout: float) -> None:
    """Serve the store as the range API (GET /range/{prefix}, ?mode=ntlm) for a team.

    Point pwcheck (and any HIBP client) at it with --api-url http://HOST:PORT.
    Needs the `serve` extra: pip install 'pwcheck-hibp[serve]' (in a clone: pip install '.[serve]').
    Slow or idle connections are closed; beyond localhost, serve it behind a reverse proxy (see the README).
    """
    import importlib.util

    # run_server imports uvicorn only when it starts: ask first, so a missing extra is one line, not a traceback.
    if importlib.util.find_spec("uvicorn") is None:
        raise UsageError(f"`pwcheck serve` needs uvicorn: {install_hint('serve')}")
    from pwcheck.corpus.serve import run_server

    run_server(store_dir, host, port, workers, header_timeout)
