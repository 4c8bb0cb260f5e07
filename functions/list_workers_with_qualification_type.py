from openturk.domain import qualification_scores
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListWorkersWithQualificationType")
def handler(request, caller):
    found, token = qualification_scores.list_workers(
        caller.requester_id,
        request["QualificationTypeId"],
        request.get("Status"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("Qualifications", [qualification_scores.to_wire(q) for q in found], token)
