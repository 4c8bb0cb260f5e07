"""DynamoDB Local's threads share one CPU (its HTTP threads hand every read and write to one SQLite
thread, and a handoff between CPUs costs more than the work), except while a batch is published, when
they may use them all."""

import os
from pathlib import Path

import pytest

from openturk.local import engines
from tests.batch_support import Batches

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="CPU affinity needs Linux and two CPUs",
)


def thread_cpus(pid: int) -> set[frozenset[int]]:
    """The distinct CPU sets of a process's threads."""
    return {frozenset(os.sched_getaffinity(int(task))) for task in os.listdir(f"/proc/{pid}/task")}


def test_by_default_one_cpu_the_last_this_process_may_use(monkeypatch):
    monkeypatch.delenv("OPENTURK_DYNAMODB_CPUS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert engines.engine_cpus() == {3}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("all", None), ("1", {1}), ("0,2", {0, 2}), ("7", None), ("", {3})],
)
def test_the_setting_chooses_them(monkeypatch, setting, expected):
    monkeypatch.setenv("OPENTURK_DYNAMODB_CPUS", setting)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert engines.engine_cpus() == expected  # a CPU this process may not use is no choice


def test_every_jvm_thread_is_on_the_engine_cpu_until_widened(runtime):
    engine = runtime.dynamodb
    if engine.cpus is None:
        pytest.skip("OPENTURK_DYNAMODB_CPUS=all: the engine is not confined")
    pid = engine.process.pid
    assert Path(f"/proc/{pid}").exists()
    assert thread_cpus(pid) == {frozenset(engine.cpus)}

    everywhere = frozenset(os.sched_getaffinity(0))
    with engine.on_all_cpus():
        with engine.on_all_cpus():  # nested and concurrent users share one widening
            assert thread_cpus(pid) == {everywhere}
        assert thread_cpus(pid) == {everywhere}
    assert thread_cpus(pid) == {frozenset(engine.cpus)}


def test_the_batch_function_runs_with_the_engine_widened(runtime, requester, monkeypatch):
    entered = []
    widen = runtime.batch_events.engine_busy

    def recording():
        entered.append(True)
        return widen()

    monkeypatch.setattr(runtime.batch_events, "engine_busy", recording)
    batches = Batches(runtime, requester["RequesterId"])
    batches.put_project("cpus")
    _, status = batches.publish("cpus", [["image_url", "caption"], ["https://example.org/a.png", "a"]])
    assert status["HITsCreated"] == 1
    assert entered
