"""The one registry style: a name per implementation, its module imported only when chosen.

Report formats, schedulers, keychain readers and export formats are each a table of
`name -> "module:attribute"`. Listing the names imports nothing, so `--help` stays fast;
`get` imports the one module asked for; `all` imports every one, in table order (`pwcheck
formats`; export detection imports them in that order only as far as it has to go).
"""

from __future__ import annotations

import importlib
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Implementations of one seam by name; `what` names the seam in error messages."""

    def __init__(self, what: str, entries: dict[str, str]) -> None:
        self.what = what
        self._entries = dict(entries)

    def names(self) -> list[str]:
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def location(self, name: str) -> str:
        """`module:attribute` of `name`, without importing it."""
        return self._entries[name]

    def get(self, name: str) -> T:
        """The implementation registered as `name` (KeyError for an unknown name)."""
        module, _, attribute = self._entries[name].partition(":")
        loaded: T = getattr(importlib.import_module(module), attribute)
        return loaded

    def all(self) -> list[T]:
        return [self.get(name) for name in self._entries]
