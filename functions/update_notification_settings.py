from openturk.domain import notifications
from openturk.edge.requester import requester_operation


@requester_operation("UpdateNotificationSettings")
def handler(request, caller):
    notifications.update_settings(
        caller.requester_id,
        request["HITTypeId"],
        request.get("Notification"),
        request.get("Active"),
        caller.now,
    )
