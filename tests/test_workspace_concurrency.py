"""Two processes writing rules and adjudications at once lose nothing."""

from __future__ import annotations

import itertools
import multiprocessing
from pathlib import Path

from analysis.workspace import (
    RuleDraft,
    create_rule,
    latest_adjudications,
    open_workspace,
    rule_history,
    save_rule_version,
    set_final_label,
)

WRITES_PER_PROCESS = 1000


def _writer(folder: str, name: str, rule_id: int, start: multiprocessing.synchronize.Barrier) -> None:
    ws = open_workspace(folder)
    start.wait(timeout=60)  # both processes begin writing together
    for i in range(WRITES_PER_PROCESS // 2):
        save_rule_version(ws, rule_id, RuleDraft(f"{name} edit {i}", label_a="pos", label_b="neg"), author=name)
        set_final_label(ws, "shared", f"{name}-{i}", "pos", note=f"{name} {i}", author=name)


def test_two_processes_writing_at_once_lose_no_write(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    rule = create_rule(ws, RuleDraft("shared rule", label_a="pos", label_b="neg"))
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [
        context.Process(target=_writer, args=(str(tmp_path), name, rule.rule_id, start))
        for name in ("alice", "bora")
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
    assert [process.exitcode for process in writers] == [0, 0]

    history = rule_history(ws, rule.rule_id)
    assert [v.version for v in history] == list(range(1, WRITES_PER_PROCESS + 2))  # no gap, no clash
    titles = {v.title for v in history[1:]}
    assert titles == {f"{name} edit {i}" for name in ("alice", "bora") for i in range(WRITES_PER_PROCESS // 2)}
    authors = [v.author for v in history[1:]]
    switches = sum(a != b for a, b in itertools.pairwise(authors))
    assert switches >= 2  # the writes really interleaved

    decided = latest_adjudications(ws, "shared")
    assert len(decided) == WRITES_PER_PROCESS
    assert set(decided["note"]) == {f"{name} {i}" for name in ("alice", "bora") for i in range(WRITES_PER_PROCESS // 2)}
