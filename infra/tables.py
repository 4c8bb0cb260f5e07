"""Tables: one DynamoDB table per PynamoDB model, its keys and indexes read from the model itself.

The models in openturk.data are the one description of the schema: the local runtime creates its tables
from them (tables.create_all) and this construct mirrors them, so the two cannot disagree.
"""

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from openturk.data.tables import MODELS, TABLES, TTL_ATTRIBUTES

_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
_PROJECTIONS = {
    "ALL": dynamodb.ProjectionType.ALL,
    "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY,
    "INCLUDE": dynamodb.ProjectionType.INCLUDE,
}


# Tables with a DynamoDB Stream, by key: the events outbox, whose new items start their delivery
# (infra/events.py). KEYS_ONLY: the delivery function reads each event by id (functions/deliver_events.py).
STREAMS: dict[str, dynamodb.StreamViewType] = {"events": dynamodb.StreamViewType.KEYS_ONLY}


def table_key(model: Any) -> str:
    """The key of the model's table ("hits", "access_keys"): deployed functions find the table's name
    in the environment variable OPENTURK_TABLE_<KEY>."""
    return next(key for key, table_model in TABLES.items() if table_model is model)


def environment_variable(key: str) -> str:
    return f"OPENTURK_TABLE_{key.upper()}"


def _keys(key_schema: Any, types: dict[str, str]) -> tuple[dynamodb.Attribute, dynamodb.Attribute | None]:
    """(partition key, sort key) of a PynamoDB key schema: [{"AttributeName", "KeyType"}, ...]."""
    by_role = {k["KeyType"]: k["AttributeName"] for k in key_schema}
    hash_name, range_name = by_role["HASH"], by_role.get("RANGE")
    partition = dynamodb.Attribute(name=hash_name, type=_TYPES[types[hash_name]])
    sort = dynamodb.Attribute(name=range_name, type=_TYPES[types[range_name]]) if range_name else None
    return partition, sort


class Tables(Construct):
    """Every table, PAY_PER_REQUEST, with point-in-time recovery, kept when the stack is deleted; a stream on
    the tables STREAMS names."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.tables: dict[str, dynamodb.Table] = {}
        self.indexes: dict[str, list[str]] = {}
        ttl_attributes: dict[Any, str] = dict(TTL_ATTRIBUTES)
        for model in MODELS:
            key = table_key(model)
            schema = model._get_schema()
            if schema["local_secondary_indexes"]:
                raise NotImplementedError(f"{model.__name__}: local secondary indexes are not mirrored yet")
            types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
            partition, sort = _keys(schema["key_schema"], types)
            table = dynamodb.Table(
                self,
                "".join(part.capitalize() for part in key.split("_")),
                partition_key=partition,
                sort_key=sort,
                billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
                time_to_live_attribute=ttl_attributes.get(model),
                stream=STREAMS.get(key),
                deletion_protection=True,
                # The tables are the requesters' money and work: deleting the stack must not delete them.
                removal_policy=RemovalPolicy.RETAIN,
            )
            self.indexes[key] = []
            for index in schema["global_secondary_indexes"]:
                index_partition, index_sort = _keys(index["key_schema"], types)
                projection = index["projection"]
                table.add_global_secondary_index(
                    index_name=index["index_name"],
                    partition_key=index_partition,
                    sort_key=index_sort,
                    projection_type=_PROJECTIONS[projection["ProjectionType"]],
                    non_key_attributes=projection.get("NonKeyAttributes"),
                )
                self.indexes[key].append(index["index_name"])
            self.tables[key] = table

    def environment(self) -> dict[str, str]:
        """What config.table_name reads to find each table: OPENTURK_TABLE_<KEY> = physical name."""
        return {environment_variable(key): table.table_name for key, table in self.tables.items()}

    def arns(self, key: str) -> list[str]:
        """The table and each of its indexes, by exact ARN: what a policy on this table names."""
        table = self.tables[key]
        return [table.table_arn] + [f"{table.table_arn}/index/{name}" for name in self.indexes[key]]
