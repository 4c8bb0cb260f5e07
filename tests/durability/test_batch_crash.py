"""A batch half ingested when `openturk serve --data-dir` is killed with SIGKILL finishes after the restart:
one HIT per row, its cost held once, the ledger summing to every balance.

The batch bucket's objects are on disk but moto's SQS is not: the chunks' messages die with the process.
The restarted runtime finds the batch still Publishing and sends its unfinished chunks again
(domain/batch_recovery.py); each resumes from its progress without writing a HIT twice. A batch file whose
notification was lost is started too.
"""

import json

import pytest

from tests.batch_support import csv_bytes, local, project, wait_for
from tests.durability.serve_process import Serve, ledger_problems, stored_items

pytestmark = pytest.mark.slow

ROWS = 4_000  # four chunks, written by four pollers at once


def _status(serve: Serve, requester: str, name: str) -> dict:
    code, body = local(serve.endpoint, "/local/batches/status", {"RequesterId": requester, "Name": name})
    return body if code == 200 else {}


def test_half_ingested_batch_finishes_without_duplicates_after_sigkill(tmp_path):
    serve = Serve(tmp_path / "data").start()
    try:
        requester = local(serve.endpoint, "/local/batches/info", {})[1]["RequesterId"]
        s3 = serve.aws("s3")
        prefix = f"requesters/{requester}/"
        s3.put_object(
            Bucket="openturk-local",
            Key=f"{prefix}projects/crash.json",
            Body=json.dumps(project(Reward="0.05")).encode(),
        )
        # A batch file whose notification is lost (as when the process dies before its message is handled):
        # uploaded while the bucket notifies nobody.
        routing = s3.get_bucket_notification_configuration(Bucket="openturk-local")
        routing.pop("ResponseMetadata")
        s3.put_bucket_notification_configuration(Bucket="openturk-local", NotificationConfiguration={})
        small = [
            ["image_url", "caption"],
            ["https://example.org/x.png", "x"],
            ["https://example.org/y.png", "y"],
        ]
        s3.put_object(Bucket="openturk-local", Key=f"{prefix}batches/crash/lost.csv", Body=csv_bytes(small))
        s3.put_bucket_notification_configuration(Bucket="openturk-local", NotificationConfiguration=routing)

        rows = [["image_url", "caption"]] + [
            [f"https://example.org/{i}.png", f"row {i}"] for i in range(ROWS)
        ]
        s3.put_object(Bucket="openturk-local", Key=f"{prefix}batches/crash/big.csv", Body=csv_bytes(rows))

        # Kill it once some of the rows are HITs and before all are (progress is recorded every 200 rows,
        # so more HITs than the status says may be written already: the uncertain stretch).
        during = wait_for(
            lambda: (s := _status(serve, requester, "big")) and 0 < s["HITsCreated"] < ROWS and s,
            timeout=60,
            what="the batch to be half ingested",
        )
        serve.kill()
        assert during["Status"] == "Publishing"

        serve.start()
        done = wait_for(
            lambda: (s := _status(serve, requester, "big")) and s["Status"] == "Published" and s,
            timeout=180,  # about 10 s on an idle machine; a loaded one (load average 10 on 2 cores) took 90 s
            what="the batch to finish after the restart",
        )
        assert (done["RowsRead"], done["HITsCreated"], done["FailedRows"]) == (ROWS, ROWS, 0)
        lost = wait_for(
            lambda: (s := _status(serve, requester, "lost")) and s["Status"] == "Published" and s,
            timeout=60,
            what="the batch whose notification was lost",
        )
        assert lost["HITsCreated"] == 2
    finally:
        serve.stop()

    items = stored_items(tmp_path / "data", "hits", "batches")
    batch_id = done["BatchId"]
    hits = [item for item in items["hits"] if item.get("BatchId", {}).get("S") == batch_id]
    # one HIT per row: the row numbers in the HIT ids are exactly 0 .. ROWS-1
    assert sorted(int(item["HITId"]["S"][-7:]) for item in hits) == list(range(ROWS))
    chunks = [
        item for item in items["batches"] if item["BatchId"]["S"] == batch_id and item["Part"]["S"] != "batch"
    ]
    assert sum(int(chunk["HITsCreated"]["N"]) for chunk in chunks) == ROWS
    assert all(chunk.get("Finished", {}).get("BOOL") for chunk in chunks)
    assert max(int(chunk["Claims"]["N"]) for chunk in chunks) >= 2  # some chunk was taken again

    problems, entries = ledger_problems(tmp_path / "data")
    assert problems == []
    holds = [e for e in entries if e["Kind"]["S"] == "Hold" and e.get("HITId", {}).get("S") == batch_id]
    assert len(holds) == 1  # the batch's cost was held once, before the crash
    per_hit = 5 + 1  # $0.05 and MTurk's minimum fee of $0.01
    assert int(holds[0]["OnHoldDelta"]["N"]) == ROWS * per_hit
