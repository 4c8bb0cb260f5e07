"""POST /mturk/externalSubmit: the form post of HTMLQuestion and ExternalQuestion pages, over real HTTP."""

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.support import EXTERNAL_QUESTION, hit_args

YEAR = 31536000
NAMESPACE = (
    "{http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd}"
)


def free_text_answers(xml: str) -> list[tuple[str, str]]:
    root = ET.fromstring(xml.encode("ascii"))
    return [
        (
            answer.findtext(f"{NAMESPACE}QuestionIdentifier") or "",
            answer.findtext(f"{NAMESPACE}FreeText") or "",
        )
        for answer in root.iter(f"{NAMESPACE}Answer")
    ]


def external_submit(worker, form):
    return worker.call("POST", "/mturk/externalSubmit", form=form)


def pending(mturk, hit_id: str) -> int:
    return mturk.get_hit(HITId=hit_id)["HIT"]["NumberOfAssignmentsPending"]


@pytest.fixture
def accepted(mturk, new_worker):
    """A HIT with an HTMLQuestion and one worker's accepted assignment: (hit, worker, assignment_id)."""
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    status, body = worker.accept(hit["HITId"])
    assert status == 201
    return hit, worker, body["Assignment"]["AssignmentId"]


def test_external_submit_stores_the_form_fields_as_free_text_answers(mturk, accepted):
    hit, worker, assignment_id = accepted
    form = [
        ("assignmentId", assignment_id),
        ("comment", "a cat & a dog"),
        ("tags", "animal"),
        ("tags", "pet"),
        ("hitId", hit["HITId"]),
        ("workerId", worker.worker_id),
        ("turkSubmitTo", "https://www.mturk.com"),
        ("empty", ""),
    ]

    status, body = external_submit(worker, form)

    assert status == 200, body
    assert body["Assignment"]["AssignmentStatus"] == "Submitted"
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert answer.startswith('<?xml version="1.0" encoding="ASCII"?>')
    assert free_text_answers(answer) == [
        ("comment", "a cat & a dog"),
        ("tags", "animal"),
        ("tags", "pet"),
        ("empty", ""),
    ]
    for reserved in ("assignmentId", "hitId", "workerId", "turkSubmitTo"):
        assert f"<QuestionIdentifier>{reserved}<" not in answer
    assert pending(mturk, hit["HITId"]) == 0


def test_external_submit_carries_non_ascii_form_values(mturk, accepted):
    _, worker, assignment_id = accepted

    external_submit(worker, {"assignmentId": assignment_id, "comment": "Grüße, 世界"})

    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert answer.isascii()
    assert free_text_answers(answer) == [("comment", "Grüße, 世界")]


def test_external_submit_works_for_an_external_question(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(Question=EXTERNAL_QUESTION, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    _, body = worker.accept(hit["HITId"])
    assignment_id = body["Assignment"]["AssignmentId"]

    status, _ = external_submit(worker, {"assignmentId": assignment_id, "taskAnswers": '[{"x": 1}]'})

    assert status == 200
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert free_text_answers(answer) == [("taskAnswers", '[{"x": 1}]')]


def test_a_preview_submission_is_refused_and_not_recorded(mturk, accepted):
    hit, worker, assignment_id = accepted

    status, body = external_submit(worker, {"assignmentId": "ASSIGNMENT_ID_NOT_AVAILABLE", "comment": "x"})

    assert status == 400
    assert "assignmentId" in body["Error"]["Message"]
    assert pending(mturk, hit["HITId"]) == 1
    assert mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"] == []
    _, mine = worker.call("GET", "/worker/api/assignments")
    assert [a["AssignmentStatus"] for a in mine["Assignments"]] == ["Accepted"]


@pytest.mark.parametrize(
    "form",
    [
        {"comment": "no assignment id"},
        {"assignmentId": "", "comment": "x"},
        [("assignmentId", "A" * 30), ("assignmentId", "B" * 30)],
    ],
    ids=["missing", "empty", "repeated"],
)
def test_a_submission_without_one_assignment_id_is_refused(mturk, accepted, form):
    hit, worker, _ = accepted

    status, body = external_submit(worker, form)

    assert 400 <= status < 500, body
    assert set(body["Error"]) == {"Code", "Message"}
    assert pending(mturk, hit["HITId"]) == 1


def test_a_json_body_is_not_a_form_post(mturk, accepted):
    hit, worker, assignment_id = accepted

    status, _ = worker.call("POST", "/mturk/externalSubmit", {"assignmentId": assignment_id})

    assert status == 400
    assert pending(mturk, hit["HITId"]) == 1


def test_a_worker_cannot_submit_another_workers_assignment_by_form(mturk, new_worker, accepted):
    hit, _, assignment_id = accepted

    status, body = external_submit(new_worker(), {"assignmentId": assignment_id, "comment": "mine"})

    assert status == 404
    assert body["Error"]["Code"] == "AssignmentDoesNotExist"
    assert pending(mturk, hit["HITId"]) == 1


def test_an_assignment_submitted_through_the_api_cannot_be_submitted_by_form(mturk, accepted):
    _, worker, assignment_id = accepted
    worker.submit(assignment_id, {"comment": "first"})

    status, _ = external_submit(worker, {"assignmentId": assignment_id, "comment": "second"})

    assert status == 409
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert free_text_answers(answer) == [("comment", "first")]


def test_a_form_post_without_a_token_is_refused(mturk, accepted):
    hit, worker, assignment_id = accepted
    request = urllib.request.Request(
        worker.endpoint + "/mturk/externalSubmit",
        data=f"assignmentId={assignment_id}&comment=x".encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)

    assert refused.value.code == 401
    assert "Error" in json.loads(refused.value.read())
    assert pending(mturk, hit["HITId"]) == 1
