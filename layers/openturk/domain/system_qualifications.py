"""MTurk's system qualifications, computed from a worker's own item: review counters and profile.

The IDs are MTurk's, so scripts written for MTurk keep their requirements. The worker's item is read in
the same BatchGetItem as the worker's scores of custom types, so a requirement check stays one read.

Masters policy (MTurk never published its rule): a worker holds Masters (value 1) once at least
MASTERS_MIN_APPROVED of their assignments were approved and at least MASTERS_MIN_PERCENT percent of their
reviewed assignments were approved. Both the production and the sandbox Masters IDs name it.
"""

from typing import Any

from openturk.data.workers import Worker
from openturk.domain.errors import InvalidParameter

NUMBER_HITS_APPROVED = "00000000000000000040"
PERCENT_ASSIGNMENTS_APPROVED = "000000000000000000L0"
LOCALE = "00000000000000000071"
ADULT = "00000000000000000060"
MASTERS_PRODUCTION = "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"
MASTERS_SANDBOX = "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"
MASTERS = (MASTERS_PRODUCTION, MASTERS_SANDBOX)

# MTurk: the percentage reads 100 until the worker has submitted this many assignments.
PERCENT_APPROVED_FROM_SUBMITTED = 100
MASTERS_MIN_APPROVED = 1000
MASTERS_MIN_PERCENT = 99

_DESCRIPTIONS = {
    NUMBER_HITS_APPROVED: (
        "Worker_NumberHITsApproved",
        "The number of HITs of this worker that were approved.",
    ),
    PERCENT_ASSIGNMENTS_APPROVED: (
        "Worker_PercentAssignmentsApproved",
        "The percentage of this worker's reviewed assignments that were approved "
        f"(100 until the worker has submitted {PERCENT_APPROVED_FROM_SUBMITTED}).",
    ),
    LOCALE: ("Worker_Locale", "The country (and subdivision) the worker lives in, from their profile."),
    ADULT: ("Worker_Adult", "1 if the worker has said they are willing to see adult content, else 0."),
    MASTERS_PRODUCTION: (
        "Masters",
        f"Workers with at least {MASTERS_MIN_APPROVED} approved assignments, "
        f"{MASTERS_MIN_PERCENT}% of their reviewed work approved.",
    ),
    MASTERS_SANDBOX: (
        "Masters (Sandbox)",
        f"Workers with at least {MASTERS_MIN_APPROVED} approved assignments, "
        f"{MASTERS_MIN_PERCENT}% of their reviewed work approved.",
    ),
}
IDS = frozenset(_DESCRIPTIONS)

# ISO 3166-1 alpha-2, the country codes MTurk's LocaleValue takes.
_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())


def check_locale(locale: Any, where: str) -> dict[str, str]:
    """A LocaleValue: Country an ISO 3166-1 alpha-2 code, Subdivision (optional) an ISO 3166-2 code's
    part after the country (1 to 3 letters or digits). Returns it with only those keys."""
    if not isinstance(locale, dict) or not isinstance(locale.get("Country"), str):
        raise InvalidParameter(f"{where} needs a Country (an ISO 3166-1 alpha-2 code such as US).")
    country = locale["Country"]
    if country not in COUNTRIES:
        raise InvalidParameter(f"{where}: {country!r} is not an ISO 3166-1 alpha-2 country code.")
    subdivision = locale.get("Subdivision")
    if subdivision is None:
        return {"Country": country}
    if not (isinstance(subdivision, str) and 1 <= len(subdivision) <= 3 and subdivision.isascii()) or not (
        subdivision.isalnum() and subdivision == subdivision.upper()
    ):
        raise InvalidParameter(
            f"{where}: Subdivision {subdivision!r} is not an ISO 3166-2 subdivision code (such as WA)."
        )
    return {"Country": country, "Subdivision": subdivision}


def is_system(qualification_type_id: str) -> bool:
    return qualification_type_id in IDS


def percent_approved(worker: Worker | None) -> int:
    submitted = int(worker.submitted or 0) if worker else 0
    approved = int(worker.approved or 0) if worker else 0
    rejected = int(worker.rejected or 0) if worker else 0
    if submitted < PERCENT_APPROVED_FROM_SUBMITTED or approved + rejected == 0:
        return 100
    return approved * 100 // (approved + rejected)


def is_master(worker: Worker | None) -> bool:
    if worker is None:
        return False
    approved, rejected = int(worker.approved or 0), int(worker.rejected or 0)
    return approved >= MASTERS_MIN_APPROVED and approved * 100 >= MASTERS_MIN_PERCENT * (approved + rejected)


def value(qualification_type_id: str, worker: Worker | None) -> int | dict[str, str] | None:
    """The worker's value of a system qualification: an integer, a locale, or None (does not have it)."""
    if qualification_type_id == NUMBER_HITS_APPROVED:
        return int(worker.approved or 0) if worker else 0
    if qualification_type_id == PERCENT_ASSIGNMENTS_APPROVED:
        return percent_approved(worker)
    if qualification_type_id == ADULT:
        return 1 if worker is not None and worker.adult else 0
    if qualification_type_id == LOCALE:
        if worker is None or not worker.country:
            return None
        locale = {"Country": worker.country}
        if worker.subdivision:
            locale["Subdivision"] = worker.subdivision
        return locale
    if qualification_type_id in MASTERS:
        return 1 if is_master(worker) else None
    return None


def held(worker: Worker | None, now: float) -> list[dict[str, Any]]:
    """The system qualifications a worker holds, as MTurk Qualification structures (one per Masters ID
    would be noise: the production ID stands for both)."""
    found = []
    for type_id in (NUMBER_HITS_APPROVED, PERCENT_ASSIGNMENTS_APPROVED, LOCALE, ADULT, MASTERS_PRODUCTION):
        current = value(type_id, worker)
        if current is None:
            continue
        wire: dict[str, Any] = {
            "QualificationTypeId": type_id,
            "Name": _DESCRIPTIONS[type_id][0],
            "Status": "Granted",
            "GrantTime": now,
        }
        wire["LocaleValue" if isinstance(current, dict) else "IntegerValue"] = current
        found.append(wire)
    return found


def type_to_wire(qualification_type_id: str) -> dict[str, Any]:
    """A system type as GetQualificationType shows it: Active, not requestable, created at the epoch."""
    name, description = _DESCRIPTIONS[qualification_type_id]
    return {
        "QualificationTypeId": qualification_type_id,
        "CreationTime": 0,
        "Name": name,
        "Description": description,
        "QualificationTypeStatus": "Active",
        "IsRequestable": False,
        "AutoGranted": False,
    }
