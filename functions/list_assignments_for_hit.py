from openturk.domain import assignments, review
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListAssignmentsForHIT")
def handler(request, caller):
    found, token = review.list_assignments(
        caller.requester_id,
        request["HITId"],
        request.get("AssignmentStatuses"),
        request.get("MaxResults"),
        request.get("NextToken"),
        caller.now,
    )
    return page("Assignments", [assignments.to_wire(a) for a in found], token)
