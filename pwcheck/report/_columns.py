"""The terminal report's "Change first" list laid out as rich lays out its borderless table, for less.

Hundreds of priority rows went through rich's `Table`: every cell measured through
`Measurement.get` and `Padding`, then rendered to segments, split, cropped and padded
line by line, about two thirds of the terminal report's time (0.2 s of a 500-password
audit; issue 19). The table has no box, no header and four columns: a right-aligned
rank and a tier that never wrap, and two columns (ratio 1 and 2, which rich ignores
unless the table expands) that fold. `aligned` lays out the same lines from the cells'
plain lengths: widths as rich's `_calculate_column_widths` computes them (the longest
line of each column; only that counts in a table that does not expand; its
`_collapse_widths` when they do not fit), a line that fits padded as it stands, one
that does not wrapped by rich's own `Text.wrap`. `tests/report/test_priority_layout.py`
compares it with rich's `Table` across widths and contents. Where rich would take its
last resort (the columns cannot shrink enough), `aligned` answers None and the caller
uses the `Table`.

The cells are `Text` already made safe to show (`terminal.safe`), styled by spans; nothing
here reads them but their lengths (and, for a line too long, rich's wrapping).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.segment import Segments
from rich.table import Table  # its `_collapse_widths`, called, not rewritten here
from rich.text import Span, Text

if TYPE_CHECKING:
    from rich.console import Console

# (left padding, right padding, justify, wraps) of each column: padding (0, 1) without the
# outer edges, as `Table(box=None, padding=(0, 1), pad_edge=False)` has it.
COLUMNS: tuple[tuple[int, int, Literal["left", "right"], bool], ...] = (
    (0, 1, "right", False), (1, 1, "left", False), (1, 1, "left", True), (1, 0, "left", True),
)
_NARROWEST = 20  # below this, rich's own table (nobody reads a report this narrow: exactness is all that counts)


def aligned(console: Console, rows: list[tuple[Text, Text, Text, Text]], width: int) -> Segments | None:
    """The rows as lines `width` wide at most, to print as they are, or None where rich's last resort applies.

    Segments, not a `Text`: printing a `Text` wraps it again, splitting and dividing
    hundreds of lines already laid out (a third of this list's time).
    """
    if any(part.style for row in rows for part in row):
        return None  # a base style would colour the padding too: only styles as spans are laid out here
    lines = [[list(part.split("\n", allow_blank=True)) for part in row] for row in rows]
    # Measured as rich measures a `Text`: its `splitlines()` (U+2028 too), not only its "\n" lines.
    longest = [max((cell_len(line) for row in rows for line in row[index].plain.splitlines()), default=0) for index in range(len(COLUMNS))]
    widths = table_widths(longest, [(left, right, wraps) for left, right, _, wraps in COLUMNS], width)
    return None if widths is None else Segments(_join(console, lines, widths).render(console))


def table_widths(longest: list[int], columns: list[tuple[int, int, bool]], width: int) -> list[int] | None:
    """Each column's width (padding included) as rich's table gives it, from its longest line, or None.

    `columns` holds each column's (left padding, right padding, wraps); `width` is what the
    columns may fill (a boxed table's borders already taken off). Rich reads only the
    longest line of each column when the table does not expand: it shrinks the widest
    wrapping columns (`_collapse_widths`) if they do not fit. None where rich would go on
    to its last resort, or leave a column no room for its text: the caller lets rich measure.
    """
    if width < _NARROWEST:
        return None
    widths = [min(size + left + right, width) or 1 for size, (left, right, _) in zip(longest, columns, strict=True)]
    if sum(widths) > width:
        widths = Table._collapse_widths(widths, [wraps for *_, wraps in columns], width)
    if sum(widths) > width or any(size <= left + right for size, (left, right, _) in zip(widths, columns, strict=True)):
        return None
    return widths


def _join(console: Console, rows: list[list[list[Text]]], widths: list[int]) -> Text:
    plain: list[str] = []
    spans: list[Span] = []
    offset = 0
    for row in rows:
        cells = [
            _fit(console, cell, width - left - right, justify, wraps)
            for cell, width, (left, right, justify, wraps) in zip(row, widths, COLUMNS, strict=True)
        ]
        for number in range(max(map(len, cells))):
            for cell, width, (left, _, _, _) in zip(cells, widths, COLUMNS, strict=True):
                if number >= len(cell):
                    plain.append(" " * width)
                    offset += width
                    continue
                text, length = cell[number]
                offset += left
                spans.extend(Span(offset + span.start, offset + span.end, span.style) for span in text.spans)
                pad = width - left - length
                plain.append(f"{' ' * left}{text.plain}{' ' * pad}")
                offset += len(text.plain) + pad
            plain.append("\n")
            offset += 1
    return Text("".join(plain), spans=spans)  # each line ends in "\n", the last too


def _fit(console: Console, lines: list[Text], width: int, justify: Literal["left", "right"], wraps: bool) -> list[tuple[Text, int]]:
    """Each line of one cell as (text, cells wide) within `width`: as it is when it fits, else as rich wraps it."""
    fitted: list[tuple[Text, int]] = []
    for line in lines:
        length = cell_len(line.plain)
        # rich crops trailing spaces beyond `width` counted in characters, not cells (combining marks).
        if max(length, len(line.plain)) <= width and (justify == "left" or not line.plain.endswith(" ")):
            if justify == "right":
                line = Text(" " * (width - length)) + line
                length = width
            fitted.append((line, length))
            continue
        plain = line.plain
        if wraps and justify == "left" and plain.isascii() and plain.isprintable() and " " not in plain:
            # One word of one-cell characters (a link): folded every `width` characters, as rich folds it.
            fitted.extend((part, len(part.plain)) for part in line.divide(range(width, len(plain), width)))
            continue
        for part in line.wrap(console, width, justify=justify, overflow="fold" if wraps else "ellipsis", no_wrap=not wraps):
            fitted.append((part, cell_len(part.plain)))
    return fitted
