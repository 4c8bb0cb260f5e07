"""What every model shares: where the tables are, and one connection for transactions."""

import random
import time
import zlib
from collections.abc import Callable
from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from openturk import config
from openturk.data import wire

if config.DYNAMODB_DIRECT:
    wire.install(config.DYNAMODB_ENDPOINT)  # type: ignore[arg-type]


class BaseMeta:
    region = config.REGION
    host = config.DYNAMODB_ENDPOINT
    billing_mode = "PAY_PER_REQUEST"
    max_retry_attempts = 3
    max_pool_connections = 32


_endpoint = {"host": config.DYNAMODB_ENDPOINT, "region": config.REGION}


@cache
def connection() -> Connection:
    """The connection transactions and batch reads run on (created once per process, lazily)."""
    return Connection(region=_endpoint["region"], host=_endpoint["host"], max_pool_connections=32)


def use_endpoint(host: str | None, region: str) -> None:
    """Send transactions elsewhere (data.tables.bound_to moves the models with it)."""
    _endpoint.update(host=host, region=region)
    connection.cache_clear()


def reasons(error) -> list[str | None]:
    """The per-item cancellation codes of a failed transaction ("ConditionalCheckFailed", None, …)."""
    return [r.code if r else None for r in (getattr(error, "cancellation_reasons", None) or [])]


DUE_SHARDS = 4  # "due" indexes spread their writes over this many partition keys


def due_key(kind: str, entity_id: str) -> str:
    """The partition key of an item in a sparse "due" index (things the schedules must do at a time):
    stable per entity, one of DUE_SHARDS values per kind, so the sweeper reads every shard."""
    return f"{kind}#{zlib.crc32(entity_id.encode()) % DUE_SHARDS}"


class TransactionRefused(Exception):
    """A transaction DynamoDB cancelled; `failed` names the items whose condition did not hold."""

    def __init__(
        self, failed: set[str], codes: list[str | None], items: dict[str, dict | None] | None = None
    ):
        super().__init__(f"transaction refused: {sorted(failed) or codes}")
        self.failed = failed
        self.codes = codes
        # For items added with return_old=True whose condition failed: the item as it was (raw
        # DynamoDB JSON; None if it did not exist), so the caller can decide again without a read.
        self.items = items or {}


_ALL_OLD = "ALL_OLD"


class Transaction:
    """One TransactWriteItems call whose items carry names, so a refusal says which condition failed.

    PynamoDB sends condition checks, deletes, puts and updates in that order, whatever order they were
    added in; the names are matched to DynamoDB's cancellation reasons in that same order. A transaction
    cancelled only because another one was writing the same item (TransactionConflict) is sent again.
    """

    _ORDER = ("check", "put", "update")
    _ATTEMPTS = 4

    def __init__(self) -> None:
        self._items: list[tuple[str, str, Callable[[TransactWrite], None]]] = []

    def put(self, model: Any, condition: Any = None, name: str = "", return_old: bool = False) -> None:
        old = _ALL_OLD if return_old else None
        self._items.append(("put", name, lambda tx: tx.save(model, condition=condition, return_values=old)))

    def update(
        self, model: Any, actions: list, condition: Any = None, name: str = "", return_old: bool = False
    ) -> None:
        old = _ALL_OLD if return_old else None
        self._items.append(
            (
                "update",
                name,
                lambda tx: tx.update(model, actions=actions, condition=condition, return_values=old),
            )
        )

    def check(
        self, model_class: Any, key: str, condition: Any, name: str = "", range_key: str | None = None
    ) -> None:
        self._items.append(
            (
                "check",
                name,
                lambda tx: tx.condition_check(model_class, key, range_key=range_key, condition=condition),
            )
        )

    def commit(self) -> None:
        for attempt in range(self._ATTEMPTS):
            try:
                with TransactWrite(connection=connection()) as tx:
                    for _, _, add in self._items:
                        add(tx)
                if config.DYNAMODB_LOCAL_ON_DISK:
                    _wait_until_on_disk()
                return
            except TransactWriteError as error:
                codes = reasons(error)
                items = self._failed(error)
                if items or "TransactionConflict" not in codes or attempt + 1 == self._ATTEMPTS:
                    raise TransactionRefused(set(items), codes, items) from error
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # spread the racers out

    def _failed(self, error: TransactWriteError) -> dict[str, dict | None]:
        """The names of the items whose condition failed, each with the item as it was (if asked for)."""
        names = [name for group in self._ORDER for kind, name, _ in self._items if kind == group]
        cancelled = getattr(error, "cancellation_reasons", None) or []
        return {
            name: reason.raw_item
            for name, reason in zip(names, cancelled, strict=False)
            if reason and reason.code == "ConditionalCheckFailed"
        }


def _wait_until_on_disk() -> None:
    """DynamoDB Local answers TransactWriteItems before its file holds the change: SIGKILL of its JVM
    right after lost the last acknowledged transaction in 2 of 4 runs (tests/durability). A read queues
    behind that commit, so one before answering makes the change durable first (0 lost in 6 runs)."""
    connection().client.get_item(
        TableName=config.table_name("requesters"), Key={"RequesterId": {"S": "~"}}, ConsistentRead=True
    )


def condition_failed(error) -> bool:
    """True when a single-item write was refused by its condition."""
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


Key = str | tuple[str, str]  # a hash key, or (hash key, range key) for models with both


def _key_attributes(model: Any, key: Key) -> dict[str, dict[str, str]]:
    hash_key, range_key = key if isinstance(key, tuple) else (key, None)
    attributes = {model._hash_key_attribute().attr_name: {"S": hash_key}}
    if range_key is not None:
        attributes[model._range_key_attribute().attr_name] = {"S": range_key}
    return attributes


def _key_of(model: Any, item: dict) -> Key:
    hash_key = item[model._hash_key_attribute().attr_name]["S"]
    range_attribute = model._range_key_attribute()
    return (hash_key, item[range_attribute.attr_name]["S"]) if range_attribute else hash_key


_BATCH_GET_MOST = 100  # keys DynamoDB takes in one BatchGetItem


def batch_get(*keyed: tuple[Any, Key]) -> list:
    """Up to 100 items from several tables in one strongly consistent BatchGetItem; None where absent.

    `keyed` is (Model, key) pairs, the key a hash key or, for a model with a range key, a (hash, range)
    tuple; results come back in the same order. Keys DynamoDB leaves unprocessed (throttling) are asked
    for again.
    """
    models = {model.Meta.table_name: model for model, _ in keyed}
    unique = list(dict.fromkeys(keyed))
    found: dict[tuple[str, Key], dict] = {}
    for start in range(0, len(unique), _BATCH_GET_MOST):  # one call unless more than 100 keys
        request: dict[str, dict] = {}
        for model, key in unique[start : start + _BATCH_GET_MOST]:
            table = request.setdefault(model.Meta.table_name, {"Keys": [], "ConsistentRead": True})
            table["Keys"].append(_key_attributes(model, key))
        while request:
            response = connection().dispatch("BatchGetItem", {"RequestItems": request})
            for table_name, items in response.get("Responses", {}).items():
                for item in items:
                    found[(table_name, _key_of(models[table_name], item))] = item
            request = response.get("UnprocessedKeys") or {}
    results = []
    for model, key in keyed:
        item = found.get((model.Meta.table_name, key))
        results.append(model.from_raw_data(item) if item else None)
    return results
