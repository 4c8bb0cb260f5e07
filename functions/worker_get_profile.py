from openturk.domain import workers
from openturk.edge.worker import worker_operation


@worker_operation("GetProfile")
def handler(request, caller):
    return {"Profile": workers.profile(caller.worker_id)}
