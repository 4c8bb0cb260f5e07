"""Every table openturk uses, for the local runtime to create and for infra to mirror."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from openturk import config
from openturk.data import base
from openturk.data.assignments import Assignment
from openturk.data.batches import Batch, Project
from openturk.data.blocks import Block
from openturk.data.events import Event
from openturk.data.hits import Hit, HitType
from openturk.data.ledger import Balance, Entry
from openturk.data.messages import Message
from openturk.data.qualifications import (
    Qualification,
    QualificationName,
    QualificationRequest,
    QualificationType,
)
from openturk.data.relationships import Relationship
from openturk.data.requesters import AccessKey, Requester
from openturk.data.tokens import RequestToken
from openturk.data.workers import Worker

# Each table's key: deployed functions find its name in OPENTURK_TABLE_<KEY> (config.table_name).
TABLES = {
    "requesters": Requester,
    "access_keys": AccessKey,
    "hits": Hit,
    "hit_types": HitType,
    "assignments": Assignment,
    "request_tokens": RequestToken,
    "workers": Worker,
    "balances": Balance,
    "ledger": Entry,
    "events": Event,
    "qualification_types": QualificationType,
    "qualification_names": QualificationName,
    "qualifications": Qualification,
    "blocks": Block,
    "relationships": Relationship,
    "messages": Message,
    "qualification_requests": QualificationRequest,
    "projects": Project,
    "batches": Batch,
}
MODELS = tuple(TABLES.values())

# The attribute DynamoDB's TTL deletes items by, per model that ages out.
TTL_ATTRIBUTES = {RequestToken: "ExpiresAt", Event: "ExpiresAt"}


def create_all() -> None:
    """Create the tables that do not exist yet, all at once (one by one took ~1.8 s). Which exist is one
    ListTables: a restart on a data directory then makes no DescribeTable (16 of them took ~0.8 s cold)."""
    existing: set[str] = set()
    pages = base.connection().client.get_paginator("list_tables").paginate()
    for page in pages:
        existing.update(page["TableNames"])
    missing = [model for model in MODELS if model.Meta.table_name not in existing]
    if missing:
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:
            list(pool.map(lambda model: model.create_table(wait=True), missing))


@contextmanager
def bound_to(table_names: dict[str, str], region: str) -> Iterator[None]:
    """Point every model at a deployed stack's tables (by key) for the duration, then back.

    For the `openturk … --stack` commands, which run the same domain functions as the deployed
    handlers but from a laptop, with the caller's AWS credentials.
    """
    saved = [(model, model.Meta.table_name, model.Meta.host, model.Meta.region) for model in MODELS]
    try:
        for key, model in TABLES.items():
            model.Meta.table_name = table_names[key]
            model.Meta.host, model.Meta.region = None, region
            model._connection = None
        base.use_endpoint(None, region)
        yield
    finally:
        for model, name, host, old_region in saved:
            model.Meta.table_name, model.Meta.host, model.Meta.region = name, host, old_region
            model._connection = None
        base.use_endpoint(config.DYNAMODB_ENDPOINT, config.REGION)
