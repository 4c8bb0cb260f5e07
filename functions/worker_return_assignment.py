from openturk.domain import assignments
from openturk.edge.worker import worker_operation


@worker_operation("ReturnAssignment")
def handler(request, caller):
    assignment = assignments.return_(caller.worker_id, request.path["AssignmentId"], caller.now)
    return {"Assignment": assignments.worker_view(assignment, caller.now)}
