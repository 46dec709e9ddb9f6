"""`pwcheck sources`: what pwcheck could audit on this machine, found without decrypting anything."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def sources(as_json: bool) -> None:
    """List the browser profiles found (with how many logins each holds), a keychain, a pass store and vault CLIs.

    Nothing is decrypted or unlocked: logins are counted, not read. Each line says which
    `pwcheck audit` option reads it.
    """
    from pwcheck.sources.inventory import inventory
    from pwcheck.system.display import shown

    found = inventory()
    if as_json:
        click.echo(json.dumps({
            "browsers": [
                {"browser": p.browser, "profile": p.label, "directory": str(p.directory), "logins": p.logins,
                 "problem": p.problem, "option": _option(p.browser, p.label)}
                for p in found.profiles
            ],
            "keychain": {"present": found.keychain.present, "detail": found.keychain.detail, "option": "--keychain"},
            "pass_store": {"present": found.pass_store.present, "detail": found.pass_store.detail,
                           "entries": found.pass_store.entries, "option": "--pass-store"},
            "vaults": [{"vault": source, "detail": shown(detail), "option": option} for source, detail, option in found.vaults],
        }, indent=2, ensure_ascii=False))
        return
    if not found.profiles:
        click.echo("browsers: no browser profile found")
    for p in found.profiles:
        count = f"{p.logins} login(s)" if p.logins is not None else f"not counted: {p.problem}"
        click.echo(shown(f"{p.browser}:{p.label}  {count}  {p.directory}  ({_option(p.browser, p.label)})"))
    keychain = found.keychain
    click.echo(shown(f"keychain: {keychain.detail}" + ("  (--keychain)" if keychain.present else "")))
    store = found.pass_store
    entries = f": {store.entries} entries" if store.entries is not None else ""
    click.echo(shown(f"pass store: {store.detail}{entries}" + ("  (--pass-store)" if store.present else "")))
    for source, detail, option in found.vaults:
        click.echo(shown(f"vault {source}: {detail}" + (f"  ({option})" if detail.startswith("found") else "")))


def _option(browser: str, label: str) -> str:
    return f'--browser "{browser}:{label}"' if " " in label else f"--browser {browser}:{label}"
