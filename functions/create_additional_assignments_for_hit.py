from openturk.domain import hit_changes
from openturk.edge.requester import requester_operation


@requester_operation("CreateAdditionalAssignmentsForHIT")
def handler(request, caller):
    hit_changes.add_assignments(
        caller.requester_id,
        request["HITId"],
        request["NumberOfAdditionalAssignments"],
        request.get("UniqueRequestToken"),
        caller.now,
    )
