from openturk.domain import hits, marketplace
from openturk.edge.worker import worker_operation


@worker_operation("ListHITs")
def handler(request, caller):
    found, token = marketplace.list_for_worker(caller.worker_id, caller.now, request.query.get("NextToken"))
    result = {"HITs": [hits.worker_view(hit, caller.now) for hit in found]}
    if token:
        result["NextToken"] = token
    return result
