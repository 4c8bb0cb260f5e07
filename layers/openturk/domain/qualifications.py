"""Qualification types and workers' qualifications: validation, ownership, state rules, listing.

A type belongs to the requester who created it: for any change another requester's (or a deleted) type
does not exist. Anyone may read a type that is Active; its owner may read it in any state, with its
AnswerKey. Names are unique among a requester's live types (a name item claimed in the same transaction).
Tests are scored in qualification_tests, requests handled in qualification_requests, workers' scores in
qualification_scores. MTurk's system types (system_qualifications) read like types of nobody's.
"""

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, PutError

from openturk.data import base as db
from openturk.data.base import Transaction, TransactionRefused
from openturk.data.hits import Hit, sort_key
from openturk.data.qualifications import (
    REQUESTABLE,
    QualificationName,
    QualificationType,
    name_key,
)
from openturk.domain import ids, qualification_tests, questions
from openturk.domain import system_qualifications as system
from openturk.domain.errors import (
    InvalidParameter,
    QualificationTypeAlreadyExists,
    QualificationTypeNotFound,
)
from openturk.domain.paging import MAX_RESULTS_DEFAULT, decode_token, encode_token, page_of

ACTIVE, INACTIVE = "Active", "Inactive"
GRANTED, REVOKED = "Granted", "Revoked"
MAX_DESCRIPTION = 2000
MAX_KEYWORDS = 1000
_SORTED = r"(\d{13})#([A-Z0-9]{1,64})"
# The HIT's stored requirements read as the JSON text they are, so that contains() looks for a substring
# (through the model's JSONAttribute the value itself would be JSON-encoded first).
_REQUIREMENTS_TEXT = UnicodeAttribute(attr_name="QualificationRequirements")


# ---- validation --------------------------------------------------------------------------------------


def _check_non_negative(request: dict[str, Any], name: str) -> None:
    value = request.get(name)
    if value is not None and value < 0:
        raise InvalidParameter(f"Value {value} for parameter {name} is invalid. It must be 0 or more.")


def _check_description(description: str) -> None:
    if not description.strip():
        raise InvalidParameter("The parameter Description must not be empty.")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidParameter(
            f"The Description is {len(description)} characters; the limit is {MAX_DESCRIPTION}."
        )


def _check_test(request: dict[str, Any]) -> None:
    """Test, AnswerKey and TestDurationInSeconds as a create or update gives them."""
    test = request.get("Test")
    if test is None:
        if request.get("AnswerKey") is not None:
            raise InvalidParameter("An AnswerKey can be given only with the Test it answers.")
        if request.get("TestDurationInSeconds") is not None:
            raise InvalidParameter("TestDurationInSeconds can be given only with a Test.")
        return
    if request.get("TestDurationInSeconds") is None:
        raise InvalidParameter("A Test requires TestDurationInSeconds.")
    if request["TestDurationInSeconds"] < 1:
        raise InvalidParameter(
            f"Value {request['TestDurationInSeconds']} for parameter TestDurationInSeconds is invalid."
        )
    questions.parse(test, allowed=("QuestionForm",))
    if request.get("AnswerKey") is not None:
        qualification_tests.parse(request["AnswerKey"])


def _refuse_auto_granted_test() -> None:
    raise InvalidParameter("A QualificationType with a Test cannot be AutoGranted.")


# ---- types ---------------------------------------------------------------------------------------------


def _listed(qtype: QualificationType) -> None:
    """Set the index keys that follow from the type's state (owner: while live; requestable: while Active)."""
    at = sort_key(float(qtype.creation_time), qtype.qualification_type_id)
    live = not qtype.deleted
    qtype.owned_by, qtype.owned_at = (qtype.requester_id, at) if live else (None, None)
    active = live and qtype.status == ACTIVE
    qtype.requestable_key, qtype.requestable_at = (REQUESTABLE, at) if active else (None, None)


def create(requester_id: str, request: dict[str, Any], now: float) -> QualificationType:
    name = request["Name"].strip()
    if not name:
        raise InvalidParameter("The parameter Name must not be empty.")
    _check_description(request["Description"])
    keywords = request.get("Keywords")
    if keywords is not None and len(keywords) > MAX_KEYWORDS:
        raise InvalidParameter(f"The Keywords are {len(keywords)} characters; the limit is {MAX_KEYWORDS}.")
    _check_non_negative(request, "RetryDelayInSeconds")
    _check_test(request)
    auto_granted = bool(request.get("AutoGranted", False))
    if auto_granted and request.get("Test") is not None:
        _refuse_auto_granted_test()
    qtype = QualificationType(
        ids.entity_id(30),
        requester_id=requester_id,
        name=name,
        description=request["Description"],
        keywords=keywords,
        status=request["QualificationTypeStatus"],
        creation_time=now,
        retry_delay=request.get("RetryDelayInSeconds"),
        test=request.get("Test"),
        answer_key=request.get("AnswerKey"),
        test_duration=request.get("TestDurationInSeconds"),
        auto_granted=auto_granted,
        auto_granted_value=request.get("AutoGrantedValue", 1),
        deleted=False,
    )
    _listed(qtype)
    claim = QualificationName(name_key(requester_id, name), qualification_type_id=qtype.qualification_type_id)
    tx = Transaction()
    # Invariant: a requester has at most one live type of each name.
    tx.put(claim, condition=QualificationName.qualification_type_id.does_not_exist(), name="name")
    tx.put(qtype, condition=QualificationType.qualification_type_id.does_not_exist(), name="type")
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "name" in refused.failed:
            raise QualificationTypeAlreadyExists() from None
        raise
    return qtype


