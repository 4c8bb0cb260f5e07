"""Worker blocks: the workers a requester has blocked from its HITs, and why.

Access patterns and what serves each:
- is this worker blocked by this requester (accept) .. ConditionCheck on (RequesterId, WorkerId) in the
  accept transaction; BatchGetItem with the worker's assignments when the worker lists HITs
- block / unblock (CreateWorkerBlock, DeleteWorkerBlock) .. Put / Delete on (RequesterId, WorkerId)
- a requester's blocks (ListWorkerBlocks) ........... Query on RequesterId, by WorkerId
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Block(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("blocks")

    requester_id = UnicodeAttribute(hash_key=True, attr_name="RequesterId")
    worker_id = UnicodeAttribute(range_key=True, attr_name="WorkerId")
    reason = UnicodeAttribute(attr_name="Reason")
    blocked_at = NumberAttribute(attr_name="BlockedAt")
