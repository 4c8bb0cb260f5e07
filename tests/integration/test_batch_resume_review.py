"""A batch survives a crash between writing HITs and recording it, and a reviews CSV reviews once however
often it is uploaded."""

import csv
import io
import threading

import pytest

from tests.batch_support import Batches, read_csv, wait_for


@pytest.fixture
def batches(runtime, requester):
    return Batches(runtime, requester["RequesterId"])


def test_a_crash_after_a_write_resumes_without_writing_any_hit_twice(batches, mturk, new_worker, monkeypatch):
    from openturk.domain import batch_chunks, clock
    from openturk.domain import batches as domain

    monkeypatch.setattr(domain, "ROWS_PER_CHUNK", 40)
    monkeypatch.setattr(batch_chunks, "PROGRESS_EVERY", 20)
    crashed = threading.Event()

    def crash_once(position: int) -> None:
        if not crashed.is_set():
            crashed.set()
            raise RuntimeError(
                "injected: the function died after a BatchWriteItem, before its progress record"
            )

    monkeypatch.setattr(batch_chunks, "after_write", crash_once)
    batches.put_project("describe")
    rows = [["image_url", "caption"]] + [[f"https://example.org/{i}.png", f"row {i}"] for i in range(100)]
    name = "crashing"
    batches.put(f"batches/describe/{name}.csv", "\r\n".join(",".join(r) for r in rows).encode())
    bid = domain.batch_id(batches.requester_id, name)
    wait_for(crashed.is_set, what="the injected crash")
    # the other chunks finish; the crashed one waits for its message to come back (60 s locally)
    wait_for(lambda: sum(bool(c.finished) for c in domain.chunk_items(bid)) == 2, what="the other chunks")
    [broken] = [c for c in domain.chunk_items(bid) if not c.finished]
    index = int(broken.part.split("#")[1])
    first_row = index * 40
    written = mturk.get_hit(HITId=domain.hit_id(bid, first_row))["HIT"]  # written before the crash
    assert int(broken.done_rows) == 0  # ...but not recorded
    worker = new_worker()
    code, _ = worker.accept(written["HITId"])
    assert code == 201

    assert batch_chunks.write_chunk(bid, index, clock.now()) is True  # the message's next delivery

    status = batches.status(name)
    assert (status["Status"], status["HITsCreated"]) == ("Published", 100)
    hits = []
    token = None
    while True:
        page = mturk.list_hits(MaxResults=100, **({"NextToken": token} if token else {}))
        hits += page["HITs"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(hits) == len({hit["HITId"] for hit in hits}) == 100
    # the HIT written before the crash was not written again: the worker's accept still counts
    again = mturk.get_hit(HITId=written["HITId"])["HIT"]
    assert (again["NumberOfAssignmentsPending"], again["NumberOfAssignmentsAvailable"]) == (1, 0)
    balance = mturk.get_account_balance()
    assert balance["OnHoldBalance"] == "12.00"  # one hold: 100 x ($0.10 + $0.02)
    assert batch_chunks.write_chunk(bid, index, clock.now()) is True  # a late duplicate changes nothing
    assert len(mturk.list_hits(MaxResults=100)["HITs"]) == 100


def _marked(results: list[dict[str, str]], marks: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(results[0]), lineterminator="\r\n")
    writer.writeheader()
    for row, (approve, reject) in zip(results, marks, strict=True):
        writer.writerow({**row, "Approve": approve, "Reject": reject})
    return out.getvalue().encode("utf-8")


def test_a_reviews_file_uploaded_twice_approves_rejects_and_pays_once(batches, mturk, new_worker):
    batches.put_project("describe")
    rows = [["image_url", "caption"]] + [[f"https://example.org/{i}.png", f"row {i}"] for i in range(3)]
    name, _ = batches.publish("describe", rows)
    worker = new_worker()
    for hit in sorted(mturk.list_hits()["HITs"], key=lambda hit: hit["HITId"]):
        code, body = worker.accept(hit["HITId"])
        assert code == 201
        worker.submit(body["Assignment"]["AssignmentId"], {"description": "done"})
    results = batches.results(name)
    reviews = _marked(results, [("x", ""), ("", "The description is wrong."), ("", "")])
    outcome_key = f"reviews/describe/{name}.outcome.csv"

    batches.put(f"reviews/describe/{name}.csv", reviews)
    outcomes = read_csv(batches.wait_for_object(outcome_key))
    assert [(o["AssignmentId"], o["Outcome"]) for o in outcomes] == [
        (results[0]["AssignmentId"], "Approved"),
        (results[1]["AssignmentId"], "Rejected"),
        (results[2]["AssignmentId"], "Skipped"),
    ]
    paid = mturk.get_account_balance()
    assert (paid["AvailableBalance"], paid["OnHoldBalance"]) == ("999.76", "0.12")
    rejected = mturk.get_assignment(AssignmentId=results[1]["AssignmentId"])["Assignment"]
    assert (rejected["AssignmentStatus"], rejected["RequesterFeedback"]) == (
        "Rejected",
        "The description is wrong.",
    )

    batches.s3.delete_object(Bucket="openturk-local", Key=batches.prefix + outcome_key)
    batches.put(f"reviews/describe/{name}.csv", reviews)
    outcomes = read_csv(batches.wait_for_object(outcome_key))
    assert [o["Outcome"] for o in outcomes] == ["Unchanged", "Unchanged", "Skipped"]
    again = mturk.get_account_balance()
    assert (again["AvailableBalance"], again["OnHoldBalance"]) == ("999.76", "0.12")
    code, earnings = worker.call("GET", "/worker/api/earnings")
    assert earnings["Approved"] == "0.10"
