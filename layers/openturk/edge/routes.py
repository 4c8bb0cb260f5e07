"""Which function serves which request, and which tables each may touch.

The local gateway routes with this table and infra/ builds one Lambda function per entry from it, with an
IAM policy of exactly the tables listed, so the two cannot drift apart.
"""

from dataclasses import dataclass, field

# Every signed requester call reads the access key table.
_AUTH = ("access_keys",)


@dataclass(frozen=True)
class Route:
    module: str  # functions/<module>.py
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    method: str = "POST"
    path: str = ""  # worker routes only; requester routes are POST / with X-Amz-Target
    local_only: bool = False
    aws: tuple[str, ...] = field(default=())  # other AWS services the function calls


# What spending money touches: the balance, its ledger, and (when the balance is short, before saying
# so) the due auto-approvals and expired HITs it settles first (review.settle_due).
_MONEY = ("balances", "ledger")
# Every state change records its event in the outbox (domain/events.py), in the same transaction.
_SETTLE = ("hits", "assignments", "events") + _MONEY

REQUESTER = {
    "CreateHITType": Route("create_hit_type", _AUTH, ("hit_types",)),
    "CreateHIT": Route("create_hit", _AUTH, ("hit_types", "request_tokens") + _SETTLE),
    "CreateHITWithHITType": Route(
        "create_hit_with_hit_type", _AUTH + ("hit_types",), ("request_tokens",) + _SETTLE
    ),
    "GetHIT": Route("get_hit", _AUTH + ("hits",)),
    "ListHITs": Route("list_hits", _AUTH + ("hits",)),
    "ListReviewableHITs": Route("list_reviewable_hits", _AUTH + ("hits",)),
    "DeleteHIT": Route("delete_hit", _AUTH, ("hits", "events") + _MONEY),
    "UpdateExpirationForHIT": Route("update_expiration_for_hit", _AUTH, _SETTLE),
    "UpdateHITTypeOfHIT": Route("update_hit_type_of_hit", _AUTH + ("hit_types",), _SETTLE),
    "UpdateHITReviewStatus": Route("update_hit_review_status", _AUTH, ("hits",)),
    "CreateAdditionalAssignmentsForHIT": Route(
        "create_additional_assignments_for_hit", _AUTH, ("request_tokens",) + _SETTLE
    ),
    # Reading submitted work approves (and pays) what is past its auto-approval time.
    "GetAssignment": Route("get_assignment", _AUTH, _SETTLE),
    "ListAssignmentsForHIT": Route("list_assignments_for_hit", _AUTH, _SETTLE),
    "ApproveAssignment": Route("approve_assignment", _AUTH, _SETTLE),
    "RejectAssignment": Route("reject_assignment", _AUTH, _SETTLE),
    "SendBonus": Route("send_bonus", _AUTH, ("request_tokens",) + _SETTLE),
    "ListBonusPayments": Route("list_bonus_payments", _AUTH + ("hits", "assignments", "ledger")),
    "GetAccountBalance": Route("get_account_balance", _AUTH, _SETTLE),
    "UpdateNotificationSettings": Route("update_notification_settings", _AUTH, ("hit_types",)),
    # Sends one message to the caller's queue or topic, synchronously (and asks STS for the account id
    # when OPENTURK_ACCOUNT_ID is not set; GetCallerIdentity needs no permission).
    "SendTestEventNotification": Route("send_test_event_notification", _AUTH, aws=("sqs", "sns")),
    "CreateQualificationType": Route(
        "create_qualification_type", _AUTH, ("qualification_types", "qualification_names")
    ),
    "GetQualificationType": Route("get_qualification_type", _AUTH + ("qualification_types",)),
    "UpdateQualificationType": Route("update_qualification_type", _AUTH, ("qualification_types",)),
    "DeleteQualificationType": Route(
        "delete_qualification_type", _AUTH, ("qualification_types", "qualification_names")
    ),
    "ListQualificationTypes": Route("list_qualification_types", _AUTH + ("qualification_types",)),
    "AssociateQualificationWithWorker": Route(
        "associate_qualification_with_worker", _AUTH + ("qualification_types",), ("qualifications",)
    ),
    "DisassociateQualificationFromWorker": Route(
        "disassociate_qualification_from_worker", _AUTH + ("qualification_types",), ("qualifications",)
    ),
    "GetQualificationScore": Route(
        "get_qualification_score", _AUTH + ("qualification_types", "qualifications")
    ),
    "ListWorkersWithQualificationType": Route(
        "list_workers_with_qualification_type", _AUTH + ("qualification_types", "qualifications")
    ),
    "CreateWorkerBlock": Route("create_worker_block", _AUTH, ("blocks",)),
    "DeleteWorkerBlock": Route("delete_worker_block", _AUTH, ("blocks",)),
    "ListWorkerBlocks": Route("list_worker_blocks", _AUTH + ("blocks",)),
    # Messages go only to workers who have worked for the caller (one BatchGetItem of relationships).
    "NotifyWorkers": Route("notify_workers", _AUTH + ("relationships",), ("messages",)),
}

