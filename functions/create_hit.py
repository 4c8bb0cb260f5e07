from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("CreateHIT")
def handler(request, caller):
    hit = hits.create_hit(caller.requester_id, request, caller.now)
    return {"HIT": hits.to_wire(hit, caller.now)}
