"""A breach catalogue in HIBP's `/api/v3/breaches` shape, built around the fixture exports.

Each breach is placed to test one rule against `fixture_data`'s entries (see the
comments); `EXPECTED` is the verdict per entry of chrome + chrome-old + firefox +
bitwarden, in file order, written out by hand rather than computed.
"""

from __future__ import annotations

import json
from typing import Any


def breach(name: str, domain: str, date: str, **flags: Any) -> dict[str, Any]:
    """One record with every field HIBP sends (flags override the defaults)."""
    record = {
        "Name": name, "Title": flags.pop("Title", name), "Domain": domain, "BreachDate": date,
        "AddedDate": f"{date}T12:00:00Z", "ModifiedDate": f"{date}T12:00:00Z", "PwnCount": 1000,
        "Description": "<p>Fixture breach with <a href=\"https://example.invalid/\">HTML</a>.</p>",
        "LogoPath": "https://haveibeenpwned.com/Content/Images/PwnedLogos/List.png",
        "DataClasses": ["Email addresses", "Passwords"], "IsVerified": True, "IsFabricated": False,
        "IsSensitive": False, "IsRetired": False, "IsSpamList": False, "IsMalware": False,
        "IsSubscriptionFree": False, "IsStealerLog": False,
    }
    record.update(flags)
    return record


CATALOGUE: list[dict[str, Any]] = [
    # example.org has two breaches; Firefox's alice@example.com changed on 2023-11-14 22:13Z,
    # the very day of the second: on the breach day counts as stale.
    breach("ExampleOrgOld", "example.org", "2015-01-01"),
    breach("ExampleOrgForum", "forum.EXAMPLE.org", "2023-11-14", Title="Example <Forum> & Co"),
    # münchen.de written in Unicode; Firefox's frank changed 2019-01-01T00:00:00Z, the day
    # after this breach: not stale.
    breach("Muenchen", "münchen.de", "2018-12-31", DataClasses=["Email addresses", "Passwords", "Names"]),
    # example.com: Bitwarden jack changed 2022-02-03 (stale), ivy 2024-05-06 (not stale).
    breach("ExampleBank", "online.bank.example.com", "2023-01-01"),
    breach("LinkedIn", "linkedin.com", "2012-05-05"),
    # A fabricated breach must not count: example.net stays unbreached.
    breach("FakeNet", "example.net", "2020-01-01", IsFabricated=True),
    # A spam list names the contact but does not make its password stale.
    breach("GovSpam", "x.service.gov.uk", "2021-01-01", IsSpamList=True, IsVerified=False),
    # No single site: matches no contact.
    breach("ComboList", "", "2024-01-01", IsStealerLog=True),
    breach("SomeMalware", "", "2022-06-01", IsMalware=True),
]


def catalogue_bytes(items: list[dict[str, Any]] | None = None) -> bytes:
    return json.dumps(CATALOGUE if items is None else items).encode("utf-8")


# (domain, breach names, stale, reuse group) per entry, in the order the audit lists them.
EXPECTED = [
    ("example.org", ["ExampleOrgOld", "ExampleOrgForum"], None, "R1"),  # chrome alice, no time
    ("example.co.uk", [], False, "R2"),  # chrome bob
    ("example.com", ["ExampleBank"], None, "R3"),  # chrome carol, no time
    ("linkedin.com", ["LinkedIn"], None, None),  # chrome dave, no time
    ("192.168.1.1", [], False, None),
    ("xn--mnchen-3ya.de", ["Muenchen"], None, None),  # chrome frank, no time
    ("alice.github.io", [], False, "R4"),
    ("x.service.gov.uk", ["GovSpam"], False, None),  # spam list only
    ("xn--mnchen-3ya.de", ["Muenchen"], False, None),  # firefox frank, changed the day after
    ("example.org", ["ExampleOrgOld", "ExampleOrgForum"], True, "R1"),  # changed on the breach day
    ("intranet", [], False, "R5"),
    ("example.net", [], False, "R3"),  # fabricated breach ignored
    ("example.com", ["ExampleBank"], False, "R4"),  # ivy, changed after
    ("example.com", ["ExampleBank"], True, "R2"),  # jack, changed before
    (None, [], False, "R5"),
]
