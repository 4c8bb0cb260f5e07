from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("GetHIT")
def handler(request, caller):
    return {"HIT": hits.to_wire(hits.get(caller.requester_id, request["HITId"]), caller.now)}
