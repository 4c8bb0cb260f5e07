"""Batches that were publishing when the local runtime stopped, however it stopped, go on when it starts.

Deployed, a chunk's message stays on SQS until a writer finishes it, so a writer that dies is followed by
another delivery. Locally the batch queue lives in moto's memory: after a crash or a restart the chunks'
messages are gone, while the batch and chunk items (DynamoDB Local, on disk with --data-dir) say what is
left. resume_publishing() finds the batches still Publishing (the OpenBatches index, "publishing#<shard>"),
frees the leases of their unfinished chunks (every writer of this runtime died with it) and sends those
chunks again. A chunk taken again resumes from its progress and checks which HITs of the uncertain
stretch exist already (batch_chunks.py), so no row becomes two HITs.

start_unrecorded() does the same for S3's notifications, which live on the same queue: a batch file whose
upload was acknowledged but whose batch was never recorded is started now.
"""

from typing import Any
from urllib.parse import quote_plus

from pynamodb.exceptions import UpdateError

from openturk.data import batch_queue, objects
from openturk.data.base import DUE_SHARDS, batch_get, condition_failed
from openturk.data.batches import BATCH_PART, PUBLISHING, Batch, chunk_part
from openturk.domain import batch_inbox, batches


def resume_publishing() -> dict[str, int]:
    """Call when no chunk writer can be running (the local runtime, before its pollers get work). Returns
    how many batches and chunks were sent on."""
    resumed = {"Batches": 0, "Chunks": 0}
    for shard in range(DUE_SHARDS):
        for found in Batch.open_batches.query(f"{batches.PUBLISHING_KEY}#{shard}"):
            if found.status != PUBLISHING:
                continue
            chunks = _unfinished(found)
            if chunks:
                batch_queue.send([{"Batch": found.batch_id, "Chunk": index} for index in chunks])
                resumed["Batches"] += 1
                resumed["Chunks"] += len(chunks)
            else:  # every chunk was written; the runtime stopped before the batch was marked Published
                batches.finish(found)
    return resumed


def _unfinished(batch: Batch) -> list[int]:
    items = {item.part: item for item in batches.chunk_items(batch.batch_id)}
    left = []
    for index in range(len(batch.chunks or [])):
        item = items.get(chunk_part(index))
        if item is not None and item.finished:
            continue
        if item is not None and item.lease_owner:
            _free(item)
        left.append(index)
    return left


def _free(chunk: Batch) -> None:
    """The lease of a writer that died with the runtime: the next writer may take the chunk at once."""
    try:
        chunk.update(
            actions=[Batch.lease_until.set(0)],
            condition=(Batch.lease_owner == chunk.lease_owner) & Batch.finished.does_not_exist(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def start_unrecorded() -> int:
    """Start the batch files in the bucket that have no batch (their notification was lost). Lists each
    requester's batches/ prefix: local start-up work, never a request's. Returns how many it started."""
    files: dict[str, tuple[str, str | None]] = {}
    for requester_prefix in _requester_prefixes():
        for found in _objects(f"{requester_prefix}batches/"):
            match = batch_inbox.BATCH_KEY.match(found["Key"])
            if match:
                files[batches.batch_id(match["requester"], match["batch"])] = (
                    found["Key"],
                    found.get("ETag"),
                )
    known: set[str] = set()
    ids = list(files)
    for start in range(0, len(ids), 100):
        known |= {
            b.batch_id for b in batch_get(*[(Batch, (i, BATCH_PART)) for i in ids[start : start + 100]]) if b
        }
    # As S3 would have notified them: the queue's pollers start them, while the runtime gets ready.
    lost = [files[bid] for bid in ids if bid not in known]
    batch_queue.send([_notification(key, etag) for key, etag in lost])
    return len(ids) - len(known)


def _notification(key: str, etag: str | None) -> dict[str, Any]:
    found = {"key": quote_plus(key), **({"eTag": etag.strip('"')} if etag else {})}
    return {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": found}}]}


def _requester_prefixes() -> list[str]:
    pages = (
        objects.client()
        .get_paginator("list_objects_v2")
        .paginate(Bucket=objects.bucket(), Prefix="requesters/", Delimiter="/")
    )
    return [common["Prefix"] for page in pages for common in page.get("CommonPrefixes", [])]


def _objects(key_prefix: str) -> list[dict[str, Any]]:
    pages = (
        objects.client().get_paginator("list_objects_v2").paginate(Bucket=objects.bucket(), Prefix=key_prefix)
    )
    return [item for page in pages for item in page.get("Contents", [])]
