from openturk.domain import earnings
from openturk.edge.worker import worker_operation


@worker_operation("Earnings")
def handler(request, caller):
    return earnings.summary(caller.worker_id, request.query.get("NextToken"), caller.now)
