from openturk.domain import assignments
from openturk.edge.worker import worker_operation


@worker_operation("AcceptHIT", success_status=201)
def handler(request, caller):
    assignment = assignments.accept(caller.worker_id, request.path["HITId"], caller.now)
    return {"Assignment": assignments.worker_view(assignment, caller.now)}
