from openturk.domain import assignments
from openturk.domain.errors import InvalidParameter
from openturk.edge.worker import worker_operation


@worker_operation("SubmitAssignment")
def handler(request, caller):
    answers = request.body.get("Answers")
    if not isinstance(answers, dict):
        raise InvalidParameter('Send the answers as {"Answers": {"field": "value", ...}}.')
    assignment = assignments.submit(caller.worker_id, request.path["AssignmentId"], answers, caller.now)
    return {"Assignment": assignments.worker_view(assignment, caller.now)}
