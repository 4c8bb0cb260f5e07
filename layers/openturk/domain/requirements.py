"""QualificationRequirements: what a requester may require on a HIT, and whether a worker meets it.

One rule implementation for every place that asks: CreateHIT/CreateHITType validate requirements here;
the worker's HIT list (Discover), preview (Preview) and accept (Accept) evaluate them here against scores
read in one BatchGetItem (the worker's qualifications of the custom types named, and the worker's own item
for the system qualifications).

ActionsGuarded says what a requirement guards: Accept (the default), PreviewAndAccept, or
DiscoverPreviewAndAccept; the deprecated RequiredToPreview=true means PreviewAndAccept. A worker may take an
action when they meet every requirement that guards it.
"""

from dataclasses import dataclass
from typing import Any

from openturk.data import base as db
from openturk.data.qualifications import Qualification, QualificationType
from openturk.data.workers import Worker
from openturk.domain import system_qualifications as system
from openturk.domain.errors import InvalidParameter, QualificationTypeNotFound

ACCEPT, PREVIEW, DISCOVER = "Accept", "PreviewAndAccept", "DiscoverPreviewAndAccept"
GUARDS = (ACCEPT, PREVIEW, DISCOVER)
ORDERED = {
    "LessThan": lambda have, want: have < want,
    "LessThanOrEqualTo": lambda have, want: have <= want,
    "GreaterThan": lambda have, want: have > want,
    "GreaterThanOrEqualTo": lambda have, want: have >= want,
}
COMPARATORS = frozenset(ORDERED) | {"EqualTo", "NotEqualTo", "In", "NotIn", "Exists", "DoesNotExist"}
MAX_REQUIREMENTS = 10
MAX_INTEGER_VALUES = 15
MAX_LOCALE_VALUES = 30

Score = int | dict[str, str] | None  # an integer value, a locale, or None: the worker does not have it


# ---- validation (CreateHIT, CreateHITType) -------------------------------------------------------------


def check(requirement: dict[str, Any], where: str) -> dict[str, Any]:
    """One requirement as given, checked; returned with ActionsGuarded defaulted to Accept (MTurk echoes
    it so) and its locales reduced to Country and Subdivision."""
    comparator = requirement["Comparator"]
    if comparator not in COMPARATORS:
        raise InvalidParameter(
            f"{where}: Comparator {comparator!r} is invalid; it must be one of {', '.join(sorted(COMPARATORS))}."
        )
    guard = requirement.get("ActionsGuarded")
    if guard is not None and guard not in GUARDS:
        raise InvalidParameter(
            f"{where}: ActionsGuarded {guard!r} is invalid; it must be one of {', '.join(GUARDS)}."
        )
    if guard is not None and "RequiredToPreview" in requirement:
        raise InvalidParameter(
            f"{where} may set ActionsGuarded or the deprecated RequiredToPreview, not both."
        )
    type_id = requirement["QualificationTypeId"]
    integers, locales = requirement.get("IntegerValues"), requirement.get("LocaleValues")
    if integers is not None and locales is not None:
        raise InvalidParameter(f"{where} may have IntegerValues or LocaleValues, not both.")
    count = len(integers if integers is not None else locales or [])
    if comparator in ("Exists", "DoesNotExist"):
        allowed = range(0, 1)
    elif comparator in ("In", "NotIn"):
        allowed = range(1, (MAX_INTEGER_VALUES if integers is not None else MAX_LOCALE_VALUES) + 1)
    else:
        allowed = range(1, 2)
    if count not in allowed:
        raise InvalidParameter(
            f"{where} with Comparator {comparator} takes {allowed.start} to {allowed.stop - 1} values, not {count}."
        )
    is_locale = type_id == system.LOCALE
    if locales and not is_locale:
        raise InvalidParameter(f"{where}: LocaleValues are for Worker_Locale ({system.LOCALE}) only.")
    if integers and is_locale:
        raise InvalidParameter(
            f"{where}: Worker_Locale ({system.LOCALE}) compares LocaleValues, not IntegerValues."
        )
    if is_locale and comparator in ORDERED:
        raise InvalidParameter(f"{where}: a locale cannot be compared with {comparator}.")
    result = dict(requirement)
    if locales:
        result["LocaleValues"] = [system.check_locale(locale, f"{where}.LocaleValues") for locale in locales]
    if guard is None and "RequiredToPreview" not in requirement:
        result["ActionsGuarded"] = ACCEPT
    return result


def check_all(given: list[dict] | None) -> list[dict] | None:
    if not given:
        return None
    if len(given) > MAX_REQUIREMENTS:
        raise InvalidParameter(f"A HIT can have at most {MAX_REQUIREMENTS} QualificationRequirements.")
    return [check(requirement, f"QualificationRequirements[{i}]") for i, requirement in enumerate(given)]


