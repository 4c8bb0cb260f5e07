"""Qualification types, the names each requester has taken, and workers' qualification scores.

Access patterns and what serves each:
- a qualification type by id (Get/Update/Delete, every score operation) .. GetItem on QualificationTypeId
- a requester's types, oldest first (ListQualificationTypes MustBeOwnedByCaller) .. Query GSI ByOwner:
  OwnedBy = requester, OwnedAt (removed when the type is deleted, so deleted types drop out)
- everyone's requestable types, oldest first (ListQualificationTypes) .. Query GSI Requestable:
  RequestableKey = "requestable", RequestableAt (present only while the type is Active and not deleted)
- is this name taken by this requester (CreateQualificationType) .. the QualificationName item
  "<requester>#<name>", put in the same transaction as the type on condition that no live type holds it
  (DeleteQualificationType releases it)
- a worker's score for a type (GetQualificationScore, Associate, Disassociate) .. GetItem on
  QualificationTypeId + WorkerId
- the workers holding a type (ListWorkersWithQualificationType) .. Query on QualificationTypeId, filtered
  on Status
- a worker's scores for the requirements of a HIT or a page of HITs (accept, HIT list, preview) .. one
  BatchGetItem on (QualificationTypeId, WorkerId), with the worker's item for the system qualifications
- a worker's own qualifications (worker API) .. Query GSI ByWorker: WorkerId, QualificationTypeId
- a worker's last request for a type (RetryDelayInSeconds, TestDurationInSeconds) .. RequestedAt,
  RequestState, AttemptId and AttemptDeadline on the same (QualificationTypeId, WorkerId) item, which then may have no
  Status yet (nothing granted)
- a qualification request by id (Accept/RejectQualificationRequest) .. GetItem on QualificationRequestId
- pending requests for a requester's types (ListQualificationRequests) .. Query GSI Pending:
  PendingBy = requester, PendingAt = "<type id>#<time>#<id>" (begins_with the type id for one type);
  removed when the request is answered
"""

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

REQUESTABLE = "requestable"


class ByOwner(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByOwner"
        projection = AllProjection()

    owned_by = UnicodeAttribute(hash_key=True, attr_name="OwnedBy")
    owned_at = UnicodeAttribute(range_key=True, attr_name="OwnedAt")


class Requestable(GlobalSecondaryIndex):
    class Meta:
        index_name = "Requestable"
        projection = AllProjection()

    requestable_key = UnicodeAttribute(hash_key=True, attr_name="RequestableKey")
    requestable_at = UnicodeAttribute(range_key=True, attr_name="RequestableAt")


class QualificationType(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("qualification_types")

    qualification_type_id = UnicodeAttribute(hash_key=True, attr_name="QualificationTypeId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    name = UnicodeAttribute(attr_name="Name")
    description = UnicodeAttribute(attr_name="Description")
    keywords = UnicodeAttribute(null=True, attr_name="Keywords")
    status = UnicodeAttribute(attr_name="QualificationTypeStatus")
    creation_time = NumberAttribute(attr_name="CreationTime")
    retry_delay = NumberAttribute(null=True, attr_name="RetryDelayInSeconds")
    test = UnicodeAttribute(null=True, attr_name="Test")
    answer_key = UnicodeAttribute(null=True, attr_name="AnswerKey")
    test_duration = NumberAttribute(null=True, attr_name="TestDurationInSeconds")
    auto_granted = BooleanAttribute(default=False, attr_name="AutoGranted")
    auto_granted_value = NumberAttribute(default=1, attr_name="AutoGrantedValue")
    deleted = BooleanAttribute(default=False, attr_name="Deleted")

    owned_by = UnicodeAttribute(null=True, attr_name="OwnedBy")
    owned_at = UnicodeAttribute(null=True, attr_name="OwnedAt")
    requestable_key = UnicodeAttribute(null=True, attr_name="RequestableKey")
    requestable_at = UnicodeAttribute(null=True, attr_name="RequestableAt")

    by_owner = ByOwner()
    requestable = Requestable()


class QualificationName(Model):
    """A name a requester has given a live qualification type: its id while taken, absent once released."""

    class Meta(BaseMeta):
        table_name = config.table_name("qualification_names")

    name_key = UnicodeAttribute(hash_key=True, attr_name="NameKey")
    qualification_type_id = UnicodeAttribute(null=True, attr_name="QualificationTypeId")


class ByWorker(GlobalSecondaryIndex):
    class Meta:
        index_name = "ByWorker"
        projection = AllProjection()

    worker_id = UnicodeAttribute(hash_key=True, attr_name="WorkerId")
    qualification_type_id = UnicodeAttribute(range_key=True, attr_name="QualificationTypeId")


class Qualification(Model):
    """A worker's qualification (score) of one type: Granted or Revoked; no Status while the worker has
    only requested it (the item then holds just the request's times)."""

    class Meta(BaseMeta):
        table_name = config.table_name("qualifications")

    qualification_type_id = UnicodeAttribute(hash_key=True, attr_name="QualificationTypeId")
    worker_id = UnicodeAttribute(range_key=True, attr_name="WorkerId")
    integer_value = NumberAttribute(null=True, attr_name="IntegerValue")
    locale_value = JSONAttribute(null=True, attr_name="LocaleValue")  # {"Country": .., "Subdivision": ..}
    grant_time = NumberAttribute(null=True, attr_name="GrantTime")
    status = UnicodeAttribute(null=True, attr_name="Status")
    reason = UnicodeAttribute(null=True, attr_name="Reason")  # why it was revoked, for the worker
    requested_at = NumberAttribute(null=True, attr_name="RequestedAt")
    attempt_id = UnicodeAttribute(null=True, attr_name="AttemptId")  # the request a test attempt becomes
    attempt_deadline = NumberAttribute(null=True, attr_name="AttemptDeadline")
    request_state = UnicodeAttribute(null=True, attr_name="RequestState")  # Started | Pending | Answered

    by_worker = ByWorker()


class PendingRequests(GlobalSecondaryIndex):
    class Meta:
        index_name = "Pending"
        projection = AllProjection()

    pending_by = UnicodeAttribute(hash_key=True, attr_name="PendingBy")
    pending_at = UnicodeAttribute(range_key=True, attr_name="PendingAt")


class QualificationRequest(Model):
    """A worker's request for a qualification: Pending until the type's owner answers it, or answered at
    once (Granted) when the type grants automatically or scores its test with an answer key."""

    class Meta(BaseMeta):
        table_name = config.table_name("qualification_requests")

    request_id = UnicodeAttribute(hash_key=True, attr_name="QualificationRequestId")
    qualification_type_id = UnicodeAttribute(attr_name="QualificationTypeId")
    worker_id = UnicodeAttribute(attr_name="WorkerId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    status = UnicodeAttribute(attr_name="Status")  # Pending | Granted | Rejected
    submit_time = NumberAttribute(attr_name="SubmitTime")
    answer = UnicodeAttribute(null=True, attr_name="Answer")  # QuestionFormAnswers XML, tests only
    reason = UnicodeAttribute(null=True, attr_name="Reason")  # why it was rejected, for the worker
    pending_by = UnicodeAttribute(null=True, attr_name="PendingBy")
    pending_at = UnicodeAttribute(null=True, attr_name="PendingAt")

    pending = PendingRequests()


def name_key(requester_id: str, name: str) -> str:
    return f"{requester_id}#{name}"
