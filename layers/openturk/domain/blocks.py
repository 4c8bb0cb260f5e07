"""Worker blocks: a requester keeps a worker away from its HITs (CreateWorkerBlock and friends).

A block stops new accepts of the requester's HITs (assignments.accept checks it inside its transaction)
and hides those HITs from the worker's list; work already accepted is unaffected.
"""

from typing import Any

from openturk.data.blocks import Block
from openturk.domain import paging
from openturk.domain.errors import InvalidParameter

_CURSOR = r"A[A-Z0-9]{1,63}"  # the last WorkerId of the page


def block(requester_id: str, worker_id: str, reason: str, now: float) -> None:
    """Block, or block again with a new reason: one Put."""
    if not reason.strip():
        raise InvalidParameter("Value for parameter Reason is invalid: give a reason for the block.")
    Block(requester_id, worker_id, reason=reason, blocked_at=now).save()


def unblock(requester_id: str, worker_id: str) -> None:
    """Remove the block: one Delete. As on MTurk, unblocking a worker who is not blocked succeeds."""
    if not worker_id:
        raise InvalidParameter("WorkerId is invalid.")
    Block(requester_id, worker_id).delete()


def list_blocks(
    requester_id: str, max_results: int | None, next_token: str | None
) -> tuple[list[Block], str | None]:
    """ListWorkerBlocks: the requester's blocks by WorkerId, one Query per page."""
    limit = max_results or paging.MAX_RESULTS_DEFAULT
    cursor = paging.decode_token(next_token, _CURSOR)
    start = {"RequesterId": {"S": requester_id}, "WorkerId": {"S": cursor.group(0)}} if cursor else None
    # One item more than the page, only to know whether another page exists.
    items = list(
        Block.query(
            requester_id, consistent_read=True, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    )
    return paging.page_of(items, limit, lambda found: found.worker_id)


def to_wire(found: Block) -> dict[str, Any]:
    return {"WorkerId": found.worker_id, "Reason": found.reason}
