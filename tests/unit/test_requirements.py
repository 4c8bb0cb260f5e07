"""QualificationRequirements: every comparator, locale matching, guard levels, and validation."""

import pytest

from openturk.data.workers import Worker
from openturk.domain import requirements
from openturk.domain import system_qualifications as system
from openturk.domain.errors import InvalidParameter

CUSTOM = "3CUSTOMTYPE0000000000000000001"


def requirement(comparator, integers=None, locales=None, type_id=CUSTOM, **extra):
    given = {"QualificationTypeId": type_id, "Comparator": comparator, **extra}
    if integers is not None:
        given["IntegerValues"] = integers
    if locales is not None:
        given["LocaleValues"] = locales
    return given


@pytest.mark.parametrize(
    ("comparator", "values", "have", "passes"),
    [
        ("LessThan", [50], 49, True),
        ("LessThan", [50], 50, False),
        ("LessThanOrEqualTo", [50], 50, True),
        ("LessThanOrEqualTo", [50], 51, False),
        ("GreaterThan", [50], 51, True),
        ("GreaterThan", [50], 50, False),
        ("GreaterThanOrEqualTo", [50], 50, True),
        ("GreaterThanOrEqualTo", [50], 49, False),
        ("EqualTo", [7], 7, True),
        ("EqualTo", [7], 8, False),
        ("NotEqualTo", [7], 8, True),
        ("NotEqualTo", [7], 7, False),
        ("In", [1, 2, 3], 2, True),
        ("In", [1, 2, 3], 4, False),
        ("NotIn", [1, 2, 3], 4, True),
        ("NotIn", [1, 2, 3], 3, False),
        ("Exists", None, 0, True),
        ("DoesNotExist", None, 0, False),
    ],
)
def test_integer_comparators(comparator, values, have, passes):
    assert requirements.meets(requirement(comparator, values), have) is passes


@pytest.mark.parametrize(
    "comparator", ["LessThan", "GreaterThan", "EqualTo", "NotEqualTo", "In", "NotIn", "Exists"]
)
def test_a_worker_without_the_qualification_meets_only_does_not_exist(comparator):
    values = None if comparator == "Exists" else [1]
    assert requirements.meets(requirement(comparator, values), None) is False
    assert requirements.meets(requirement("DoesNotExist"), None) is True


@pytest.mark.parametrize(
    ("comparator", "wanted", "have", "passes"),
    [
        ("EqualTo", [{"Country": "US"}], {"Country": "US", "Subdivision": "WA"}, True),
        ("EqualTo", [{"Country": "US", "Subdivision": "PA"}], {"Country": "US", "Subdivision": "WA"}, False),
        ("EqualTo", [{"Country": "US", "Subdivision": "WA"}], {"Country": "US", "Subdivision": "WA"}, True),
        ("EqualTo", [{"Country": "US", "Subdivision": "WA"}], {"Country": "US"}, False),
        ("NotEqualTo", [{"Country": "US"}], {"Country": "CA"}, True),
        ("NotEqualTo", [{"Country": "US"}], {"Country": "US"}, False),
        ("In", [{"Country": "GB"}, {"Country": "IE"}], {"Country": "IE"}, True),
        ("NotIn", [{"Country": "GB"}, {"Country": "IE"}], {"Country": "IE"}, False),
    ],
)
def test_locale_comparators(comparator, wanted, have, passes):
    given = requirement(comparator, locales=wanted, type_id=system.LOCALE)
    assert requirements.meets(given, have) is passes


class Scores:
    def __init__(self, values):
        self.values = values

    def of(self, type_id):
        return self.values.get(type_id)


@pytest.mark.parametrize(
    ("guard", "expected"),
    [
        ("Accept", (True, True, False)),
        ("PreviewAndAccept", (True, False, False)),
        ("DiscoverPreviewAndAccept", (False, False, False)),
    ],
)
def test_what_each_guard_stops_an_unqualified_worker_doing(guard, expected):
    access = requirements.access([requirement("Exists", ActionsGuarded=guard)], Scores({}))
    assert (access.discover, access.preview, access.accept) == expected


def test_required_to_preview_is_preview_and_accept():
    access = requirements.access([requirement("Exists", RequiredToPreview=True)], Scores({}))
    assert (access.discover, access.preview, access.accept) == (True, False, False)


def test_a_worker_meeting_the_discover_guard_but_not_the_preview_guard_can_only_discover():
    other = "3OTHERTYPE00000000000000000001"
    rules = [
        requirement("Exists", ActionsGuarded="DiscoverPreviewAndAccept"),
        requirement("Exists", type_id=other, ActionsGuarded="PreviewAndAccept"),
    ]
    access = requirements.access(rules, Scores({CUSTOM: 1}))
    assert (access.discover, access.preview, access.accept) == (True, False, False)


def test_a_block_stops_only_the_accept():
    access = requirements.access([], Scores({}), blocked=True)
    assert (access.discover, access.preview, access.accept) == (True, True, False)


@pytest.mark.parametrize(
    "bad",
    [
        requirement("Between", [1]),
        requirement("Exists", [1]),
        requirement("EqualTo", [1, 2]),
        requirement("In", list(range(16))),
        requirement("EqualTo", locales=[{"Country": "US"}]),
        requirement("EqualTo", [1], type_id=system.LOCALE),
        requirement("GreaterThan", locales=[{"Country": "US"}], type_id=system.LOCALE),
        requirement("EqualTo", locales=[{"Country": "XX"}], type_id=system.LOCALE),
        requirement(
            "EqualTo", locales=[{"Country": "US", "Subdivision": "washington"}], type_id=system.LOCALE
        ),
        requirement("Exists", ActionsGuarded="Everything"),
        requirement("Exists", ActionsGuarded="Accept", RequiredToPreview=True),
    ],
    ids=[
        "unknown comparator",
        "values with Exists",
        "two values with EqualTo",
        "16 integers",
        "locale on a custom type",
        "integer on Locale",
        "ordered locale",
        "unknown country",
        "bad subdivision",
        "unknown guard",
        "guard and RequiredToPreview",
    ],
)
def test_bad_requirements_are_refused(bad):
    with pytest.raises(InvalidParameter):
        requirements.check(bad, "QualificationRequirements[0]")


def test_requirements_default_to_guarding_accept():
    assert requirements.check(requirement("Exists"), "r")["ActionsGuarded"] == "Accept"


def worker(**counters):
    return Worker("AWORKER", **counters)


def test_percent_approved_reads_100_until_100_assignments_were_submitted():
    assert system.percent_approved(worker(submitted=99, approved=49, rejected=50)) == 100
    assert system.percent_approved(worker(submitted=100, approved=90, rejected=10)) == 90
    assert system.percent_approved(None) == 100


def test_masters_policy_needs_1000_approved_and_99_percent():
    assert system.is_master(worker(submitted=1000, approved=1000, rejected=0))
    assert not system.is_master(worker(submitted=999, approved=999, rejected=0))
    assert not system.is_master(worker(submitted=1100, approved=1000, rejected=100))
    assert system.value(system.MASTERS_SANDBOX, worker(approved=1000, rejected=10)) == 1
