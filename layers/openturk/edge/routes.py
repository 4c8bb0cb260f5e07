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
# A review (approve, reject, auto-approval) also moves the worker's counters (system qualifications) and
# records that the requester has reviewed the worker's work (NotifyWorkers may then reach them).
_SETTLE = ("hits", "assignments", "events") + _MONEY + ("workers", "relationships")
# CreateHIT and CreateHITType check that the qualification types their requirements name are usable.
_REQUIRED_TYPES = ("qualification_types",)

REQUESTER = {
    "CreateHITType": Route("create_hit_type", _AUTH + _REQUIRED_TYPES, ("hit_types",)),
    # HITLayoutId: the layout is a project (domain/projects.py).
    "CreateHIT": Route(
        "create_hit", _AUTH + _REQUIRED_TYPES + ("projects",), ("hit_types", "request_tokens") + _SETTLE
    ),
    "CreateHITWithHITType": Route(
        "create_hit_with_hit_type",
        _AUTH + ("hit_types", "projects") + _REQUIRED_TYPES,
        ("request_tokens",) + _SETTLE,
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
    "ListQualificationRequests": Route(
        "list_qualification_requests", _AUTH + ("qualification_types", "qualification_requests")
    ),
    "AcceptQualificationRequest": Route(
        "accept_qualification_request", _AUTH, ("qualification_requests", "qualifications")
    ),
    "RejectQualificationRequest": Route(
        "reject_qualification_request", _AUTH, ("qualification_requests", "qualifications")
    ),
    "ListHITsForQualificationType": Route(
        "list_hits_for_qualification_type", _AUTH + ("qualification_types", "hits")
    ),
    # A presigned GET of a worker's uploaded file (infra/batches.py grants the bucket's uploads/ prefix).
    "GetFileUploadURL": Route("get_file_upload_url", _AUTH + ("assignments", "hits"), aws=("s3",)),
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
    # The worker's own assignments, the blocks of the page's requesters and the worker's scores for the
    # page's requirements (qualifications, and the worker's item for system ones): one BatchGetItem a page.
    Route(
        "worker_list_hits",
        ("hits", "assignments", "blocks", "qualifications", "workers"),
        (),
        "GET",
        "/worker/api/hits",
    ),
    Route(
        "worker_get_hit",
        ("hits", "blocks", "qualifications", "workers"),
        (),
        "GET",
        "/worker/api/hits/{HITId}",
    ),
    # The transaction checks the requester's block (ConditionCheckItem is a write action); the worker's
    # scores for the HIT's requirements are read first, in one BatchGetItem.
    Route(
        "worker_accept_hit",
        ("qualifications", "workers"),
        ("hits", "assignments", "events", "blocks"),
        "POST",
        "/worker/api/hits/{HITId}/accept",
    ),
    # Submitting counts the worker's submitted assignments (PercentAssignmentsApproved).
    Route(
        "worker_submit_assignment",
        (),
        ("hits", "assignments", "events", "workers"),
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
    Route(
        "external_submit", (), ("hits", "assignments", "events", "workers"), "POST", "/mturk/externalSubmit"
    ),
    Route("worker_get_profile", ("workers",), (), "GET", "/worker/api/profile"),
    Route("worker_update_profile", (), ("workers",), "PUT", "/worker/api/profile"),
    Route(
        "worker_list_qualifications",
        ("qualifications", "qualification_types", "workers"),
        (),
        "GET",
        "/worker/api/qualifications",
    ),
    Route(
        "worker_list_qualification_types",
        ("qualification_types",),
        (),
        "GET",
        "/worker/api/qualification-types",
    ),
    Route(
        "worker_request_qualification",
        ("qualification_types",),
        ("qualifications", "qualification_requests"),
        "POST",
        "/worker/api/qualification-types/{QualificationTypeId}/request",
    ),
    # A presigned PUT for a FileUploadAnswer question of the worker's accepted assignment.
    Route(
        "worker_upload_url",
        ("assignments", "hits"),
        (),
        "POST",
        "/worker/api/assignments/{AssignmentId}/uploads",
        aws=("s3",),
    ),
]

# The worker web app's pages (layers/openturk/web/): the session cookie or the bearer token, checked by
# the handler itself (a browser sends no Authorization header, so no JWT authorizer stands in front).
# Accepting (and "accept and work on the next HIT in this group" after a submission) writes what
# worker_accept_hit writes.
_ACCEPT = ("hits", "assignments", "events", "blocks", "relationships")
# The worker's scores of a HIT's QualificationRequirements (custom types, and their own item for system ones).
_SCORES = ("qualifications", "workers")
PAGES = [
    Route("worker_page_sign_in", (), (), "GET", "/worker/sign-in"),
    # Deployed it calls Cognito's InitiateAuth, which needs no IAM permission; locally the development
    # sign-in's admin calls go to moto.
    Route("worker_page_sign_in_submit", (), ("workers",), "POST", "/worker/sign-in"),
    Route("worker_page_sign_out", (), (), "POST", "/worker/sign-out"),
    Route(
        "worker_page_marketplace",
        ("hits", "assignments", "blocks", "requesters", "qualification_types") + _SCORES,
        (),
        "GET",
        "/worker",  # workers use /worker/; the front door (and the local gateway) rewrite it to this
    ),
    Route(
        "worker_page_hit",
        ("hits", "assignments", "requesters", "blocks", "qualification_types") + _SCORES,
        (),
        "GET",
        "/worker/hits/{HITId}",
    ),
    # A refused accept shows the HIT's page again, with the qualifications it needs.
    Route(
        "worker_page_accept",
        ("requesters", "qualification_types") + _SCORES,
        _ACCEPT,
        "POST",
        "/worker/hits/{HITId}/accept",
    ),
    Route(
        "worker_page_assignment",
        ("hits", "assignments", "requesters"),
        (),
        "GET",
        "/worker/assignments/{AssignmentId}",
    ),
    # A refused form is shown again with the HIT's terms (the requester's name).
    Route(
        "worker_page_submit",
        ("requesters",) + _SCORES,
        _ACCEPT,
        "POST",
        "/worker/assignments/{AssignmentId}/submit",
    ),
    Route("worker_page_continue", _SCORES, _ACCEPT, "POST", "/worker/assignments/{AssignmentId}/continue"),
    Route(
        "worker_page_return",
        (),
        ("hits", "assignments", "events"),
        "POST",
        "/worker/assignments/{AssignmentId}/return",
    ),
    Route(
        "worker_page_dashboard",
        ("assignments", "hits", "balances", "ledger", "messages", "requesters", "qualification_types")
        + _SCORES,
        (),
        "GET",
        "/worker/dashboard",
    ),
    Route("worker_page_messages", ("messages", "requesters"), (), "GET", "/worker/messages"),
    # A Preview-guarded HIT's question only for a qualified worker, or one holding an assignment of it.
    Route(
        "worker_page_content",
        ("hits", "access_keys", "assignments", "blocks") + _SCORES,
        (),
        "GET",
        "/worker/content/{HITId}",
    ),
    # A requester's signed preview link (web/preview.py): signed with the requester's own key pair, whose
    # secret the page derives from the master secret; the HTMLQuestion frame takes the same signature.
    Route("worker_page_preview", ("hits", "requesters", "access_keys"), (), "GET", "/worker/preview/{HITId}"),
]
# The qualifications page: what the worker holds, their profile, the requestable types and their tests (the
# same domain functions as /worker/api/qualifications, /worker/api/qualification-types and /profile).
PAGES += [
    Route(
        "worker_page_qualifications",
        ("qualifications", "qualification_types", "workers"),
        (),
        "GET",
        "/worker/qualifications",
    ),
    Route(
        "worker_page_request_qualification",
        ("qualification_types", "workers"),
        ("qualifications", "qualification_requests"),
        "POST",
        "/worker/qualifications/{QualificationTypeId}/request",
    ),
    # A refused profile shows the qualifications page again.
    Route(
        "worker_page_profile",
        ("qualifications", "qualification_types"),
        ("workers",),
        "POST",
        "/worker/profile",
    ),
]
WORKER += PAGES

# Functions that no HTTP request reaches. deliver_events is started by the events table's DynamoDB
# Stream (new events); what is still due (retries included) goes out with the sweep, every minute, or
# with a direct invocation of deliver_events without Records.
# It reads HIT types' notification settings, marks events delivered, and sends to the requesters' SQS
# queues and SNS topics and to the stack's EventBridge bus (OPENTURK_EVENT_BUS).
BACKGROUND = [
    Route("deliver_events", ("hits", "hit_types"), ("events",), aws=("sqs", "sns", "events")),
    # The schedule: expiry, abandonment and auto-approval made durable (with their events and money),
    # then delivery of what is due.
    Route(
        "sweep",
        ("hit_types",),
        ("hits", "assignments", "events", "balances", "ledger", "workers", "relationships"),
        aws=("sqs", "sns", "events"),
    ),
]

# The workers' user pool's post-confirmation trigger (infra/worker_api.py): the profile a worker gave at
# sign-up (custom:country, custom:subdivision, custom:adult) becomes their profile (domain/workers.py).
SIGN_UP = [Route("worker_signed_up", (), ("workers",))]

# The batch bucket's function (infra/batches.py): started by the batch queue (S3's notifications of new
# objects, and the chunks batches fan out) and by a schedule (the results of batches whose work is in).
# It registers projects, publishes batches (their HIT type, HITs and one hold) and reviews in bulk, which
# pays; "s3" and "batch-queue" are granted on the bucket's prefixes and the queue by infra/batches.py.
BATCHES = [
    Route(
        "batch_events",
        (),
        ("projects", "batches", "hit_types", "hits", "assignments", "events", "balances", "ledger"),
        aws=("s3", "batch-queue"),
    ),
]
