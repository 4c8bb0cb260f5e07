"""What a CreateHIT, CreateHITType or CreateHITWithHITType request may say: ranges, lengths, rewards,
qualification requirements, review policies and the question; and the HIT type its properties make."""

import json
from typing import Any

from openturk.data.hits import HitType
from openturk.domain import ids, money, questions
from openturk.domain.errors import InvalidParameter

DEFAULT_AUTO_APPROVAL_DELAY = 2_592_000
# Far above any real reward, and small enough that reward x a billion assignments x fees stays an exact
# DynamoDB number (38 digits); the pattern alone lets a 40-digit amount through to the store.
MAX_REWARD_CENTS = 100_000_000_000
RANGES = {
    "LifetimeInSeconds": (30, 31_536_000),
    "AssignmentDurationInSeconds": (30, 31_536_000),
    "AutoApprovalDelayInSeconds": (0, 2_592_000),
    "MaxAssignments": (1, 1_000_000_000),
}
_LENGTHS = {"Title": 128, "Description": 2000, "Keywords": 1000, "RequesterAnnotation": 255}
WORKER_LOCALE = "00000000000000000071"
_POLICIES = {
    "AssignmentReviewPolicy": "ScoreMyKnownAnswers/2011-09-01",
    "HITReviewPolicy": "SimplePlurality/2011-09-01",
}


def check_ranges(request: dict[str, Any]) -> None:
    for name, (low, high) in RANGES.items():
        value = request.get(name)
        if value is not None and not low <= value <= high:
            raise InvalidParameter(
                f"Value {value} for parameter {name} is invalid. It must be between {low} and {high}."
            )
    for name, limit in _LENGTHS.items():
        value = request.get(name)
        if value is not None and len(value) > limit:
            raise InvalidParameter(
                f"The value of {name} is {len(value)} characters long; the limit is {limit}."
            )
    for name in ("Title", "Description"):
        if name in request and not request[name].strip():
            raise InvalidParameter(f"The value of {name} must not be empty.")
    for name, policy in _POLICIES.items():
        given = request.get(name)
        if given is not None and given.get("PolicyName") != policy:
            raise InvalidParameter(f"{name} must name the policy {policy}, not {given.get('PolicyName')}.")


def _requirements(given: list[dict] | None) -> list[dict] | None:
    if not given:
        return None
    if len(given) > 10:
        raise InvalidParameter("A HIT can have at most 10 QualificationRequirements.")
    result = []
    for index, requirement in enumerate(given):
        _check_values(requirement, f"QualificationRequirements[{index}]")
        requirement = dict(requirement)
        if "ActionsGuarded" not in requirement and "RequiredToPreview" not in requirement:
            requirement["ActionsGuarded"] = "Accept"
        result.append(requirement)
    return result


def _check_values(requirement: dict, where: str) -> None:
    """The values a comparator takes: none for Exists and DoesNotExist, up to 15 integers or 30 locales
    for In and NotIn, exactly one otherwise; locales only for Worker_Locale, and never ordered."""
    comparator = requirement["Comparator"]
    integers, locales = requirement.get("IntegerValues"), requirement.get("LocaleValues")
    if integers is not None and locales is not None:
        raise InvalidParameter(f"{where} may have IntegerValues or LocaleValues, not both.")
    count = len(integers if integers is not None else locales or [])
    if comparator in ("Exists", "DoesNotExist"):
        allowed = range(0, 1)
    elif comparator in ("In", "NotIn"):
        allowed = range(1, (15 if integers is not None else 30) + 1)
    else:
        allowed = range(1, 2)
    if count not in allowed:
        raise InvalidParameter(
            f"{where} with Comparator {comparator} takes {allowed.start} to {allowed.stop - 1} values, not {count}."
        )
    is_locale = requirement["QualificationTypeId"] == WORKER_LOCALE
    if locales and not is_locale:
        raise InvalidParameter(f"{where}: LocaleValues are for Worker_Locale ({WORKER_LOCALE}) only.")
    if integers and is_locale:
        raise InvalidParameter(
            f"{where}: Worker_Locale ({WORKER_LOCALE}) compares LocaleValues, not IntegerValues."
        )
    if is_locale and comparator not in ("EqualTo", "NotEqualTo", "In", "NotIn", "Exists", "DoesNotExist"):
        raise InvalidParameter(f"{where}: a locale cannot be compared with {comparator}.")
    if "ActionsGuarded" in requirement and "RequiredToPreview" in requirement:
        raise InvalidParameter(
            f"{where} may set ActionsGuarded or the deprecated RequiredToPreview, not both."
        )


def type_properties(requester_id: str, request: dict[str, Any], now: float) -> HitType:
    check_ranges(request)
    try:
        reward = money.parse(request["Reward"])
    except ValueError:
        raise InvalidParameter(f"Value {request['Reward']} for parameter Reward is invalid.") from None
    if reward > MAX_REWARD_CENTS:
        raise InvalidParameter(
            f"Value {request['Reward']} for parameter Reward is invalid. "
            f"It must be at most {money.format(MAX_REWARD_CENTS)}."
        )
    requirements = _requirements(request.get("QualificationRequirements"))
    delay = request.get("AutoApprovalDelayInSeconds", DEFAULT_AUTO_APPROVAL_DELAY)
    identity = json.dumps(
        [
            request["Title"],
            request["Description"],
            request.get("Keywords"),
            reward,
            request["AssignmentDurationInSeconds"],
            delay,
            requirements,
        ],
        sort_keys=True,
    )
    return HitType(
        ids.derived_id("hit-type", requester_id, identity),
        requester_id=requester_id,
        title=request["Title"],
        description=request["Description"],
        keywords=request.get("Keywords"),
        reward_cents=reward,
        assignment_duration=request["AssignmentDurationInSeconds"],
        auto_approval_delay=delay,
        qualification_requirements=requirements,
        creation_time=now,
    )


def question(request: dict[str, Any], requester_id: str = "") -> str:
    has_question, has_layout = request.get("Question") is not None, request.get("HITLayoutId") is not None
    if has_question == has_layout:
        raise InvalidParameter("Provide exactly one of Question or HITLayoutId.")
    if has_layout:
        from openturk.domain import projects  # only CreateHIT with a layout needs it

        return projects.layout_question(
            requester_id, request["HITLayoutId"], request.get("HITLayoutParameters")
        )
    questions.parse(request["Question"])
    return request["Question"]
