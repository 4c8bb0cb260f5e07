"""A worker submits answers: POST /worker/api/assignments/{AssignmentId}/submit, over real HTTP."""

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.support import advance_clock, hit_args

YEAR = 31536000
NAMESPACE = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"
)
DECLARATION = '<?xml version="1.0" encoding="ASCII"?>'


def parsed_answers(xml: str) -> list[tuple[str, str]]:
    """(QuestionIdentifier, FreeText) of every <Answer>, in order, read with a real XML parser."""
    root = ET.fromstring(xml.encode("ascii"))
    assert root.tag == f"{{{NAMESPACE}}}QuestionFormAnswers"
    result = []
    for answer in root:
        assert answer.tag == f"{{{NAMESPACE}}}Answer"
        children = list(answer)
        assert [child.tag.split("}")[1] for child in children] == ["QuestionIdentifier", "FreeText"]
        result.append((children[0].text or "", children[1].text or ""))
    return result


@pytest.fixture
def accepted(mturk, new_worker):
    """A 2-slot HIT and one worker's accepted assignment on it: (hit, worker, assignment_id)."""
    hit = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]
    worker = new_worker()
    status, body = worker.accept(hit["HITId"])
    assert status == 201
    return hit, worker, body["Assignment"]["AssignmentId"]


def post_raw(worker, path: str, data: bytes, content_type: str):
    request = urllib.request.Request(
        worker.endpoint + path,
        data=data,
        method="POST",
        headers={"Content-Type": content_type, "Authorization": f"Bearer {worker.token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_submit_stores_the_answers_the_requester_reads(mturk, accepted):
    hit, worker, assignment_id = accepted

    status, body = worker.submit(assignment_id, {"comment": "a cat", "rating": "4"})

    assert status == 200
    assert body["Assignment"]["AssignmentStatus"] == "Submitted"
    seen = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]
    assert seen["AssignmentStatus"] == "Submitted"
    assert seen["WorkerId"] == worker.worker_id
    assert seen["HITId"] == hit["HITId"]
    assert seen["Answer"] == (
        f'{DECLARATION}<QuestionFormAnswers xmlns="{NAMESPACE}">'
        "<Answer><QuestionIdentifier>comment</QuestionIdentifier><FreeText>a cat</FreeText></Answer>"
        "<Answer><QuestionIdentifier>rating</QuestionIdentifier><FreeText>4</FreeText></Answer>"
        "</QuestionFormAnswers>"
    )
    listed = mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"]
    assert [(a["AssignmentId"], a["Answer"]) for a in listed] == [(assignment_id, seen["Answer"])]


def test_submit_sets_submit_and_auto_approval_times(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, AutoApprovalDelayInSeconds=3600))["HIT"]
    worker = new_worker()
    _, accepted = worker.accept(hit["HITId"])
    assignment_id = accepted["Assignment"]["AssignmentId"]

    worker.submit(assignment_id, {"comment": "done"})

    seen = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]
    assert seen["SubmitTime"] >= seen["AcceptTime"]
    assert (seen["AutoApprovalTime"] - seen["SubmitTime"]).total_seconds() == pytest.approx(3600, abs=1)


def test_answers_escape_xml_and_carry_non_ascii_as_character_references(mturk, accepted):
    _, worker, assignment_id = accepted
    text = "Tom & Jerry <b>\"bold\"</b> 'quoted' café 😀 ]]> done"

    worker.submit(assignment_id, {"comment": text, "naïve": "ü"})

    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert answer.startswith(DECLARATION)
    assert answer.isascii()
    assert "&amp;" in answer and "&lt;b&gt;" in answer
    assert "&#233;" in answer and "&#128512;" in answer
    assert parsed_answers(answer) == [("comment", text), ("naïve", "ü")]


def test_answers_keep_line_breaks_and_whitespace(mturk, accepted):
    _, worker, assignment_id = accepted
    text = "first line\r\nsecond line\n\tindented  \r"

    worker.submit(assignment_id, {"comment": text})

    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert parsed_answers(answer) == [("comment", text)]


def test_a_list_value_becomes_one_answer_per_item(mturk, accepted):
    _, worker, assignment_id = accepted

    worker.submit(assignment_id, {"labels": ["cat", "dog", "cat"], "note": "x"})

    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert parsed_answers(answer) == [("labels", "cat"), ("labels", "dog"), ("labels", "cat"), ("note", "x")]


def test_no_answers_give_an_empty_answer_document(mturk, accepted):
    _, worker, assignment_id = accepted

    status, _ = worker.submit(assignment_id, {})

    assert status == 200
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert parsed_answers(answer) == []


def test_a_submitted_assignment_cannot_be_submitted_again(mturk, accepted):
    hit, worker, assignment_id = accepted
    worker.submit(assignment_id, {"comment": "first"})

    status, body = worker.submit(assignment_id, {"comment": "second"})

    assert status == 409
    assert "Submitted" in body["Error"]["Message"]
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert parsed_answers(answer) == [("comment", "first")]
    counted = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert (counted["NumberOfAssignmentsAvailable"], counted["NumberOfAssignmentsPending"]) == (1, 0)


