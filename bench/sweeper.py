"""The sweeper: what a sweep with nothing due costs, and what each due item costs to make durable.

In the runtime's process: HITs are posted through the API, then `due` assignments are accepted through
the same domain function the worker API calls (in-process, to seed quickly), the clock moves past their
deadline, and sweeps run until none is left. Event delivery is measured on its own, on a sample of the
backlog those transitions recorded, since the two costs add up per item.
"""

import time
from collections import Counter
from typing import Any

from bench.counting import describe
from bench.runtime import Bench, hit_args
from bench.stats import ms


def run(bench: Bench, due: int, delivery_sample: int = 300) -> dict[str, Any]:
    from unittest import mock

    from openturk.domain import assignments, clock, ids, notifications, sweeper

    keys = bench.requester("bench-sweeper")
    mturk = bench.mturk(keys)
    # Nothing due yet: the cost of an idle sweep, whatever is stored.
    notifications.deliver_pending(clock.now(), pages=1000)  # the backlog other sections left
    with bench.counter.window() as idle:
        sweeper.sweep(clock.now())

    slots = 100
    hit_ids = [
        mturk.create_hit(**hit_args(MaxAssignments=slots, AssignmentDurationInSeconds=30))["HIT"]["HITId"]
        for _ in range(max(1, due // slots))
    ]
    started = time.perf_counter()
    accepted = 0
    for hit_id in hit_ids:
        for index in range(min(slots, due - accepted)):
            worker_id = "A" + ids.derived_id("bench-sweeper", hit_id, str(index), length=13)
            assignments.accept(worker_id, hit_id, clock.now())
            accepted += 1
    seeding = time.perf_counter() - started
    clock.advance(31)

    # The transitions alone (delivery measured below): sweep until nothing more is abandoned.
    passes, abandoned = 0, 0
    skip_delivery = mock.patch.object(notifications, "deliver_pending", lambda now, **_: {"Delivered": 0})
    with skip_delivery, bench.counter.window() as window:
        started = time.perf_counter()
        while True:
            done = sweeper.sweep(clock.now())["Abandoned"]
            passes += 1
            abandoned += done
            if done == 0:
                break
        seconds = time.perf_counter() - started
    with bench.counter.window() as delivery:
        started = time.perf_counter()
        delivered = notifications.deliver_pending(clock.now(), limit=delivery_sample, pages=1)["Delivered"]
        delivery_seconds = time.perf_counter() - started
    result = {
        "IdleSweepDynamoDB": dict(idle.counts),
        "IdleSweepRequests": sum(idle.counts.values()),
        "Due": accepted,
        "SeedingSeconds": round(seeding, 1),
        "Abandoned": abandoned,
        "Passes": passes,
        "SweepSeconds": round(seconds, 2),
        "PerItemMs": ms(seconds / max(abandoned, 1)),
        "PerItemDynamoDB": {k: round(v / max(abandoned, 1), 2) for k, v in window.counts.items()},
        "DeliveredSample": delivered,
        "DeliveryPerEventMs": ms(delivery_seconds / max(delivered, 1)),
        "DeliveryPerEventDynamoDB": {k: round(v / max(delivered, 1), 2) for k, v in delivery.counts.items()},
    }
    _print(result)
    return result


def _print(r: dict[str, Any]) -> None:
    print("\n== Sweeper (the schedules' work)")
    print(
        f"   a sweep with nothing due: {describe(Counter(r['IdleSweepDynamoDB']))} ({r['IdleSweepRequests']} requests, whatever is stored)"
    )
    print(
        f"   {r['Abandoned']} of {r['Due']} due assignments abandoned in {r['SweepSeconds']} s over {r['Passes']} sweeps:"
        f" {r['PerItemMs']} ms and {r['PerItemDynamoDB']} DynamoDB requests per item"
    )
    print(
        f"   event delivery (sample of {r['DeliveredSample']}): {r['DeliveryPerEventMs']} ms and"
        f" {r['DeliveryPerEventDynamoDB']} DynamoDB requests per event, plus the bus and destination calls"
    )
