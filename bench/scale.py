"""Cost must not grow with the data stored: accept, submit, CreateHIT and ListHITs with 100 and 20,000 HITs.

The store is filled directly (BatchWriteItem of the same items CreateHIT and a submitted assignment leave
behind), all for the requester being measured, so its own index partitions grow too.
"""

from collections import Counter
from functools import partial
from typing import Any

from bench.counting import describe
from bench.operations import Sample, expect, timed
from bench.runtime import Bench, hit_args
from bench.stats import median, ms, table

SMALL, LARGE = 100, 20_000
TARGET_RATIO = 1.5
MEASURED = ("worker accept", "worker submit", "CreateHIT", "ListHITs")


class Scale:
    def __init__(self, bench: Bench, iterations: int = 40, warmup: int = 5):
        self.bench, self.iterations, self.warmup = bench, iterations, warmup
        keys = bench.requester("bench-scale")
        self.keys = keys
        self.mturk = bench.mturk(keys)
        self.worker = bench.worker_client()
        self.small_result: dict[str, Any] = {}

    def _measure(self, label: str) -> dict[str, Any]:
        total = self.warmup + self.iterations
        targets = self.bench.seed_hits(self.keys, total, max_assignments=3)
        stored = self.bench.item_counts()
        samples: dict[str, list[Sample]] = {name: [] for name in MEASURED}

        def keep(name: str, index: int, sample: Sample) -> None:
            if index >= self.warmup:
                samples[name].append(sample)

        for index, hit_id in enumerate(targets):
            sample, answer = timed(self.bench, partial(self.worker.accept, hit_id))
            keep("worker accept", index, sample)
            assignment_id = expect(answer, 201)["Assignment"]["AssignmentId"]
            sample, answer = timed(
                self.bench, partial(self.worker.submit, assignment_id, {"comment": "a cat"})
            )
            keep("worker submit", index, sample)
            expect(answer, 200)
        for index in range(total):
            sample, _ = timed(self.bench, lambda: self.mturk.create_hit(**hit_args()))
            keep("CreateHIT", index, sample)
        for index in range(total):
            sample, _ = timed(self.bench, lambda: self.mturk.list_hits(MaxResults=10))
            keep("ListHITs", index, sample)
        result: dict[str, Any] = {"Label": label, "StoredBefore": stored}
        for name, found in samples.items():
            shapes = Counter(describe(s.counts) for s in found)
            result[name] = {
                "MedianMs": ms(median([s.seconds for s in found])),
                "GatewayMedianMs": ms(median([s.server_seconds for s in found])),
                "DynamoDBMedianMs": ms(median([s.dynamodb_seconds for s in found])),
                "DynamoDB": shapes.most_common(1)[0][0],
            }
        return result

    def small(self) -> dict[str, Any]:
        self.bench.seed_hits(self.keys, SMALL, max_assignments=3, submitted=True)
        self.small_result = self._measure(f"{SMALL} HITs")
        print(f"\n== Baseline with {SMALL} HITs stored (compared after the store holds {LARGE:,})")
        print(f"  stored: {self.small_result['StoredBefore']}")
        for name in MEASURED:
            row = self.small_result[name]
            print(f"  {name}: median {row['MedianMs']} ms (gateway {row['GatewayMedianMs']} ms)")
        return self.small_result

    def large(self) -> dict[str, Any]:
        import time

        missing = LARGE - self.bench.item_counts()["Hit"]
        started = time.perf_counter()
        if missing > 0:
            self.bench.seed_hits(self.keys, missing, max_assignments=3, submitted=True)
        fill_seconds = time.perf_counter() - started
        large = self._measure(f"{LARGE:,} HITs")
        comparison = {}
        for name in MEASURED:
            before, after = self.small_result[name], large[name]
            comparison[name] = {
                "SmallMs": before["MedianMs"],
                "LargeMs": after["MedianMs"],
                "Ratio": round(after["MedianMs"] / before["MedianMs"], 2),
                "GatewaySmallMs": before["GatewayMedianMs"],
                "GatewayLargeMs": after["GatewayMedianMs"],
                "GatewayRatio": round(after["GatewayMedianMs"] / before["GatewayMedianMs"], 2),
                "DynamoDBSmall": before["DynamoDB"],
                "DynamoDBLarge": after["DynamoDB"],
            }
        result = {
            "Small": self.small_result,
            "Large": large,
            "FillSeconds": round(fill_seconds, 1),
            "FilledHITs": max(missing, 0),
            "Comparison": comparison,
            "TargetRatio": TARGET_RATIO,
        }
        _print(result)
        return result


def _print(result: dict[str, Any]) -> None:
    small, large = result["Small"]["StoredBefore"], result["Large"]["StoredBefore"]
    print(
        f"\n== Cost with data already stored: {small['Hit']:,} HITs/{small['Assignment']:,} assignments"
        f" vs {large['Hit']:,}/{large['Assignment']:,} (filled {result['FilledHITs']:,} HITs with one"
        f" submitted assignment each in {result['FillSeconds']} s)"
    )
    rows = []
    for name, row in result["Comparison"].items():
        verdict = "meets" if row["Ratio"] <= TARGET_RATIO else "MISSES"
        same = row["DynamoDBSmall"] == row["DynamoDBLarge"]
        rows.append(
            [
                name,
                f"{row['SmallMs']:.1f}",
                f"{row['LargeMs']:.1f}",
                f"{row['Ratio']:.2f}x",
                f"{row['GatewaySmallMs']:.1f} -> {row['GatewayLargeMs']:.1f} ({row['GatewayRatio']:.2f}x)",
                row["DynamoDBLarge"] if same else f"{row['DynamoDBSmall']} -> {row['DynamoDBLarge']}",
                f"<= {TARGET_RATIO}x",
                verdict,
            ]
        )
    print(
        table(
            [
                "call",
                "small ms",
                "large ms",
                "ratio",
                "gateway ms (ratio)",
                "DynamoDB requests",
                "target",
                "",
            ],
            rows,
        )
    )
