"""What the notification tests share: moto queues and topics, a rule on the event bus, and recording an
event the way the domain's transactions do (the tests run in the same process as the local runtime).

Import the fixture into a test module:
    from tests.notifications_support import aws_fixture  # noqa: F401
"""

import json
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from openturk.data.base import Transaction
from openturk.data.events import Event
from openturk.data.hits import Hit
from openturk.domain import clock, events
from tests.support import hit_args

EVENT_TIMESTAMP = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
ACCOUNT = "123456789012"  # moto's


class Aws:
    """boto3 clients for the runtime's moto, and the queues and topics a test makes there."""

    def __init__(self, endpoint: str):
        kw = {"endpoint_url": endpoint, "region_name": "us-east-1"}
        self.sqs = boto3.client("sqs", **kw)
        self.sns = boto3.client("sns", **kw)
        self.events = boto3.client("events", **kw)
        self._rules: list[str] = []

    def queue(self, fifo: bool = False) -> str:
        name = f"q-{uuid.uuid4().hex[:12]}" + (".fifo" if fifo else "")
        attributes = {"FifoQueue": "true"} if fifo else {}
        return self.sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]

    def queue_arn(self, url: str) -> str:
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]

    def topic_with_queue(self) -> tuple[str, str]:
        """An SNS topic and an SQS queue subscribed to it (where the topic's messages can be read)."""
        topic = self.sns.create_topic(Name=f"t-{uuid.uuid4().hex[:12]}")["TopicArn"]
        queue = self.queue()
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=self.queue_arn(queue))
        return topic, queue

    def bus_queue(self) -> str:
        """A queue that a rule on the openturk bus fills with every openturk.mturk event."""
        queue = self.queue()
        rule = f"r-{uuid.uuid4().hex[:12]}"
        self.events.put_rule(
            Name=rule, EventBusName="openturk", EventPattern=json.dumps({"source": ["openturk.mturk"]})
        )
        self.events.put_targets(
            Rule=rule, EventBusName="openturk", Targets=[{"Id": "queue", "Arn": self.queue_arn(queue)}]
        )
        self._rules.append(rule)
        return queue

    def close(self) -> None:
        for rule in self._rules:  # else every later event is copied to this test's queue too
            self.events.remove_targets(Rule=rule, EventBusName="openturk", Ids=["queue"])
            self.events.delete_rule(Name=rule, EventBusName="openturk")

    def receive(
        self,
        queue: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[dict], bool] = lambda _: True,
    ) -> list[dict[str, Any]]:
        """The JSON bodies of the first `count` messages on the queue that `where` accepts, waiting up to
        `timeout` seconds; fewer if no more came."""
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            messages = self.sqs.receive_message(
                QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0, AttributeNames=["All"]
            ).get("Messages", [])
            for message in messages:
                self.sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                body = json.loads(message["Body"])
                if where(body):
                    found.append(body)
            if not messages:
                time.sleep(0.1)
        return found

    def nothing_arrives(
        self, queue: str, where: Callable[[dict], bool] = lambda _: True, wait: float = 1.0
    ) -> bool:
        return not self.receive(queue, 1, wait, where)


def spec(
    destination: str,
    transport: str = "SQS",
    event_types: list[str] | None = None,
    version: str = "2014-08-15",
):
    return {
        "Destination": destination,
        "Transport": transport,
        "Version": version,
        "EventTypes": event_types or ["AssignmentSubmitted", "HITReviewable"],
    }


def new_hit(mturk, **overrides) -> dict[str, Any]:
    return mturk.create_hit(**hit_args(**overrides))["HIT"]


def record(event_type: str, hit_id: str, assignment_id: str | None = None, at: float | None = None) -> Event:
    """Record one event in its own transaction, as a state change would with its own writes."""
    return record_all([(event_type, hit_id, assignment_id, at)])[0]


def record_all(wanted: list[tuple[str, str, str | None, float | None]]) -> list[Event]:
    """Record several events in one transaction: (event type, HITId, AssignmentId, time or now)."""
    tx = Transaction()
    now = clock.now()
    recorded = []
    for event_type, hit_id, assignment_id, at in wanted:
        hit = Hit.get(hit_id, consistent_read=True)
        recorded.append(events.record(tx, event_type, hit, now if at is None else at, assignment_id))
    tx.commit()
    return recorded


def deliver_now(endpoint: str) -> dict[str, int]:
    """POST /local/deliver: what the background loop does every tick, once and now."""
    request = urllib.request.Request(endpoint.rstrip("/") + "/local/deliver", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def stored(event: Event) -> Event:
    return Event.get(event.event_id, consistent_read=True)


def settled(event: Event, until: Callable[[Event], bool], timeout: float = 10.0) -> Event:
    """The stored event once `until` holds for it. The runtime's background tick may be the one
    delivering it, a moment after a test's own /local/deliver returned."""
    deadline = time.monotonic() + timeout
    while True:
        found = stored(event)
        if until(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def about(hit_id: str) -> Callable[[dict], bool]:
    """Selects MTurk documents (or EventBridge events carrying one) about this HIT."""

    def matches(body: dict) -> bool:
        document = body.get("detail", body)
        if "Message" in body and "TopicArn" in body:
            document = json.loads(body["Message"])
        return any(e.get("HITId") == hit_id for e in document.get("Events", []))

    return matches


@pytest.fixture(name="aws")
def aws_fixture(runtime):
    """Clients for the runtime's moto; rules a test put on the bus are removed after it."""
    clients = Aws(runtime.info["AwsEndpoint"])
    yield clients
    clients.close()
