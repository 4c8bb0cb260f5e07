"""Workers request qualifications; requesters answer the requests.

How a request is answered depends on the type: AutoGranted types grant AutoGrantedValue at once; a type
with a Test and an AnswerKey scores the worker's answers at once (qualification_tests); any other request
waits, Pending, for the type's owner (ListQualificationRequests, Accept/RejectQualificationRequest).

A test is an attempt: requesting the type without answers starts it (the worker gets the Test and a
deadline TestDurationInSeconds away); answers after the deadline are refused. Answers sent without a
started attempt start and finish one at once. A worker may request a type again only RetryDelayInSeconds
after their last request, and never when the type has no RetryDelayInSeconds (MTurk's rule); not while a
request of theirs is pending either.

The worker's request state for a type lives on their Qualification item for it (RequestedAt,
RequestState, AttemptId, AttemptDeadline), so one GetItem says whether they may request, and the request
and its grant are one transaction with a condition on that state (two racing requests: one wins).
"""

import re
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.update import Action

from openturk.data import base as db
from openturk.data.base import Transaction, TransactionRefused
from openturk.data.hits import sort_key
from openturk.data.qualifications import Qualification, QualificationRequest, QualificationType
from openturk.domain import answers as answer_xml
from openturk.domain import ids, paging, qualification_tests
from openturk.domain import system_qualifications as system
from openturk.domain.errors import (
    InvalidParameter,
    InvalidQualificationRequestState,
    InvalidQualificationTypeState,
    QualificationRequestNotFound,
    QualificationTypeNotFound,
)
from openturk.domain.qualifications import ACTIVE, GRANTED, REQUESTABLE, owned, type_to_wire

PENDING, REJECTED = "Pending", "Rejected"  # a request's status (and GRANTED)
STARTED, ANSWERED = "Started", "Answered"  # the worker's request state for a type
_REQUEST_ID = re.compile(r"[A-Z0-9]{30}")
_TYPE_ID = re.compile(r"[A-Z0-9]{1,64}")
_PENDING_CURSOR = r"([A-Z0-9]{1,64})#(\d{13})#([A-Z0-9]{30})"
_TYPES_CURSOR = r"(\d{13})#([A-Z0-9]{1,64})"


def _refused(message: str) -> InvalidQualificationRequestState:
    return InvalidQualificationRequestState(message)


def _requestable(qualification_type_id: str) -> QualificationType:
    if not _TYPE_ID.fullmatch(qualification_type_id):  # MTurk's EntityId; anything else names no type
        raise QualificationTypeNotFound(qualification_type_id[:64])
    if system.is_system(qualification_type_id):
        raise InvalidQualificationTypeState(
            f"QualificationType {qualification_type_id} is a system qualification: it cannot be requested."
        )
    try:
        qtype = QualificationType.get(qualification_type_id, consistent_read=True)
    except DoesNotExist:
        raise QualificationTypeNotFound(qualification_type_id) from None
    if qtype.deleted:
        raise QualificationTypeNotFound(qualification_type_id)
    if qtype.status != ACTIVE:
        raise InvalidQualificationTypeState(
            f"QualificationType {qualification_type_id} is Inactive: it cannot be requested."
        )
    return qtype


def _current(qualification_type_id: str, worker_id: str) -> Qualification | None:
    try:
        return Qualification.get(qualification_type_id, worker_id, consistent_read=True)
    except DoesNotExist:
        return None


def _check_retry(qtype: QualificationType, current: Qualification | None, now: float) -> None:
    if current is None or current.requested_at is None:
        return
    if current.request_state == PENDING:
        raise _refused(
            "You already have a request for this qualification waiting for its requester's answer."
        )
    if qtype.retry_delay is None:
        raise _refused("This qualification can be requested only once: its type does not allow retries.")
    retry_at = float(current.requested_at) + float(qtype.retry_delay)
    if now < retry_at:
        raise _refused(
            f"You can request this qualification again in {int(retry_at - now + 0.999)} seconds "
            f"(RetryDelayInSeconds is {int(qtype.retry_delay)})."
        )


def _unchanged(current: Qualification | None) -> Any:
    """The worker's request state for the type is still what this request decided on."""
    if current is None or current.requested_at is None:
        return Qualification.requested_at.does_not_exist()
    return Qualification.requested_at == current.requested_at


def _commit(tx: Transaction) -> None:
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "state" in refused.failed:
            raise _refused(
                "Another request of yours for this qualification came first; look again."
            ) from None
        raise


def _started_view(qtype: QualificationType, attempt_id: str, deadline: float) -> dict[str, Any]:
    return {
        "QualificationRequestId": attempt_id,
        "QualificationTypeId": qtype.qualification_type_id,
        "Status": STARTED,
        "Test": qtype.test,
        "TestDeadline": deadline,
    }


