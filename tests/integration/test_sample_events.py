"""The sample events in events/ are what the handlers really receive: invoking a handler with one works."""

import json
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
