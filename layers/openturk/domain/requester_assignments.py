"""Assignments as the requester reads them: GetAssignment and ListAssignmentsForHIT. Work still in
progress has no MTurk status, so the requester sees only Submitted, Approved and Rejected work."""

from openturk.data.assignments import Assignment
from openturk.data.hits import Hit
from openturk.domain import hits as hit_rules
from openturk.domain import paging
from openturk.domain.assignments import load_with_hit
from openturk.domain.errors import AssignmentNotFound, InvalidParameter

VISIBLE_STATUSES = ("Submitted", "Approved", "Rejected")


def get(requester_id: str, assignment_id: str) -> tuple[Assignment, Hit]:
    """GetAssignment: one BatchGetItem. Work still in progress has no MTurk status, so it does not exist yet."""
    assignment, hit = load_with_hit(assignment_id)
    if assignment.requester_id != requester_id or assignment.status not in VISIBLE_STATUSES:
        raise AssignmentNotFound(assignment_id)
    return assignment, hit


def list_for_hit(
    requester_id: str,
    hit_id: str,
    statuses: list[str] | None,
    max_results: int | None,
    next_token: str | None,
) -> tuple[list[Assignment], str | None]:
    """ListAssignmentsForHIT: a HIT's submitted work in submission order, one Query per page."""
    hit_rules.get(requester_id, hit_id)
    for value in statuses or []:
        if value not in VISIBLE_STATUSES:
            raise InvalidParameter(f"Value {value} for parameter AssignmentStatuses is invalid.")
    limit = max_results or paging.MAX_RESULTS_DEFAULT
    cursor = paging.decode_token(next_token, r"(\d{13})#([A-Z0-9]{30})")
    start = (
        {"AssignmentId": {"S": cursor.group(2)}, "HITId": {"S": hit_id}, "ListedAt": {"S": cursor.group(0)}}
        if cursor
        else None
    )
    condition = Assignment.status.is_in(*statuses) if statuses else None
    # One item more than the page, only to know whether another page exists.
    items = list(
        Assignment.by_hit.query(
            hit_id, filter_condition=condition, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    )
    return paging.page_of(items, limit, lambda assignment: assignment.listed_at)
