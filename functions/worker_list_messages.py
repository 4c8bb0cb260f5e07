from openturk.domain import messages
from openturk.edge.worker import worker_operation


@worker_operation("ListMessages")
def handler(request, caller):
    found, token = messages.inbox(caller.worker_id, request.query.get("NextToken"))
    result = {"Messages": [messages.worker_view(message) for message in found]}
    if token:
        result["NextToken"] = token
    return result
