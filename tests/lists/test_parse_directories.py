"""Every field of a directory is hostile: types, shapes, sizes, HTML escapes, links."""

from __future__ import annotations

import pytest

from pwcheck.lists.fetch import ListRefused
from pwcheck.lists.passkeys import parse_passkeys
from pwcheck.lists.twofactor import parse_twofactor

GOOD = ["Good", {"domain": "good.example", "tfa": ["totp"], "documentation": "https://good.example/2fa"}]


def test_names_are_unescaped_and_fields_checked_one_by_one() -> None:
    sites, malformed = parse_twofactor([
        GOOD,
        ["1&amp;1 IONOS", {"domain": "ionos.de", "additional-domains": ["1und1.de", "bad/path", 7, "UPPER.Example."],
                           "tfa": ["totp", "sms", {"x": 1}, "made-up"], "documentation": "javascript:alert(1)"}],
        ["Caps", {"domain": "34SP.com", "tfa": "totp", "documentation": "https://x.example/" + "a" * 3000}],
        ["Spaced\n\t name", {"domain": "web.500px.com", "tfa": ["totp"], "documentation": "https://a.example/with space"}],
    ])
    assert malformed == 0
    ionos = sites[1]
    assert ionos.name == "1&1 IONOS" and ionos.domains == ("ionos.de", "1und1.de", "upper.example")
    assert ionos.methods == ("totp", "sms") and ionos.documentation is None  # only http(s) links
    assert sites[2].domains == ("34sp.com",) and sites[2].methods == () and sites[2].documentation is None  # too long
    assert sites[3].name == "Spaced name" and sites[3].documentation is None


@pytest.mark.parametrize("item", [
    "just text", ["no entry"], ["x", "entry not an object"], [7, {"domain": "n.example"}],
    ["no domain", {"tfa": ["totp"]}], ["url for domain", {"domain": "https://evil.example/"}],
    ["space", {"domain": "a b.example"}], ["unicode", {"domain": "bücher.example"}], ["long", {"domain": "a" * 300 + ".example"}],
    ["one label", {"domain": "localhost"}], ["", {"domain": "empty-name.example"}], ["x", {"domain": ["list.example"]}],
])
def test_an_unusable_entry_is_skipped_and_counted(item: object) -> None:
    sites, malformed = parse_twofactor([GOOD, GOOD, item])
    assert len(sites) == 2 and malformed == 1


def test_a_list_mostly_malformed_or_empty_or_huge_is_refused() -> None:
    with pytest.raises(ListRefused) as raised:
        parse_twofactor([GOOD, 1, 2])
    assert raised.value.malformed == 2
    with pytest.raises(ListRefused):
        parse_twofactor([])
    with pytest.raises(ListRefused, match="more than"):
        parse_twofactor([GOOD] * 100_001)


def test_passkeys_keep_only_known_levels_and_count_bad_keys() -> None:
    sites, malformed = parse_passkeys({
        "ok.example": {"passwordless": "allowed", "documentation": "https://ok.example/pk"},
        "mfa.example": {"mfa": "required", "passwordless": "sometimes", "documentation": 5},
        "contact-only.example": {"contact": {"email": "x@y.example"}},  # all.json lists these: left out, not malformed
        "not a host": {"passwordless": "allowed"},
        "value.example": ["not an object"],
    })
    assert [(s.domain, s.passwordless, s.mfa, s.documentation) for s in sites] == [
        ("ok.example", "allowed", None, "https://ok.example/pk"), ("mfa.example", None, "required", None)]
    assert malformed == 2 and sites[0].replaces_password and not sites[1].replaces_password
    with pytest.raises(ListRefused, match="expected a JSON object, got list"):
        parse_passkeys([])
    with pytest.raises(ListRefused, match="lists no site"):
        parse_passkeys({"contact-only.example": {}})


def test_a_refusal_names_structure_never_content() -> None:
    with pytest.raises(ListRefused) as raised:
        parse_twofactor({"secret-looking": "value"})
    assert "secret-looking" not in str(raised.value) and "value" not in str(raised.value)

