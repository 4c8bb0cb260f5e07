from openturk.domain import hit_changes
from openturk.edge.requester import requester_operation


@requester_operation("DeleteHIT")
def handler(request, caller):
    hit_changes.delete(caller.requester_id, request["HITId"], caller.now)
