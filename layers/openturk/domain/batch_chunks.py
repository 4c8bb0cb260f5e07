"""Writing one chunk of a batch's rows as HITs (domain/batches.py starts batches and fans out chunks).

A chunk is taken with a lease (a conditional write), its rows are read with a ranged GET of their bytes,
and its HITs are written with BatchWriteItem, 25 at a time, with the chunk's progress recorded every
PROGRESS_EVERY rows. A chunk whose writer died starts again from its progress and first checks (one
BatchGetItem) which HITs of the stretch after it exist already, so no HIT is written twice and no worker's
accept on one is overwritten.
"""

import contextlib
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import UpdateError

from openturk.data import batch_queue, objects
from openturk.data.base import (
    Transaction,
    TransactionRefused,
    batch_get,
    condition_failed,
    connection,
    due_key,
)
from openturk.data.batches import BATCH_PART, PUBLISHING, Batch, chunk_part
from openturk.data.hits import Hit, sort_key
from openturk.domain import batch_csv, batches, hits, projects
from openturk.domain import hit_terms as terms
from openturk.domain.batches import Row, hit_id, rows

WRITE_SIZE = 25  # BatchWriteItem's limit
PROGRESS_EVERY = 200  # rows between progress records: 1/200 of an UpdateItem per row
LEASE_SECONDS = (
    330.0  # the batch function's timeout (300 s) and a margin: a dead writer's lease runs out then
)


def after_write(written: int) -> None:
    """Called after each BatchWriteItem with the chunk's rows written so far; tests inject crashes here."""


