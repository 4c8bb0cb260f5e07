"""The local runtime's direct DynamoDB transport (data/wire.py) answers exactly as botocore does.

Deployed functions use botocore; the local runtime uses the wire. Every call below goes to the same
DynamoDB Local through both, and the parsed responses and the errors PynamoDB sees must be equal.
"""

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError
from pynamodb.attributes import BinaryAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from openturk import config
from openturk.data import wire
from openturk.data.base import connection

TABLE = "openturk-wire-test"


@pytest.fixture(scope="module")
def table(runtime):
    client = boto3.client("dynamodb", endpoint_url=config.DYNAMODB_ENDPOINT, region_name=config.REGION)
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield client
    client.delete_table(TableName=TABLE)


class Thing(Model):
    class Meta:
        table_name = TABLE
        host = config.DYNAMODB_ENDPOINT
        region = config.REGION

    k = UnicodeAttribute(hash_key=True)
    n = NumberAttribute(default=0)
    blob = BinaryAttribute(null=True, legacy_encoding=False)
    text = UnicodeAttribute(null=True)


def both(call):
    """call() through the wire, then through botocore, on fresh keys; both outcomes."""
    assert config.DYNAMODB_DIRECT, "the tests run the local runtime's transport"
    outcomes = []
    for direct in (True, False):
        if not direct:
            wire.uninstall()
        try:
            outcomes.append(_outcome(call))
        finally:
            if not direct:
                wire.install(config.DYNAMODB_ENDPOINT)  # type: ignore[arg-type]
    return outcomes


def _outcome(call):
    try:
        result = call(uuid.uuid4().hex)
    except (ClientError, PutError, UpdateError, TransactWriteError) as error:
        cause = getattr(error, "cause", error)
        reasons = [(r.code, r.raw_item) if r else None for r in getattr(error, "cancellation_reasons", [])]
        return ("error", type(error).__name__, cause.response["Error"]["Code"], reasons)
    if isinstance(result, dict):
        result = {key: value for key, value in result.items() if key != "ResponseMetadata"}
    return ("ok", result)


def test_reads_and_writes_match(table):
    def put_then_get(key):
        Thing(key, n=3, blob="héllo\x00".encode(), text='naïve, "quoted"\n').save()
        thing = Thing.get(key, consistent_read=True)
        raw = connection().dispatch("GetItem", {"TableName": TABLE, "Key": {"k": {"S": key}}})
        return {"thing": (thing.n, thing.blob, thing.text), "raw": raw["Item"] | {"k": None}}

    direct, botocore = both(put_then_get)
    assert direct == botocore
    assert direct[1]["thing"] == (3, "héllo\x00".encode(), 'naïve, "quoted"\n')
    assert isinstance(direct[1]["raw"]["blob"]["B"], bytes)


def test_a_refused_condition_is_the_same_error(table):
    def refused(key):
        Thing(key).save()
        Thing(key).save(condition=Thing.k.does_not_exist())

    direct, botocore = both(refused)
    assert direct == botocore == ("error", "PutError", "ConditionalCheckFailedException", [])


def test_a_cancelled_transaction_names_the_same_items(table):
    def cancelled(key):
        Thing(key, n=1).save()
        with TransactWrite(connection=connection()) as tx:
            tx.save(Thing(key + "-new"), condition=Thing.k.does_not_exist())
            tx.update(Thing(key), actions=[Thing.n.add(1)], condition=Thing.n == 5)

    direct, botocore = both(cancelled)
    assert direct == botocore
    assert direct[2] == "TransactionCanceledException"
    assert [reason and reason[0] for reason in direct[3]] == [None, "ConditionalCheckFailed"]


def test_queries_batches_and_validation_errors_match(table):
    def batch(key):
        keys = [{"k": {"S": f"{key}-{i}"}} for i in range(3)]
        for i in range(2):
            Thing(f"{key}-{i}", n=i).save()
        found = connection().dispatch(
            "BatchGetItem", {"RequestItems": {TABLE: {"Keys": keys, "ConsistentRead": True}}}
        )
        return sorted(item["k"]["S"][-1] for item in found["Responses"][TABLE])

    def invalid(key):
        connection().dispatch("GetItem", {"TableName": TABLE, "Key": {"nope": {"S": key}}})

    assert both(batch) == [("ok", ["0", "1"])] * 2
    direct, botocore = both(invalid)
    assert direct == botocore
    assert direct[2] == "ValidationException"
