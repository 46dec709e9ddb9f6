"""The distribution is `pwcheck-hibp` (the name `pwcheck` on PyPI is an unrelated project), the
command and import package `pwcheck`: every install hint, in the code, its messages and help, the
README and the docs, names that distribution or a path to a clone, never bare `pwcheck`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pwcheck import DISTRIBUTION, install_hint
from tests.support.cli import invoke

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
# `pip install ...` / `pipx install ...`: what follows on that line, up to a comment, a backquote or a shell operator.
INSTALL = re.compile(r"\bpipx? install\b([^\n`#;&|()]*)")
SPEC = re.compile(r"'[^']*'|\"[^\"]*\"|\S+")


def install_specs(text: str) -> list[str]:
    """Every package spec given to `pip install` / `pipx install` in `text` (options left out)."""
    specs = []
    for match in INSTALL.finditer(text):
        for token in SPEC.findall(match.group(1)):
            token = token.strip("'\"")
            if token and not token.startswith("-"):
                specs.append(token)
    return specs


def offending(specs: list[str]) -> list[str]:
    """Specs that install pwcheck by another name than the distribution (a path to a clone is fine)."""
    wrong = []
    for spec in specs:
        name = re.split(r"[\[<>=!~ ]", spec, maxsplit=1)[0]
        normalized = re.sub(r"[-_.]+", "-", name).lower()
        is_path = name in (".", "./src", "..") or name.startswith(("./", "/", "~"))
        ours = name in (DISTRIBUTION, "{DISTRIBUTION}") or is_path
        if normalized == "pwcheck" or ("[" in spec and not ours):
            wrong.append(spec)
    return wrong


def hint_files() -> list[Path]:
    files = [REPO / name for name in ("README.md", "SECURITY.md", "ARCHITECTURE.md", "benchmarks/README.md", ".ci/run")]
    for folder in ("pwcheck", "benchmarks", "fuzz", "tests"):
        files += sorted((REPO / folder).rglob("*.py"))
    return [path for path in files if path.is_file() and path.resolve() != Path(__file__).resolve()]


def test_the_distribution_is_not_the_pypi_stranger_and_keeps_the_command() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == DISTRIBUTION == "pwcheck-hibp"
    assert project["scripts"] == {"pwcheck": "pwcheck.cli.main:run"}
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["pwcheck*"]


def test_supported_python_versions_agree_in_readme_and_classifiers() -> None:
    project = PYPROJECT["project"]
    versions = sorted(c.rsplit(" :: ", 1)[1] for c in project["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert versions and project["requires-python"] == f">={versions[0]}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = ", ".join(versions[:-1]) + f" and {versions[-1]}"
    assert f"CPython {stated}" in readme
    assert f"pipx install '{DISTRIBUTION}" in readme


def test_the_checker_finds_a_bare_pwcheck_hint() -> None:
    """The scan below can fail: the old hints are caught."""
    assert offending(install_specs("needs `pip install 'pwcheck[kdbx]'`")) == ["pwcheck[kdbx]"]
    assert offending(install_specs("pipx install pwcheck")) == ["pwcheck"]
    assert offending(install_specs("pip install -e '.[bench]' && pip install 'pwcheck-hibp[serve]'")) == []
    assert install_specs(install_hint("kdbx")) == [f"{DISTRIBUTION}[kdbx]", ".[kdbx]"]


def test_every_install_hint_in_the_repository_names_the_distribution() -> None:
    found = {str(path.relative_to(REPO)): install_specs(path.read_text(encoding="utf-8")) for path in hint_files()}
    assert sum(map(len, found.values())) > 10  # the hints are found at all
    wrong = {name: offending(specs) for name, specs in found.items() if offending(specs)}
    assert wrong == {}


def test_install_hints_shown_to_users_name_the_distribution() -> None:
    """What `serve --help`, `formats` and the messages built by `install_hint` actually print."""
    shown = [invoke("serve", "--help").stdout.decode(), invoke("formats").stdout.decode(), install_hint("kdbx")]
    for text in shown:
        specs = install_specs(text)
        assert specs and offending(specs) == [], text
        assert any(spec.startswith(f"{DISTRIBUTION}[") for spec in specs), text
