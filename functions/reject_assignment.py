from openturk.domain import review
from openturk.edge.requester import requester_operation


@requester_operation("RejectAssignment")
def handler(request, caller):
    review.reject(caller.requester_id, request["AssignmentId"], request.get("RequesterFeedback"), caller.now)
