from openturk.domain import hits
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListReviewableHITs")
def handler(request, caller):
    found, token = hits.list_reviewable(
        caller.requester_id,
        request.get("HITTypeId"),
        request.get("Status"),
        request.get("MaxResults"),
        request.get("NextToken"),
        caller.now,
    )
    return page("HITs", [hits.to_wire(hit, caller.now) for hit in found], token)
