from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("DeleteQualificationType")
def handler(request, caller):
    qualifications.delete(caller.requester_id, request["QualificationTypeId"])
