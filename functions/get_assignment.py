from openturk.domain import assignments, hits, review
from openturk.edge.requester import requester_operation


@requester_operation("GetAssignment")
def handler(request, caller):
    assignment, hit = review.get_assignment(caller.requester_id, request["AssignmentId"], caller.now)
    return {"Assignment": assignments.to_wire(assignment), "HIT": hits.to_wire(hit, caller.now)}
