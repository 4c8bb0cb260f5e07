from openturk.domain import review
from openturk.edge.requester import requester_operation


@requester_operation("SendBonus")
def handler(request, caller):
    review.send_bonus(
        caller.requester_id,
        request["WorkerId"],
        request["AssignmentId"],
        request["BonusAmount"],
        request["Reason"],
        request.get("UniqueRequestToken"),
        caller.now,
    )
