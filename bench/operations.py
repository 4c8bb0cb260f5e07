"""Per operation: median latency through the local gateway, and the DynamoDB requests each call makes.

Requester operations go through boto3's mturk client (SigV4-signed with a requester's key pair), worker
accept and submit through the worker API. Calls are made one at a time from this thread, so the DynamoDB
counter's window around a call holds exactly that call's requests. Each operation is warmed up first: the
first call of a handler imports it, and the first signed call of an access key reads the access_keys
table (then cached a minute per process); the figures are the steady state after that.
"""

import datetime
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.counting import describe, reads, writes
from bench.runtime import Bench, hit_args
from bench.stats import median, ms, percentile, table

Check = Callable[[Counter], bool]

TARGETS: dict[str, tuple[str, Check]] = {
    "GetHIT": ("1 read", lambda c: reads(c) == 1 and writes(c) == 0),
    "GetAssignment": ("1 read", lambda c: reads(c) == 1 and writes(c) == 0),
    "CreateHIT": ("<=1 read, <=1 tx/write", lambda c: reads(c) <= 1 and writes(c) <= 1),
    "ListHITs": ("1 Query per page", lambda c: c["Query"] == 1 and sum(c.values()) == 1),
    "ListReviewableHITs": ("1 Query per page", lambda c: c["Query"] == 1 and sum(c.values()) == 1),
    "worker accept": (
        "1 tx + <=3 reads",
        lambda c: c["TransactWriteItems"] == 1 and writes(c) == 1 and reads(c) <= 3,
    ),
    # A submission writes without reading; the one that closes a HIT's last slot learns so from the
    # refused first attempt (which hands back the HIT) and sends a second transaction.
    "worker submit": ("1 tx, no read", lambda c: c["TransactWriteItems"] == 1 and sum(c.values()) == 1),
    "worker submit, last slot": (
        "<=2 tx, no read",
        lambda c: c["TransactWriteItems"] <= 2 and sum(c.values()) == c["TransactWriteItems"],
    ),
    # Issue 3: review and money.
    "ApproveAssignment": (
        "1 tx + <=2 reads",
        lambda c: c["TransactWriteItems"] == 1 and writes(c) == 1 and reads(c) <= 2,
    ),
    "RejectAssignment": (
        "1 tx + <=2 reads",
        lambda c: c["TransactWriteItems"] == 1 and writes(c) == 1 and reads(c) <= 2,
    ),
    "SendBonus": (
        "1 tx + <=2 reads",
        lambda c: c["TransactWriteItems"] == 1 and writes(c) == 1 and reads(c) <= 2,
    ),
}


@dataclass
class Sample:
    seconds: float
    server_seconds: float
    dynamodb_seconds: float
    counts: Counter


def timed(bench: Bench, call: Callable[[], Any]) -> tuple[Sample, Any]:
    """One call, with the gateway's time for it and its DynamoDB requests."""
    seen = len(bench.dispatch_seconds)
    with bench.counter.window() as window:
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
    server = sum(bench.dispatch_seconds[seen:])
    return Sample(elapsed, server, window.seconds, window.counts), result


def expect(result: tuple[int, dict[str, Any]], wanted: int) -> dict[str, Any]:
    """The body of a worker API answer that must have the status `wanted`."""
    status, body = result
    if status != wanted:
        raise RuntimeError(f"expected HTTP {wanted}, got {status}: {body}")
    return body


