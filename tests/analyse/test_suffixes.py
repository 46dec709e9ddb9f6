"""The Public Suffix List read without tldextract gives tldextract's own answers, host for host.

`tldextract` (installed: it ships the list) is the oracle: every rule of its snapshot, under
one and two more labels, every wildcard and exception, punycode and Unicode rules, hosts no
rule matches, and odd shapes (empty labels, a bare suffix) must come out the same from
`pwcheck.analyse.suffixes` as from `TLDExtract(include_psl_private_domains=True)`.
"""

from __future__ import annotations

import random

import pytest
import tldextract

from pwcheck.analyse import domains
from pwcheck.analyse.suffixes import parse, shipped, snapshot_path


def oracle() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def expected(extract: tldextract.TLDExtract, host: str) -> str:
    parts = extract(host)
    top = getattr(parts, "top_domain_under_public_suffix", None)
    return str(top if top is not None else parts.registered_domain)  # tldextract < 5.3


def to_ascii(rule: str) -> str:
    return ".".join(label if label.isascii() else "xn--" + label.encode("punycode").decode() for label in rule.split("."))


def test_every_rule_of_the_shipped_list_gives_tldextracts_answer() -> None:
    path = snapshot_path()
    assert path is not None, "tldextract's PSL snapshot was not found: domains.py would fall back to tldextract"
    suffixes = shipped()
    assert suffixes is not None and len(suffixes.rules) > 9000
    extract = oracle()
    rng = random.Random(19)
    hosts: list[str] = []
    for rule in sorted(suffixes.rules):
        bare = rule.lstrip("!").replace("*", rng.choice(["x", "www", "city"]))
        ascii_rule = to_ascii(bare)
        hosts += [ascii_rule, f"shop.{ascii_rule}", f"a.b.{ascii_rule}"]
    hosts += ["localhost.localdomain", "a..b.com", "com", "example.notatld", "x.y.notatld", "github.io", "alice.github.io",
              "x.service.gov.uk", "www.ck", "a.www.ck", "other.ck", "a.other.ck", "xn--mnchen-3ya.de", "city.kawasaki.jp",
              "a.city.kawasaki.jp", "b.a.kawasaki.jp"]
    wrong = [(host, suffixes.registrable(host), expected(extract, host)) for host in hosts
             if suffixes.registrable(host) != expected(extract, host)]
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("host, want", [
    ("mail.google.com", "google.com"), ("a.b.example.co.uk", "example.co.uk"), ("alice.github.io", "alice.github.io"),
    ("www.ck", "www.ck"), ("a.b.other.ck", "b.other.ck"), ("192.168.1.1", "192.168.1.1"), ("router", "router"),
    ("x.y.notatld", "x.y.notatld"), ("co.uk", "co.uk"),
])
def test_the_contact_of_a_host(host: str, want: str) -> None:
    domains.registrable_domain.cache_clear()
    assert domains.registrable_domain(host) == want


def test_a_small_list_follows_the_rules_of_wildcards_and_exceptions() -> None:
    suffixes = parse("// comment\n\nuk\nco.uk\n*.ck\n!www.ck\n  indented.example\n")
    assert suffixes.registrable("a.b.co.uk") == "b.co.uk"
    assert suffixes.registrable("a.b.ck") == "a.b.ck" and suffixes.registrable("b.ck") == ""
    assert suffixes.registrable("x.www.ck") == "www.ck"
    assert suffixes.registrable("indented.example") == ""  # a rule must start its line


def test_an_audit_imports_neither_tldextract_nor_requests() -> None:
    import subprocess
    import sys

    code = ("import sys; from pwcheck.analyse.domains import contact_domain; "
            "assert contact_domain('https://mail.google.com/x') == 'google.com'; "
            "print(sorted(m for m in ('tldextract', 'requests') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.strip() == "[]"
