"""Workers' qualifications of a requester's types: grant (Associate), revoke (Disassociate), read (score),
list the holders of a type; and the worker's own view of their qualifications.

A Qualification item may exist with no Status: the worker has only requested the type (see
qualification_requests); such an item is no qualification here.
"""

from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from openturk.data import base as db
from openturk.data.qualifications import Qualification, QualificationType
from openturk.data.workers import Worker
from openturk.domain import system_qualifications as system
from openturk.domain.errors import QualificationNotFound
from openturk.domain.paging import MAX_RESULTS_DEFAULT, decode_token, page_of
from openturk.domain.qualifications import GRANTED, REVOKED, owned


def associate(
    requester_id: str, qualification_type_id: str, worker_id: str, integer_value: int | None, now: float
) -> None:
    """Grant (or grant again, replacing the value of) a qualification of the requester's type.
    SendNotification is accepted; there is no worker mail to send it to."""
    owned(requester_id, qualification_type_id)
    # An update, not a put: a request's times on the same item (RetryDelayInSeconds) stay.
    Qualification(qualification_type_id, worker_id).update(
        actions=[
            Qualification.integer_value.set(1 if integer_value is None else integer_value),
            Qualification.grant_time.set(now),
            Qualification.status.set(GRANTED),
            Qualification.reason.remove(),
        ]
    )


def disassociate(requester_id: str, qualification_type_id: str, worker_id: str, reason: str | None) -> None:
    """Revoke a granted qualification; the worker sees the reason."""
    owned(requester_id, qualification_type_id)
    actions: list[Action] = [Qualification.status.set(REVOKED)]
    actions.append(Qualification.reason.set(reason) if reason else Qualification.reason.remove())
    try:
        # Invariant: only a granted qualification is revoked.
        Qualification(qualification_type_id, worker_id).update(
            actions=actions, condition=(Qualification.status == GRANTED)
        )
    except UpdateError as error:
        if db.condition_failed(error):
            raise QualificationNotFound(qualification_type_id, worker_id) from None
        raise


def score(requester_id: str, qualification_type_id: str, worker_id: str) -> Qualification:
    """A worker's qualification of the requester's own type, granted or revoked."""
    owned(requester_id, qualification_type_id)
    try:
        found = Qualification.get(qualification_type_id, worker_id, consistent_read=True)
    except DoesNotExist:
        raise QualificationNotFound(qualification_type_id, worker_id) from None
    if found.status is None:  # only requested, never granted
        raise QualificationNotFound(qualification_type_id, worker_id)
    return found


def list_workers(
    requester_id: str,
    qualification_type_id: str,
    wanted: str | None,
    max_results: int | None,
    next_token: str | None,
) -> tuple[list[Qualification], str | None]:
    """The qualifications of the requester's type with a status (Granted by default): one Query a page."""
    owned(requester_id, qualification_type_id)
    wanted = wanted or GRANTED
    limit = max_results or MAX_RESULTS_DEFAULT
    cursor = decode_token(next_token, r"(A[A-Z0-9]{1,63})")
    start = (
        {"QualificationTypeId": {"S": qualification_type_id}, "WorkerId": {"S": cursor.group(1)}}
        if cursor
        else None
    )
    result = Qualification.query(
        qualification_type_id,
        filter_condition=cast(Condition, Qualification.status == wanted),
        limit=limit + 1,
        page_size=limit + 1,
        last_evaluated_key=start,
    )
    return page_of(list(result), limit, lambda q: q.worker_id)


def to_wire(qualification: Qualification) -> dict[str, Any]:
    """The MTurk Qualification structure."""
    wire: dict[str, Any] = {
        "QualificationTypeId": qualification.qualification_type_id,
        "WorkerId": qualification.worker_id,
        "GrantTime": qualification.grant_time,
        "Status": qualification.status,
    }
    if qualification.integer_value is not None:
        wire["IntegerValue"] = int(qualification.integer_value)
    if qualification.locale_value is not None:
        wire["LocaleValue"] = qualification.locale_value
    return wire


def qualifications_of_worker(worker_id: str, now: float) -> list[dict[str, Any]]:
    """GET /worker/api/qualifications: the worker's qualifications with their scores and the types' names,
    custom ones (Granted and Revoked; one Query of the ByWorker index and one BatchGetItem of the types and
    the worker's item) followed by the system qualifications the worker holds."""
    held = [
        q for q in Qualification.by_worker.query(worker_id) if q.status is not None
    ]  # a worker holds few types: one page in practice, and the index pages by itself beyond 1 MB
    found = db.batch_get(*[(QualificationType, q.qualification_type_id) for q in held], (Worker, worker_id))
    types, worker = found[:-1], found[-1]
    result = []
    for qualification, qtype in zip(held, types, strict=True):
        if qtype is None or qtype.deleted:
            continue
        wire = to_wire(qualification)
        wire["Name"] = qtype.name
        if qualification.reason and qualification.status == REVOKED:
            wire["Reason"] = qualification.reason
        result.append(wire)
    return result + system.held(worker, now)