def run(bench: Bench, iterations: int = 25, warmup: int = 3) -> dict[str, Any]:
    total = warmup + iterations
    keys = bench.requester("bench-operations")
    mturk = bench.mturk(keys)
    workers = [bench.worker_client(f"bench-ops-{i}-{uuid.uuid4().hex[:6]}") for i in range(3)]
    samples: dict[str, list[Sample]] = {}

    # The first signed call of a key reads access_keys once; the per-operation figures are after it.
    first, _ = timed(bench, lambda: mturk.list_hits(MaxResults=10))
    second, _ = timed(bench, lambda: mturk.list_hits(MaxResults=10))

    def measure(name: str, prepare: Callable[[int], Callable[[], Any]]) -> list[Any]:
        outputs = []
        for index in range(total):
            call = prepare(index)  # set-up, not timed
            sample, output = timed(bench, call)
            outputs.append(output)
            if index >= warmup:
                samples.setdefault(name, []).append(sample)
        return outputs

    def create_hit(**overrides: Any) -> str:
        return mturk.create_hit(**hit_args(**overrides))["HIT"]["HITId"]

    type_args = {
        k: v for k, v in hit_args().items() if k not in ("MaxAssignments", "LifetimeInSeconds", "Question")
    }
    measure(
        "CreateHITType",
        lambda i: (
            lambda: mturk.create_hit_type(**{**type_args, "Title": f"Label image set {uuid.uuid4().hex}"})
        ),
    )
    created = measure("CreateHIT", lambda i: lambda: mturk.create_hit(**hit_args()))
    type_a = mturk.create_hit_type(**type_args)["HITTypeId"]
    type_b = mturk.create_hit_type(**{**type_args, "Reward": "0.30"})["HITTypeId"]
    with_type = {"HITTypeId": type_a, "MaxAssignments": 3, "LifetimeInSeconds": 86_400}
    with_type["Question"] = hit_args()["Question"]
    measure("CreateHITWithHITType", lambda i: lambda: mturk.create_hit_with_hit_type(**with_type))
    some_hit = created[0]["HIT"]["HITId"]
    measure("GetHIT", lambda i: lambda: mturk.get_hit(HITId=some_hit))
    measure("ListHITs", lambda i: lambda: mturk.list_hits(MaxResults=10))

    # One set of HITs goes through expire -> list reviewable -> mark reviewing -> delete.
    ending = [create_hit() for _ in range(total)]
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    measure(
        "UpdateExpirationForHIT",
        lambda i: lambda: mturk.update_expiration_for_hit(HITId=ending[i], ExpireAt=past),
    )
    measure("ListReviewableHITs", lambda i: lambda: mturk.list_reviewable_hits(MaxResults=10))
    measure(
        "UpdateHITReviewStatus",
        lambda i: lambda: mturk.update_hit_review_status(HITId=ending[i], Revert=False),
    )
    measure("DeleteHIT", lambda i: lambda: mturk.delete_hit(HITId=ending[i]))

    retyped = mturk.create_hit_with_hit_type(**with_type)["HIT"]["HITId"]
    measure(
        "UpdateHITTypeOfHIT",
        lambda i: (
            lambda: mturk.update_hit_type_of_hit(HITId=retyped, HITTypeId=type_b if i % 2 == 0 else type_a)
        ),
    )
    extended = create_hit(MaxAssignments=10)
    measure(
        "CreateAdditionalAssignmentsForHIT",
        lambda i: (
            lambda: mturk.create_additional_assignments_for_hit(
                HITId=extended, NumberOfAdditionalAssignments=1
            )
        ),
    )

    worker = workers[0]
    to_accept = [create_hit() for _ in range(total)]
    measure("worker list HITs", lambda i: lambda: expect(worker.call("GET", "/worker/api/hits"), 200))
    measure(
        "worker get HIT",
        lambda i: lambda: expect(worker.call("GET", f"/worker/api/hits/{to_accept[i]}"), 200),
    )
    accepted = measure("worker accept", lambda i: lambda: worker.accept(to_accept[i]))
    assignment_ids = [expect(result, 201)["Assignment"]["AssignmentId"] for result in accepted]
    submitted = measure(
        "worker submit", lambda i: lambda: worker.submit(assignment_ids[i], {"comment": "a cat"})
    )
    for result in submitted:
        expect(result, 200)
    single = [create_hit(MaxAssignments=1) for _ in range(total)]
    last_slots = [expect(worker.accept(hit_id), 201)["Assignment"]["AssignmentId"] for hit_id in single]
    for result in measure(
        "worker submit, last slot", lambda i: lambda: worker.submit(last_slots[i], {"comment": "a cat"})
    ):
        expect(result, 200)
    measure("GetAssignment", lambda i: lambda: mturk.get_assignment(AssignmentId=assignment_ids[i]))
    for other in workers[1:]:  # the listed HIT gets three submitted assignments
        body = expect(other.accept(to_accept[0]), 201)
        expect(other.submit(body["Assignment"]["AssignmentId"], {"comment": "a dog"}), 200)
    measure("ListAssignmentsForHIT", lambda i: lambda: mturk.list_assignments_for_hit(HITId=to_accept[0]))

    # Review and money: each call on its own submitted assignment.
    def submitted_work(count: int) -> list[tuple[str, str]]:
        done = []
        for _ in range(count):
            hit_id = create_hit(MaxAssignments=1)
            body = expect(worker.accept(hit_id), 201)
            assignment_id = body["Assignment"]["AssignmentId"]
            expect(worker.submit(assignment_id, {"comment": "a cat"}), 200)
            done.append((hit_id, assignment_id))
        return done

    to_approve, to_reject = submitted_work(total), submitted_work(total)
    worker_id = mturk.get_assignment(AssignmentId=to_approve[0][1])["Assignment"]["WorkerId"]
    measure("ApproveAssignment", lambda i: lambda: mturk.approve_assignment(AssignmentId=to_approve[i][1]))
    measure(
        "RejectAssignment",
        lambda i: lambda: mturk.reject_assignment(AssignmentId=to_reject[i][1], RequesterFeedback="blank"),
    )
    measure(
        "SendBonus",
        lambda i: (
            lambda: mturk.send_bonus(
                WorkerId=worker_id,
                AssignmentId=to_approve[i][1],
                BonusAmount="0.50",
                Reason="thorough work",
                UniqueRequestToken=uuid.uuid4().hex,
            )
        ),
    )
    measure("ListBonusPayments", lambda i: lambda: mturk.list_bonus_payments(HITId=to_approve[i][0]))
    measure("GetAccountBalance", lambda i: lambda: mturk.get_account_balance())
    for client in workers:
        client.close()

    rows = {name: _summarise(name, found) for name, found in samples.items()}
    scans = sum(sample.counts["Scan"] for found in samples.values() for sample in found)
    result = {
        "Iterations": iterations,
        "Operations": rows,
        "Scans": scans,
        "FirstSignedCall": {"DynamoDB": dict(first.counts), "Following": dict(second.counts)},
    }
    _print(result)
    return result