def check_types_usable(requirements: list[dict] | None) -> None:
    """Every custom type a requirement names exists, is not deleted and is Active: one BatchGetItem."""
    wanted = custom_type_ids(requirements or [])
    if not wanted:
        return
    for type_id, qtype in zip(wanted, db.batch_get(*[(QualificationType, t) for t in wanted]), strict=True):
        if qtype is None or qtype.deleted:
            raise QualificationTypeNotFound(type_id)
        if qtype.status != "Active":
            raise InvalidParameter(
                f"QualificationType {type_id} is Inactive: HITs cannot be created with requirements based on it."
            )


# ---- evaluation ----------------------------------------------------------------------------------------


def custom_type_ids(requirements: list[dict]) -> list[str]:
    return list(
        dict.fromkeys(
            r["QualificationTypeId"] for r in requirements if not system.is_system(r["QualificationTypeId"])
        )
    )


def guard_of(requirement: dict[str, Any]) -> str:
    if requirement.get("ActionsGuarded"):
        return requirement["ActionsGuarded"]
    return PREVIEW if requirement.get("RequiredToPreview") else ACCEPT


def _same_locale(have: dict[str, str], want: dict[str, str]) -> bool:
    """{Country: US} matches any US worker; {Country: US, Subdivision: WA} only those in WA."""
    if have.get("Country") != want.get("Country"):
        return False
    return "Subdivision" not in want or have.get("Subdivision") == want["Subdivision"]


def meets(requirement: dict[str, Any], have: Score) -> bool:
    comparator = requirement["Comparator"]
    if comparator == "DoesNotExist":
        return have is None
    if have is None:
        return False  # every other comparator needs the qualification itself
    if comparator == "Exists":
        return True
    if isinstance(have, dict):
        wanted = requirement.get("LocaleValues") or []
        matched = any(_same_locale(have, want) for want in wanted)
    else:
        integers = [int(v) for v in requirement.get("IntegerValues") or []]
        if comparator in ORDERED:
            return bool(integers) and ORDERED[comparator](have, integers[0])
        matched = have in integers
    return matched if comparator in ("EqualTo", "In") else not matched


@dataclass(frozen=True)
class Access:
    """What a worker may do with a HIT, as its requirements (and a block) allow."""

    discover: bool
    preview: bool
    accept: bool


def access(requirements: list[dict] | None, scores: "WorkerScores", blocked: bool = False) -> Access:
    failed = {guard_of(r) for r in requirements or [] if not meets(r, scores.of(r["QualificationTypeId"]))}
    discover = DISCOVER not in failed
    preview = discover and PREVIEW not in failed
    return Access(discover, preview, preview and ACCEPT not in failed and not blocked)


class WorkerScores:
    """A worker's scores, read together: custom qualifications (Granted only) and the worker's item."""

    def __init__(self, worker: Worker | None, qualifications: list[Qualification | None]):
        self.worker = worker
        self._custom: dict[str, Score] = {}
        for q in qualifications:
            if q is not None and q.status == "Granted":
                value = q.locale_value if q.locale_value is not None else q.integer_value
                self._custom[q.qualification_type_id] = (
                    int(value) if isinstance(value, int | float) else value
                )

    def of(self, qualification_type_id: str) -> Score:
        if system.is_system(qualification_type_id):
            return system.value(qualification_type_id, self.worker)
        return self._custom.get(qualification_type_id)


def score_keys(worker_id: str, requirement_lists: list[list[dict] | None]) -> list[tuple[Any, Any]]:
    """The BatchGetItem keys of a worker's scores for these requirements: the custom types named, and the
    worker's item when any system type is. Empty when there is nothing to read."""
    requirements = [r for rs in requirement_lists for r in rs or []]
    keys: list[tuple[Any, Any]] = [(Qualification, (t, worker_id)) for t in custom_type_ids(requirements)]
    if any(system.is_system(r["QualificationTypeId"]) for r in requirements):
        keys.append((Worker, worker_id))
    return keys


def scores_from(keys: list[tuple[Any, Any]], found: list[Any]) -> WorkerScores:
    worker = next((item for (model, _), item in zip(keys, found, strict=True) if model is Worker), None)
    qualifications = [item for (model, _), item in zip(keys, found, strict=True) if model is Qualification]
    return WorkerScores(worker, qualifications)


def read_scores(worker_id: str, requirements: list[dict] | None) -> WorkerScores:
    """One BatchGetItem (none when the HIT has no requirements)."""
    keys = score_keys(worker_id, [requirements])
    return scores_from(keys, db.batch_get(*keys) if keys else [])
