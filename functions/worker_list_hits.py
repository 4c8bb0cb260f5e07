from openturk.domain import assignments, hits
from openturk.edge.worker import worker_operation


@worker_operation("ListHITs")
def handler(request, caller):
    found, token = hits.list_marketplace(caller.now, request.query.get("NextToken"))
    available = assignments.not_yet_taken(caller.worker_id, found)
    result = {"HITs": [hits.worker_view(hit, caller.now) for hit in available]}
    if token:
        result["NextToken"] = token
    return result