WORKER = [
    Route(
        "worker_dev_sign_in",
        (),
        ("workers",),
        "POST",
        "/worker/api/dev/sign-in",
        local_only=True,
        aws=("cognito-idp",),
    ),
    # The worker's own assignments and the blocks of the page's requesters: one BatchGetItem per page.
    Route("worker_list_hits", ("hits", "assignments", "blocks"), (), "GET", "/worker/api/hits"),
    Route("worker_get_hit", ("hits",), (), "GET", "/worker/api/hits/{HITId}"),
    # The transaction checks the requester's block (ConditionCheckItem is a write action) and records the
    # worker as having worked for the requester (relationships).
    Route(
        "worker_accept_hit",
        (),
        ("hits", "assignments", "events", "blocks", "relationships"),
        "POST",
        "/worker/api/hits/{HITId}/accept",
    ),
    Route(
        "worker_submit_assignment",
        (),
        ("hits", "assignments", "events"),
        "POST",
        "/worker/api/assignments/{AssignmentId}/submit",
    ),
    Route(
        "worker_return_assignment",
        (),
        ("hits", "assignments", "events"),
        "POST",
        "/worker/api/assignments/{AssignmentId}/return",
    ),
    Route("worker_list_assignments", ("assignments",), (), "GET", "/worker/api/assignments"),
    Route("worker_list_messages", ("messages",), (), "GET", "/worker/api/messages"),
    Route(
        "worker_earnings", ("balances", "ledger", "assignments", "hits"), (), "GET", "/worker/api/earnings"
    ),
    Route("external_submit", (), ("hits", "assignments", "events"), "POST", "/mturk/externalSubmit"),
]

# The worker web app's pages (layers/openturk/web/): the session cookie or the bearer token, checked by
# the handler itself (a browser sends no Authorization header, so no JWT authorizer stands in front).
# Accepting (and "accept and work on the next HIT in this group" after a submission) writes what
# worker_accept_hit writes.
_ACCEPT = ("hits", "assignments", "events", "blocks", "relationships")
PAGES = [
    Route("worker_page_sign_in", (), (), "GET", "/worker/sign-in"),
    # Deployed it calls Cognito's InitiateAuth, which needs no IAM permission; locally the development
    # sign-in's admin calls go to moto.
    Route("worker_page_sign_in_submit", (), ("workers",), "POST", "/worker/sign-in"),
    Route("worker_page_sign_out", (), (), "POST", "/worker/sign-out"),
    Route(
        "worker_page_marketplace",
        ("hits", "assignments", "blocks", "requesters", "qualification_types"),
        (),
        "GET",
        "/worker",  # workers use /worker/; the front door (and the local gateway) rewrite it to this
    ),
    Route("worker_page_hit", ("hits", "assignments", "requesters"), (), "GET", "/worker/hits/{HITId}"),
    Route("worker_page_accept", (), _ACCEPT, "POST", "/worker/hits/{HITId}/accept"),
    Route(
        "worker_page_assignment",
        ("hits", "assignments", "requesters"),
        (),
        "GET",
        "/worker/assignments/{AssignmentId}",
    ),
    # A refused form is shown again with the HIT's terms (the requester's name).
    Route(
        "worker_page_submit", ("requesters",), _ACCEPT, "POST", "/worker/assignments/{AssignmentId}/submit"
    ),
    Route("worker_page_continue", (), _ACCEPT, "POST", "/worker/assignments/{AssignmentId}/continue"),
    Route(
        "worker_page_return",
        (),
        ("hits", "assignments", "events"),
        "POST",
        "/worker/assignments/{AssignmentId}/return",
    ),
    Route(
        "worker_page_dashboard",
        ("assignments", "hits", "balances", "ledger", "messages", "requesters"),
        (),
        "GET",
        "/worker/dashboard",
    ),
    Route("worker_page_messages", ("messages", "requesters"), (), "GET", "/worker/messages"),
    Route("worker_page_content", ("hits", "access_keys"), (), "GET", "/worker/content/{HITId}"),
    # A requester's signed preview link (web/preview.py): signed with the requester's own key pair, whose
    # secret the page derives from the master secret; the HTMLQuestion frame takes the same signature.
    Route("worker_page_preview", ("hits", "requesters", "access_keys"), (), "GET", "/worker/preview/{HITId}"),
]
WORKER += PAGES

# Functions that no HTTP request reaches. deliver_events is started by the events table's DynamoDB
# Stream (new events); what is still due (retries included) goes out with the sweep, every minute, or
# with a direct invocation of deliver_events without Records.
# It reads HIT types' notification settings, marks events delivered, and sends to the requesters' SQS
# queues and SNS topics and to the stack's EventBridge bus (OPENTURK_EVENT_BUS).
BACKGROUND = [
    Route("deliver_events", ("hit_types",), ("events",), aws=("sqs", "sns", "events")),
    # The schedule: expiry, abandonment and auto-approval made durable (with their events and money),
    # then delivery of what is due.
    Route(
        "sweep",
        ("hit_types",),
        ("hits", "assignments", "events", "balances", "ledger"),
        aws=("sqs", "sns", "events"),
    ),
]