def request(
    worker_id: str, qualification_type_id: str, given: dict[str, Any] | None, now: float
) -> dict[str, Any]:
    """POST /worker/api/qualification-types/{id}/request with {} or {"Answers": {...}}."""
    answers = (given or {}).get("Answers")
    if answers is not None and not isinstance(answers, dict):
        raise InvalidParameter('Answers must be an object: {"<QuestionIdentifier>": "<answer>"}.')
    qtype = _requestable(qualification_type_id)
    current = _current(qualification_type_id, worker_id)
    if qtype.test is None:
        if answers:
            raise InvalidParameter("This qualification has no test: request it with {}.")
        _check_retry(qtype, current, now)
        return _finish(qtype, worker_id, current, ids.entity_id(30), None, now, new_attempt=True)
    open_attempt = (
        current is not None
        and current.request_state == STARTED
        and current.attempt_id is not None
        and current.attempt_deadline is not None
    )
    if open_attempt and current is not None:
        if now <= float(current.attempt_deadline):
            if answers is None:  # asking again while the test runs: the same attempt
                return _started_view(qtype, str(current.attempt_id), float(current.attempt_deadline))
            return _finish(
                qtype, worker_id, current, str(current.attempt_id), answers, now, new_attempt=False
            )
        if answers is not None:  # a new attempt starts with {}, when RetryDelayInSeconds allows
            raise _refused(
                f"The time for this test ran out {int(now - float(current.attempt_deadline))} seconds ago; "
                "answers sent after TestDurationInSeconds are not accepted."
            )
    _check_retry(qtype, current, now)
    attempt_id = ids.entity_id(30)
    if answers is None:
        deadline = now + float(qtype.test_duration or 0)
        tx = Transaction()
        tx.update(
            Qualification(qualification_type_id, worker_id),
            actions=[
                Qualification.requested_at.set(now),
                Qualification.request_state.set(STARTED),
                Qualification.attempt_id.set(attempt_id),
                Qualification.attempt_deadline.set(deadline),
            ],
            condition=_unchanged(current),
            name="state",
        )
        _commit(tx)
        return _started_view(qtype, attempt_id, deadline)
    return _finish(qtype, worker_id, current, attempt_id, answers, now, new_attempt=True)


def _finish(
    qtype: QualificationType,
    worker_id: str,
    current: Qualification | None,
    request_id: str,
    answers: dict[str, Any] | None,
    now: float,
    new_attempt: bool,
) -> dict[str, Any]:
    """Record the request and answer it if the type says how (auto-grant, answer key): one transaction."""
    answer = answer_xml.question_form_answers(answers) if answers is not None else None
    value: int | None = None
    if qtype.auto_granted:
        value = int(qtype.auto_granted_value)
    elif qtype.answer_key is not None and answers is not None:
        value = qualification_tests.score(qtype.answer_key, answers)
    status = PENDING if value is None else GRANTED
    type_id = qtype.qualification_type_id
    record = QualificationRequest(
        request_id,
        qualification_type_id=type_id,
        worker_id=worker_id,
        requester_id=qtype.requester_id,
        status=status,
        submit_time=now,
        answer=answer,
    )
    if status == PENDING:
        record.pending_by = qtype.requester_id
        record.pending_at = f"{type_id}#{sort_key(now, request_id)}"
    actions: list[Action] = [
        Qualification.request_state.set(PENDING if status == PENDING else ANSWERED),
        Qualification.attempt_id.set(request_id),
        Qualification.attempt_deadline.remove(),
    ]
    if new_attempt:
        actions.append(Qualification.requested_at.set(now))
        condition = _unchanged(current)
    else:  # the started attempt, still open
        condition = (Qualification.attempt_id == request_id) & (Qualification.request_state == STARTED)
    if value is not None:
        actions += _grant_actions(value, now)
    tx = Transaction()
    tx.put(record, condition=QualificationRequest.request_id.does_not_exist(), name="request")
    tx.update(Qualification(type_id, worker_id), actions=actions, condition=condition, name="state")
    _commit(tx)
    view = {
        "QualificationRequestId": request_id,
        "QualificationTypeId": type_id,
        "Status": status,
        "SubmitTime": now,
    }
    if value is not None:
        view["IntegerValue"] = value
    return view


def _grant_actions(value: int, now: float) -> list[Action]:
    return [
        Qualification.status.set(GRANTED),
        Qualification.integer_value.set(value),
        Qualification.grant_time.set(now),
        Qualification.reason.remove(),
    ]


# ---- the requester's side ------------------------------------------------------------------------------


