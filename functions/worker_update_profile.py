from openturk.domain import workers
from openturk.edge.worker import worker_operation


@worker_operation("UpdateProfile")
def handler(request, caller):
    return {"Profile": workers.update_profile(caller.worker_id, request.body)}
