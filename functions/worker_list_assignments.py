from openturk.domain import assignments
from openturk.edge.worker import worker_operation


@worker_operation("ListAssignments")
def handler(request, caller):
    found, token = assignments.list_for_worker(caller.worker_id, request.query.get("NextToken"))
    result = {"Assignments": [assignments.worker_view(a, caller.now) for a in found]}
    if token:
        result["NextToken"] = token
    return result
