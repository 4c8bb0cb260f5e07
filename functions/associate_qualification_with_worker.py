from openturk.domain import qualification_scores
from openturk.edge.requester import requester_operation


@requester_operation("AssociateQualificationWithWorker")
def handler(request, caller):
    qualification_scores.associate(
        caller.requester_id,
        request["QualificationTypeId"],
        request["WorkerId"],
        request.get("IntegerValue"),
        caller.now,
    )
