from openturk.domain import hit_changes
from openturk.edge.requester import requester_operation


@requester_operation("UpdateExpirationForHIT")
def handler(request, caller):
    hit_changes.update_expiration(caller.requester_id, request["HITId"], request["ExpireAt"], caller.now)
