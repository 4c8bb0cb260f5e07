from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("CreateAdditionalAssignmentsForHIT")
def handler(request, caller):
    hits.add_assignments(
        caller.requester_id,
        request["HITId"],
        request["NumberOfAdditionalAssignments"],
        request.get("UniqueRequestToken"),
        caller.now,
    )
