"""`pwcheck formats`: the export formats pwcheck reads."""

from __future__ import annotations

import click


@click.command()
def formats() -> None:
    """List the export formats pwcheck reads, with what each carries."""
    from pwcheck.sources import formats as all_formats

    for fmt in all_formats():
        totp = "; whether a TOTP secret is stored" if fmt.carries_totp or getattr(fmt, "totp", None) else ""
        click.echo(f"{fmt.name:18} {fmt.label}: {fmt.carries}{totp}")
        if fmt.export_hint:
            click.echo(f"{'':18} export: {fmt.export_hint}")
