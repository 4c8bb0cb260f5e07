from openturk.domain import messages
from openturk.edge.requester import requester_operation


@requester_operation("NotifyWorkers")
def handler(request, caller):
    failures = messages.notify(
        caller.requester_id, request["Subject"], request["MessageText"], request["WorkerIds"], caller.now
    )
    return {"NotifyWorkersFailureStatuses": failures}
