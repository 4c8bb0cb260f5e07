from openturk.domain import qualifications
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListQualificationTypes")
def handler(request, caller):
    found, token = qualifications.type_wires(
        caller.requester_id,
        request["MustBeRequestable"],
        request.get("MustBeOwnedByCaller", False),
        request.get("Query"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("QualificationTypes", found, token)
