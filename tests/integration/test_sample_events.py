"""The sample events in events/ are what the handlers really receive: invoking a handler with one works."""

import json
import uuid
from pathlib import Path

from openturk.edge.http import LambdaContext
from tests.support import hit_args

EVENTS = Path(__file__).resolve().parents[2] / "events"


def load(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def invoke(module: str, event: dict) -> tuple[int, dict]:
    from importlib import import_module

    handler = import_module(f"functions.{module}").handler
    result = handler(event, LambdaContext(function_name=module, aws_request_id="sample"))
    return result["statusCode"], json.loads(result["body"])


def test_the_worker_accept_event_accepts_a_hit(mturk):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=31_536_000))["HIT"]
    event = load("worker_accept_hit.json")
    event["pathParameters"]["HITId"] = hit["HITId"]

    status, body = invoke("worker_accept_hit", event)

    assert status == 201, body
    assert body["Assignment"]["HITId"] == hit["HITId"]


def test_the_worker_list_event_lists_hits(mturk):
    mturk.create_hit(**hit_args(LifetimeInSeconds=31_536_000))
    status, body = invoke("worker_list_hits", load("worker_list_hits.json"))
    assert status == 200 and body["HITs"]


def test_the_requester_event_with_its_placeholder_signature_is_refused_not_served(runtime):
    status, body = invoke("get_hit", load("requester_get_hit.json"))
    assert status == 400
    assert body["__type"] == "RequestError"
    assert body["TurkErrorCode"] == "AWS.NotAuthorized"


def test_a_confirmed_sign_up_makes_the_given_locale_and_adult_the_workers_profile(runtime):
    from functions import worker_signed_up
    from openturk.domain import ids, workers

    event = load("worker_signed_up.json")
    event["request"]["userAttributes"]["sub"] = f"sub-{uuid.uuid4()}"
    returned = worker_signed_up.handler(
        event, LambdaContext(function_name="worker_signed_up", aws_request_id="sample")
    )

    assert returned == event  # Cognito carries on with the sign-up only when it gets its event back
    worker_id = ids.worker_id(event["request"]["userAttributes"]["sub"])
    assert workers.profile(worker_id) == {
        "WorkerId": worker_id,
        "Locale": {"Country": "US", "Subdivision": "WA"},
        "Adult": True,
    }


def test_a_sign_up_with_a_country_that_does_not_exist_keeps_the_rest(runtime):
    from functions import worker_signed_up
    from openturk.domain import ids, workers

    event = load("worker_signed_up.json")
    attributes = event["request"]["userAttributes"]
    attributes.update({"sub": f"sub-{uuid.uuid4()}", "custom:country": "XX", "custom:adult": "false"})
    worker_signed_up.handler(event, LambdaContext(function_name="worker_signed_up", aws_request_id="sample"))

    worker_id = ids.worker_id(attributes["sub"])
    assert workers.profile(worker_id) == {"WorkerId": worker_id, "Adult": False}