def _load(qualification_type_id: str) -> QualificationType:
    try:
        qtype = QualificationType.get(qualification_type_id, consistent_read=True)
    except DoesNotExist:
        raise QualificationTypeNotFound(qualification_type_id) from None
    if qtype.deleted:
        raise QualificationTypeNotFound(qualification_type_id)
    return qtype


def owned(requester_id: str, qualification_type_id: str) -> QualificationType:
    """A live type of this requester; another requester's type does not exist for them."""
    qtype = _load(qualification_type_id)
    if qtype.requester_id != requester_id:
        raise QualificationTypeNotFound(qualification_type_id)
    return qtype


def readable(requester_id: str, qualification_type_id: str) -> QualificationType:
    """A type this requester may read: its own, or anyone's Active type."""
    qtype = _load(qualification_type_id)
    if qtype.requester_id != requester_id and qtype.status != ACTIVE:
        raise QualificationTypeNotFound(qualification_type_id)
    return qtype


def update(requester_id: str, request: dict[str, Any]) -> QualificationType:
    """Change what UpdateQualificationType may change; what the request omits stays as it was."""
    qtype = owned(requester_id, request["QualificationTypeId"])
    if request.get("Description") is not None:
        _check_description(request["Description"])
        qtype.description = request["Description"]
    _check_non_negative(request, "RetryDelayInSeconds")
    _check_test(request)
    if request.get("Test") is not None:
        # A new Test replaces the answer key too: without one, requests are graded by hand.
        qtype.test = request["Test"]
        qtype.test_duration = request["TestDurationInSeconds"]
        qtype.answer_key = request.get("AnswerKey")
    if request.get("RetryDelayInSeconds") is not None:
        qtype.retry_delay = request["RetryDelayInSeconds"]
    if request.get("AutoGranted") is not None:
        qtype.auto_granted = request["AutoGranted"]
    if request.get("AutoGrantedValue") is not None:
        qtype.auto_granted_value = request["AutoGrantedValue"]
    if qtype.auto_granted and qtype.test is not None:
        _refuse_auto_granted_test()
    if request.get("QualificationTypeStatus") is not None:
        qtype.status = request["QualificationTypeStatus"]
    _listed(qtype)
    try:
        # Invariant: a deleted type stays deleted (and out of the indexes).
        qtype.save(condition=(QualificationType.deleted == False))  # noqa: E712 (a DynamoDB condition)
    except PutError as error:
        if db.condition_failed(error):
            raise QualificationTypeNotFound(qtype.qualification_type_id) from None
        raise
    return qtype


def delete(requester_id: str, qualification_type_id: str) -> None:
    """Mark the type deleted: out of every list, gone for Get, and its name free again."""
    qtype = owned(requester_id, qualification_type_id)
    tx = Transaction()
    # Invariant: only a live type is deleted, once.
    tx.update(
        qtype,
        actions=[
            QualificationType.deleted.set(True),
            QualificationType.owned_by.remove(),
            QualificationType.owned_at.remove(),
            QualificationType.requestable_key.remove(),
            QualificationType.requestable_at.remove(),
        ],
        condition=(QualificationType.deleted == False),  # noqa: E712 (a DynamoDB condition)
        name="type",
    )
    tx.update(
        QualificationName(name_key(requester_id, qtype.name)),
        actions=[QualificationName.qualification_type_id.remove()],
        condition=(QualificationName.qualification_type_id == qualification_type_id),
        name="name",
    )
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "type" in refused.failed:
            raise QualificationTypeNotFound(qualification_type_id) from None
        raise


