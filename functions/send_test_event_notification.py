from openturk.domain import notifications
from openturk.edge.requester import requester_operation


@requester_operation("SendTestEventNotification")
def handler(request, caller):
    notifications.send_test(
        caller.requester_id, request["Notification"], request["TestEventType"], caller.now
    )
