from openturk.domain import qualification_scores
from openturk.edge.requester import requester_operation


@requester_operation("DisassociateQualificationFromWorker")
def handler(request, caller):
    qualification_scores.disassociate(
        caller.requester_id, request["QualificationTypeId"], request["WorkerId"], request.get("Reason")
    )
