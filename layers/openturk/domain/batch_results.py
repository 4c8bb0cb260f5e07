"""A batch's results CSV, in MTurk's batch-results format: written to results/<project>/<batch>.csv when the
batch's work is all in (finish_due, from the schedule) and on demand (export).

Streaming: the batch's own CSV is read again for the Input.* columns, row by row, and joined with its
assignments, which a Query on the assignments' ByBatch index returns in row order (a batch HIT's id ends in
its row number). Memory holds one page, never the batch.
"""

import io
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from defusedxml import ElementTree as SafeET

from openturk.data import objects
from openturk.data.assignments import Assignment
from openturk.data.base import DUE_SHARDS, batch_get
from openturk.data.batches import BATCH_PART, COMPLETE, PUBLISHED, Batch
from openturk.data.hits import Hit
from openturk.domain import batch_csv, batches, money, review
from openturk.domain.requester_assignments import VISIBLE_STATUSES

FIELDS = [
    "HITId", "HITTypeId", "Title", "Description", "Keywords", "Reward", "CreationTime", "MaxAssignments",
    "AssignmentDurationInSeconds", "AutoApprovalDelayInSeconds", "Expiration", "AssignmentId", "WorkerId",
    "AssignmentStatus", "AcceptTime", "SubmitTime", "AutoApprovalTime", "ApprovalTime", "RejectionTime",
    "RequesterFeedback", "WorkTimeInSeconds",
]  # fmt: skip
_PAGE = 100  # rows whose HITs are read with one BatchGetItem
_ANSWER_NS = (
    "{http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd}"
)


def results_key(batch: Batch) -> str:
    return f"{objects.prefix(batch.requester_id)}results/{batch.project}/{batch.name}.csv"


def _time(value: float | None) -> str:
    """As MTurk's results print times, in UTC."""
    return "" if value is None else time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(float(value)))


def answers(document: str | None) -> dict[str, str]:
    """QuestionFormAnswers XML as {QuestionIdentifier: value}; several values of one question joined by '|'
    as MTurk's results join them."""
    if not document:
        return {}
    found: dict[str, list[str]] = {}
    root = SafeET.fromstring(document.encode("utf-8"))
    for answer in root.iter(_ANSWER_NS + "Answer"):
        name = answer.findtext(_ANSWER_NS + "QuestionIdentifier") or ""
        value = answer.findtext(_ANSWER_NS + "FreeText")
        if value is None:
            value = answer.findtext(_ANSWER_NS + "UploadedFileKey") or ""
        found.setdefault(name, []).append(value)
    return {name: "|".join(values) for name, values in found.items()}


def _work(bid: str) -> Iterator[Assignment]:
    """The batch's submitted and reviewed work, in row order."""
    for assignment in Assignment.by_batch.query(bid):
        if assignment.status in VISIBLE_STATUSES:
            yield assignment


def assignments_done(bid: str) -> int:
    """Submitted, approved or rejected assignments of a batch: a COUNT Query, paged."""
    return Assignment.by_batch.count(bid, filter_condition=Assignment.status.is_in(*VISIBLE_STATUSES))


def export(requester_id: str, name: str, now: float) -> str:
    """Write the results CSV now; returns its key."""
    return write(batches.load(requester_id, name), now)


def write(batch: Batch, now: float) -> str:
    answer_names: dict[str, None] = {}
    for assignment in _work(batch.batch_id):  # first pass: the Answer.* columns every row must have
        answer_names.update(dict.fromkeys(answers(assignment.answer)))
    with tempfile.SpooledTemporaryFile(max_size=16 << 20) as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        writer = batch_csv.Writer(text)
        columns = list(batch.columns or [])
        writer.header(
            FIELDS
            + [f"Input.{c}" for c in columns]
            + [f"Answer.{a}" for a in answer_names]
            + ["Approve", "Reject"]
        )
        for line in _lines(batch, columns, list(answer_names), now):
            writer.row(line)
        text.flush()
        text.detach()  # the spool outlives the text layer, which would close it
        spool.seek(0)
        key = results_key(batch)
        objects.upload(key, spool)
    return key


class _Work:
    """The batch's work in row order, taken HIT by HIT as the rows go by."""

    def __init__(self, bid: str):
        self._work = _work(bid)
        self._next = next(self._work, None)

    def of(self, hit_id: str) -> list[Assignment]:
        mine: list[Assignment] = []
        while self._next is not None and self._next.assignment_id[: len(hit_id)] <= hit_id:
            if self._next.assignment_id.startswith(hit_id):
                mine.append(self._next)
            self._next = next(self._work, None)
        return mine


