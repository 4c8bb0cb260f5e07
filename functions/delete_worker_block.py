from openturk.domain import blocks
from openturk.edge.requester import requester_operation


@requester_operation("DeleteWorkerBlock")
def handler(request, caller):
    blocks.unblock(caller.requester_id, request["WorkerId"])
    return {}
