"""Domain errors: what went wrong, in MTurk's vocabulary. The edge turns them into wire errors."""


class DomainError(Exception):
    """Base of every refusal a caller can cause. `code` is the MTurk TurkErrorCode suffix."""

    code = "InvalidParameterValue"
    status = 400  # worker API status

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidParameter(DomainError):
    code = "InvalidParameterValue"


class XmlParseError(DomainError):
    code = "XMLParseError"


class NotFound(DomainError):
    status = 404


class HitNotFound(NotFound):
    code = "HITDoesNotExist"

    def __init__(self, hit_id: str):
        super().__init__(f"Hit {hit_id} does not exist.")


class HitTypeNotFound(NotFound):
    code = "HITTypeDoesNotExist"

    def __init__(self, hit_type_id: str):
        super().__init__(f"HITType {hit_type_id} does not exist.")


class HitLayoutNotFound(NotFound):
    code = "HITLayoutDoesNotExist"

    def __init__(self, layout_id: str):
        super().__init__(f"HITLayout {layout_id} does not exist.")


class AssignmentNotFound(NotFound):
    code = "AssignmentDoesNotExist"

    def __init__(self, assignment_id: str):
        super().__init__(f"Assignment {assignment_id} does not exist.")


class InvalidHitState(DomainError):
    code = "InvalidHITState"
    status = 409


class InvalidAssignmentState(DomainError):
    code = "InvalidAssignmentState"
    status = 409


class HitAlreadyExists(DomainError):
    code = "HitAlreadyExists"
    status = 409


class DuplicateRequest(DomainError):
    code = "DuplicateRequest"
    status = 409


class InvalidTransportEndpoint(DomainError):
    """A notification Destination that is not one, or that refused a test message."""

    code = "InvalidTransportEndpoint"


class InvalidMaximumAssignmentsIncrease(DomainError):
    code = "InvalidMaximumAssignmentsIncrease"


class InsufficientFunds(DomainError):
    code = "InsufficientFunds"
    status = 402

    def __init__(self) -> None:
        super().__init__(
            "This Requester has insufficient funds in their account to complete this transaction. "
            "Please visit https://requester.mturk.com/prepayments/new to purchase Prepaid HITs."
        )


class NotAuthorized(DomainError):
    code = "NotAuthorized"
    status = 403


class Conflict(DomainError):
    """Lost a race that a retry will not win (e.g. the last assignment went to someone else)."""

    code = "InvalidHITState"
    status = 409


class WorkerBlocked(NotAuthorized):
    """The HIT's requester has blocked this worker (CreateWorkerBlock)."""

    code = "WorkerBlocked"

    def __init__(self, hit_id: str):
        super().__init__(
            f"You cannot accept HIT {hit_id}: its requester has blocked you from working on its HITs."
        )


class QualificationRequirementsNotMet(NotAuthorized):
    """The worker does not meet the HIT's QualificationRequirements for this action."""

    code = "QualificationRequirementsNotMet"

    def __init__(self, hit_id: str):
        super().__init__(f"You do not meet the qualification requirements to accept HIT {hit_id}.")


class QualificationRequestNotFound(NotFound):
    code = "QualificationRequestDoesNotExist"

    def __init__(self, request_id: str):
        super().__init__(f"QualificationRequest {request_id} does not exist.")


class InvalidQualificationRequestState(DomainError):
    code = "InvalidQualificationRequestState"
    status = 409


class InvalidQualificationTypeState(DomainError):
    code = "InvalidQualificationTypeState"
    status = 409


class QualificationTypeNotFound(NotFound):
    code = "QualificationTypeDoesNotExist"

    def __init__(self, qualification_type_id: str):
        super().__init__(f"QualificationType {qualification_type_id} does not exist.")


class QualificationNotFound(NotFound):
    code = "QualificationDoesNotExist"

    def __init__(self, qualification_type_id: str, worker_id: str):
        super().__init__(
            f"The Qualification of type {qualification_type_id} for worker {worker_id} does not exist."
        )


class QualificationTypeAlreadyExists(DomainError):
    code = "QualificationTypeAlreadyExists"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "You have already created a QualificationType with this name. A QualificationType's name must be "
            "unique among all of the QualificationTypes created by the same user."
        )
