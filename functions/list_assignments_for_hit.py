from openturk.domain import assignments
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListAssignmentsForHIT")
def handler(request, caller):
    found, token = assignments.list_for_hit(
        caller.requester_id,
        request["HITId"],
        request.get("AssignmentStatuses"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("Assignments", [assignments.to_wire(a) for a in found], token)