def _lines(batch: Batch, columns: list[str], answer_names: list[str], now: float) -> Iterator[list[str]]:
    work = _Work(batch.batch_id)
    source = batch_csv.records(objects.stream(batch.source_key, etag=batch.source_etag))
    if next((r for r in source if not batch_csv.blank(r)), None) is None:
        return
    page: list[batches.Row] = []
    for row in batches.rows(source, columns, batch.template, 0):
        if row.values is not None:
            page.append(row)
        if len(page) == _PAGE:
            yield from _page(batch, page, work, answer_names, now)
            page = []
    yield from _page(batch, page, work, answer_names, now)


def _page(
    batch: Batch, page: list[Any], work: _Work, answer_names: list[str], now: float
) -> Iterator[list[str]]:
    if not page:
        return
    ids = [batches.hit_id(batch.batch_id, row.index) for row in page]
    found = {hit.hit_id: hit for hit in batch_get(*[(Hit, h) for h in ids]) if hit}
    for row, hit_id in zip(page, ids, strict=True):
        hit = found.get(hit_id)
        if hit is None:
            continue  # not written yet (a batch still publishing)
        inputs = [row.values[c] for c in columns_of(batch)]
        mine: list[Assignment | None] = list(work.of(hit_id)) or [None]
        for assignment in mine:
            fields = _hit_fields(hit) + _assignment_fields(assignment, now)
            yield fields + inputs + _answers(assignment, answer_names) + ["", ""]


def columns_of(batch: Batch) -> list[str]:
    return list(batch.columns or [])


def _hit_fields(hit: Hit) -> list[str]:
    return [
        hit.hit_id, hit.hit_type_id, hit.title, hit.description, hit.keywords or "",
        "$" + money.format(int(hit.reward_cents)), _time(hit.creation_time), str(int(hit.max_assignments)),
        str(int(hit.assignment_duration)), str(int(hit.auto_approval_delay)), _time(hit.expiration),
    ]  # fmt: skip


def _assignment_fields(assignment: Assignment | None, now: float) -> list[str]:
    if assignment is None:
        return [""] * 10
    approved_by_time = review.auto_approval_due(assignment, now)  # as a read shows it, before the schedule
    status = "Approved" if approved_by_time else assignment.status
    approval = assignment.auto_approval_time if approved_by_time else assignment.approval_time
    work_time = int(assignment.submit_time - assignment.accept_time) if assignment.submit_time else ""
    return [
        assignment.assignment_id, assignment.worker_id, status, _time(assignment.accept_time),
        _time(assignment.submit_time), _time(assignment.auto_approval_time), _time(approval),
        _time(assignment.rejection_time), assignment.requester_feedback or "", str(work_time),
    ]  # fmt: skip


def _answers(assignment: Assignment | None, names: list[str]) -> list[str]:
    given = answers(assignment.answer) if assignment is not None else {}
    return [given.get(name, "") for name in names]


# ---- the schedule's side ----------------------------------------------------------------------------


def finish_due(now: float) -> int:
    """Published batches whose work is all in (or can no longer come in) get their results CSV and are
    Complete. A Query per shard of the OpenBatches index, never a Scan. Returns how many finished."""
    finished = 0
    for shard in range(DUE_SHARDS):
        for batch in Batch.open_batches.query(f"open#{shard}"):
            if batch.status == PUBLISHED and _all_in(batch, now):
                write(batch, now)
                batch.update(
                    actions=[Batch.status.set(COMPLETE), Batch.open_key.remove(), Batch.results_at.set(now)],
                    condition=Batch.status == PUBLISHED,
                )
                finished += 1
    return finished


def _all_in(batch: Batch, now: float) -> bool:
    terms = batch.terms or {}
    expected = int(batch.valid_rows or 0) * int(terms.get("MaxAssignments", 1))
    # After every HIT expired and its last accepted work ran out of time, nothing more can come in.
    over = (
        float(batch.created_at)
        + terms.get("LifetimeInSeconds", 0)
        + terms.get("AssignmentDurationInSeconds", 0)
    )
    return now >= over or assignments_done(batch.batch_id) >= expected


def reload(batch: Batch) -> Batch:
    return Batch.get(batch.batch_id, BATCH_PART, consistent_read=True)
