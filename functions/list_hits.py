from openturk.domain import hits
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListHITs")
def handler(request, caller):
    found, token = hits.list_hits(caller.requester_id, request.get("MaxResults"), request.get("NextToken"))
    return page("HITs", [hits.to_wire(hit, caller.now) for hit in found], token)
