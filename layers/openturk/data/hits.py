"""HITs and HIT types.

Access patterns and what serves each:
- a HIT by id (GetHIT, every HIT operation) ........ GetItem on HITId (the item carries its pending
  assignments' deadlines, so abandoned work is counted as such without another read)
- a requester's HITs, oldest first (ListHITs) ....... Query GSI ByRequester: ListedBy = requester, ListedAt
  (removed when the HIT is disposed, so disposed HITs drop out of the index)
- a requester's reviewable HITs (ListReviewableHITs)  Query GSI ByReview: ReviewKey = requester#Reviewable
  or requester#Reviewing, ReviewableAt <= now. ReviewableAt is the expiration until the last slot is
  submitted, then that moment; HITs still with pending work are filtered out.
- HITs a worker can take, newest first ............. Query GSI Marketplace: MarketKey = "open", MarketAt
  (present while a slot is free; expired HITs are filtered until the sweeper removes them)
- a requester's HITs whose held money is due back ..... Query GSI HoldsDue: SettleBy = requester,
  SettleAt <= now (the expiration, then the last pending deadline; removed once settled)
- HITs whose expiry the schedule has yet to make durable .. Query GSI ExpiryDue: ExpiryKey =
  "expiry#<shard>", Expiration <= now (ExpiryKey removed once done, set again when extended)
- a HIT type by id (and its notification settings) .. GetItem on HITTypeId; BatchGetItem when events of
  several HIT types are delivered together
"""

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

MARKET_OPEN = "open"


class ByRequester(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByRequester"
        projection = AllProjection()

    listed_by = UnicodeAttribute(hash_key=True, attr_name="ListedBy")
    listed_at = UnicodeAttribute(range_key=True, attr_name="ListedAt")


class ByReview(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByReview"
        projection = AllProjection()

    review_key = UnicodeAttribute(hash_key=True, attr_name="ReviewKey")
    reviewable_at = NumberAttribute(range_key=True, attr_name="ReviewableAt")


class Marketplace(GlobalSecondaryIndex):
    class Meta:
        index_name = "Marketplace"
        projection = AllProjection()

    market_key = UnicodeAttribute(hash_key=True, attr_name="MarketKey")
    market_at = UnicodeAttribute(range_key=True, attr_name="MarketAt")


class HoldsDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "HoldsDue"
        projection = AllProjection()

    settle_by = UnicodeAttribute(hash_key=True, attr_name="SettleBy")
    settle_at = NumberAttribute(range_key=True, attr_name="SettleAt")


class ExpiryDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "ExpiryDue"
        projection = AllProjection()

    expiry_key = UnicodeAttribute(hash_key=True, attr_name="ExpiryKey")
    expiration = NumberAttribute(range_key=True, attr_name="Expiration")


class Hit(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("hits")

    hit_id = UnicodeAttribute(hash_key=True, attr_name="HITId")
    hit_type_id = UnicodeAttribute(attr_name="HITTypeId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    title = UnicodeAttribute(attr_name="Title")
    description = UnicodeAttribute(attr_name="Description")
    keywords = UnicodeAttribute(null=True, attr_name="Keywords")
    question = UnicodeAttribute(attr_name="Question")
    reward_cents = NumberAttribute(attr_name="RewardCents")
    creation_time = NumberAttribute(attr_name="CreationTime")
    expiration = NumberAttribute(attr_name="Expiration")
    assignment_duration = NumberAttribute(attr_name="AssignmentDurationInSeconds")
    auto_approval_delay = NumberAttribute(attr_name="AutoApprovalDelayInSeconds")
    max_assignments = NumberAttribute(attr_name="MaxAssignments")
    # Slot counters, changed only inside transactions. open = available + pending.
    available = NumberAttribute(attr_name="Available")
    pending = NumberAttribute(attr_name="Pending")
    open = NumberAttribute(attr_name="Open")
    completed = NumberAttribute(default=0, attr_name="Completed")
    # Deadline of each accepted, unsubmitted assignment (AssignmentId -> epoch seconds), so that work
    # whose time ran out is seen as abandoned when the HIT is read, before any schedule runs.
    deadlines: MapAttribute = MapAttribute(default=dict, attr_name="Deadlines")
    # Money: what one assignment costs (reward + fee), and how many assignments' cost is on hold.
    cost_cents = NumberAttribute(default=0, attr_name="CostCents")
    held_slots = NumberAttribute(default=0, attr_name="HeldSlots")
    # Submitted and not yet approved or rejected: DeleteHIT waits for it to reach 0.
    submitted_awaiting_review = NumberAttribute(default=0, attr_name="AwaitingReview")
    reviewing = BooleanAttribute(default=False, attr_name="Reviewing")
    disposed = BooleanAttribute(default=False, attr_name="Disposed")
    requester_annotation = UnicodeAttribute(null=True, attr_name="RequesterAnnotation")
    qualification_requirements = JSONAttribute(null=True, attr_name="QualificationRequirements")
    hit_layout_id = UnicodeAttribute(null=True, attr_name="HITLayoutId")
    assignment_review_policy = JSONAttribute(null=True, attr_name="AssignmentReviewPolicy")
    hit_review_policy = JSONAttribute(null=True, attr_name="HITReviewPolicy")
    # The batch a HIT was published with (domain/batches.py); its assignments carry it too.
    batch_id = UnicodeAttribute(null=True, attr_name="BatchId")

    listed_by = UnicodeAttribute(null=True, attr_name="ListedBy")
    listed_at = UnicodeAttribute(null=True, attr_name="ListedAt")
    review_key = UnicodeAttribute(null=True, attr_name="ReviewKey")
    reviewable_at = NumberAttribute(null=True, attr_name="ReviewableAt")
    market_key = UnicodeAttribute(null=True, attr_name="MarketKey")
    market_at = UnicodeAttribute(null=True, attr_name="MarketAt")
    settle_by = UnicodeAttribute(null=True, attr_name="SettleBy")
    settle_at = NumberAttribute(null=True, attr_name="SettleAt")
    expiry_key = UnicodeAttribute(null=True, attr_name="ExpiryKey")

    by_requester = ByRequester()
    by_review = ByReview()
    marketplace = Marketplace()
    holds_due = HoldsDue()
    expiry_due = ExpiryDue()


class HitType(Model):
    """A HIT type's properties. Its id is derived from them, so registering the same type twice is a no-op."""

    class Meta(BaseMeta):
        table_name = config.table_name("hit_types")

    hit_type_id = UnicodeAttribute(hash_key=True, attr_name="HITTypeId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    title = UnicodeAttribute(attr_name="Title")
    description = UnicodeAttribute(attr_name="Description")
    keywords = UnicodeAttribute(null=True, attr_name="Keywords")
    reward_cents = NumberAttribute(attr_name="RewardCents")
    assignment_duration = NumberAttribute(attr_name="AssignmentDurationInSeconds")
    auto_approval_delay = NumberAttribute(attr_name="AutoApprovalDelayInSeconds")
    qualification_requirements = JSONAttribute(null=True, attr_name="QualificationRequirements")
    creation_time = NumberAttribute(attr_name="CreationTime")
    # UpdateNotificationSettings: the NotificationSpecification as given, and whether it is in effect.
    notification = JSONAttribute(null=True, attr_name="Notification")
    notification_active = BooleanAttribute(null=True, default=False, attr_name="NotificationActive")


def sort_key(timestamp: float, entity_id: str) -> str:
    """A string that sorts by time, then id: 13 digits of epoch milliseconds, '#', id."""
    return f"{int(timestamp * 1000):013d}#{entity_id}"
