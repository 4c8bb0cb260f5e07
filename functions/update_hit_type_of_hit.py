from openturk.domain import hit_changes
from openturk.edge.requester import requester_operation


@requester_operation("UpdateHITTypeOfHIT")
def handler(request, caller):
    hit_changes.update_hit_type(caller.requester_id, request["HITId"], request["HITTypeId"], caller.now)