def test_submitting_after_the_deadline_is_refused_and_reads_as_abandoned(endpoint, mturk, new_worker):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60))["HIT"]
    worker = new_worker()
    _, accepted = worker.accept(hit["HITId"])
    assignment_id = accepted["Assignment"]["AssignmentId"]

    advance_clock(endpoint, 61)
    status, body = worker.submit(assignment_id, {"comment": "too late"})

    assert status == 409
    assert "time" in body["Error"]["Message"]
    _, mine = worker.call("GET", "/worker/api/assignments")
    assert [(a["AssignmentId"], a["AssignmentStatus"]) for a in mine["Assignments"]] == [
        (assignment_id, "Abandoned")
    ]
    assert mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"] == []


def test_work_submitted_after_the_hit_expired_makes_it_reviewable(endpoint, mturk, new_worker):
    hit = mturk.create_hit(
        **hit_args(MaxAssignments=3, LifetimeInSeconds=60, AssignmentDurationInSeconds=600)
    )["HIT"]
    worker = new_worker()
    assignment_id = worker.accept(hit["HITId"])[1]["Assignment"]["AssignmentId"]
    advance_clock(endpoint, 120)  # the HIT expired with two slots never taken; the work is still in time
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Unassignable"

    assert worker.submit(assignment_id, {"comment": "just in time"})[0] == 200

    done = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert (done["HITStatus"], done["NumberOfAssignmentsPending"], done["NumberOfAssignmentsCompleted"]) == (
        "Reviewable",
        0,
        0,
    )
    reviewable = mturk.list_reviewable_hits(HITTypeId=hit["HITTypeId"])["HITs"]
    assert [h["HITId"] for h in reviewable] == [hit["HITId"]]


def test_a_worker_cannot_submit_another_workers_assignment(mturk, new_worker, accepted):
    hit, owner, assignment_id = accepted
    intruder = new_worker()

    status, body = intruder.submit(assignment_id, {"comment": "mine now"})

    assert status == 404
    assert body["Error"]["Code"] == "AssignmentDoesNotExist"
    counted = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert (counted["NumberOfAssignmentsAvailable"], counted["NumberOfAssignmentsPending"]) == (1, 1)
    assert owner.submit(assignment_id, {"comment": "mine"})[0] == 200


def test_submitting_an_unknown_assignment_is_a_404(new_worker):
    worker = new_worker()

    for assignment_id in ("3" * 30, "short", "x" * 3000):
        status, body = worker.submit(assignment_id, {"a": "b"})

        assert status == 404, body
        assert body["Error"]["Code"] == "AssignmentDoesNotExist"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"this is not json", "application/json"),
        (b"{", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"[]", "application/json"),
        (b'"Answers"', "application/json"),
        (b"{}", "application/json"),
        (b'{"answers": {"a": "b"}}', "application/json"),
        (b'{"Answers": null}', "application/json"),
        (b'{"Answers": "a=b"}', "application/json"),
        (b'{"Answers": ["a", "b"]}', "application/json"),
        (b'{"Answers": {"a": 1}}', "application/json"),
        (b'{"Answers": {"a": null}}', "application/json"),
        (b'{"Answers": {"a": {"b": "c"}}}', "application/json"),
        (b'{"Answers": {"a": ["b", 2]}}', "application/json"),
        (b'{"Answers": {"a": "nul \\u0000 char"}}', "application/json"),
        (b'{"Answers": {"a": "lone \\ud800 surrogate"}}', "application/json"),
        (b"", "application/json"),
        (b"Answers=x", "application/x-www-form-urlencoded"),
    ],
    ids=lambda value: value[:30].decode("ascii", "replace") if isinstance(value, bytes) else value,
)
def test_a_bad_body_is_refused_and_changes_nothing(mturk, accepted, data, content_type):
    hit, worker, assignment_id = accepted

    status, body = post_raw(worker, f"/worker/api/assignments/{assignment_id}/submit", data, content_type)

    assert status == 400, body
    assert set(body["Error"]) == {"Code", "Message"}
    counted = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert (counted["NumberOfAssignmentsAvailable"], counted["NumberOfAssignmentsPending"]) == (1, 1)
    assert worker.submit(assignment_id, {"comment": "fine"})[0] == 200


def test_answers_too_large_to_store_are_refused(mturk, accepted):
    hit, worker, assignment_id = accepted

    status, body = worker.submit(assignment_id, {"essay": "é" * 80_000})

    assert status == 400, body
    assert "limit" in body["Error"]["Message"]
    counted = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert counted["NumberOfAssignmentsPending"] == 1


def test_long_answers_within_the_limit_are_stored(mturk, accepted):
    _, worker, assignment_id = accepted
    essay = "word " * 40_000

    status, _ = worker.submit(assignment_id, {"essay": essay})

    assert status == 200
    answer = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]["Answer"]
    assert parsed_answers(answer) == [("essay", essay)]
