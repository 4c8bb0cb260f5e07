"""NotifyWorkers and the worker's inbox.

A requester may message only workers who have worked for it, as on MTurk: workers whose work it has approved
or rejected (the review transaction records the relationship): one BatchGetItem of the relationships says which. The others come back as MTurk's per-worker
failure statuses; the call itself succeeds.
"""

from typing import Any

from openturk.data import base as db
from openturk.data.hits import sort_key
from openturk.data.messages import Message
from openturk.data.relationships import Relationship
from openturk.domain import ids, paging
from openturk.domain.errors import InvalidParameter

MAX_SUBJECT = 200
MAX_TEXT = 4096
MAX_WORKERS = 100
HARD_FAILURE = "HardFailure"


def _check_length(name: str, value: str, most: int) -> None:
    if not value or len(value) > most:
        raise InvalidParameter(f"Value for parameter {name} is invalid: it must have 1 to {most} characters.")


def notify(
    requester_id: str, subject: str, text: str, worker_ids: list[str], now: float
) -> list[dict[str, str]]:
    """Deliver one message per worker who has worked for the requester; the failure statuses of the rest."""
    _check_length("Subject", subject, MAX_SUBJECT)
    _check_length("MessageText", text, MAX_TEXT)
    if not 1 <= len(worker_ids) <= MAX_WORKERS:
        raise InvalidParameter(
            f"Value for parameter WorkerIds is invalid: give 1 to {MAX_WORKERS} worker ids "
            f"(got {len(worker_ids)})."
        )
    unique = list(dict.fromkeys(worker_ids))
    known = db.batch_get(*[(Relationship, (requester_id, worker_id)) for worker_id in unique])
    failures = []
    recipients = []
    for worker_id, relationship in zip(unique, known, strict=True):
        if relationship is None:
            failures.append(
                {
                    "NotifyWorkersFailureCode": HARD_FAILURE,
                    "NotifyWorkersFailureMessage": (
                        f"Cannot send a message to worker {worker_id}: "
                        "you have not approved or rejected any work of this worker."
                    ),
                    "WorkerId": worker_id,
                }
            )
        else:
            recipients.append(worker_id)
    with Message.batch_write() as batch:
        for worker_id in recipients:
            message_id = ids.entity_id()
            batch.save(
                Message(
                    worker_id,
                    sort_key(now, message_id),
                    message_id=message_id,
                    requester_id=requester_id,
                    subject=subject,
                    text=text,
                    sent_at=now,
                )
            )
    return failures


def inbox(worker_id: str, next_token: str | None, limit: int = 25) -> tuple[list[Message], str | None]:
    """A worker's messages, newest first, one Query per page."""
    cursor = paging.decode_token(next_token, r"\d{13}#[A-Z0-9]{30}")
    start = {"WorkerId": {"S": worker_id}, "SentKey": {"S": cursor.group(0)}} if cursor else None
    result = Message.query(
        worker_id, scan_index_forward=False, limit=limit, page_size=limit, last_evaluated_key=start
    )
    items = list(result)
    last = result.last_evaluated_key
    return items, (paging.encode_token(last["SentKey"]["S"]) if last else None)


def worker_view(message: Message) -> dict[str, Any]:
    return {
        "MessageId": message.message_id,
        "RequesterId": message.requester_id,
        "Subject": message.subject,
        "MessageText": message.text,
        "SentTime": message.sent_at,
    }
