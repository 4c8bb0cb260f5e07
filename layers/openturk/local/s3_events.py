"""The batch bucket on the laptop: what S3 → SQS → Lambda does deployed, with moto's S3 and SQS.

moto's S3 sends the same ObjectCreated notifications to a moto SQS queue that S3 sends deployed; pollers
here receive from that queue and call functions/batch_events.handler with the event Lambda's SQS trigger
would pass (and delete what it did not report as failed), several at a time, as Lambda scales out. A message
that keeps failing goes to the dead-letter queue after five receives, as deployed.
"""

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

from openturk.data import objects
from openturk.edge.http import LambdaContext

QUEUE = "openturk-batches"
DEAD_LETTERS = "openturk-batches-dlq"
POLLERS = 4  # Lambda would run several copies at once; so do we
# How long a received message stays hidden; a failed one comes back after it (deployed: 6 x timeout).
VISIBILITY_SECONDS = 60
MAX_RECEIVES = 5

log = logging.getLogger("openturk")


class _Context(LambdaContext):
    """The batch function's context: deployed it has 300 s (infra/batches.py)."""

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def local_routes() -> dict[tuple[str, str], Any]:
    """What the `openturk project|batch` commands ask a local runtime (POST /local/…)."""
    from openturk.domain import batch_results, batches, clock, credentials, projects

    def requester(body: dict[str, Any]) -> str:
        return body.get("RequesterId") or credentials.DEFAULT_REQUESTER_ID

    return {
        ("POST", "/local/batches/info"): lambda body: {
            "AwsEndpoint": os.environ.get("OPENTURK_AWS_ENDPOINT"),
            "BatchBucket": objects.bucket(),
            "RequesterId": requester(body),
        },
        ("POST", "/local/projects"): lambda body: projects.list_projects(requester(body)),
        ("POST", "/local/batches/status"): lambda body: batches.status(requester(body), body["Name"]),
        ("POST", "/local/batches/results"): lambda body: {
            "Key": batch_results.export(requester(body), body["Name"], clock.now()),
            "BatchBucket": objects.bucket(),
        },
    }


_last_finish = [0.0]


def finish_due(every: float = 1.0) -> None:
    """The schedule's batch work (deployed: every 5 minutes): results of batches whose work is all in.
    Runs at most once a second however short the tick."""
    import time

    from openturk.domain import batch_results, clock

    if time.monotonic() - _last_finish[0] >= every:
        _last_finish[0] = time.monotonic()
        batch_results.finish_due(clock.now())


class BatchEvents:
    """`engine_busy`, when given, is held while the batch function runs: the runtime lets DynamoDB
    Local use every CPU for it (engines.DynamoDBLocal.on_all_cpus)."""

    def __init__(
        self,
        aws_endpoint: str,
        region: str,
        engine_busy: Callable[[], contextlib.AbstractContextManager[None]] | None = None,
    ):
        import boto3

        self.engine_busy = engine_busy or contextlib.nullcontext
        self.region = region
        self.s3 = boto3.client("s3", endpoint_url=aws_endpoint, region_name=region)
        self.sqs = boto3.client("sqs", endpoint_url=aws_endpoint, region_name=region)
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> dict[str, str]:
        bucket = objects.bucket()
        dlq_url = self.sqs.create_queue(QueueName=DEAD_LETTERS)["QueueUrl"]
        dlq_arn = self._arn(dlq_url)
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVES)})
        self.queue_url = self.sqs.create_queue(
            QueueName=QUEUE,
            Attributes={"VisibilityTimeout": str(VISIBILITY_SECONDS), "RedrivePolicy": redrive},
        )["QueueUrl"]
        os.environ["OPENTURK_BATCH_QUEUE_URL"] = self.queue_url
        self.queue_arn = self._arn(self.queue_url)
        existing = {b["Name"] for b in self.s3.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            self.s3.create_bucket(Bucket=bucket)
        self.s3.put_bucket_notification_configuration(
            Bucket=bucket,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "Id": "batches",
                        "QueueArn": self.queue_arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "requesters/"}]}},
                    }
                ]
            },
        )
        for number in range(POLLERS):
            thread = threading.Thread(target=self._poll, name=f"batch-events-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return {"BatchBucket": bucket, "BatchQueueUrl": self.queue_url, "BatchDeadLetterQueueUrl": dlq_url}

    def _arn(self, url: str) -> str:
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]

    def _poll(self) -> None:
        from functions import batch_events

        while not self._stopping.is_set():
            try:
                received = self.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=1,
                    WaitTimeSeconds=1,
                    AttributeNames=["All"],
                ).get("Messages", [])
            except Exception:
                if not self._stopping.is_set():
                    log.exception("the batch queue could not be read")
                    self._stopping.wait(1)
                continue
            if not received:
                continue
            event = {"Records": [self._record(message) for message in received]}
            context = _Context(function_name="openturk-batch_events", aws_request_id=str(uuid.uuid4()))
            try:
                with self.engine_busy():
                    result = batch_events.handler(event, context) or {}
            except Exception:
                log.exception("the batch function failed")
                continue  # every message comes back after its visibility timeout
            failed = {failure["itemIdentifier"] for failure in result.get("batchItemFailures", [])}
            done = [m for m in received if m["MessageId"] not in failed]
            if done:
                self.sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        """A message as Lambda's SQS event source hands it to the function."""
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
