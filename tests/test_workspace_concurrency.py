"""Two processes writing rules and adjudications at once lose nothing.

The writers start together (a barrier) and meet again half-way (a second barrier), so
both have written before either finishes: the writes overlap by construction, whatever
the scheduler does, and the test asserts only what must hold under any interleaving
(no lost, duplicated or renumbered write).

The writers are spawned with a bare ``__main__``: earlier tests in the same session run
Streamlit scripts as ``__main__``, and a spawned process would otherwise re-run that
script before starting.
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.synchronize
import sys
import types
from pathlib import Path

import pytest

from analysis.workspace import (
    RuleDraft,
    create_rule,
    latest_adjudications,
    open_workspace,
    rule_history,
    save_rule_version,
    set_final_label,
)

ROUNDS = 500  # per process; each round saves one rule version and one adjudication (1,000 writes)
NAMES = ("alice", "bora")
BARRIER_TIMEOUT_S = 120


def _writer(folder: str, name: str, rule_id: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    ws = open_workspace(folder)
    barrier.wait(timeout=BARRIER_TIMEOUT_S)  # both processes begin writing together
    for i in range(ROUNDS):
        if i == ROUNDS // 2:
            barrier.wait(timeout=BARRIER_TIMEOUT_S)  # neither finishes before the other began
        save_rule_version(ws, rule_id, RuleDraft(f"{name} edit {i}", label_a="pos", label_b="neg"), author=name)
        set_final_label(ws, "shared", f"{name}-{i}", "pos", note=f"{name} {i}", author=name)


def test_two_processes_writing_at_once_lose_no_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    ws = open_workspace(tmp_path)
    rule = create_rule(ws, RuleDraft("shared rule", label_a="pos", label_b="neg"))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(NAMES))
    writers = [
        context.Process(target=_writer, args=(str(tmp_path), name, rule.rule_id, barrier))
        for name in NAMES
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=2 * BARRIER_TIMEOUT_S)
    for process in writers:
        if process.is_alive():
            process.kill()
    assert [process.exitcode for process in writers] == [0, 0]

    history = rule_history(ws, rule.rule_id)
    total = ROUNDS * len(NAMES)
    assert [v.version for v in history] == list(range(1, total + 2))  # no gap, no clash
    titles = [v.title for v in history[1:]]
    expected = {f"{name} edit {i}" for name in NAMES for i in range(ROUNDS)}
    assert len(titles) == total and set(titles) == expected  # each write exactly once
    # Each writer's own versions keep its order, however the two interleave.
    for name in NAMES:
        mine = [int(t.rsplit(" ", 1)[1]) for t in titles if t.startswith(f"{name} ")]
        assert mine == list(range(ROUNDS))
    # The half-way barrier makes both writers appear in each half of the history.
    first, second = history[1:1 + total // 2], history[1 + total // 2:]
    for half in (first, second):
        assert {v.author for v in half} == set(NAMES)
    assert sum(a != b for a, b in itertools.pairwise(v.author for v in history[1:])) >= 2

    decided = latest_adjudications(ws, "shared")
    assert len(decided) == total
    assert set(decided["note"]) == {f"{name} {i}" for name in NAMES for i in range(ROUNDS)}
