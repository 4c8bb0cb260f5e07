from openturk.domain import qualification_requests
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListQualificationRequests")
def handler(request, caller):
    found, token = qualification_requests.list_pending(
        caller.requester_id,
        request.get("QualificationTypeId"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("QualificationRequests", found, token)
