"""Project files and layouts without AWS: what a project may say, and how a template is filled in."""

import json

import pytest

from openturk.domain import projects, questions
from openturk.domain.errors import InvalidParameter

GOOD = {
    "Title": "t", "Description": "d", "Reward": "0.05", "AssignmentDurationInSeconds": 60,
    "LifetimeInSeconds": 600, "Template": "<p>${a}</p><img src='${b}'/>",
}  # fmt: skip


def test_a_good_project_parses_with_max_assignments_defaulting_to_one():
    properties, template = projects.parse("AREQ", json.dumps(GOOD).encode(), 0)
    assert properties["MaxAssignments"] == 1 and template == GOOD["Template"]
    assert projects.columns(template) == ["a", "b"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"Template": None}, "must be a string"),
        ({"Reward": "free"}, "Reward"),
        ({"LifetimeInSeconds": 5}, "LifetimeInSeconds"),
        ({"MaxAssignments": "3"}, "whole number"),
        ({"Colour": "blue"}, "do not"),
    ],
)
def test_a_bad_project_says_what_is_wrong(change, message):
    with pytest.raises(InvalidParameter, match=message):
        projects.parse("AREQ", json.dumps({**GOOD, **change}).encode(), 0)


def test_values_are_html_escaped_and_the_question_is_a_valid_html_question():
    document = projects.question("<p>${a}</p>]]>", {"a": "<b>&\"'"})
    assert "&lt;b&gt;&amp;&quot;&#x27;" in document
    questions.parse(document)  # the template's own "]]>" does not break the CDATA
