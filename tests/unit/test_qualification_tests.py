"""AnswerKey scoring and QualificationValueMapping, as MTurk's AnswerKey schema defines them."""

import pytest

from openturk.domain import qualification_tests
from openturk.domain.errors import XmlParseError

NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd"
QUESTIONS = (
    "<Question><QuestionIdentifier>nextmove</QuestionIdentifier>"
    "<AnswerOption><SelectionIdentifier>D</SelectionIdentifier><AnswerScore>5</AnswerScore></AnswerOption>"
    "<AnswerOption><SelectionIdentifier>C</SelectionIdentifier><AnswerScore>2</AnswerScore></AnswerOption>"
    "<DefaultScore>1</DefaultScore></Question>"
    "<Question><QuestionIdentifier>fruit</QuestionIdentifier>"
    "<AnswerOption><SelectionIdentifier>apples</SelectionIdentifier>"
    "<SelectionIdentifier>pears</SelectionIdentifier><AnswerScore>10</AnswerScore></AnswerOption></Question>"
)


def key(mapping: str = "") -> str:
    return f'<AnswerKey xmlns="{NS}">{QUESTIONS}{mapping}</AnswerKey>'


def test_without_a_mapping_the_value_is_the_summed_score():
    assert qualification_tests.score(key(), {"nextmove": "D", "fruit": ["pears", "apples"]}) == 15


def test_an_option_needs_exactly_its_selections_and_otherwise_the_default_score_counts():
    assert qualification_tests.score(key(), {"nextmove": "A", "fruit": ["apples"]}) == 1
    assert qualification_tests.score(key(), {}) == 1


def test_percentage_mapping_rounds_to_the_nearest_integer():
    mapping = (
        "<QualificationValueMapping><PercentageMapping><MaximumSummedScore>15</MaximumSummedScore>"
        "</PercentageMapping></QualificationValueMapping>"
    )
    assert qualification_tests.score(key(mapping), {"nextmove": "D", "fruit": ["apples", "pears"]}) == 100
    assert qualification_tests.score(key(mapping), {"nextmove": "C"}) == 13  # 2/15 = 13.3 %
    assert qualification_tests.score(key(mapping), {"nextmove": "X", "fruit": ["apples"]}) == 7  # 6.67 %


def test_scale_mapping_multiplies_by_a_decimal():
    mapping = (
        "<QualificationValueMapping><ScaleMapping><SummedScoreMultiplier>2.5</SummedScoreMultiplier>"
        "</ScaleMapping></QualificationValueMapping>"
    )
    assert qualification_tests.score(key(mapping), {"nextmove": "C"}) == 5


@pytest.mark.parametrize(("answers", "value"), [({"nextmove": "D"}, 50), ({"nextmove": "C"}, 0)])
def test_range_mapping_picks_the_range_of_the_sum_or_the_out_of_range_value(answers, value):
    mapping = (
        "<QualificationValueMapping><RangeMapping><SummedScoreRange><InclusiveLowerBound>5</InclusiveLowerBound>"
        "<InclusiveUpperBound>9</InclusiveUpperBound><QualificationValue>50</QualificationValue>"
        "</SummedScoreRange><OutOfRangeQualificationValue>0</OutOfRangeQualificationValue></RangeMapping>"
        "</QualificationValueMapping>"
    )
    assert qualification_tests.score(key(mapping), answers) == value


@pytest.mark.parametrize(
    "document",
    [
        "<AnswerKey>",
        '<Other xmlns="' + NS + '"/>',
        key("<QualificationValueMapping/>"),
        f'<AnswerKey xmlns="{NS}"><Question><QuestionIdentifier>q</QuestionIdentifier><AnswerOption>'
        "<SelectionIdentifier>a</SelectionIdentifier><AnswerScore>lots</AnswerScore></AnswerOption></Question>"
        "</AnswerKey>",
    ],
    ids=["not well-formed", "wrong root", "empty mapping", "score not a number"],
)
def test_bad_answer_keys_are_refused(document):
    with pytest.raises(XmlParseError):
        qualification_tests.parse(document)
