"""`pwcheck formats`: the export formats pwcheck reads, grouped by the manager that writes them.

The facts shown of each reader (whether it gives change times, and of which kind; whether it
tells that an item stores a TOTP secret) are the format objects' own declarations
(`SourceFormat.change_kinds()`, `detects_totp()`), which the tests hold to what the readers
give: no text here is written by hand about a reader, so the list cannot disagree with it.
Reader modules are imported when the command runs, never for `--help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pwcheck.sources.interface import SourceFormat

# What each declared tuple of change kinds means to the person reading the list.
CHANGE_WORDS = {
    (): "no",
    ("password",): "yes: password change",
    ("edit",): "yes: any edit",
    ("password", "edit"): "yes: password change (history), else any edit",
}
TOTP_WORDS = {True: "whether one is stored is detected", False: "no"}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document for scripts, in the same order.")
def formats(as_json: bool) -> None:
    """List the export formats pwcheck reads, grouped by manager, with what each carries."""
    ordered = _grouped()
    if as_json:
        import json

        click.echo(json.dumps({"formats": [_row(fmt) for fmt in ordered]}, ensure_ascii=False, indent=2))
        return
    manager = None
    for fmt in ordered:
        if fmt.manager != manager:
            manager = fmt.manager
            click.echo(manager)
        click.echo(f"  {fmt.name:22} {fmt.label}")
        for key, value in (("export", fmt.export_hint), ("carries", fmt.carries),
                           ("change times", CHANGE_WORDS[fmt.change_kinds()]),
                           ("TOTP secret", TOTP_WORDS[fmt.detects_totp()])):
            click.echo(f"      {key}: {value}")


def _grouped() -> list[SourceFormat]:
    """Every format, grouped by manager (sorted without case), detection order within a group."""
    from pwcheck.sources import formats as all_formats

    return sorted(all_formats(), key=lambda fmt: fmt.manager.casefold())


def _row(fmt: SourceFormat) -> dict[str, Any]:
    return {
        "name": fmt.name, "manager": fmt.manager, "label": fmt.label, "export": fmt.export_hint, "carries": fmt.carries,
        "change_times": list(fmt.change_kinds()), "totp_secret": fmt.detects_totp(),
    }
