"""The terminal report's two tables laid out on plain strings, as rich lays them out, for a fraction of its cost.

Rich builds a `Text` per cell, measures it, wraps it line by line into new `Text`s, renders
each to `Segment`s and crops and pads them again: two thirds of a 500-password report's
rendering (issue 19). Here a cell is a `Piece`: its plain text (lines split at "\\n") and its
styled runs, `(start, end, style name)`, as a `Text`'s spans would be. Each line is wrapped
exactly as `Text.wrap` wraps it (rich's own `divide_line` decides the breaks; the runs are cut,
trimmed and shifted as `Text.divide`, `rstrip_end`, `truncate` and `pad_left` cut them), padded
as rich's `Padding` and `Table` pad it, the borders are `Box` strings, and the lines go to the
console as `Segment`s: unstyled text in long runs (rich writes them as they are), each styled
interval one `Segment` in the style `Text.render` gives it (rich writes every styled segment
with its own ANSI codes, so these must fall where rich's fall).

Only cells of printable text whose every character rich counts as one cell are laid out here
(`simple`: ASCII, Latin, Greek, Cyrillic; no wide or combining character, no U+2028, no tab),
so that lengths are widths and rich's cuts are slices; anything else answers None and the
caller prints rich's own table, as it does where `_columns.table_widths` cannot give rich's widths. Proven equal to
rich's tables, colour and none, by `tests/report/test_table_layout.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.segment import Segment, Segments
from rich.style import Style

from pwcheck.report import _columns

if TYPE_CHECKING:
    from rich.console import Console

try:  # rich's own word wrap and width test, not its public API: a rich without them gets rich's own tables
    from rich._wrap import divide_line
    from rich.cells import _is_single_cell_widths
except ImportError:  # pragma: no cover - rich 15 has both
    divide_line = _is_single_cell_widths = None  # type: ignore[assignment]

Run = tuple[int, int, "str | Style"]
Piece = tuple[str, tuple[Run, ...]]
"""Text and its styled runs: one cell (lines split at "\\n"), or one line of one."""
Justify = Literal["left", "right"]
# (justify, overflow, no_wrap) of each contacts column, as `terminal.contact_table` sets them.
CONTACT_COLUMNS: tuple[tuple[Justify, str, bool], ...] = (
    ("left", "fold", False), ("left", "fold", False), ("left", "fold", False), ("right", "fold", True),
    ("left", "fold", False), ("left", "fold", True), ("left", "fold", True),
)


def piece(text: str, style: str | None = None) -> Piece:
    """`text` all in `style` (already made safe to show)."""
    return (text, ((0, len(text), style),) if style and text else ())


def joined(*parts: Piece, separator: str = "") -> Piece:
    """The parts one after the other, `separator` between them, as `Text.join`/`Text.assemble` join them."""
    plain: list[str] = []
    runs: list[Run] = []
    offset = 0
    for number, (text, spans) in enumerate(parts):
        if number:
            plain.append(separator)
            offset += len(separator)
        plain.append(text)
        runs.extend((start + offset, end + offset, style) for start, end, style in spans)
        offset += len(text)
    return ("".join(plain), tuple(runs))


def simple(text: str) -> bool:
    """Printable, every character one cell wide as rich measures it (so rich's widths are lengths, its cuts slices).

    Rich's own test (`_is_single_cell_widths`): ASCII, Latin-1 and Latin Extended, Greek,
    Cyrillic, box drawing; no control character, tab, U+2028, no-break space, combining or
    wide character (`isprintable`: the only space is " ").
    """
    return text.isprintable() and _is_single_cell_widths(text)


def _lines(cell: Piece) -> list[Piece] | None:
    """The cell's lines as `Text.split("\\n", allow_blank=True)` gives them, or None unless each is `simple`."""
    text, runs = cell
    parts = text.split("\n")
    if not all(map(simple, parts)):
        return None
    if len(parts) == 1:
        return [cell]
    lines: list[Piece] = []
    start = 0
    for part in parts:
        end = start + len(part)
        lines.append((part, _clip(runs, start, end)))
        start = end + 1
    return lines


def _clip(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs within [start, end), shifted to start at 0 (`Text.divide`: empty pieces dropped)."""
    return tuple([
        (max(begin, start) - start, min(stop, end) - start, style) for begin, stop, style in runs if min(stop, end) > max(begin, start)
    ])


def _cut(line: Piece, length: int) -> Piece:
    """The line's first `length` characters (the `Text.plain` setter's `_trim_spans`)."""
    text, runs = line
    if length >= len(text):
        return line
    return (text[:length], tuple((begin, min(stop, length), style) for begin, stop, style in runs if begin < length))


def _truncate(line: Piece, width: int, overflow: str) -> Piece:
    """`Text.truncate(width, overflow=overflow)` of one-cell characters."""
    text, runs = line
    if len(text) <= width:
        return line
    if overflow == "ellipsis":  # the runs trimmed to the new length, the ellipsis in the last one's style
        cut = text[: width - 1] + "…"
        return (cut, tuple((begin, min(stop, len(cut)), style) for begin, stop, style in runs if begin < len(cut)))
    return _cut(line, width)


def wrap(line: Piece, width: int, justify: Justify, overflow: str, no_wrap: bool) -> list[Piece]:
    """One `simple` line as `Text.wrap` wraps it in a table cell `width` wide: each exactly `width` long."""
    text, runs = line
    if len(text) <= width:  # fits: not divided (`divide_line` gives no offset), nothing to truncate
        if justify == "left":
            return [(text + " " * (width - len(text)), runs)]
        if text.endswith(" "):
            text, runs = _cut(line, len(text.rstrip()))
        pad = width - len(text)
        return [(" " * pad + text, tuple((begin + pad, end + pad, style) for begin, end, style in runs) if pad else runs)]
    if no_wrap:
        pieces = [line]
    else:
        if overflow == "fold" and " " not in text:  # one word, folded every `width` characters (`chop_cells`)
            bounds = [*range(0, len(text), width), len(text)]
        else:
            bounds = [0, *divide_line(text, width, fold=overflow == "fold"), len(text)]
        if runs:
            pieces = [_rstrip_end((text[start:end], _clip(runs, start, end)), width) for start, end in zip(bounds, bounds[1:])]
        else:
            pieces = [_rstrip_end((text[start:end], ()), width) for start, end in zip(bounds, bounds[1:])]
    fitted: list[Piece] = []
    for part in pieces:
        if justify == "left":
            part = _truncate(part, width, overflow)
            fitted.append((part[0] + " " * (width - len(part[0])), part[1]))
            continue
        part = _truncate(_cut(part, len(part[0].rstrip())), width, overflow)
        pad = width - len(part[0])
        if pad:
            part = (" " * pad + part[0], tuple((begin + pad, end + pad, style) for begin, end, style in part[1]))
        fitted.append(part)
    return fitted


def _rstrip_end(line: Piece, width: int) -> Piece:
    """`Text.rstrip_end(width)`: trailing spaces beyond `width` removed."""
    text = line[0]
    excess = len(text) - width
    if excess <= 0:
        return line
    spaces = len(text) - len(text.rstrip())
    return _cut(line, len(text) - min(spaces, excess)) if spaces else line


class _Writer:
    """Segments for the console: unstyled text gathered into one, each styled interval as `Text.render` yields it.

    Without a colour system rich writes every segment's text alone (`Style.render`): then
    the styles are left out and all is one string.
    """

    def __init__(self, console: Console) -> None:
        self.segments: list[Segment] = []
        self.plain: list[str] = []
        self.text = self.plain.append
        self.colour = console.color_system is not None
        self.get_style = console.get_style
        self.base = console.get_style("", default=Style.null())
        self.styles: dict[tuple[str | Style, ...], Style] = {}

    def styled(self, text: str, style: Style) -> None:
        if not style or not self.colour:
            self.text(text)
            return
        if self.plain:
            self.segments.append(Segment("".join(self.plain)))
            self.plain.clear()
        self.segments.append(Segment(text, style))

    def line(self, line: Piece, left: str, right: str) -> None:
        """One line of a cell between its paddings: split where any run starts or ends, each part in its runs' styles in order."""
        text, runs = line
        if not runs or not self.colour:
            self.text(left + text + right)
            return
        self.text(left)
        bounds = sorted({0, len(text), *(start for start, _, _ in runs), *(end for _, end, _ in runs)})
        for start, end in zip(bounds, bounds[1:]):
            if start >= len(text):
                break
            names = tuple(style for begin, stop, style in runs if begin <= start < stop)
            if not names:
                self.text(text[start:end])
                continue
            style = self.styles.get(names)
            if style is None:
                style = self.styles[names] = Style.combine([self.base, *(self.get_style(name, default=Style.null()) for name in names)])
            self.styled(text[start:end], style)
        self.text(right)

    def row(self, cells: list[list[Piece]], pads: list[tuple[str, str, str]], left: str, divider: str, right: str) -> None:
        """One table row, line by line: each cell's line between its paddings (`pads`: left, right, a blank line), the borders around."""
        text, colour = self.text, self.colour
        for number in range(max(map(len, cells))):
            text(left)
            for column, (cell, (before, after, blank)) in enumerate(zip(cells, pads, strict=True)):
                if column and divider:
                    text(divider)
                if number >= len(cell):
                    text(blank)
                elif colour and cell[number][1]:
                    self.line(cell[number], before, after)
                else:
                    text(before + cell[number][0] + after)
            text(right + "\n")

    def result(self) -> Segments:
        if self.plain:
            self.segments.append(Segment("".join(self.plain)))
        return Segments(self.segments)


Column = tuple[int, int, Justify, str, bool]
"""(left padding, right padding, justify, overflow, no_wrap) of one column."""


class _Fitter:
    """Each cell's lines wrapped to its column, each distinct line once: hundreds of rows share a few advice lines."""

    def __init__(self, widths: list[int], columns: list[Column]) -> None:
        self.columns = [(width - left - right, justify, overflow, no_wrap) for width, (left, right, justify, overflow, no_wrap) in zip(widths, columns, strict=True)]
        self.done: dict[tuple[int, Piece], list[Piece]] = {}

    def __call__(self, row: list[list[Piece]]) -> list[list[Piece]]:
        fitted: list[list[Piece]] = []
        done = self.done
        for column, (cell, (width, justify, overflow, no_wrap)) in enumerate(zip(row, self.columns, strict=True)):
            parts: list[Piece] = []
            for line in cell:
                wrapped = done.get((column, line))
                if wrapped is None:
                    wrapped = done[column, line] = wrap(line, width, justify, overflow, no_wrap)
                parts.extend(wrapped)
            fitted.append(parts)
        return fitted


def priority_lines(console: Console, rows: list[tuple[Piece, Piece, Piece, Piece]], width: int) -> Segments | None:
    """The "Change first" rows as `terminal.priority_table` prints them `width` wide, or None: let rich lay them out."""
    if divide_line is None or _is_single_cell_widths is None:
        return None
    cells = [[_lines(cell) for cell in row] for row in rows]
    split = [[cell for cell in row if cell is not None] for row in cells]
    if any(len(row) != len(_columns.COLUMNS) for row in split):
        return None
    longest = [max((len(line[0]) for row in split for line in row[index]), default=0) for index in range(len(_columns.COLUMNS))]
    widths = _columns.table_widths(longest, [(left, right, wraps) for left, right, _, wraps in _columns.COLUMNS], width)
    if widths is None:
        return None
    columns: list[Column] = [(left, right, justify, "fold" if wraps else "ellipsis", not wraps) for left, right, justify, wraps in _columns.COLUMNS]
    out, fit = _Writer(console), _Fitter(widths, columns)
    pads = [(" " * left, " " * right, " " * size) for size, (left, right, *_) in zip(widths, columns, strict=True)]
    for row in split:
        out.row(fit(row), pads, "", "", "")
    return out.result()


def contact_lines(console: Console, headers: tuple[str, ...], rows: list[tuple[Piece, ...]], width: int) -> Segments | None:
    """The contacts table as `terminal.contact_table` prints it `width` wide (header, heavy head, a rule between rows), or None."""
    from rich.box import HEAVY_HEAD

    if divide_line is None or _is_single_cell_widths is None:
        return None
    cells = [[_lines(cell) for cell in row] for row in rows]
    split = [[cell for cell in row if cell is not None] for row in cells]
    if any(len(row) != len(headers) for row in split) or not all(map(simple, headers)):
        return None
    longest = [
        max([len(header)] + [len(line[0]) for row in split for line in row[index]]) for index, header in enumerate(headers)
    ]
    widths = _columns.table_widths(longest, [(1, 1, not no_wrap) for _, _, no_wrap in CONTACT_COLUMNS], width - len(headers) - 1)
    if widths is None or any(len(header) > size - 2 for header, size in zip(headers, widths, strict=True)):
        return None  # a header on more than one line is aligned to the bottom: rich's
    box = HEAVY_HEAD.substitute(console.options, safe=console.safe_box)
    columns: list[Column] = [(1, 1, justify, overflow, no_wrap) for justify, overflow, no_wrap in CONTACT_COLUMNS]
    out, fit = _Writer(console), _Fitter(widths, columns)
    pads = [(" ", " ", " " * size) for size in widths]
    out.text(box.get_top(widths) + "\n")
    bold = console.get_style("bold")
    out.text(box.head_left)
    for number, (header, size, (justify, _, _)) in enumerate(zip(headers, widths, CONTACT_COLUMNS, strict=True)):
        if number:
            out.text(box.head_vertical)
        padded = header.ljust(size - 2) if justify == "left" else header.rjust(size - 2)
        for part in (" ", padded, " "):
            out.styled(part, bold)
    out.text(box.head_right + "\n" + box.get_row(widths, "head", edge=True) + "\n")
    rule = box.get_row(widths, "row", edge=True) + "\n"
    for index, row in enumerate(split):
        last = index == len(split) - 1
        left, vertical, right = (box.foot_left, box.foot_vertical, box.foot_right) if last else (box.mid_left, box.mid_vertical, box.mid_right)
        out.row(fit(row), pads, left, vertical, right)
        if not last:
            out.text(rule)
    out.text(box.get_bottom(widths) + "\n")
    return out.result()
