"""What a CreateHIT, CreateHITType or CreateHITWithHITType request may say: ranges, lengths, rewards,
qualification requirements, review policies and the question; and the HIT type its properties make."""

import json
from typing import Any

from openturk.data.hits import HitType
from openturk.domain import ids, money, questions
from openturk.domain import requirements as requirement_rules
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
    requirements = requirement_rules.check_all(request.get("QualificationRequirements"))
    requirement_rules.check_types_usable(requirements)
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
