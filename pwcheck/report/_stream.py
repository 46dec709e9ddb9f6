"""The stream a report is rendered into: passes every write straight on, is never a terminal.

Reports used to be rendered into an `io.StringIO` and written afterwards. For a
100,000-row JSON report that held the whole text twice (the buffer and its `getvalue()`
copy, ~60 MB each) at the audit's peak memory (benchmarks/, peak RSS). Writing as the
renderer goes holds nothing. It stays a stream of its own rather than the target itself
because renderers look at their stream: rich colours a terminal (`isatty`), and reports
have always been rendered as for a file, whatever stdout is.

Text from an input can hold what no file can: a lone surrogate (`"\\ud800"` in a JSON
export or a catalogue title), or characters the terminal's encoding lacks. A write that
cannot be encoded is written again with those characters replaced (`?`), never a crash
that leaves half a report.
"""

from __future__ import annotations

import io
from typing import TextIO


class ReportStream(io.TextIOBase):
    """A writable text stream that forwards to `target` and says it is not a terminal."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        try:
            self._target.write(text)
        except UnicodeEncodeError:  # encoding fails before anything is written: nothing doubles
            encoding = getattr(self._target, "encoding", None) or "utf-8"
            self._target.write(text.encode(encoding, "replace").decode(encoding))
        return len(text)