def list_types(
    requester_id: str,
    must_be_requestable: bool,
    must_be_owned: bool,
    query: str | None,
    max_results: int | None,
    next_token: str | None,
) -> tuple[list[QualificationType], str | None]:
    """One Query per page, oldest first: the caller's live types (any status) when MustBeOwnedByCaller,
    else everyone's Active types. Query is matched case-insensitively against the name, description and
    keywords of the page's types, so a page may hold fewer than MaxResults."""
    del must_be_requestable  # every custom type is requestable; type_wires adds the system types
    limit = max_results or MAX_RESULTS_DEFAULT
    cursor = decode_token(next_token, _SORTED)
    start = None
    if must_be_owned:
        if cursor:
            start = {
                "QualificationTypeId": {"S": cursor.group(2)},
                "OwnedBy": {"S": requester_id},
                "OwnedAt": {"S": cursor.group(0)},
            }
        result = QualificationType.by_owner.query(
            requester_id, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    else:
        if cursor:
            start = {
                "QualificationTypeId": {"S": cursor.group(2)},
                "RequestableKey": {"S": REQUESTABLE},
                "RequestableAt": {"S": cursor.group(0)},
            }
        result = QualificationType.requestable.query(
            REQUESTABLE, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start
        )
    found, token = page_of(
        list(result), limit, lambda q: sort_key(float(q.creation_time), q.qualification_type_id)
    )
    if query:
        needle = query.casefold()
        found = [q for q in found if needle in " ".join((q.name, q.description, q.keywords or "")).casefold()]
    return found, token


def type_to_wire(qtype: QualificationType, requester_id: str) -> dict[str, Any]:
    """The MTurk QualificationType structure; the AnswerKey only for its owner."""
    wire: dict[str, Any] = {
        "QualificationTypeId": qtype.qualification_type_id,
        "CreationTime": qtype.creation_time,
        "Name": qtype.name,
        "Description": qtype.description,
        "QualificationTypeStatus": qtype.status,
        "IsRequestable": True,
        "AutoGranted": bool(qtype.auto_granted),
    }
    optional = {
        "Keywords": qtype.keywords,
        "Test": qtype.test,
        "TestDurationInSeconds": None if qtype.test_duration is None else int(qtype.test_duration),
        "AnswerKey": qtype.answer_key if qtype.requester_id == requester_id else None,
        "RetryDelayInSeconds": None if qtype.retry_delay is None else int(qtype.retry_delay),
        "AutoGrantedValue": int(qtype.auto_granted_value) if qtype.auto_granted else None,
    }
    wire.update({k: v for k, v in optional.items() if v is not None})
    return wire


def type_wire(requester_id: str, qualification_type_id: str) -> dict[str, Any]:
    """GetQualificationType: a system type, or a type this requester may read."""
    if system.is_system(qualification_type_id):
        return system.type_to_wire(qualification_type_id)
    return type_to_wire(readable(requester_id, qualification_type_id), requester_id)


def type_wires(
    requester_id: str,
    must_be_requestable: bool,
    must_be_owned: bool,
    query: str | None,
    max_results: int | None,
    next_token: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """ListQualificationTypes. MTurk's system types are not requestable and nobody's: with
    MustBeRequestable false and MustBeOwnedByCaller false they come first, then everyone's active types,
    paged together so that no page holds more than MaxResults."""
    offset = _system_offset(next_token) if not must_be_requestable and not must_be_owned else None
    if offset is None:
        found, token = list_types(
            requester_id, must_be_requestable, must_be_owned, query, max_results, next_token
        )
        return [type_to_wire(q, requester_id) for q in found], token
    limit = max_results or MAX_RESULTS_DEFAULT
    needle = (query or "").casefold()
    listed = [system.type_to_wire(t) for t in sorted(system.IDS)]
    matching = [w for w in listed if needle in f"{w['Name']} {w['Description']}".casefold()]
    wires = matching[offset : offset + limit]
    if len(wires) == limit:  # the page is full: the next one goes on from here
        return wires, encode_token(f"{_SYSTEM_CURSOR}{offset + limit}")
    found, token = list_types(requester_id, False, False, query, limit - len(wires), None)
    return wires + [type_to_wire(q, requester_id) for q in found], token


_SYSTEM_CURSOR = "system#"  # a NextToken into the system types: how many were listed already


def _system_offset(next_token: str | None) -> int | None:
    """How many system types earlier pages listed; None when the token points past them."""
    if next_token is None:
        return 0
    try:
        cursor = decode_token(next_token, _SYSTEM_CURSOR + r"(\d{1,3})")
    except InvalidParameter:  # a cursor into the custom types (list_types checks it)
        return None
    return int(cursor.group(1)) if cursor else 0


def hits_for_type(
    requester_id: str, qualification_type_id: str, max_results: int | None, next_token: str | None
) -> tuple[list[Hit], str | None]:
    """ListHITsForQualificationType: the caller's HITs (not disposed) that require the type, oldest first.
    The requester's HIT index, filtered on the stored requirements naming the type (its id in quotes in
    the requirements' JSON): a page reads on until it is full or the requester's HITs run out."""
    if not system.is_system(qualification_type_id):
        readable(requester_id, qualification_type_id)
    limit = max_results or MAX_RESULTS_DEFAULT
    cursor = decode_token(next_token, _SORTED)
    start = (
        {"HITId": {"S": cursor.group(2)}, "ListedBy": {"S": requester_id}, "ListedAt": {"S": cursor.group(0)}}
        if cursor
        else None
    )
    items = Hit.by_requester.query(
        requester_id,
        filter_condition=_REQUIREMENTS_TEXT.contains(f'"{qualification_type_id}"'),
        limit=limit + 1,
        page_size=100,
        last_evaluated_key=start,
    )
    return page_of(list(items), limit, lambda hit: hit.listed_at)
