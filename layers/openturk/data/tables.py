"""Every table openturk uses, for the local runtime to create and for infra to mirror."""

from openturk.data.assignments import Assignment
from openturk.data.hits import Hit, HitType
from openturk.data.ledger import Balance, Entry
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
}
MODELS = tuple(TABLES.values())

# The attribute DynamoDB's TTL deletes items by, per model that ages out.
TTL_ATTRIBUTES = {RequestToken: "ExpiresAt"}


def create_all() -> None:
    for model in MODELS:
        if not model.exists():
            model.create_table(wait=True)
