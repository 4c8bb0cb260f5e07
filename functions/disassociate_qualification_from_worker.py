from openturk.domain import qualifications
from openturk.edge.requester import requester_operation


@requester_operation("DisassociateQualificationFromWorker")
def handler(request, caller):
    qualifications.disassociate(
        caller.requester_id, request["QualificationTypeId"], request["WorkerId"], request.get("Reason")
    )
