from openturk.domain import qualification_requests
from openturk.edge.worker import worker_operation


@worker_operation("RequestQualification")
def handler(request, caller):
    result = qualification_requests.request(
        caller.worker_id, request.path["QualificationTypeId"], request.body, caller.now
    )
    return {"QualificationRequest": result}
