"""Every registered export format says who writes it, how to export it and what it carries.

`pwcheck formats` groups the readers by `manager` and states their change-time and TOTP facts
from the format objects themselves; an empty declaration would be a reader listed under no
one, or with no way to make the file it reads. The facts are held to the readers in
`tests/sources/test_format_facts.py`.
"""

from __future__ import annotations

import pytest

from pwcheck.sources import format_names, formats


@pytest.mark.parametrize("name", format_names())
def test_every_format_declares_manager_export_hint_and_carries(name: str) -> None:
    (fmt,) = [f for f in formats() if f.name == name]
    assert fmt.manager.strip(), f"{name}: no manager"
    assert fmt.export_hint.strip(), f"{name}: no export hint"
    assert fmt.carries.strip(), f"{name}: no carries"


def test_change_kinds_are_known_kinds() -> None:
    for fmt in formats():
        kinds = fmt.change_kinds()
        assert set(kinds) <= {"password", "edit"} and len(set(kinds)) == len(kinds), fmt.name
