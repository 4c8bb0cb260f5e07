"""The batch queue: S3's notifications of new objects arrive here, and a batch's chunks are fanned out
through it, so that one function (functions/batch_events.py) works through both, with its dead-letter
queue behind it. Locally the same queue lives in moto (local/s3_events.py)."""

import json
import os
from functools import cache
from typing import Any

from openturk import config


def url() -> str:
    return os.environ["OPENTURK_BATCH_QUEUE_URL"]


@cache
def client() -> Any:
    import boto3

    return boto3.client(
        "sqs", region_name=config.REGION, endpoint_url=os.environ.get("OPENTURK_AWS_ENDPOINT") or None
    )


def send(messages: list[dict[str, Any]]) -> None:
    """Send messages (JSON bodies), ten per SendMessageBatch; what SQS refuses is sent again."""
    for start in range(0, len(messages), 10):
        entries = [
            {"Id": str(index), "MessageBody": json.dumps(message)}
            for index, message in enumerate(messages[start : start + 10])
        ]
        for _ in range(5):
            failed = client().send_message_batch(QueueUrl=url(), Entries=entries).get("Failed") or []
            if not failed:
                break
            ids = {failure["Id"] for failure in failed}
            entries = [entry for entry in entries if entry["Id"] in ids]
        else:
            raise RuntimeError(f"SQS refused {len(entries)} chunk messages")