def list_pending(
    requester_id: str, qualification_type_id: str | None, max_results: int | None, next_token: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """ListQualificationRequests: the pending requests for the caller's types (or one of them), by type
    then oldest first. One Query per page, and one BatchGetItem of the page's types for their Test; requests
    for a type deleted meanwhile are left out (a page may then hold fewer)."""
    if qualification_type_id is not None:
        owned(requester_id, qualification_type_id)
    limit = max_results or paging.MAX_RESULTS_DEFAULT
    cursor = paging.decode_token(next_token, _PENDING_CURSOR)
    start = (
        {
            "QualificationRequestId": {"S": cursor.group(3)},
            "PendingBy": {"S": requester_id},
            "PendingAt": {"S": cursor.group(0)},
        }
        if cursor
        else None
    )
    range_condition = (
        QualificationRequest.pending_at.startswith(f"{qualification_type_id}#")
        if qualification_type_id
        else None
    )
    items = list(
        QualificationRequest.pending.query(
            requester_id, range_condition, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    )
    found, token = paging.page_of(items, limit, lambda r: str(r.pending_at))
    type_ids = list(dict.fromkeys(r.qualification_type_id for r in found))
    types = {
        t.qualification_type_id: t for t in db.batch_get(*[(QualificationType, i) for i in type_ids]) if t
    }
    wires = []
    for found_request in found:
        wire: dict[str, Any] = {
            "QualificationRequestId": found_request.request_id,
            "QualificationTypeId": found_request.qualification_type_id,
            "WorkerId": found_request.worker_id,
            "SubmitTime": found_request.submit_time,
        }
        qtype = types.get(found_request.qualification_type_id)
        if qtype is None or qtype.deleted:  # deleting a type ends its pending requests, as on MTurk
            continue
        if qtype.test is not None:
            wire["Test"] = qtype.test
            if found_request.answer is not None:
                wire["Answer"] = found_request.answer
        wires.append(wire)
    return wires, token


def _pending_of(requester_id: str, request_id: str) -> QualificationRequest:
    if not _REQUEST_ID.fullmatch(request_id):
        raise QualificationRequestNotFound(request_id[:64])
    try:
        found = QualificationRequest.get(request_id, consistent_read=True)
    except DoesNotExist:
        raise QualificationRequestNotFound(request_id) from None
    if found.requester_id != requester_id:
        raise QualificationRequestNotFound(request_id)
    if found.status != PENDING:
        raise _refused(
            f"QualificationRequest {request_id} is {found.status}; only a Pending request can be answered."
        )
    return found


def _answer(
    found: QualificationRequest, status: str, extra: list[Action], state_actions: list[Action]
) -> None:
    tx = Transaction()
    tx.update(
        found,
        actions=[
            QualificationRequest.status.set(status),
            QualificationRequest.pending_by.remove(),
            QualificationRequest.pending_at.remove(),
            *extra,
        ],
        condition=QualificationRequest.status == PENDING,  # Invariant: a request is answered once.
        name="request",
    )
    tx.update(
        Qualification(found.qualification_type_id, found.worker_id),
        actions=[Qualification.request_state.set(ANSWERED), *state_actions],
        name="qualification",
    )
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "request" in refused.failed:
            raise _refused(f"QualificationRequest {found.request_id} was answered meanwhile.") from None
        raise


def accept(requester_id: str, request_id: str, integer_value: int | None, now: float) -> None:
    """AcceptQualificationRequest: grant the worker the type with IntegerValue (default 1)."""
    found = _pending_of(requester_id, request_id)
    owned(requester_id, found.qualification_type_id)  # a deleted type's requests cannot be granted
    _answer(found, GRANTED, [], _grant_actions(1 if integer_value is None else integer_value, now))


def reject(requester_id: str, request_id: str, reason: str | None) -> None:
    """RejectQualificationRequest: nothing granted; the worker sees the reason."""
    found = _pending_of(requester_id, request_id)
    extra: list[Action] = [QualificationRequest.reason.set(reason)] if reason else []
    _answer(found, REJECTED, extra, [])


# ---- the worker's view of the types ---------------------------------------------------------------------


def requestable_types(next_token: str | None, limit: int = 25) -> tuple[list[dict[str, Any]], str | None]:
    """GET /worker/api/qualification-types: Active types anyone may request, oldest first, with the Test's
    QuestionForm where there is one (never the AnswerKey). One Query per page."""
    cursor = paging.decode_token(next_token, _TYPES_CURSOR)
    start = (
        {
            "QualificationTypeId": {"S": cursor.group(2)},
            "RequestableKey": {"S": REQUESTABLE},
            "RequestableAt": {"S": cursor.group(0)},
        }
        if cursor
        else None
    )
    items = list(
        QualificationType.requestable.query(
            REQUESTABLE, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    )
    found, token = paging.page_of(items, limit, lambda q: str(q.requestable_at))
    return [type_to_wire(q, requester_id="") for q in found], token


def requestable_type(qualification_type_id: str) -> dict[str, Any]:
    """One type a worker may request, as the worker API lists it (with its Test, never the AnswerKey)."""
    return type_to_wire(_requestable(qualification_type_id), requester_id="")
