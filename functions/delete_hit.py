from openturk.domain import hits
from openturk.edge.requester import requester_operation


@requester_operation("DeleteHIT")
def handler(request, caller):
    hits.delete(caller.requester_id, request["HITId"], caller.now)
