from openturk.domain import blocks
from openturk.edge.requester import requester_operation


@requester_operation("CreateWorkerBlock")
def handler(request, caller):
    blocks.block(caller.requester_id, request["WorkerId"], request["Reason"], caller.now)
    return {}
