from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("UpdateHITReviewStatus")
def handler(request, caller):
    hits.update_review_status(caller.requester_id, request["HITId"], request.get("Revert", False), caller.now)
