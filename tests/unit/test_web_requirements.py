"""How the HIT page words a HIT's requirements for a worker (system types: no table is read)."""

from openturk.domain.requirements import WorkerScores
from openturk.web.requirements import described


def test_requirements_read_as_a_worker_reads_them():
    needed = described(
        [
            {
                "QualificationTypeId": "00000000000000000071",
                "Comparator": "In",
                "LocaleValues": [{"Country": "US", "Subdivision": "WA"}, {"Country": "CA"}],
                "ActionsGuarded": "DiscoverPreviewAndAccept",
            },
            {
                "QualificationTypeId": "00000000000000000040",
                "Comparator": "GreaterThanOrEqualTo",
                "IntegerValues": [0],
            },
            {
                "QualificationTypeId": "000000000000000000L0",
                "Comparator": "LessThan",
                "IntegerValues": [50],
                "RequiredToPreview": True,
            },
        ],
        WorkerScores(None, []),
    )

    assert [(r["Name"], r["Wants"], r["Guards"], r["Met"]) for r in needed] == [
        ("Location", "one of US-WA, CA", "to find, preview and accept", False),
        ("Number of HITs approved", "at least 0", "to accept", True),
        ("Percent assignments approved", "less than 50", "to preview and accept", False),
    ]
    assert not any(r["Requestable"] for r in needed)
