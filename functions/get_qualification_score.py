from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("GetQualificationScore")
def handler(request, caller):
    found = qualifications.score(caller.requester_id, request["QualificationTypeId"], request["WorkerId"])
    return {"Qualification": qualifications.to_wire(found)}
