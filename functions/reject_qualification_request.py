from openturk.domain import qualification_requests
from openturk.edge.requester import requester_operation


@requester_operation("RejectQualificationRequest")
def handler(request, caller):
    qualification_requests.reject(
        caller.requester_id, request["QualificationRequestId"], request.get("Reason")
    )
