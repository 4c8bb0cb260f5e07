from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("CreateQualificationType")
def handler(request, caller):
    created = qualifications.create(caller.requester_id, request, caller.now)
    return {"QualificationType": qualifications.type_to_wire(created, caller.requester_id)}
