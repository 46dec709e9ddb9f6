"""The check stage (`check.run.check`): the GIL's switch interval while the range check runs.

The range check's event loop shares the GIL with the threads that load the lists and
work out contacts; at CPython's default 5 ms interval a busy thread delayed each wake-up
of the loop (issue 19). `check` shortens the interval for the lookup only and gives back
what it found, on success, on Ctrl-C and on an error alike.
"""

from __future__ import annotations

import sys
from typing import Collection, Iterator

import pytest

from pwcheck.check.interface import LookupResult, Progress
from pwcheck.check.run import LOOP_SWITCH_INTERVAL, check


class Recording:
    """A checker that notes the switch interval it ran under, then ends as told."""

    def __init__(self, ending: BaseException | None = None) -> None:
        self.seen: list[float] = []
        self.ending = ending

    async def lookup(
        self, hashes: Collection[bytes], progress: Progress | None = None, into: LookupResult | None = None
    ) -> LookupResult:
        self.seen.append(sys.getswitchinterval())
        if self.ending is not None:
            raise self.ending
        result = LookupResult.start(hashes, into)
        for digest in hashes:
            result.counts[digest] = 0
        return result


@pytest.fixture
def default_interval() -> Iterator[float]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    sys.setswitchinterval(before)


def test_the_lookup_runs_at_the_short_interval_and_the_old_one_comes_back(default_interval: float) -> None:
    checker = Recording()
    result = check([b"\x01" * 20], checker)
    assert checker.seen == [pytest.approx(LOOP_SWITCH_INTERVAL)]
    assert LOOP_SWITCH_INTERVAL < default_interval
    assert sys.getswitchinterval() == pytest.approx(default_interval)
    assert result.counts == {b"\x01" * 20: 0}


def test_ctrl_c_and_errors_give_the_interval_back(default_interval: float) -> None:
    interrupted = check([b"\x02" * 20], Recording(KeyboardInterrupt()))
    assert interrupted.interrupted and interrupted.counts == {b"\x02" * 20: None}
    assert sys.getswitchinterval() == pytest.approx(default_interval)
    with pytest.raises(RuntimeError):
        check([b"\x03" * 20], Recording(RuntimeError("boom")))
    assert sys.getswitchinterval() == pytest.approx(default_interval)


def test_a_shorter_interval_set_by_the_caller_is_kept() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(LOOP_SWITCH_INTERVAL / 2)
    try:
        checker = Recording()
        check([b"\x04" * 20], checker)
        assert checker.seen == [pytest.approx(LOOP_SWITCH_INTERVAL / 2)]
    finally:
        sys.setswitchinterval(before)
