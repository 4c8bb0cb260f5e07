from openturk.domain import blocks
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListWorkerBlocks")
def handler(request, caller):
    found, token = blocks.list_blocks(
        caller.requester_id, request.get("MaxResults"), request.get("NextToken")
    )
    return page("WorkerBlocks", [blocks.to_wire(block) for block in found], token)
