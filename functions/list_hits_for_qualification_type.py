from openturk.domain import hits, qualifications
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListHITsForQualificationType")
def handler(request, caller):
    found, token = qualifications.hits_for_type(
        caller.requester_id,
        request["QualificationTypeId"],
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("HITs", [hits.to_wire(hit, caller.now) for hit in found], token)
