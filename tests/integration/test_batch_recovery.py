"""What `openturk serve --data-dir` does at start for batches its last run left half published
(domain/batch_recovery.py), in process: a chunk whose writer died holding its lease, and whose message is
gone, is freed and sent again; the batch completes with one HIT per row. (tests/durability/
test_batch_crash.py does the same with a real SIGKILL.)"""

import threading

import pytest

from tests.batch_support import Batches, wait_for


@pytest.fixture
def batches(runtime, requester):
    return Batches(runtime, requester["RequesterId"])


def test_a_chunk_left_leased_by_a_dead_writer_is_resumed_at_start(batches, mturk, monkeypatch):
    from openturk.data.batches import Batch
    from openturk.domain import batch_chunks, batch_recovery, clock
    from openturk.domain import batches as domain

    monkeypatch.setattr(domain, "ROWS_PER_CHUNK", 40)
    monkeypatch.setattr(batch_chunks, "PROGRESS_EVERY", 20)
    crashed = threading.Event()

    def crash_once(position: int) -> None:
        if position > 20 and not crashed.is_set():
            crashed.set()
            raise RuntimeError("injected: the process died after a BatchWriteItem")

    monkeypatch.setattr(batch_chunks, "after_write", crash_once)
    batches.put_project("describe")
    rows = [["image_url", "caption"]] + [[f"https://example.org/{i}.png", f"row {i}"] for i in range(100)]
    name = "recovering"
    batches.put(f"batches/describe/{name}.csv", "\r\n".join(",".join(r) for r in rows).encode())
    bid = domain.batch_id(batches.requester_id, name)
    wait_for(crashed.is_set, what="the injected crash")
    wait_for(lambda: sum(bool(c.finished) for c in domain.chunk_items(bid)) == 2, what="the other chunks")
    [broken] = [c for c in domain.chunk_items(bid) if not c.finished]
    assert int(broken.done_rows) == 20  # its first progress record; more rows were written after it
    # As after a SIGKILL: the writer never released its lease (its message's redelivery is what a
    # restarted runtime no longer has).
    broken.update(actions=[Batch.lease_owner.set("dead"), Batch.lease_until.set(clock.now() + 330)])
    assert batch_chunks.write_chunk(bid, int(broken.part.split("#")[1]), clock.now()) is False  # leased

    assert batch_recovery.resume_publishing() == {"Batches": 1, "Chunks": 1}
    status = wait_for(
        lambda: (s := batches.status(name))["Status"] == "Published" and s, what="the resumed batch"
    )
    assert status["HITsCreated"] == 100
    found = [domain.hit_id(bid, row) for row in range(100)]
    assert [mturk.get_hit(HITId=hit_id)["HIT"]["HITId"] for hit_id in found] == found
    assert mturk.get_account_balance()["OnHoldBalance"] == "12.00"  # one hold: 100 x ($0.10 + $0.02)
    # Published: no longer among the batches to resume
    assert batch_recovery.resume_publishing() == {"Batches": 0, "Chunks": 0}
