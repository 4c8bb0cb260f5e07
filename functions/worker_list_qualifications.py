from openturk.domain import qualification_scores
from openturk.edge.worker import worker_operation


@worker_operation("ListQualifications")
def handler(request, caller):
    return {"Qualifications": qualification_scores.qualifications_of_worker(caller.worker_id, caller.now)}
