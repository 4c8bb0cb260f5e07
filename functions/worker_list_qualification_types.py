from openturk.domain import qualification_requests
from openturk.edge.worker import worker_operation


@worker_operation("ListQualificationTypes")
def handler(request, caller):
    found, token = qualification_requests.requestable_types(request.query.get("NextToken"))
    result = {"QualificationTypes": found}
    if token:
        result["NextToken"] = token
    return result
