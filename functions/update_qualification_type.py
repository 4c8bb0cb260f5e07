from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("UpdateQualificationType")
def handler(request, caller):
    updated = qualifications.update(caller.requester_id, request)
    return {"QualificationType": qualifications.type_to_wire(updated, caller.requester_id)}