def _summarise(name: str, found: list[Sample]) -> dict[str, Any]:
    shapes = Counter(tuple(sorted(s.counts.items())) for s in found)
    steady = Counter(dict(shapes.most_common(1)[0][0]))
    target, check = TARGETS.get(name, ("", lambda c: True))
    return {
        "MedianMs": ms(median([s.seconds for s in found])),
        "P90Ms": ms(percentile([s.seconds for s in found], 0.9)),
        "ServerMedianMs": ms(median([s.server_seconds for s in found])),
        "DynamoDBMedianMs": ms(median([s.dynamodb_seconds for s in found])),
        "DynamoDB": dict(steady),
        "DynamoDBRequests": sum(steady.values()),
        "Varied": {describe(Counter(dict(shape))): n for shape, n in shapes.items()}
        if len(shapes) > 1
        else {},
        "Target": target,
        "MeetsTarget": check(steady) if target else None,
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"\n== Per operation through the local gateway (median of {result['Iterations']} calls after warm-up)"
    )
    print("   total = as the client sees it; gateway = inside the gateway (routing, handler, DynamoDB);")
    print("   DynamoDB = inside PynamoDB's DynamoDB calls (serialisation, HTTP, DynamoDB Local)")
    rows = []
    for name, row in result["Operations"].items():
        verdict = "" if row["MeetsTarget"] is None else ("meets" if row["MeetsTarget"] else "MISSES")
        rows.append(
            [
                name,
                f"{row['MedianMs']:.1f}",
                f"{row['P90Ms']:.1f}",
                f"{row['ServerMedianMs']:.1f}",
                f"{row['DynamoDBMedianMs']:.1f}",
                describe(Counter(row["DynamoDB"])),
                row["Target"],
                verdict,
            ]
        )
    print(
        table(
            [
                "operation",
                "total ms",
                "p90 ms",
                "gateway ms",
                "DynamoDB ms",
                "DynamoDB requests",
                "target",
                "",
            ],
            rows,
        )
    )
    for name, row in result["Operations"].items():
        if row["Varied"]:
            print(f"  {name}: DynamoDB requests varied between calls: {row['Varied']}")
    first = result["FirstSignedCall"]
    print(
        f"  first signed call of a new key (ListHITs): {describe(Counter(first['DynamoDB']))};"
        f" the next: {describe(Counter(first['Following']))}"
    )
    print(f"  Scan: {result['Scans']}  (target 0)")
