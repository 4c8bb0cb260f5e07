"""Bulk review: a results CSV uploaded back to reviews/<project>/<batch>.csv with `x` in Approve or a reason
in Reject approves and rejects each marked assignment through the same functions as ApproveAssignment and
RejectAssignment, and reports each row's outcome in reviews/<project>/<batch>.outcome.csv.

Idempotent because those functions are: work already approved is not approved (or paid) again, and the
outcome says "Unchanged".
"""

import io
from concurrent.futures import ThreadPoolExecutor

from openturk.data import objects
from openturk.data.assignments import APPROVED, REJECTED
from openturk.domain import batch_csv, batches, requester_assignments, review
from openturk.domain.batch_csv import BadRow
from openturk.domain.errors import DomainError, InvalidAssignmentState

APPROVED_OUTCOME, REJECTED_OUTCOME, UNCHANGED, SKIPPED, FAILED = (
    "Approved",
    "Rejected",
    "Unchanged",
    "Skipped",
    "Failed",
)
_PARALLEL = 8  # reviews at once: each is a read and a transaction on its own assignment


def outcome_key(requester_id: str, project: str, name: str) -> str:
    return f"{objects.prefix(requester_id)}reviews/{project}/{name}.outcome.csv"


def apply(requester_id: str, project: str, name: str, key: str, now: float) -> dict[str, int]:
    """Review every marked row of the reviews file at `key`; write the outcomes; return their counts."""
    data = objects.read(key) or b""
    bid = batches.batch_id(requester_id, name)
    prefix = batches.hit_id(bid, 0)[:13]
    try:
        rows = list(batch_csv.read_rows(data))
    except BadRow as error:
        rows = [(1, {"__error__": str(error)})]

    def one(item: tuple[int, dict[str, str]]) -> list[str]:
        line, row = item
        return [str(line), *_review(requester_id, prefix, row, now)]

    with ThreadPoolExecutor(_PARALLEL) as pool:
        outcomes = list(pool.map(one, rows))
    out = io.StringIO()
    writer = batch_csv.Writer(out)
    writer.header(["Line", "AssignmentId", "Outcome", "Message"])
    counts: dict[str, int] = {}
    for outcome in outcomes:
        writer.row(outcome)
        counts[outcome[2]] = counts.get(outcome[2], 0) + 1
    objects.write(outcome_key(requester_id, project, name), out.getvalue().encode("utf-8"))
    return counts


def _review(requester_id: str, prefix: str, row: dict[str, str], now: float) -> list[str]:
    """[AssignmentId, Outcome, Message] for one row."""
    if "__error__" in row:
        return ["", FAILED, row["__error__"]]
    assignment_id = (row.get("AssignmentId") or "").strip()
    approve = (row.get("Approve") or "").strip()
    reason = (row.get("Reject") or "").strip()
    if not assignment_id or not (approve or reason):
        return [
            assignment_id,
            SKIPPED,
            "neither Approve nor Reject is marked" if assignment_id else "no AssignmentId",
        ]
    if approve and reason:
        return [assignment_id, FAILED, "both Approve and Reject are marked"]
    if not assignment_id.startswith(prefix):
        return [assignment_id, FAILED, "the assignment is not work on this batch"]
    wanted = APPROVED if approve else REJECTED
    try:
        if approve:
            review.approve(requester_id, assignment_id, None, False, now)
        else:
            review.reject(requester_id, assignment_id, reason, now)
    except InvalidAssignmentState as error:
        current = requester_assignments.get(requester_id, assignment_id)[0].status
        if current == wanted:
            return [assignment_id, UNCHANGED, f"already {current}"]
        return [assignment_id, FAILED, f"the assignment is {current}: {error.message}"]
    except DomainError as error:
        return [assignment_id, FAILED, error.message]
    return [assignment_id, APPROVED_OUTCOME if approve else REJECTED_OUTCOME, ""]
