"""Assignments: one worker's work on one HIT.

The id is derived from (HITId, WorkerId), so "a worker works on a HIT at most once" is the
condition attribute_not_exists on the put that creates it.

Access patterns and what serves each:
- an assignment by id (GetAssignment, submit, return) .. GetItem on AssignmentId
- a HIT's completed assignments (ListAssignmentsForHIT) . Query GSI ByHIT: HITId, ListedAt (set on submit,
  so in-progress work is never listed)
- a worker's assignments, newest first ................. Query GSI ByWorker: WorkerId, AcceptedAt
- a requester's submitted work due for auto-approval ... Query GSI ApprovalsDue: AutoApproveBy = requester,
  AutoApprovalTime <= now (set on submit, removed when approved or rejected)
- all work past its deadline, for the schedule ......... Query GSI DeadlinesDue: DeadlineKey = "deadline#<shard>",
  Deadline <= now (set on accept, removed on submit, return or abandonment)
- all work due for auto-approval, for the schedule ..... Query GSI AutoApprovalsDue: ApprovalKey =
  "approval#<shard>", AutoApprovalTime <= now (set on submit, removed when reviewed)
- a batch's work in row order (its results CSV) ........ Query GSI ByBatch: BatchId, AssignmentId (a batch
  HIT's id ends in its row number, and an AssignmentId starts with its HITId)
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

ACCEPTED = "Accepted"
SUBMITTED = "Submitted"
APPROVED = "Approved"
REJECTED = "Rejected"
RETURNED = "Returned"
ABANDONED = "Abandoned"


class ByHit(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByHIT"
        projection = AllProjection()

    hit_id = UnicodeAttribute(hash_key=True, attr_name="HITId")
    listed_at = UnicodeAttribute(range_key=True, attr_name="ListedAt")


class ByWorker(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByWorker"
        projection = AllProjection()

    worker_id = UnicodeAttribute(hash_key=True, attr_name="WorkerId")
    accepted_at = UnicodeAttribute(range_key=True, attr_name="AcceptedAt")


class ApprovalsDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "ApprovalsDue"
        projection = AllProjection()

    auto_approve_by = UnicodeAttribute(hash_key=True, attr_name="AutoApproveBy")
    auto_approval_time = NumberAttribute(range_key=True, attr_name="AutoApprovalTime")


class DeadlinesDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "DeadlinesDue"
        projection = AllProjection()

    deadline_key = UnicodeAttribute(hash_key=True, attr_name="DeadlineKey")
    deadline = NumberAttribute(range_key=True, attr_name="Deadline")


class AutoApprovalsDue(GlobalSecondaryIndex):
    class Meta:
        index_name = "AutoApprovalsDue"
        projection = AllProjection()

    approval_key = UnicodeAttribute(hash_key=True, attr_name="ApprovalKey")
    auto_approval_time = NumberAttribute(range_key=True, attr_name="AutoApprovalTime")


class ByBatch(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByBatch"
        projection = AllProjection()

    batch_id = UnicodeAttribute(hash_key=True, attr_name="BatchId")
    assignment_id = UnicodeAttribute(range_key=True, attr_name="AssignmentId")


class Assignment(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("assignments")

    assignment_id = UnicodeAttribute(hash_key=True, attr_name="AssignmentId")
    hit_id = UnicodeAttribute(attr_name="HITId")
    worker_id = UnicodeAttribute(attr_name="WorkerId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    status = UnicodeAttribute(attr_name="AssignmentStatus")
    accept_time = NumberAttribute(attr_name="AcceptTime")
    deadline = NumberAttribute(attr_name="Deadline")
    # The HIT's auto-approval delay when the work was accepted.
    auto_approval_delay = NumberAttribute(attr_name="AutoApprovalDelayInSeconds")
    submit_time = NumberAttribute(null=True, attr_name="SubmitTime")
    auto_approval_time = NumberAttribute(null=True, attr_name="AutoApprovalTime")
    approval_time = NumberAttribute(null=True, attr_name="ApprovalTime")
    rejection_time = NumberAttribute(null=True, attr_name="RejectionTime")
    answer = UnicodeAttribute(null=True, attr_name="Answer")
    requester_feedback = UnicodeAttribute(null=True, attr_name="RequesterFeedback")

    listed_at = UnicodeAttribute(null=True, attr_name="ListedAt")
    auto_approve_by = UnicodeAttribute(null=True, attr_name="AutoApproveBy")
    deadline_key = UnicodeAttribute(null=True, attr_name="DeadlineKey")
    approval_key = UnicodeAttribute(null=True, attr_name="ApprovalKey")
    accepted_at = UnicodeAttribute(attr_name="AcceptedAt")
    batch_id = UnicodeAttribute(null=True, attr_name="BatchId")  # the HIT's batch, if it has one

    by_hit = ByHit()
    by_worker = ByWorker()
    approvals_due = ApprovalsDue()
    deadlines_due = DeadlinesDue()
    auto_approvals_due = AutoApprovalsDue()
    by_batch = ByBatch()
