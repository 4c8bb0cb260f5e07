from openturk.domain import qualification_requests
from openturk.edge.requester import requester_operation


@requester_operation("AcceptQualificationRequest")
def handler(request, caller):
    qualification_requests.accept(
        caller.requester_id, request["QualificationRequestId"], request.get("IntegerValue"), caller.now
    )
