"""`openturk serve --data-dir` killed with SIGKILL at several points keeps every acknowledged write.

One data directory, one workload, four kills: the server alone with events still in the outbox, its
DynamoDB Local alone while the server runs on, both at once in the middle of a stream of CreateHITs.
After each restart what was acknowledged is there, no money moved twice, and at the end every
account's ledger entries sum to its balance.
"""

import json
import threading
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from tests.durability.serve_process import Serve, ledger_problems
from tests.support import WorkerClient, hit_args

pytestmark = pytest.mark.slow


def _until(check, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
            if found:
                return found
        except Exception:  # the server or its DynamoDB Local is still coming back
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def _balance(mturk) -> str:
    return mturk.get_account_balance()["AvailableBalance"]


def test_acknowledged_writes_survive_sigkill(tmp_path):
    serve = Serve(tmp_path / "data").start()
    try:
        # ---- 1. work, notifications waiting in the outbox (the long tick never delivers), kill ------
        mturk = serve.mturk()
        sqs = serve.aws("sqs")
        queue = sqs.create_queue(QueueName="crash-events")["QueueUrl"]
        hit_type = mturk.create_hit_type(
            Title="Crash test", Description="d", Reward="0.50", AssignmentDurationInSeconds=600
        )["HITTypeId"]
        mturk.update_notification_settings(
            HITTypeId=hit_type,
            Notification={
                "Destination": queue,
                "Transport": "SQS",
                "Version": "2014-08-15",
                "EventTypes": ["AssignmentSubmitted"],
            },
            Active=True,
        )
        hits = [
            mturk.create_hit_with_hit_type(
                HITTypeId=hit_type, MaxAssignments=2, LifetimeInSeconds=3600, Question=hit_args()["Question"]
            )["HIT"]["HITId"]
            for _ in range(3)
        ]
        alice = WorkerClient(serve.endpoint, "alice")
        submitted = []
        for hit_id in hits[:2]:
            status, body = alice.accept(hit_id)
            assert status == 201, body
            assignment_id = body["Assignment"]["AssignmentId"]
            status, body = alice.submit(assignment_id, {"comment": f"answer for {hit_id}"})
            assert status == 200, body
            submitted.append(assignment_id)
        s3 = serve.aws("s3")
        s3.create_bucket(Bucket="crash-batches")
        s3.put_object(Bucket="crash-batches", Key="in/batch 1.csv", Body=b"a,b\n1,2\n", Metadata={"n": "1"})
        s3.copy_object(Bucket="crash-batches", Key="in/copy.csv", CopySource="crash-batches/in/batch 1.csv")
        s3.put_object(Bucket="crash-batches", Key="deleted.csv", Body=b"x")
        s3.delete_object(Bucket="crash-batches", Key="deleted.csv")
        routing = {
            "QueueConfigurations": [
                {
                    "QueueArn": sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
                        "Attributes"
                    ]["QueueArn"],
                    "Events": ["s3:ObjectCreated:*"],
                }
            ]
        }
        s3.put_bucket_notification_configuration(Bucket="crash-batches", NotificationConfiguration=routing)
        balance = _balance(mturk)
        serve.kill()

        serve.start(tick=1.0)
        sqs.create_queue(QueueName="crash-events")  # moto's queues live in memory: make it again
        mturk = serve.mturk()
        assert {h["HITId"] for h in mturk.list_hits()["HITs"]} >= set(hits)
        assert _balance(mturk) == balance
        for assignment_id in submitted:
            assert mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["AssignmentStatus"] == (
                "Submitted"
            )
        # S3: the objects as uploaded, the deleted one gone, the bucket's notification settings back
        listed = s3.list_objects_v2(Bucket="crash-batches")["Contents"]
        assert [o["Key"] for o in listed] == ["in/batch 1.csv", "in/copy.csv"]
        kept = s3.get_object(Bucket="crash-batches", Key="in/copy.csv")
        assert (kept["Body"].read(), kept["Metadata"]) == (b"a,b\n1,2\n", {"n": "1"})
        settings = s3.get_bucket_notification_configuration(Bucket="crash-batches")["QueueConfigurations"]
        assert [(c["QueueArn"], c["Events"]) for c in settings] == [
            (c["QueueArn"], c["Events"]) for c in routing["QueueConfigurations"]
        ]
        # the same name signs in as the same worker, who still sees their work
        assert WorkerClient(serve.endpoint, "alice").worker_id == alice.worker_id
        # the outbox's notifications, pending at the kill, are delivered by the restarted background loop
        received: set[str] = set()

        def both_delivered():
            for message in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
                for event in json.loads(message["Body"])["Events"]:
                    received.add(event["AssignmentId"])
            return received >= set(submitted)

        _until(both_delivered)

        # ---- 2. approve and bonus, then DynamoDB Local alone is killed; the server brings it back ----
        mturk.approve_assignment(AssignmentId=submitted[0])
        bonus = dict(
            WorkerId=alice.worker_id,
            AssignmentId=submitted[0],
            BonusAmount="1.00",
            Reason="Thanks",
            UniqueRequestToken="crash-bonus-1",
        )
        mturk.send_bonus(**bonus)
        balance = _balance(mturk)
        serve.kill_java()
        assert _until(lambda: _balance(mturk)) == balance  # the tick revived it, with everything
        with pytest.raises(ClientError):  # a retried bonus is refused: paid once
            mturk.send_bonus(**bonus)
        with pytest.raises(ClientError):
            mturk.approve_assignment(AssignmentId=submitted[0])
        assert _balance(mturk) == balance
        assert mturk.get_assignment(AssignmentId=submitted[0])["Assignment"]["AssignmentStatus"] == "Approved"

        # ---- 3. both processes killed in the middle of a stream of CreateHITs -------------------------
        acknowledged: list[str] = []
        stop = threading.Event()

        def create_hits():
            client = serve.mturk()
            while not stop.is_set():
                try:
                    acknowledged.append(client.create_hit(**hit_args(Reward="0.10"))["HIT"]["HITId"])
                except Exception:
                    return  # the server died under this call: it was never acknowledged

        writer = threading.Thread(target=create_hits)
        writer.start()
        _until(lambda: len(acknowledged) >= 5, timeout=30)
        serve.kill(with_java=True)
        stop.set()
        writer.join(10)

        serve.start(tick=1.0)
        mturk = serve.mturk()
        for hit_id in acknowledged:
            assert mturk.get_hit(HITId=hit_id)["HIT"]["HITId"] == hit_id
        mturk.approve_assignment(AssignmentId=submitted[1])
        worker = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{serve.endpoint}/worker/api/earnings",
                    headers={"Authorization": f"Bearer {WorkerClient(serve.endpoint, 'alice').token}"},
                )
            ).read()
        )
        assert (worker["Approved"], worker["Bonuses"]) == ("1.00", "1.00")  # two rewards of 0.50, one bonus
    finally:
        serve.stop()

    # ---- 4. the books: every balance is what its ledger says; each payment made once -----------------
    problems, entries = ledger_problems(tmp_path / "data")
    assert problems == []
    payments = [e["AssignmentId"]["S"] for e in entries if e["Kind"]["S"] == "Payment"]
    assert sorted(payments) == sorted(submitted)
    bonuses = [e for e in entries if e["Kind"]["S"] == "Bonus"]
    assert len(bonuses) == 1
