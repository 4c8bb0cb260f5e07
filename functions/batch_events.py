"""The batch queue's function: S3's notifications of objects uploaded to the batch bucket, and the chunks
batches fan out. It answers with the messages to try again (ReportBatchItemFailures), so that one bad
message does not hold back the others; a message tried five times goes to the dead-letter queue. Invoked by
the schedule (no Records), it writes the results CSV of batches whose work is all in. Not an API operation.
"""

import json
from typing import Any
from urllib.parse import unquote_plus

from openturk.domain import batch_chunks, batch_inbox, batch_results, clock
from openturk.edge.observability import logger


def handler(event, context):
    if "Records" not in event:
        finished = batch_results.finish_due(clock.now())
        logger.info("batches finished", finished=finished)
        return {"Finished": finished}
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    time_left = (lambda: remaining() / 1000) if remaining else (lambda: 1e9)
    failures = []
    for record in event["Records"]:
        try:
            if not handle(json.loads(record["body"]), time_left):
                failures.append({"itemIdentifier": record["messageId"]})
        except Exception:
            logger.exception("batch message failed", message_id=record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def handle(body: dict[str, Any], time_left) -> bool:
    """One message: a chunk to write, or S3's notification of new objects (s3:TestEvent has no Records)."""
    if "Chunk" in body:
        return batch_chunks.write_chunk(body["Batch"], int(body["Chunk"]), clock.now(), time_left)
    for record in body.get("Records", []):
        if not record.get("eventName", "").startswith("ObjectCreated"):
            continue
        found = record["s3"]["object"]
        etag = found.get("eTag")
        outcome = batch_inbox.object_created(
            unquote_plus(found["key"]), f'"{etag}"' if etag else None, clock.now()
        )
        logger.info("object handled", **outcome)
    return True
