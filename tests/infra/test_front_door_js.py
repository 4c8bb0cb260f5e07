"""The CloudFront Function, as synthesized, run by node on the events CloudFront would give it."""

import json
import shutil
import subprocess
from typing import Any

import pytest

from openturk.edge.requester import TARGET_PREFIX
from openturk.edge.routes import REQUESTER

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node runs the CloudFront Function")


@pytest.fixture(scope="module")
def run(synthesized):
    (function,) = synthesized.of_type("AWS::CloudFront::Function").values()
    code = function["Properties"]["FunctionCode"]

    def handle(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        script = code + "\nconsole.log(JSON.stringify(JSON.parse(process.argv[1]).map(handler)));"
        done = subprocess.run(
            ["node", "-e", script, json.dumps(events)], capture_output=True, text=True, check=True, timeout=30
        )
        return json.loads(done.stdout)

    return handle


def viewer_request(method: str, uri: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "version": "1.0",
        "context": {"eventType": "viewer-request", "requestId": "cf-request-1"},
        "viewer": {"ip": "192.0.2.1"},
        "request": {
            "method": method,
            "uri": uri,
            "querystring": {},
            "headers": {name: {"value": value} for name, value in headers.items()},
            "cookies": {},
        },
    }


def test_the_function_knows_exactly_the_requester_operations(synthesized):
    (function,) = synthesized.of_type("AWS::CloudFront::Function").values()
    code = function["Properties"]["FunctionCode"]
    assert f"var OPERATIONS = {json.dumps(sorted(REQUESTER))};" in code
    assert "__OPERATIONS__" not in code
    assert len(code.encode()) < 10 * 1024  # CloudFront Functions' size limit


def test_every_operation_is_rewritten_to_its_route_keeping_the_signed_host_and_path(run):
    host = "d111111abcdef8.cloudfront.net"
    events = [
        viewer_request("POST", "/", {"host": host, "x-amz-target": f"{TARGET_PREFIX}.{operation}"})
        for operation in REQUESTER
    ]
    for operation, request in zip(REQUESTER, run(events), strict=True):
        assert request["uri"] == f"/requester/{operation}"
        assert request["method"] == "POST"
        assert request["headers"]["x-openturk-host"] == {"value": host}
        assert request["headers"]["x-openturk-path"] == {"value": "/"}
        assert request["headers"]["x-amz-target"] == {"value": f"{TARGET_PREFIX}.{operation}"}


def test_an_unknown_or_foreign_target_is_answered_as_mturk_does(run):
    targets = [f"{TARGET_PREFIX}.NoSuchOperation", "DynamoDB_20120810.GetItem", f"{TARGET_PREFIX}.", ""]
    events = [viewer_request("POST", "/", {"host": "h", "x-amz-target": t}) for t in targets]
    events.append(viewer_request("POST", "/", {"host": "h"}))
    for response in run(events):
        assert response["statusCode"] == 400
        assert response["headers"]["content-type"] == {"value": "application/x-amz-json-1.1"}
        assert json.loads(response["body"]["data"])["__type"] == "UnknownOperationException"


def test_other_requests_pass_unchanged_but_lose_forged_openturk_headers(run):
    forged = {"x-openturk-host": "victim.example", "x-openturk-path": "/elsewhere"}
    events = [
        viewer_request("GET", "/worker/api/hits", {"host": "h", "authorization": "Bearer t", **forged}),
        viewer_request("POST", "/requester/GetHIT", {"host": "h", **forged}),
        viewer_request("GET", "/", {"host": "h", "x-amz-target": f"{TARGET_PREFIX}.GetHIT"}),
    ]
    worker, direct, get = run(events)
    assert worker["uri"] == "/worker/api/hits" and worker["headers"] == {
        "host": {"value": "h"},
        "authorization": {"value": "Bearer t"},
    }
    assert direct["uri"] == "/requester/GetHIT" and "x-openturk-host" not in direct["headers"]
    assert get["uri"] == "/"


def test_web_pages_learn_the_host_workers_see_and_forged_ones_are_dropped(run):
    forged = {"x-openturk-web-host": "victim.example"}
    events = [
        viewer_request("GET", "/worker/hits/ABC", {"host": "d.cloudfront.net", **forged}),
        viewer_request("POST", "/mturk/externalSubmit", {"host": "d.cloudfront.net"}),
        viewer_request("GET", "/worker/api/hits", {"host": "d.cloudfront.net", **forged}),
        viewer_request("GET", "/worker/", {"host": "d.cloudfront.net"}),
    ]
    page, submit, api, marketplace = run(events)
    assert marketplace["uri"] == "/worker"
    assert page["headers"]["x-openturk-web-host"] == {"value": "d.cloudfront.net"}
    assert submit["headers"]["x-openturk-web-host"] == {"value": "d.cloudfront.net"}
    assert "x-openturk-web-host" not in api["headers"]
