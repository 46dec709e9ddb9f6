"""Strength scores taken at read time: real zxcvbn scores, user inputs, the cap, one score per password."""

from __future__ import annotations

import sys
import time

import pytest

from pwcheck.model.credential import Credential, password_sha1
from pwcheck.sources.interface import make_credential
from pwcheck.sources.strength import MAX_SCORED, score, scoring_run, strength, user_inputs


def _credential(password: str, username: str | None = None, url: str = "https://shop.example.com/") -> Credential:
    item = make_credential("t.csv", "chromium", 1, password=password, title=None, urls=[url], username=username)
    assert isinstance(item, Credential)
    return item


def test_known_passwords_get_zxcvbn_s_real_scores() -> None:
    assert _credential("password").strength == 0
    assert _credential("qwerty123").strength == 0
    assert _credential("P@ssw0rd").strength == 0
    assert _credential("correct horse battery staple").strength == 4
    assert _credential("vexed-Quorum-tundra-Ibex-7-plinth").strength == 4


def test_the_username_and_the_site_count_as_known_to_an_attacker() -> None:
    assert user_inputs("alice.smith@mail.example", ["https://portal.shipco.com/login", "shop.example.org"]) == [
        "alice.smith@mail.example", "alice.smith", "portal", "shipco", "shop", "example"]
    alone = score("shipcoportal2024", [])
    with_site = score("shipcoportal2024", user_inputs(None, ["https://portal.shipco.com/"]))
    assert alone is not None and with_site is not None and with_site < alone
    assert _credential("fernandezmaria1987", "fernandezmaria").strength < _credential("fernandezmaria1987", "bob").strength  # type: ignore[operator]


def test_only_the_first_characters_are_scored_so_a_huge_password_costs_no_more() -> None:
    huge = "Zq8!" + "x" * 1_000_000
    started = time.perf_counter()
    got = _credential(huge).strength
    assert time.perf_counter() - started < 2.0
    assert got == score(huge[:MAX_SCORED], user_inputs(None, ["https://shop.example.com/"]))
    # The digest is still of the exact, whole password: only the score looks at a prefix.
    assert _credential(huge).sha1 == password_sha1(huge)


def test_a_password_read_twice_in_a_run_is_scored_once_with_its_first_reading() -> None:
    with scoring_run() as run:
        first = _credential("shipcoportal2024", "alice", "https://portal.shipco.com/")
        again = _credential("shipcoportal2024", "zed", "https://other.example/")
        other = _credential("password", "alice")
    assert first.strength == again.strength and run.scored == 2 and other.strength == 0
    # Outside a run nothing is remembered: the other reading scores on its own inputs.
    assert _credential("shipcoportal2024", "zed", "https://other.example/").strength != first.strength


def test_a_run_without_the_weak_check_scores_nothing() -> None:
    with scoring_run(enabled=False) as run:
        assert _credential("password").strength is None
        assert strength(password_sha1("x"), "x", None, []) is None
    assert run.scored == 0


def test_the_credential_keeps_a_score_and_no_text() -> None:
    credential = _credential("hunter2-Hunter2", "alice")
    assert "hunter2" not in repr(credential).lower()
    values = [getattr(credential, name) for name in Credential.__slots__]
    assert not any(isinstance(v, str) and "hunter2" in v.lower() for v in values)
    assert isinstance(credential.strength, int) and 0 <= credential.strength <= 4


def test_odd_text_scores_or_is_left_unscored_but_never_fails() -> None:
    for text in ("\x00", "\ud7ff\ue000", "🔑" * 200, " ", "a\r\nb", "\u202e"):
        got = score(text, ["\x00", ""])
        assert got is None or 0 <= got <= 4


def test_scoring_in_the_background_gives_the_same_scores_once_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit's path: `collect(background=True)` leaves scores to a thread, settled before the verdicts."""
    import pwcheck.sources.strength as strength_module
    from pwcheck.model.source import ItemSource
    from pwcheck.sources.collect import collect

    monkeypatch.setattr(strength_module, "QUEUED", 2)  # a full queue makes the reader wait: nothing is lost
    rows = [("password", "alice", "https://a.example/"), ("shipcoportal2024", "alice", "https://portal.shipco.com/"),
            ("correct horse battery staple", None, "https://b.example/"), ("password", "bob", "https://c.example/"),
            ("qwerty123", "carol", "https://d.example/"), ("vexed-Quorum-tundra-Ibex-7-plinth", "dan", "https://e.example/")]

    def read():  # type: ignore[no-untyped-def]
        for number, (pw, user, url) in enumerate(rows, 1):
            yield make_credential("t.csv", "chromium", number, password=pw, title=None, urls=[url], username=user)

    inline = collect([ItemSource("t.csv", read)])
    assert inline.pending_scores is None
    background = collect([ItemSource("t.csv", read)], background=True)
    assert background.pending_scores is not None
    # Until settled a credential may still lack its score (the thread works meanwhile); after, none does.
    background.settle_scores()
    assert background.pending_scores is None
    expected = [c.strength for c in inline.credentials]
    assert [c.strength for c in background.credentials] == expected
    assert None not in expected and expected[0] == expected[3] == 0 and expected[2] == expected[5] == 4
    # Off (`--checks` without weak): nothing is queued or waited for.
    off = collect([ItemSource("t.csv", read)], strength=False, background=True)
    assert off.pending_scores is None and all(c.strength is None for c in off.credentials)


