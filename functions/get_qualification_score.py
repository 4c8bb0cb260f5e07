from openturk.domain import qualification_scores
from openturk.edge.requester import requester_operation


@requester_operation("GetQualificationScore")
def handler(request, caller):
    found = qualification_scores.score(
        caller.requester_id, request["QualificationTypeId"], request["WorkerId"]
    )
    return {"Qualification": qualification_scores.to_wire(found)}
