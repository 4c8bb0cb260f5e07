from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("UpdateHITTypeOfHIT")
def handler(request, caller):
    hits.update_hit_type(caller.requester_id, request["HITId"], request["HITTypeId"], caller.now)