def test_the_scorer_child_and_its_fallbacks_give_the_same_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit's scores come from a child process (`_scorer`) on the other core; without one (a frozen
    build) the thread scores them itself; a child that dies leaves its passwords unscored (None), never
    another password's score."""
    import subprocess

    import pwcheck.sources.strength as strength_module

    texts = [("password", ["alice"]), ("correct horse battery staple", []), ("shipcoportal2024", ["portal", "shipco"]),
             ("Zq8!vexed-Quorum", []), ("ünïcödé-🦊-pass\nline", [])]
    expected = [score(text, inputs) for text, inputs in texts]

    def run() -> list[int | None]:
        with scoring_run(background=True) as run:
            for text, inputs in texts:
                run._enqueue(password_sha1(text), text, inputs)  # noqa: SLF001 - what `score` does in the audit
            results = run.results()
        return [results.get(password_sha1(text)) for text, _ in texts]

    started: list[object] = []
    real = strength_module._scorer

    def counted() -> object:
        child = real()
        started.append(child)
        return child

    monkeypatch.setattr(strength_module, "_scorer", counted)
    assert run() == expected and isinstance(started[0], subprocess.Popen)
    monkeypatch.setattr(strength_module, "_scorer", lambda: None)
    assert run() == expected
    monkeypatch.setattr(strength_module, "_scorer", lambda: subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); print(3)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE))
    assert run() == [3, None, None, None, None]  # it answered for the first only: the rest stay unknown


def test_a_scorer_started_ahead_is_the_one_that_scores_and_an_unused_one_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit starts its scorer child before importing its pipeline (`start_scorer`, issue 19): the
    background thread must use that child, start no second one, and a run that needs none stops it."""
    import pwcheck.sources.strength as strength_module
    from pwcheck.sources.strength import start_scorer

    ahead = start_scorer()
    assert ahead is not None
    monkeypatch.setattr(strength_module, "_scorer", lambda: pytest.fail("a second scorer child was started"))
    texts = [("password", ["alice"]), ("correct horse battery staple", [])]
    with scoring_run(background=True, scorer=ahead) as run:
        for text, inputs in texts:
            run._enqueue(password_sha1(text), text, inputs)  # noqa: SLF001 - what `score` does in the audit
        results = run.results()
    assert [results[password_sha1(text)] for text, _ in texts] == [score(text, inputs) for text, inputs in texts]
    assert ahead.returncode == 0  # it scored, wrote its answers and ended

    monkeypatch.undo()
    for enabled in (True, False):  # nothing read, or the weak check off: the waiting child is not left running
        unused = start_scorer()
        assert unused is not None
        with scoring_run(enabled=enabled, background=True, scorer=unused):
            pass
        assert unused.returncode is not None


def test_passwords_reach_the_scorer_child_while_the_run_goes_on_not_when_it_asks_for_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Queued passwords are flushed to the child as soon as the queue runs dry: the last few kilobytes
    used to wait in the pipe's buffer until `results()`, and the report then waited for their scoring."""
    import os
    import select
    import subprocess

    import pwcheck.sources.strength as strength_module

    child = subprocess.Popen(  # says on stderr how many lines it has received, answers 1 for each at the end
        [sys.executable, "-c", "import sys\nn = 0\nfor line in sys.stdin.buffer:\n    n += 1\n    "
         "sys.stderr.write(f'{n}\\n'); sys.stderr.flush()\nprint('1\\n' * n, end='')"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    monkeypatch.setattr(strength_module, "_scorer", lambda: child)
    texts = ["password", "letmein", "hunter2"]
    with scoring_run(background=True) as run:
        for text in texts:
            run._enqueue(password_sha1(text), text, [])  # noqa: SLF001 - what `score` does in the audit
        received = 0
        while received < len(texts):  # before `results()`: the child has them all
            ready, _, _ = select.select([child.stderr], [], [], 20)
            assert ready, f"the child received {received} of {len(texts)} passwords before the results were asked for"
            received = int(os.read(child.stderr.fileno(), 1024).split()[-1])  # unbuffered: select sees what is left
        assert [run.results()[password_sha1(text)] for text in texts] == [1, 1, 1]
