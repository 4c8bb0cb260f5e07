from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("AssociateQualificationWithWorker")
def handler(request, caller):
    qualifications.associate(
        caller.requester_id,
        request["QualificationTypeId"],
        request["WorkerId"],
        request.get("IntegerValue"),
        caller.now,
    )
