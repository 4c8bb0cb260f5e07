from openturk.domain import assignments, hits
from openturk.edge.requester import requester_operation


@requester_operation("GetAssignment")
def handler(request, caller):
    assignment, hit = assignments.get(caller.requester_id, request["AssignmentId"])
    return {"Assignment": assignments.to_wire(assignment), "HIT": hits.to_wire(hit, caller.now)}
