"""Qualification requirements on the worker's path: accept of a HIT with five requirements, and the
worker's HIT list when the listed HITs carry requirements. DynamoDB requests counted per call.

    python -m bench.qualifications          on its own (starts its own runtime)
    python -m bench --only qualifications   with the other sections
"""

import sys
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.counting import reads, writes
from bench.operations import Check, Sample, _print, _summarise, expect, timed
from bench.runtime import Bench, hit_args

TARGETS: dict[str, tuple[str, Check]] = {
    "worker accept, 5 requirements": (
        "1 tx + 1 BatchGet (scores) + <=1 GetItem",
        lambda c: (
            c["TransactWriteItems"] == 1 and writes(c) == 1 and c["BatchGetItem"] == 1 and reads(c) <= 2
        ),
    ),
    "worker list HITs, with requirements": (
        "1 Query per page + 1 BatchGet",
        lambda c: c["Query"] == 1 and c["BatchGetItem"] == 1 and sum(c.values()) == 2,
    ),
}


def run(bench: Bench, iterations: int = 25, warmup: int = 3) -> dict[str, Any]:
    total = warmup + iterations
    mturk = bench.mturk(bench.requester("bench-qualifications"))
    worker = bench.worker_client(f"bench-quals-{uuid.uuid4().hex[:6]}")
    worker_id = expect(worker.call("GET", "/worker/api/profile"), 200)["Profile"]["WorkerId"]
    expect(worker.call("PUT", "/worker/api/profile", {"Locale": {"Country": "US", "Subdivision": "WA"}}), 200)
    custom = []
    for index in range(3):
        type_id = mturk.create_qualification_type(
            Name=f"bench skill {index} {uuid.uuid4().hex[:6]}",
            Description="bench",
            QualificationTypeStatus="Active",
        )["QualificationType"]["QualificationTypeId"]
        mturk.associate_qualification_with_worker(
            QualificationTypeId=type_id, WorkerId=worker_id, IntegerValue=90
        )
        custom.append(type_id)
    requirements = [
        {"QualificationTypeId": custom[0], "Comparator": "GreaterThanOrEqualTo", "IntegerValues": [80]},
        {"QualificationTypeId": custom[1], "Comparator": "In", "IntegerValues": [80, 90, 100]},
        {
            "QualificationTypeId": custom[2],
            "Comparator": "Exists",
            "ActionsGuarded": "DiscoverPreviewAndAccept",
        },
        {
            "QualificationTypeId": "00000000000000000071",
            "Comparator": "EqualTo",
            "LocaleValues": [{"Country": "US"}],
            "ActionsGuarded": "PreviewAndAccept",
        },
        {"QualificationTypeId": "000000000000000000L0", "Comparator": "GreaterThan", "IntegerValues": [95]},
    ]
    samples: dict[str, list[Sample]] = {}

    def measure(name: str, prepare: Callable[[int], Callable[[], Any]]) -> list[Any]:
        outputs = []
        for index in range(total):
            call = prepare(index)
            sample, output = timed(bench, call)
            outputs.append(output)
            if index >= warmup:
                samples.setdefault(name, []).append(sample)
        return outputs

    hits = [
        mturk.create_hit(**hit_args(QualificationRequirements=requirements))["HIT"]["HITId"]
        for _ in range(total)
    ]
    measure(
        "worker list HITs, with requirements",
        lambda i: lambda: expect(worker.call("GET", "/worker/api/hits"), 200),
    )
    accepted = measure("worker accept, 5 requirements", lambda i: lambda: worker.accept(hits[i]))
    for result in accepted:
        expect(result, 201)
    worker.close()

    rows = {}
    for name, found in samples.items():
        row = _summarise(name, found)
        target, check = TARGETS[name]
        shapes = Counter(tuple(sorted(s.counts.items())) for s in found)
        row["Target"], row["MeetsTarget"] = target, check(Counter(dict(shapes.most_common(1)[0][0])))
        rows[name] = row
    result = {
        "Iterations": iterations,
        "Operations": rows,
        "Scans": 0,
        "FirstSignedCall": {"DynamoDB": {}, "Following": {}},
    }
    _print(result)
    return result


def main() -> int:
    bench = Bench()
    bench.start()
    try:
        run(bench, iterations=int(sys.argv[1]) if len(sys.argv) > 1 else 25)
    finally:
        bench.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