def write_chunk(
    bid: str, index: int, now: float, time_left: Callable[[], float] = lambda: 1e9, owner: str | None = None
) -> bool:
    """Write one chunk's HITs. Returns True when this delivery's work is done: the chunk is written (now
    or before), or it stopped short of time and sent the chunk on again; False when another writer holds
    the chunk: the caller lets the message come back later, in case that writer dies."""
    batch = Batch.get(bid, BATCH_PART, consistent_read=True)
    if batch.status != PUBLISHING:
        return True
    owner = owner or uuid.uuid4().hex
    chunk = Batch(bid, chunk_part(index))
    try:
        chunk.update(
            actions=[
                Batch.lease_owner.set(owner),
                Batch.lease_until.set(now + lease_seconds()),
                Batch.done_rows.set(Batch.done_rows | 0),
                Batch.hits_created.set(Batch.hits_created | 0),
                Batch.claims.add(1),
            ],
            # Invariant: one writer per chunk at a time; a lease whose writer died runs out.
            condition=(Batch.part.does_not_exist() | (Batch.lease_until < now))
            & Batch.finished.does_not_exist(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise
        held = Batch.get(bid, chunk_part(index), consistent_read=True)
        return bool(held.finished)
    try:
        return _write_rows(batch, chunk, index, owner, now, time_left)
    except BaseException:
        with contextlib.suppress(Exception):  # let the next delivery take over at once
            _release(chunk, owner)
        raise


def lease_seconds() -> float:
    return float(os.environ.get("OPENTURK_BATCH_LEASE_SECONDS") or LEASE_SECONDS)


def _write_rows(
    batch: Batch, chunk: Batch, index: int, owner: str, now: float, time_left: Callable[[], float]
) -> bool:
    bid = batch.batch_id
    start, end, first_row, first_line = batch.chunks[index]
    records = batch_csv.records(
        objects.stream(batch.source_key, start, end, batch.source_etag), start, first_line
    )
    context = _Context(batch)
    done, resumed = int(chunk.done_rows), int(chunk.claims) > 1
    created = position = 0
    pending: list[dict[str, Any]] = []
    uncertain: set[str] | None = None
    for row in rows(records, batch.columns, batch.template, first_row):
        position += 1
        if row.values is not None:
            created += 1
            if position > done:
                if uncertain is None:
                    # What a writer that died may have written after its last progress record.
                    stop = min(row.index + PROGRESS_EVERY, first_row + batches.ROWS_PER_CHUNK)
                    uncertain = (
                        _existing([hit_id(bid, r) for r in range(row.index, stop)]) if resumed else set()
                    )
                item = context.item(row)
                if item["HITId"]["S"] not in uncertain:
                    pending.append(item)
        if len(pending) == WRITE_SIZE or (position % PROGRESS_EVERY == 0 and pending):
            _write(pending)
            pending = []
            after_write(position)
        if position % PROGRESS_EVERY == 0 and position > done:
            _progress(chunk, owner, position, created, now)
            if time_left() < 30:  # stop cleanly, and let a fresh invocation go on from here
                _release(chunk, owner)
                batch_queue.send([{"Batch": bid, "Chunk": index}])
                return True
    if pending:
        _write(pending)
        after_write(position)
    _complete(batch, chunk, owner, position, created)
    return True


class _Context:
    """What every HIT of a batch shares, read once per chunk."""

    def __init__(self, batch: Batch):
        self.batch = batch
        # Every HIT of the batch is created at the batch's time: a chunk written again builds the same item.
        self.created = float(batch.created_at)
        self.hit_type = terms.type_properties(batch.requester_id, batch.terms, self.created)
        self.request = {
            "MaxAssignments": batch.terms["MaxAssignments"],
            "LifetimeInSeconds": batch.terms["LifetimeInSeconds"],
            "HITLayoutId": batch.hit_layout_id,
            "RequesterAnnotation": f"BatchId:{batch.batch_id};BatchName:{batch.name}"[:255],
        }
        self._base: dict[str, Any] = {}
        self._fast: bool | None = None  # decided on the second HIT

    def item(self, row: Row) -> dict[str, Any]:
        """The HIT's item as DynamoDB stores it. new_hit builds the first two HITs of each chunk; the
        others are the first with what differs per row replaced (building and serializing a PynamoDB
        model per row costs more than the write). The second is built both ways and compared: if new_hit
        comes to derive another field from the row, every HIT is built in full again."""
        if self._fast:
            return self._derived(self._base, row)
        built = self.hit(row).serialize()
        if not self._base:
            self._base = built
        elif self._fast is None:
            self._fast = self._derived(self._base, row) == built
        return built

    def _derived(self, base: dict[str, Any], row: Row) -> dict[str, Any]:
        assert row.values is not None
        hid = hit_id(self.batch.batch_id, row.index)
        item = dict(base)
        item["HITId"] = {"S": hid}
        item["Question"] = {"S": projects.question(self.batch.template, row.values)}
        item["ListedAt"] = item["MarketAt"] = {"S": sort_key(self.created, hid)}
        item["ExpiryKey"] = {"S": due_key("expiry", hid)}
        return item

    def hit(self, row: Row) -> Hit:
        assert row.values is not None
        question = projects.question(self.batch.template, row.values)
        hit = hits.new_hit(
            hit_id(self.batch.batch_id, row.index),
            self.batch.requester_id,
            self.hit_type,
            question,
            self.request,
            self.created,
        )
        hit.batch_id = self.batch.batch_id
        return hit


def _existing(hit_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hit_ids), 100):
        found |= {hit.hit_id for hit in batch_get(*[(Hit, h) for h in hit_ids[start : start + 100]]) if hit}
    return found


def _write(pending: list[dict[str, Any]]) -> None:
    """One BatchWriteItem of up to 25 HITs; what DynamoDB leaves unprocessed is sent again, backing off."""
    request = {Hit.Meta.table_name: [{"PutRequest": {"Item": item}} for item in pending]}
    for attempt in range(10):
        # PynamoDB's connection (its botocore client skips parameter validation; locally, the direct wire).
        left = (
            connection().dispatch("BatchWriteItem", {"RequestItems": request}).get("UnprocessedItems") or {}
        )
        if not left:
            return
        request = left
        time.sleep(min(1.0, 0.05 * 2**attempt))
    raise RuntimeError(f"DynamoDB left {len(request[Hit.Meta.table_name])} HITs unwritten after 10 tries")


def _progress(chunk: Batch, owner: str, position: int, created: int, now: float) -> None:
    chunk.update(
        actions=[
            Batch.done_rows.set(position),
            Batch.hits_created.set(created),
            Batch.lease_until.set(now + lease_seconds()),
        ],
        condition=Batch.lease_owner == owner,
    )


def _release(chunk: Batch, owner: str) -> None:
    chunk.update(actions=[Batch.lease_until.set(0)], condition=Batch.lease_owner == owner)


def _complete(batch: Batch, chunk: Batch, owner: str, position: int, created: int) -> None:
    """The chunk is done: count it on the batch once (one transaction), and finish the batch with its last."""
    tx = Transaction()
    tx.update(
        chunk,
        actions=[
            Batch.done_rows.set(position),
            Batch.hits_created.set(created),
            Batch.finished.set(True),
            Batch.lease_owner.remove(),
            Batch.lease_until.remove(),
        ],
        condition=(Batch.lease_owner == owner) & Batch.finished.does_not_exist(),
        name="chunk",
    )
    tx.update(Batch(batch.batch_id, BATCH_PART), actions=[Batch.chunks_done.add(1)], name="batch")
    try:
        tx.commit()
    except TransactionRefused as refused:
        if "chunk" in refused.failed:
            return  # finished by another writer meanwhile
        raise
    fresh = Batch.get(batch.batch_id, BATCH_PART, consistent_read=True)
    if int(fresh.chunks_done or 0) >= len(fresh.chunks):
        batches.finish(fresh)
