from openturk.domain import qualifications
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListWorkersWithQualificationType")
def handler(request, caller):
    found, token = qualifications.list_workers(
        caller.requester_id,
        request["QualificationTypeId"],
        request.get("Status"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("Qualifications", [qualifications.to_wire(q) for q in found], token)
