"""Delivers recorded events: started by the events table's DynamoDB Stream (the new events' ids); invoked
without Records it delivers whatever is still due (the sweep does that every minute). Not an API
operation."""

from openturk.domain import clock, notifications
from openturk.edge.observability import logger


def handler(event, context):
    """One function for both triggers: a stream batch has Records, a scheduled event does not."""
    if "Records" not in event:
        return deliver_pending(event, context)
    ids = [
        record["dynamodb"]["Keys"]["EventId"]["S"]
        for record in event["Records"]
        if record.get("eventName") == "INSERT"
    ]
    outcome = notifications.deliver_ids(ids, clock.now())
    logger.info("delivered new events", **outcome)
    return outcome


def deliver_pending(event, context):
    outcome = notifications.deliver_pending(clock.now())
    logger.info("delivered due events", **outcome)
    return outcome
