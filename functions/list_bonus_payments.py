from openturk.domain import review
from openturk.edge.pages import page
from openturk.edge.requester import requester_operation


@requester_operation("ListBonusPayments")
def handler(request, caller):
    found, token = review.list_bonuses(
        caller.requester_id,
        request.get("HITId"),
        request.get("AssignmentId"),
        request.get("MaxResults"),
        request.get("NextToken"),
    )
    return page("BonusPayments", [review.bonus_to_wire(entry) for entry in found], token)
