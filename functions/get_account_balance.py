from openturk.domain import money, review
from openturk.edge.requester import requester_operation


@requester_operation("GetAccountBalance")
def handler(request, caller):
    available, on_hold = review.balance(caller.requester_id, caller.now)
    return {"AvailableBalance": money.format(available), "OnHoldBalance": money.format(on_hold)}
