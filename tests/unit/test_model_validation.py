"""Requests are checked against botocore's model: what boto3 leaves to the server is caught here."""

import pytest

from openturk.domain.errors import InvalidParameter
from openturk.edge import model


def test_all_39_operations_are_in_the_model():
    assert len(model.operation_names()) == 39


def test_a_valid_request_passes_and_timestamps_become_epoch_seconds():
    request = model.validate(
        "UpdateExpirationForHIT", {"HITId": "ABC123", "ExpireAt": "2030-01-01T00:00:00Z"}
    )
    assert request["ExpireAt"] == 1893456000.0


@pytest.mark.parametrize(
    ("operation", "body", "complaint"),
    [
        ("GetHIT", {}, "HITId is required"),
        ("GetHIT", {"HITId": "abc"}, "Value abc for parameter HITId is invalid"),
        ("GetHIT", {"HITId": "A" * 65}, "at most 64"),
        ("ListHITs", {"MaxResults": 101}, "Value 101 for parameter MaxResults is invalid"),
        ("ListHITs", {"MaxResults": "10"}, "whole number"),
        ("ListReviewableHITs", {"Status": "Foo"}, "Valid values: Reviewable, Reviewing"),
        (
            "CreateHIT",
            {
                "Title": "t",
                "Description": "d",
                "Reward": "abc",
                "LifetimeInSeconds": 60,
                "AssignmentDurationInSeconds": 60,
            },
            "Reward",
        ),
        (
            "CreateHIT",
            {
                "Title": "t",
                "Description": "d",
                "Reward": "1",
                "LifetimeInSeconds": 60,
                "AssignmentDurationInSeconds": 60,
                "UniqueRequestToken": "x" * 65,
            },
            "UniqueRequestToken",
        ),
        ("UpdateHITReviewStatus", {"HITId": "A", "Revert": "yes"}, "true or false"),
        ("UpdateExpirationForHIT", {"HITId": "A", "ExpireAt": "soon"}, "not a timestamp"),
        (
            "CreateHIT",
            {
                "Title": "t",
                "Description": "d",
                "Reward": "1",
                "LifetimeInSeconds": 60,
                "AssignmentDurationInSeconds": 60,
                "QualificationRequirements": [{"QualificationTypeId": "X", "Comparator": "Bigger"}],
            },
            r"QualificationRequirements\[0\].Comparator",
        ),
        ("GetHIT", [], "must be an object"),
    ],
)
def test_bad_requests_are_refused_naming_the_parameter(operation, body, complaint):
    with pytest.raises(InvalidParameter, match=complaint):
        model.validate(operation, body)
