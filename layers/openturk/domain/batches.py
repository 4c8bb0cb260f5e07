"""Batches: a CSV uploaded to requesters/<RequesterId>/batches/<project>/<batch>.csv becomes one HIT per row.

start() reads the file once, streaming: it checks every row, reports the bad ones in
errors/<project>/<batch>.csv, and then, in one transaction, records the batch and puts the cost of all its
HITs on hold (or refuses the whole batch when the balance cannot pay for it: nothing is published). It then
fans the rows out in chunks (messages on the batch queue); batch_chunks.write_chunk() turns one chunk's rows into HITs
with BatchWriteItem, 25 at a time, and records its progress every PROGRESS_EVERY rows; a chunk that crashes
or runs out of time starts again where its progress says, and first checks (one BatchGetItem) which HITs
of the uncertain stretch after that exist already, so no HIT is written twice. A row's HIT id is derived
from the batch and the row number, so the same row always makes the same HIT.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from openturk.data import batch_queue, objects
from openturk.data.base import (
    Transaction,
    TransactionRefused,
    due_key,
)
from openturk.data.batches import (
    BATCH_PART,
    COMPLETE,
    PUBLISHED,
    PUBLISHING,
    REFUSED,
    Batch,
)
from openturk.domain import batch_csv, hits, ids, ledger, money, projects, questions
from openturk.domain.batch_csv import BadRow, Record
from openturk.domain.errors import InsufficientFunds, InvalidParameter, NotFound

MAX_ROWS = 250_000  # MTurk's largest batch
ROWS_PER_CHUNK = 1_000  # one chunk message: ~40 BatchWriteItems, a few seconds of a function's time
MAX_ROW_BYTES = 65_535
PUBLISHING_KEY = "publishing"  # OpenKey "publishing#<shard>" while the batch publishes, "open#<shard>" after


class BatchNotFound(NotFound):
    code = "BatchDoesNotExist"

    def __init__(self, name: str):
        super().__init__(f"Batch {name} does not exist.")


def batch_id(requester_id: str, name: str) -> str:
    return ids.derived_id("batch", requester_id, name, length=20)


def hit_id(batch: str, row: int) -> str:
    """A row's HIT: 13 characters of the batch, then the row number, so a batch's HITs sort by row."""
    return ids.derived_id("batch-hits", batch, length=13) + f"{row:07d}"


def errors_key(requester_id: str, project: str, name: str) -> str:
    return f"{objects.prefix(requester_id)}errors/{project}/{name}.csv"


def load(requester_id: str, name: str) -> Batch:
    try:
        return Batch.get(batch_id(requester_id, name), BATCH_PART, consistent_read=True)
    except DoesNotExist:
        raise BatchNotFound(name) from None


# ---- reading rows -----------------------------------------------------------------------------------


@dataclass
class Row:
    index: int  # 0-based among the file's data records: what the HIT id is derived from
    line: int
    values: dict[str, str] | None  # None when the row is bad
    reason: str = ""


def rows(records: Iterator[Record], header: list[str], template: str, first_row: int) -> Iterator[Row]:
    """Data records as rows, each checked: well-formed UTF-8 CSV, one cell per column, within the size
    limit. Blank records are not rows."""
    index = first_row
    for record in records:
        if batch_csv.blank(record):
            continue
        yield _row(record, index, header, template)
        index += 1


def _row(record: Record, index: int, header: list[str], template: str) -> Row:
    if len(record.raw) > MAX_ROW_BYTES:
        return Row(
            index, record.line, None, f"the row is {len(record.raw)} bytes; the limit is {MAX_ROW_BYTES}"
        )
    try:
        cells = batch_csv.cells(record)
    except BadRow as error:
        return Row(index, record.line, None, str(error))
    if len(cells) != len(header):
        return Row(index, record.line, None, f"the row has {len(cells)} cells; the header has {len(header)}")
    values = dict(zip(header, cells, strict=True))
    size = len(projects.question(template, values).encode("utf-8"))
    if size > questions.MAX_BYTES:
        return Row(
            index,
            record.line,
            None,
            f"its HIT's question is {size} bytes; the limit is {questions.MAX_BYTES}",
        )
    return Row(index, record.line, values)


def _header(record: Record, template: str) -> list[str]:
    header = batch_csv.cells(record, first=True)
    if len(set(header)) != len(header) or not all(header):
        raise BadRow("the header has an empty or repeated column name")
    missing = [name for name in projects.columns(template) if name not in header]
    if missing:
        raise BadRow(f"the template uses columns the header lacks: {', '.join(missing)}")
    return header


# ---- starting a batch ---------------------------------------------------------------------------------


def start(requester_id: str, project: str, name: str, key: str, etag: str | None, now: float) -> Batch:
    """The batch file at `key` was uploaded: check its rows, hold its cost and fan out its chunks. Running
    it again (S3 and SQS deliver at least once) changes nothing twice."""
    bid = batch_id(requester_id, name)
    with contextlib.suppress(DoesNotExist):
        existing = Batch.get(bid, BATCH_PART, consistent_read=True)
        if existing.status != REFUSED or existing.source_etag == etag:
            if existing.status == PUBLISHING and not existing.enqueued:
                _enqueue(existing)
            return existing
        # A refused batch uploaded again (funded since, or fixed): it starts afresh.
    batch = Batch(
        bid, BATCH_PART, requester_id=requester_id, name=name, project=project, source_key=key,
        source_etag=etag, created_at=now, status=PUBLISHING, rows_read=0, valid_rows=0, failed_rows=0,
    )  # fmt: skip
    failures: list[tuple[int, str]] = []
    try:
        projects.check_name(name, "batch")
        source = objects.read(f"{objects.prefix(requester_id)}projects/{project}.json")
        if source is None:
            raise InvalidParameter(f"There is no project {project}: upload projects/{project}.json first.")
        terms_, template = projects.parse(requester_id, source, now)
        projects.register(requester_id, project, source, now)
        _scan(batch, key, etag, template, failures)
    except (InvalidParameter, BadRow) as error:
        message = error.message if isinstance(error, InvalidParameter) else str(error)
        return _refuse(batch, failures + [(1, message)])
    hit_type = hits.create_hit_type(requester_id, terms_, now)
    per_hit = hits.assignment_cost(
        money.parse(terms_["Reward"]), terms_["MaxAssignments"], terms_.get("QualificationRequirements")
    ) * int(terms_["MaxAssignments"])
    batch.hit_type_id, batch.terms, batch.template = hit_type, terms_, template
    batch.hit_layout_id = projects.layout_id(requester_id, project)
    batch.held_cents = per_hit * int(batch.valid_rows)
    if failures:
        _write_errors(batch, failures)

    # Listed among the batches still publishing (batch_recovery.py) until finish() moves it to "open".
    batch.open_key = due_key(PUBLISHING_KEY, bid)

    def attempt() -> None:
        tx = Transaction()
        tx.put(batch, condition=Batch.batch_id.does_not_exist() | (Batch.status == REFUSED), name="batch")
        ledger.hold(tx, requester_id, int(batch.held_cents), now, bid)
        tx.commit()

    try:
        hits.with_funds(requester_id, now, attempt)
    except InsufficientFunds:
        available = ledger.requester_balance(requester_id)[0]
        reason = (
            f"the balance ({money.format(available)}) cannot pay for the batch's {int(batch.valid_rows)} HITs "
            f"({money.format(int(batch.held_cents))} with fees): nothing was published"
        )
        return _refuse(batch, failures + [(1, reason)])
    except TransactionRefused as refused:
        if "batch" in refused.failed:  # a second delivery of the same upload got there first
            return Batch.get(bid, BATCH_PART, consistent_read=True)
        raise
    if not batch.chunks:
        finish(batch)
    else:
        _enqueue(batch)
    return batch


def _scan(batch: Batch, key: str, etag: str | None, template: str, failures: list[tuple[int, str]]) -> None:
    """One streaming pass over the file: count and check rows, and cut it into chunks at record bounds."""
    found = batch_csv.records(objects.stream(key, etag=etag))
    header_record = next((r for r in found if not batch_csv.blank(r)), None)
    if header_record is None:
        raise BadRow("the file is empty")
    header = _header(header_record, template)
    chunks: list[list[int]] = []
    count = valid = 0
    for record in found:
        if batch_csv.blank(record):
            continue
        if count % ROWS_PER_CHUNK == 0:
            chunks.append([record.start, record.end, count, record.line])
        chunks[-1][1] = record.end
        row = _row(record, count, header, template)
        count += 1
        if row.values is None:
            failures.append((row.line, row.reason))
        else:
            valid += 1
        if count > MAX_ROWS:
            raise BadRow(f"the file has more than {MAX_ROWS} rows, MTurk's limit for one batch")
    batch.columns, batch.chunks = header, chunks
    batch.rows_read, batch.valid_rows, batch.failed_rows = count, valid, len(failures)


def _refuse(batch: Batch, failures: list[tuple[int, str]]) -> Batch:
    """Nothing of this batch is published; why is in its errors file and its status."""
    _write_errors(batch, failures)
    batch.status, batch.reason = REFUSED, failures[-1][1]
    batch.chunks, batch.held_cents, batch.valid_rows, batch.open_key = [], 0, 0, None
    with contextlib.suppress(PutError):  # a refusal already recorded, or a second delivery's
        batch.save(condition=Batch.batch_id.does_not_exist() | (Batch.status == REFUSED))
    return batch


def _write_errors(batch: Batch, failures: list[tuple[int, str]]) -> None:
    import io

    out = io.StringIO()
    writer = batch_csv.Writer(out)
    writer.header(["Line", "Reason"])
    for line, reason in sorted(failures):
        writer.row([str(line), reason])
    objects.write(errors_key(batch.requester_id, batch.project, batch.name), out.getvalue().encode("utf-8"))


def _enqueue(batch: Batch) -> None:
    batch_queue.send([{"Batch": batch.batch_id, "Chunk": index} for index in range(len(batch.chunks))])
    batch.update(actions=[Batch.enqueued.set(True)])


def finish(batch: Batch) -> None:
    """Every row is a HIT: the batch is Published and waits for its work (results.finish_due)."""
    with contextlib.suppress(UpdateError):
        batch.update(
            actions=[
                Batch.status.set(PUBLISHED),
                Batch.open_key.set(due_key("open", batch.batch_id)),
            ],
            condition=Batch.status == PUBLISHING,
        )


# ---- reading a batch's state ------------------------------------------------------------------------


def chunk_items(bid: str) -> list[Batch]:
    return list(Batch.query(bid, Batch.part.startswith("chunk#"), consistent_read=True))


def status(requester_id: str, name: str) -> dict[str, Any]:
    """What `openturk batch status` prints: rows read, HITs created, failed rows, assignments done."""
    batch = load(requester_id, name)
    created = (
        int(batch.valid_rows or 0)
        if batch.status in (PUBLISHED, COMPLETE)
        else sum(int(chunk.hits_created or 0) for chunk in chunk_items(batch.batch_id))
    )
    from openturk.domain import batch_results

    per_hit = int((batch.terms or {}).get("MaxAssignments", 1))
    return {
        "Name": batch.name,
        "Project": batch.project,
        "BatchId": batch.batch_id,
        "Status": batch.status,
        "Reason": batch.reason,
        "RowsRead": int(batch.rows_read or 0),
        "HITsCreated": created,
        "FailedRows": int(batch.failed_rows or 0),
        "HITsExpected": int(batch.valid_rows or 0),
        "AssignmentsDone": batch_results.assignments_done(batch.batch_id) if created else 0,
        "AssignmentsExpected": int(batch.valid_rows or 0) * per_hit,
        "HITTypeId": batch.hit_type_id,
        "HITLayoutId": batch.hit_layout_id,
        "CreationTime": batch.created_at,
    }
