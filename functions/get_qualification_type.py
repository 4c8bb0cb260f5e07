from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("GetQualificationType")
def handler(request, caller):
    return {
        "QualificationType": qualifications.type_wire(caller.requester_id, request["QualificationTypeId"])
    }
