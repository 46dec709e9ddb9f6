"""Streaming an XML export through expat safely: the one parse loop every XML reader uses.

No DTD (a reader may accept one bare DOCTYPE name, as KeePassX writes it), no entity
declarations, no external entities: XML's ways to expand a small file into a huge one or to
read another file are refused before they act. The document is fed in 256 KiB chunks, and
the reader's state yields what each chunk completed, so memory holds one item, not the file.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Protocol, TypeVar
from xml.parsers import expat

from pwcheck.model.errors import InputError, PwcheckError
from pwcheck.sources._input import InputFile

CHUNK = 256 * 1024
T = TypeVar("T", covariant=True)


class Forbidden(PwcheckError):
    """A DOCTYPE or an entity declaration: caught here, said as one refusal with its line."""


def forbid(*args: Any) -> int:
    raise Forbidden


class State(Protocol[T]):
    """A reader's expat callbacks, and what it has completed so far."""

    seen_root: bool

    def start(self, name: str, attrs: dict[str, str]) -> None: ...
    def end(self, name: str) -> None: ...
    def text(self, data: str) -> None: ...
    def drain(self) -> Iterator[T]: ...


def stream(inp: InputFile, make_state: Callable[[Any], State[T]], no_root: str,
           doctype: Callable[[Any], Callable[..., Any]] | None = None) -> Iterator[T]:
    """Parse `inp` with the state `make_state(parser)` builds, yielding what it completes.

    `doctype(state)` gives the handler of a DOCTYPE (default: refused); `no_root` is the error
    when the document never opened the reader's root element.
    """
    parser = expat.ParserCreate(encoding=None)
    parser.buffer_text = True
    state = make_state(parser)
    parser.StartDoctypeDeclHandler = doctype(state) if doctype is not None else forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.text
    try:
        with inp.open_binary() as handle:
            while True:
                chunk = handle.read(CHUNK)
                parser.Parse(chunk, not chunk)
                yield from state.drain()
                if not chunk:
                    break
    except Forbidden:
        raise InputError(inp.name, "XML with a DOCTYPE or entity declarations: refused", line=parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise InputError(inp.name, f"invalid XML ({expat.errors.messages.get(exc.code, 'error')})", line=exc.lineno) from None
    if not state.seen_root:
        raise InputError(inp.name, no_root)
