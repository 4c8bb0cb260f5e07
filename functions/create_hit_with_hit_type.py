from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("CreateHITWithHITType")
def handler(request, caller):
    hit_type = hits.get_hit_type(caller.requester_id, request["HITTypeId"])
    hit = hits.create_hit(caller.requester_id, request, caller.now, hit_type=hit_type)
    return {"HIT": hits.to_wire(hit, caller.now)}
