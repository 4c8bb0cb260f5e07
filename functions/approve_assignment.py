from openturk.domain import review
from openturk.edge.requester import requester_operation


@requester_operation("ApproveAssignment")
def handler(request, caller):
    review.approve(
        caller.requester_id,
        request["AssignmentId"],
        request.get("RequesterFeedback"),
        request.get("OverrideRejection", False),
        caller.now,
    )
