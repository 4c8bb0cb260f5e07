from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("GetQualificationType")
def handler(request, caller):
    found = qualifications.readable(caller.requester_id, request["QualificationTypeId"])
    return {"QualificationType": qualifications.type_to_wire(found, caller.requester_id)}
