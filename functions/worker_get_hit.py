from openturk.domain import marketplace
from openturk.edge.worker import worker_operation


@worker_operation("GetHIT")
def handler(request, caller):
    return {"HIT": marketplace.preview(caller.worker_id, request.path["HITId"], caller.now)}
