"""DynamoDB requests per call, counted where they are made: in the runtime's process.

Every DynamoDB call openturk makes (PynamoDB models, transactions, the BatchGetItem helper) goes through
PynamoDB's Connection._make_api_call, whichever transport is below it (botocore, or the local runtime's
direct wire); wrapping it counts one per API request (retries of a request happen below it and are not
counted again). The counter is global, so a window is exact only while
the bench thread makes one call at a time, which is how operations.py and scale.py use it.
"""

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

READS = ("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems")
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")


@dataclass
class Window:
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0  # time spent inside DynamoDB calls (botocore + HTTP + DynamoDB Local)


class DynamoDBCounter:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.seconds = 0.0
        self._lock = threading.Lock()
        self._original: Any = None

    def install(self) -> None:
        from pynamodb.connection.base import Connection

        if self._original is not None:
            return
        original = self._original = Connection._make_api_call
        counter = self

        def counted(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
            started = time.perf_counter()
            try:
                return original(client, operation_name, api_params)
            finally:
                elapsed = time.perf_counter() - started
                with counter._lock:
                    counter.counts[operation_name] += 1
                    counter.seconds += elapsed

        Connection._make_api_call = counted  # type: ignore[method-assign]

    def uninstall(self) -> None:
        from pynamodb.connection.base import Connection

        if self._original is not None:
            Connection._make_api_call = self._original  # type: ignore[method-assign]
            self._original = None

    def snapshot(self) -> tuple[Counter, float]:
        with self._lock:
            return Counter(self.counts), self.seconds

    @contextmanager
    def window(self) -> Iterator[Window]:
        """The DynamoDB requests made between entering and leaving the block."""
        before, seconds = self.snapshot()
        window = Window()
        try:
            yield window
        finally:
            after, seconds_after = self.snapshot()
            window.counts = after - before
            window.seconds = seconds_after - seconds


def reads(counts: Counter) -> int:
    return sum(counts[name] for name in READS)


def writes(counts: Counter) -> int:
    return sum(counts[name] for name in WRITES)


def describe(counts: Counter) -> str:
    """ "GetItem 1, TransactWriteItems 1" (or "none")."""
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()) if count) or "none"
