"""SendTestEventNotification: one message now, to a queue or topic; a destination that refuses is an error."""

import json

import pytest

from tests.notifications_support import ACCOUNT, aws_fixture, spec  # noqa: F401


def refused(mturk, turk_code: str, **kwargs) -> str:
    with pytest.raises(mturk.exceptions.RequestError) as caught:
        mturk.send_test_event_notification(**kwargs)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["TurkErrorCode"] == f"AWS.MechanicalTurk.{turk_code}"
    return response["Error"]["Message"]


def test_a_ping_arrives_on_the_queue_at_once(mturk, requester, aws):
    queue = aws.queue()
    mturk.send_test_event_notification(Notification=spec(queue), TestEventType="Ping")
    [document] = aws.receive(queue, timeout=0.5)  # sent before the call returned
    assert document["CustomerId"] == requester["RequesterId"]
    assert document["SourceAccount"] == ACCOUNT
    assert document["EventDocVersion"] == "2014-08-15"
    [event] = document["Events"]
    assert event["EventType"] == "Ping"
    assert set(event) == {"EventType", "EventTimestamp", "HITId", "HITTypeId"}


def test_a_test_event_is_sent_even_when_the_spec_does_not_list_it(mturk, aws):
    queue = aws.queue()
    mturk.send_test_event_notification(
        Notification=spec(queue, event_types=["HITCreated"], version="2006-05-05"),
        TestEventType="AssignmentSubmitted",
    )
    [document] = aws.receive(queue, timeout=0.5)
    assert document["EventDocVersion"] == "2006-05-05"
    [event] = document["Events"]
    assert event["EventType"] == "AssignmentSubmitted"
    assert {"HITId", "HITTypeId", "AssignmentId"} <= set(event)  # placeholders


def test_a_test_event_arrives_on_a_topic(mturk, aws):
    topic, queue = aws.topic_with_queue()
    mturk.send_test_event_notification(Notification=spec(topic, "SNS"), TestEventType="HITReviewable")
    [envelope] = aws.receive(queue, timeout=2)
    assert envelope["TopicArn"] == topic and envelope["Subject"].isdigit()
    assert json.loads(envelope["Message"])["Events"][0]["EventType"] == "HITReviewable"


def test_test_events_are_not_published_on_the_bus(mturk, aws):
    bus, queue = aws.bus_queue(), aws.queue()
    mturk.send_test_event_notification(Notification=spec(queue), TestEventType="HITReviewable")
    assert aws.receive(queue, timeout=0.5)
    assert not aws.receive(
        bus, timeout=0.5, where=lambda body: body["detail"]["Events"][0]["HITId"].startswith("TEST")
    )


def test_a_missing_queue_is_an_invalid_transport_endpoint(mturk, aws):
    missing = aws.queue().rsplit("/", 1)[0] + "/no-such-queue"
    message = refused(mturk, "InvalidTransportEndpoint", Notification=spec(missing), TestEventType="Ping")
    assert missing in message and "NonExistentQueue" in message


def test_a_missing_topic_is_an_invalid_transport_endpoint(mturk):
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:no-such-topic"
    message = refused(
        mturk, "InvalidTransportEndpoint", Notification=spec(missing, "SNS"), TestEventType="Ping"
    )
    assert missing in message


def test_a_destination_that_is_no_queue_url_is_refused_before_sending(mturk):
    refused(mturk, "InvalidTransportEndpoint", Notification=spec("not a queue"), TestEventType="Ping")


def test_email_is_refused(mturk):
    refused(
        mturk, "InvalidParameterValue", Notification=spec("me@example.org", "Email"), TestEventType="Ping"
    )


def test_ping_may_be_listed_in_a_test_spec(mturk, aws):
    queue = aws.queue()
    mturk.send_test_event_notification(Notification=spec(queue, event_types=["Ping"]), TestEventType="Ping")
    assert aws.receive(queue, timeout=0.5)
