from openturk.domain import qualifications
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListQualificationTypes")
def handler(request, caller):
    found, token = qualifications.list_types(
        caller.requester_id,
        request["MustBeRequestable"],
        request.get("MustBeOwnedByCaller", False),
        request.get("Query"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page(
        "QualificationTypes", [qualifications.type_to_wire(q, caller.requester_id) for q in found], token
    )
