from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("UpdateExpirationForHIT")
def handler(request, caller):
    hits.update_expiration(caller.requester_id, request["HITId"], request["ExpireAt"], caller.now)
