"""An empty or junk breach catalogue is unavailable (stale unknown), never "0 breaches".

`[]`, or items without HIBP's fields, used to be "available" with no breaches, and every
stale verdict became false instead of unknown. The real catalogue lists ~900 breaches.
A catalogue that is empty or mostly malformed is refused: the cached good copy is used
(and kept), or breach data is unavailable; the count of malformed items is in the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pwcheck.breaches.catalogue import CatalogueError, parse_catalogue
from tests.support.breach_fixture import CATALOGUE, breach, catalogue_bytes
from tests.support.cli import invoke
from tests.support.rangeserver import RangeServer

FIREFOX_HEADER = '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"'
JUNK = [{"Foo": i} for i in range(12)]
NO_DOMAIN = [{"Name": f"B{i}", "BreachDate": "2020-01-01"} for i in range(12)]  # no Domain: cannot be matched


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """One credential of example.org changed in 2020: stale against ExampleOrgForum (2023)."""
    path = tmp_path / "firefox.csv"
    path.write_text(FIREFOX_HEADER + '\n"https://example.org","alice","pw-unlikely-Zulu-3",,"https://example.org","{g}","1","1","1577836800000"\n')
    return path


def audit(server: RangeServer, export: Path, env: dict[str, str] | None = None, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    proc = invoke("audit", str(export), "--format", "json", "--api-url", server.url, "--breaches-url", server.breaches_url,
                  "--timeout", "2", *extra, env=env)
    return proc.returncode, json.loads(proc.stdout or b"{}"), proc.stderr.decode()


@pytest.mark.parametrize(
    ("items", "malformed"),
    [([], 0), (JUNK, 12), (NO_DOMAIN, 12), (CATALOGUE[:3] + JUNK, 12), ([breach("Fake", "example.org", "2020-01-01", IsFabricated=True)], 0)],
    ids=["empty", "junk", "no-domain", "mostly-junk", "only-fabricated"],
)
def test_an_empty_or_mostly_malformed_catalogue_is_unavailable(
    range_server: RangeServer, export: Path, items: list[dict[str, object]], malformed: int
) -> None:
    range_server.breaches = catalogue_bytes(items)
    code, doc, stderr = audit(range_server, export)
    assert code == 0, stderr  # not pwned, stale unknown: no finding
    assert doc["breach_data"]["available"] is False and doc["breach_data"]["malformed"] == malformed
    assert [entry["stale"] for entry in doc["entries"]] == [None]
    assert "breach" in stderr and "unknown" in stderr
    if malformed:
        assert f"{malformed} of {len(items)} items malformed" in stderr


def test_a_few_malformed_items_are_counted_and_the_rest_used(range_server: RangeServer, export: Path) -> None:
    range_server.breaches = catalogue_bytes(CATALOGUE + JUNK[:2])
    code, doc, stderr = audit(range_server, export)
    assert code == 1, stderr  # stale
    assert doc["breach_data"]["available"] is True and doc["breach_data"]["malformed"] == 2
    assert "2 malformed" in doc["breach_data"]["note"]
    assert [entry["stale"] for entry in doc["entries"]] == [True]


def test_a_cached_good_catalogue_is_not_replaced_by_a_junk_one(range_server: RangeServer, export: Path, tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    range_server.breaches = catalogue_bytes()
    code, first, _ = audit(range_server, export, env)
    assert code == 1 and first["breach_data"]["available"] is True
    (cached,) = list((tmp_path / "cache" / "pwcheck").iterdir())
    good = cached.read_bytes()
    for junk in ([], JUNK):
        range_server.breaches = catalogue_bytes(junk)
        code, doc, stderr = audit(range_server, export, env)
        assert code == 1, stderr
        assert doc["breach_data"]["available"] is True and doc["breach_data"]["from_cache"] is True
        assert doc["breach_data"]["breaches"] == first["breach_data"]["breaches"]
        assert [entry["stale"] for entry in doc["entries"]] == [True]
        assert "cached copy" in stderr
        assert json.loads(cached.read_bytes())["breaches"] == json.loads(good)["breaches"]


def test_parse_refuses_empty_and_mostly_malformed() -> None:
    with pytest.raises(CatalogueError, match="no breaches"):
        parse_catalogue([])
    with pytest.raises(CatalogueError, match="12 of 15 items malformed") as raised:
        parse_catalogue(CATALOGUE[:3] + JUNK)
    assert raised.value.malformed == 12
    breaches, malformed = parse_catalogue(CATALOGUE + JUNK[:4])
    assert malformed == 4 and len(breaches) == len(CATALOGUE) - 1  # the fabricated one dropped


def test_a_catalogue_of_millions_of_values_is_refused_before_parsing(range_server: RangeServer, export: Path, tmp_path: Path) -> None:
    """60 MB of `[{},{},...]`, under the 64 MB body cap, would parse into 1.6 GB of objects: a real
    process's peak memory shows it is refused unparsed, and the audit goes on without breach data."""
    from tests.support.peak import run_pwcheck
    from tests.support.privacy.harness import Sandbox

    range_server.breaches = b"[" + b"{}," * (20 << 20) + b"{}]"
    env = Sandbox(tmp_path).env({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    measured = run_pwcheck("audit", str(export), "--format", "json", "--api-url", range_server.url,
                           "--breaches-url", range_server.breaches_url, "--timeout", "5", env=env)
    doc = json.loads(measured.stdout)
    assert doc["breach_data"]["available"] is False
    assert any("more than 1,000,000 JSON values" in problem for problem in doc["problems"]), doc["problems"]
    assert measured.peak_mib < 400, measured.peak_mib
