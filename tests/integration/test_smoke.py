"""The README's tutorial, end to end: create a HIT, a worker does it, the requester reads the answer."""

from tests.support import hit_args


def test_a_worker_submits_and_the_requester_reads_the_answer(mturk, new_worker):
    hit = mturk.create_hit(**hit_args(MaxAssignments=1))["HIT"]
    worker = new_worker()

    status, accepted = worker.accept(hit["HITId"])
    assert status == 201
    assignment_id = accepted["Assignment"]["AssignmentId"]
    status, _ = worker.submit(assignment_id, {"comment": "a cat"})
    assert status == 200

    assignment = mturk.get_assignment(AssignmentId=assignment_id)["Assignment"]
    assert assignment["AssignmentStatus"] == "Submitted"
    assert assignment["WorkerId"] == worker.worker_id
    assert "<FreeText>a cat</FreeText>" in assignment["Answer"]
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["HITStatus"] == "Reviewable"
