from openturk.domain import hit_changes
from openturk.edge.requester import requester_operation


@requester_operation("UpdateHITReviewStatus")
def handler(request, caller):
    hit_changes.update_review_status(
        caller.requester_id, request["HITId"], request.get("Revert", False), caller.now
    )
