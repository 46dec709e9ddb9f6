"""The terminal report's tables laid out by `_grid` and `_columns` are, byte for byte, what rich made of them.

`_grid` lays out both tables on plain strings (`_grid.simple` text), `_columns.aligned` the
"Change first" list when `_grid` cannot, and
`_columns.table_widths` rich's measuring of every cell of the contacts table, for speed
(issue 19), on the promise that nothing a person sees changes: same widths, same folds,
same padding, same colours. Random rows (wide and combining characters, U+2028, long
words, spaces at the ends, empty cells, styles) at widths from the narrowest it takes to
wider than any row, with and without colour, against rich's own tables
(`terminal.priority_table`, `terminal.contact_table` with no widths given). What the
terminal report prints (`terminal.print_priorities`, `terminal.print_contacts`: `_grid`, or
the fallback it leaves to) is compared the same way, and on whole reports against rich's
path (`_grid` switched off).
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Span, Text

from pwcheck.report import _columns, _grid, _views
from pwcheck.report._grid import Piece
from pwcheck.report.terminal import contact_table, print_contacts, print_priorities, priority_table, safe, text_of

WORDS = st.text(st.sampled_from("ab yé界\u0301\u2028-/.:"), max_size=40)
STYLES = st.sampled_from([None, "bold", "dim", "bold red", "yellow"])


@st.composite
def cells(draw: st.DrawFn, lines: int = 1) -> Text:
    parts = []
    for _ in range(draw(st.integers(1, lines))):
        words, style = draw(WORDS), draw(STYLES)
        parts.append(Text(words, spans=[Span(0, len(words), style)] if style and words else None))
    return Text("\n").join(parts)


@st.composite
def rows(draw: st.DrawFn) -> tuple[Text, Text, Text, Text]:
    rank = Text(f"{draw(st.integers(1, 2000))}.")
    tier, style = draw(st.sampled_from(["PWNED", "REUSED", "2FA", "STALE"])), draw(STYLES)
    tier = Text(tier, spans=[Span(0, len(tier), style)] if style else None)
    return rank, tier, draw(cells()), draw(cells(lines=2))


def _console(width: int, color: bool) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=color, color_system="truecolor" if color else None, highlight=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=6), st.integers(20, 160), st.booleans())
def test_aligned_lines_are_rich_tables_lines(items: list[tuple[Text, Text, Text, Text]], width: int, color: bool) -> None:
    ours, theirs = _console(width, color), _console(width, color)
    laid_out = _columns.aligned(ours, items, width)
    if laid_out is None:  # rich's last resort: the caller prints rich's table itself
        return
    ours.print(laid_out)
    theirs.print(priority_table(items))
    assert ours.file.getvalue() == theirs.file.getvalue()  # type: ignore[attr-defined]


def test_a_report_wide_enough_is_laid_out_here_and_a_narrow_one_left_to_rich() -> None:
    row = (Text("1."), Text("PWNED"), Text("site.example alice@site.example"), Text("seen 5 times\nhttps://help.example/2fa"))
    assert _columns.aligned(_console(80, False), [row], 80) is not None
    assert _columns.aligned(_console(15, False), [row], 15) is None
    assert _columns.aligned(_console(80, False), [(*row[:3], Text("seen", style="dim"))], 80) is None  # a base style: rich's


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[cells(lines=3)] * 3, *[cells()] * 4), min_size=1, max_size=5), st.integers(10, 200), st.booleans())
def test_contact_table_widths_are_the_ones_rich_measures(items: list[tuple[Text, ...]], width: int, color: bool) -> None:
    ours, theirs = _console(width, color), _console(width, color)
    ours.print(contact_table(items, width))
    theirs.print(contact_table(items, None))
    assert ours.file.getvalue() == theirs.file.getvalue()  # type: ignore[attr-defined]


# Mostly text `_grid` lays out (`_grid.simple`: ASCII, Latin, Greek, Cyrillic, box drawing), with
# long words, several spaces, spaces at the ends; sometimes characters it leaves to rich (wide,
# combining, U+2028, no-break space). No tab: `shown` writes every control character as `\xNN`.
SIMPLE = st.text(st.sampled_from("aaaabbbcd     -/.:,üßΩж┃"), max_size=50)
OTHER = st.text(st.sampled_from("ab yé界\u0301\u2028\xa0-/.:"), max_size=40)
STYLE_NAMES = st.sampled_from(["bold", "dim", "bold red", "yellow", "green", "red on blue"])


@st.composite
def pieces(draw: st.DrawFn, lines: int = 1) -> Piece:
    """A cell: lines of text, and styled runs anywhere in it (across lines, nested, overlapping, touching)."""
    words = st.one_of(SIMPLE, SIMPLE, SIMPLE, SIMPLE, SIMPLE, OTHER)
    text = "\n".join(draw(words) for _ in range(draw(st.integers(1, lines))))
    runs = []
    for _ in range(draw(st.integers(0, 3)) if text else 0):
        start = draw(st.integers(0, len(text) - 1))
        # an empty run too (markup such as "[bold][/bold]" makes one): it splits a segment where rich keeps it
        runs.append((start, draw(st.integers(start, len(text))), draw(STYLE_NAMES)))
    return (text, tuple(runs))


@st.composite
def priority_rows(draw: st.DrawFn) -> tuple[Piece, Piece, Piece, Piece]:
    rank = f"{draw(st.integers(1, 2000))}."
    tier = draw(st.sampled_from(["PWNED", "REUSED", "2FA", "STALE", "PASSKEY"]))
    return (rank, ()), (tier, draw(st.sampled_from([(), ((0, len(tier), "bold red"),)]))), draw(pieces()), draw(pieces(lines=2))


def _printed(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=400, deadline=None)
@given(st.lists(priority_rows(), min_size=1, max_size=6), st.integers(20, 200), st.booleans())
def test_printed_priorities_are_rich_tables_lines(items: list[tuple[Piece, Piece, Piece, Piece]], width: int, color: bool) -> None:
    ours, theirs = _console(width, color), _console(width, color)
    print_priorities(ours, items)
    theirs.print(priority_table([(text_of(a), text_of(b), text_of(c), text_of(d)) for a, b, c, d in items]))
    assert _printed(ours) == _printed(theirs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*[pieces(lines=3)] * 3, *[pieces()] * 4), min_size=1, max_size=5), st.integers(10, 200), st.booleans())
def test_printed_contacts_are_rich_tables_lines(items: list[tuple[Piece, ...]], width: int, color: bool) -> None:
    ours, theirs = _console(width, color), _console(width, color)
    print_contacts(ours, items)
    theirs.print(contact_table([tuple(map(text_of, row)) for row in items], None))
    assert _printed(ours) == _printed(theirs)


def test_grid_lays_out_simple_text_and_leaves_the_rest_to_rich() -> None:
    """The properties above compare whatever path is taken: here, that `_grid` is the one taken where it should be."""
    row: tuple[Piece, Piece, Piece, Piece] = (
        ("1.", ()), ("PWNED", ((0, 5, "bold red"),)), ("site.example alice@site.example", ((0, 12, "bold"),)),
        ("seen 5 times\nhttps://help.example/2fa", ((13, 37, "dim"),)),
    )
    console = _console(80, True)
    assert _grid.priority_lines(console, [row], 80) is not None
    assert _grid.priority_lines(console, [row], 15) is None  # too narrow: rich's last resort
    assert _grid.priority_lines(console, [(*row[:3], ("seen ü", ()))], 80) is not None  # one cell: Latin-1
    assert _grid.priority_lines(console, [(*row[:3], ("seen e\u0301", ()))], 80) is None  # combining
    assert _grid.priority_lines(console, [(*row[:3], ("seen 界", ()))], 80) is None  # two cells
    contact: tuple[Piece, ...] = (("site.example", ()), ("alice", ()), ("site.example", ()), ("5", ()), ("", ()), ("r1", ()), ("weak", ()))
    assert _grid.contact_lines(console, _views.TABLE_HEADERS, [contact], 80) is not None
    assert _grid.contact_lines(console, _views.TABLE_HEADERS, [contact], 30) is None  # a header would fold
    assert _grid.contact_lines(console, _views.TABLE_HEADERS, [(("site\u2028x", ()), *contact[1:])], 80) is None


def test_pieces_become_the_text_the_cells_were_made_of() -> None:
    """The fallback's `Text` is the one `safe`, `Text.assemble` and `Text.join` made before `_grid`."""
    contact = _grid.joined(_grid.piece("site.example", "bold"), _grid.piece("alice"), separator=" ")
    assert text_of(contact) == Text.assemble(safe("site.example", "bold"), " ", safe("alice"))
    reason = _grid.joined(_grid.piece("seen 5 times"), _grid.piece("https://help.example", "dim"), separator="\n")
    assert text_of(reason) == Text("\n").join([safe("seen 5 times"), safe("https://help.example", "dim")])
    assert text_of(_grid.piece("", "bold")) == safe("", "bold")
