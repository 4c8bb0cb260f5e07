"""What the tests share: sample questions and a small client for the worker API."""

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<!DOCTYPE html><html><body><form name='mturk_form' method='post' "
    "action='https://www.mturk.com/mturk/externalSubmit'><input type='hidden' name='assignmentId'/>"
    "<textarea name='comment'></textarea></form></body></html>]]></HTMLContent><FrameHeight>0</FrameHeight>"
    "</HTMLQuestion>"
)
EXTERNAL_QUESTION = (
    '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd">'
    "<ExternalURL>https://example.org/task?id=1</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion>"
)
QUESTION_FORM = (
    '<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd">'
    "<Question><QuestionIdentifier>colour</QuestionIdentifier><QuestionContent><Text>Favourite colour?</Text>"
    "</QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"
)


def hit_args(**overrides: Any) -> dict[str, Any]:
    """CreateHIT arguments a typical script sends."""
    args: dict[str, Any] = {
        "Title": "Label an image",
        "Description": "Say what the picture shows",
        "Reward": "0.25",
        "MaxAssignments": 3,
        "LifetimeInSeconds": 3600,
        "AssignmentDurationInSeconds": 600,
        "Question": HTML_QUESTION,
    }
    args.update(overrides)
    return args


class WorkerClient:
    """A signed-in worker, talking JSON to /worker/api as the web app does."""

    def __init__(self, endpoint: str, name: str | None = None):
        self.endpoint = endpoint.rstrip("/")
        self.name = name or f"worker-{uuid.uuid4().hex[:10]}"
        status, body = self.call("POST", "/worker/api/dev/sign-in", {"name": self.name}, auth=False)
        assert status == 200, body
        self.worker_id, self.token = body["WorkerId"], body["Token"]

    def call(self, method: str, path: str, body: Any = None, auth: bool = True, form: dict | None = None):
        headers = {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.endpoint + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def list_hits(self, next_token: str | None = None):
        query = f"?NextToken={urllib.parse.quote(next_token)}" if next_token else ""
        return self.call("GET", f"/worker/api/hits{query}")

    def accept(self, hit_id: str):
        return self.call("POST", f"/worker/api/hits/{hit_id}/accept", {})

    def submit(self, assignment_id: str, answers: dict[str, Any]):
        return self.call("POST", f"/worker/api/assignments/{assignment_id}/submit", {"Answers": answers})

    def return_(self, assignment_id: str):
        return self.call("POST", f"/worker/api/assignments/{assignment_id}/return", {})


def advance_clock(endpoint: str, seconds: float) -> float:
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/local/clock",
        data=json.dumps({"advance": seconds}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["Now"]


def create_requester(endpoint: str, name: str | None = None) -> dict[str, str]:
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/local/requesters",
        data=json.dumps({"name": name or f"requester-{uuid.uuid4().hex[:8]}"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def fund_requester(endpoint: str, requester_id: str, amount: str) -> dict:
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/local/requesters/fund",
        data=json.dumps({"RequesterId": requester_id, "Amount": amount}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def funded_requester(endpoint: str, amount: str = "1000.00") -> dict[str, str]:
    keys = create_requester(endpoint)
    fund_requester(endpoint, keys["RequesterId"], amount)
    return keys
