"""Which workers have worked for which requester (had work approved or rejected by it), for NotifyWorkers.

Access patterns and what serves each:
- record that the requester reviewed a worker's work (approve, reject, auto-approval, override) .. Put on
  (RequesterId, WorkerId) in the review transaction (idempotent: the same item each time)
- have these workers worked for this requester (NotifyWorkers) .. one BatchGetItem of up to 100 keys
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Relationship(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("relationships")

    requester_id = UnicodeAttribute(hash_key=True, attr_name="RequesterId")
    worker_id = UnicodeAttribute(range_key=True, attr_name="WorkerId")
    last_review_at = NumberAttribute(attr_name="LastReviewAt")
