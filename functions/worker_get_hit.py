from openturk.domain import assignments, hits
from openturk.edge.worker import worker_operation


@worker_operation("GetHIT")
def handler(request, caller):
    hit = assignments.worker_hit(request.path["HITId"])
    return {"HIT": hits.worker_view(hit, caller.now)}
