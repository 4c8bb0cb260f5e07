"""UpdateNotificationSettings: MTurk's validation, and each requester's HIT types are its own."""

import pytest

from openturk.data.hits import HitType
from tests.notifications_support import ACCOUNT, new_hit, spec
from tests.support import funded_requester

QUEUE = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/my-queue"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:my-topic"


def refused(mturk, turk_code: str, **kwargs) -> str:
    with pytest.raises(mturk.exceptions.RequestError) as caught:
        mturk.update_notification_settings(**kwargs)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["TurkErrorCode"] == f"AWS.MechanicalTurk.{turk_code}"
    return response["Error"]["Message"]


def settings(hit_type_id: str) -> tuple[dict | None, bool | None]:
    hit_type = HitType.get(hit_type_id, consistent_read=True)
    return hit_type.notification, hit_type.notification_active


@pytest.fixture
def hit_type_id(mturk) -> str:
    return new_hit(mturk)["HITTypeId"]


def test_a_new_spec_is_stored_and_active(mturk, hit_type_id):
    assert mturk.update_notification_settings(HITTypeId=hit_type_id, Notification=spec(QUEUE)) is not None
    assert settings(hit_type_id) == (spec(QUEUE), True)


def test_active_turns_a_stored_spec_off_and_on_again(mturk, hit_type_id):
    mturk.update_notification_settings(HITTypeId=hit_type_id, Notification=spec(TOPIC, "SNS"))
    mturk.update_notification_settings(HITTypeId=hit_type_id, Active=False)
    assert settings(hit_type_id) == (spec(TOPIC, "SNS"), False)
    mturk.update_notification_settings(HITTypeId=hit_type_id, Active=True)
    assert settings(hit_type_id) == (spec(TOPIC, "SNS"), True)


def test_a_new_spec_replaces_the_old_one_and_can_arrive_inactive(mturk, hit_type_id):
    mturk.update_notification_settings(HITTypeId=hit_type_id, Notification=spec(QUEUE))
    mturk.update_notification_settings(
        HITTypeId=hit_type_id, Notification=spec(TOPIC, "SNS", ["HITCreated"], "2006-05-05"), Active=False
    )
    assert settings(hit_type_id) == (spec(TOPIC, "SNS", ["HITCreated"], "2006-05-05"), False)


def test_an_event_type_listed_twice_is_stored_once(mturk, hit_type_id):
    mturk.update_notification_settings(
        HITTypeId=hit_type_id, Notification=spec(QUEUE, event_types=["HITReviewable", "HITReviewable"])
    )
    assert settings(hit_type_id)[0]["EventTypes"] == ["HITReviewable"]


def test_neither_notification_nor_active_is_refused(mturk, hit_type_id):
    assert "Notification" in refused(mturk, "InvalidParameterValue", HITTypeId=hit_type_id)


def test_active_alone_needs_a_spec_to_turn_on(mturk, hit_type_id):
    message = refused(mturk, "InvalidParameterValue", HITTypeId=hit_type_id, Active=True)
    assert "no notification specification" in message
    assert settings(hit_type_id) == (None, False)


def test_email_is_not_a_transport_openturk_sends_to(mturk, hit_type_id):
    message = refused(
        mturk, "InvalidParameterValue", HITTypeId=hit_type_id, Notification=spec("me@example.org", "Email")
    )
    assert "Email" in message


@pytest.mark.parametrize("version", ["2006-05-06", "2017-01-17", "latest"])
def test_an_unknown_version_is_refused(mturk, hit_type_id, version):
    message = refused(
        mturk, "InvalidParameterValue", HITTypeId=hit_type_id, Notification=spec(QUEUE, version=version)
    )
    assert version in message


def test_no_event_types_is_refused(mturk, hit_type_id):
    notification = {**spec(QUEUE), "EventTypes": []}
    refused(mturk, "InvalidParameterValue", HITTypeId=hit_type_id, Notification=notification)


def test_ping_is_only_for_test_events(mturk, hit_type_id):
    message = refused(
        mturk,
        "InvalidParameterValue",
        HITTypeId=hit_type_id,
        Notification=spec(QUEUE, event_types=["HITReviewable", "Ping"]),
    )
    assert "SendTestEventNotification" in message


def test_an_unknown_event_type_is_refused(mturk, hit_type_id):
    refused(
        mturk,
        "InvalidParameterValue",
        HITTypeId=hit_type_id,
        Notification=spec(QUEUE, event_types=["HITDeleted"]),
    )


@pytest.mark.parametrize(
    "transport, destination",
    [
        ("SQS", TOPIC),
        ("SQS", "my-queue"),
        ("SQS", f"ftp://sqs.us-east-1.amazonaws.com/{ACCOUNT}/q"),
        ("SQS", f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}"),
        ("SQS", "https://sqs.us-east-1.amazonaws.com/1234/q"),
        ("SNS", QUEUE),
        ("SNS", "arn:aws:sqs:us-east-1:123456789012:q"),
        ("SNS", "my-topic"),
    ],
)
def test_a_destination_that_does_not_fit_its_transport_is_refused(mturk, hit_type_id, transport, destination):
    message = refused(
        mturk,
        "InvalidTransportEndpoint",
        HITTypeId=hit_type_id,
        Notification=spec(destination, transport),
    )
    assert destination in message
    assert settings(hit_type_id) == (None, False)


@pytest.mark.parametrize(
    "destination",
    [
        QUEUE,
        f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/orders.fifo",
        f"https://queue.amazonaws.com/{ACCOUNT}/legacy_queue",
    ],
)
def test_queue_urls_in_every_form_are_accepted(mturk, hit_type_id, destination):
    mturk.update_notification_settings(HITTypeId=hit_type_id, Notification=spec(destination))
    assert settings(hit_type_id)[0]["Destination"] == destination


def test_an_unknown_hit_type_does_not_exist(mturk):
    message = refused(
        mturk, "HITTypeDoesNotExist", HITTypeId="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA", Notification=spec(QUEUE)
    )
    assert "3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA" in message


def test_another_requesters_hit_type_does_not_exist_for_you(mturk, endpoint, hit_type_id):
    from tests.integration.conftest import mturk_client

    mturk.update_notification_settings(HITTypeId=hit_type_id, Notification=spec(QUEUE))
    other = mturk_client(endpoint, funded_requester(endpoint))
    refused(other, "HITTypeDoesNotExist", HITTypeId=hit_type_id, Notification=spec(TOPIC, "SNS"))
    refused(other, "HITTypeDoesNotExist", HITTypeId=hit_type_id, Active=False)
    assert settings(hit_type_id) == (spec(QUEUE), True)
