from openturk.domain import assignments
from openturk.domain.errors import InvalidParameter
from openturk.edge.worker import worker_operation


@worker_operation("ExternalSubmit")
def handler(request, caller):
    """MTurk's form post target for HTMLQuestion and ExternalQuestion pages."""
    fields = {name: values if len(values) > 1 else values[0] for name, values in request.form.items()}
    assignment_id = fields.get("assignmentId")
    if not isinstance(assignment_id, str) or assignment_id == "ASSIGNMENT_ID_NOT_AVAILABLE":
        raise InvalidParameter("The form must carry the assignmentId of an accepted assignment.")
    assignment = assignments.submit(caller.worker_id, assignment_id, fields, caller.now)
    return {"Assignment": assignments.worker_view(assignment, caller.now)}
