"""The terminal report's tables laid out by `_columns` are, byte for byte, what rich made of them.

`_columns.aligned` replaced rich's `Table` for the "Change first" list, and
`_columns.table_widths` rich's measuring of every cell of the contacts table, for speed
(issue 19), on the promise that nothing a person sees changes: same widths, same folds,
same padding, same colours. Random rows (wide and combining characters, U+2028, long
words, spaces at the ends, empty cells, styles) at widths from the narrowest it takes to
wider than any row, with and without colour, against rich's own tables
(`terminal.priority_table`, `terminal.contact_table` with no widths given).
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Span, Text

from pwcheck.report import _columns
from pwcheck.report.terminal import contact_table, priority_table

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
