from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("CreateHITType")
def handler(request, caller):
    return {"HITTypeId": hits.create_hit_type(caller.requester_id, request, caller.now)}
