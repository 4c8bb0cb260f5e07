"""What every model shares: where the tables are, and one connection for transactions."""

from functools import cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from openturk import config


class BaseMeta:
    region = config.REGION
    host = config.DYNAMODB_ENDPOINT
    billing_mode = "PAY_PER_REQUEST"
    max_retry_attempts = 3
    max_pool_connections = 32


@cache
def connection() -> Connection:
    """The connection transactions run on (created once per process, after settings are read)."""
    return Connection(region=config.REGION, host=config.DYNAMODB_ENDPOINT, max_pool_connections=32)


def reasons(error) -> list[str | None]:
    """The per-item cancellation codes of a failed transaction ("ConditionalCheckFailed", None, …)."""
    return [r.code if r else None for r in (getattr(error, "cancellation_reasons", None) or [])]


def transaction() -> TransactWrite:
    """One TransactWriteItems call: `with transaction() as tx: tx.update(...); tx.save(...)`."""
    return TransactWrite(connection=connection())


def condition_failed(error) -> bool:
    """True when a single-item write was refused by its condition."""
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def batch_get(*keyed: tuple[Any, str]) -> list:
    """Up to 100 items from several tables in one strongly consistent BatchGetItem; None where absent.

    `keyed` is (Model, hash key) pairs; results come back in the same order. Keys DynamoDB leaves
    unprocessed (throttling) are asked for again.
    """
    key_names = {model.Meta.table_name: model._hash_key_attribute().attr_name for model, _ in keyed}
    request: dict[str, dict] = {}
    for model, key in dict.fromkeys(keyed):
        table = request.setdefault(model.Meta.table_name, {"Keys": [], "ConsistentRead": True})
        table["Keys"].append({key_names[model.Meta.table_name]: {"S": key}})
    found: dict[tuple[str, str], dict] = {}
    while request:
        response = connection().client.batch_get_item(RequestItems=request)
        for table_name, items in response.get("Responses", {}).items():
            for item in items:
                found[(table_name, item[key_names[table_name]]["S"])] = item
        request = response.get("UnprocessedKeys") or {}
    results = []
    for model, key in keyed:
        item = found.get((model.Meta.table_name, key))
        results.append(model.from_raw_data(item) if item else None)
    return results
