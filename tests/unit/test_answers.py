"""The Answer XML has MTurk's shape: ASCII, the 2005-10-01 namespace, one Answer per value."""

import xml.etree.ElementTree as ET

from openturk.domain.answers import NAMESPACE, question_form_answers

NS = "{" + NAMESPACE + "}"


def parsed(answers):
    text = question_form_answers(answers)
    assert text.startswith('<?xml version="1.0" encoding="ASCII"?>')
    text.encode("ascii")  # nothing outside ASCII travels raw
    return ET.fromstring(text)


def test_each_field_becomes_a_free_text_answer():
    root = parsed({"comment": "a cat", "score": "4"})
    assert root.tag == NS + "QuestionFormAnswers"
    pairs = [(a.findtext(NS + "QuestionIdentifier"), a.findtext(NS + "FreeText")) for a in root]
    assert pairs == [("comment", "a cat"), ("score", "4")]


def test_special_and_non_ascii_characters_survive_the_round_trip():
    root = parsed({"text": '<b>&"naïve" 日本</b>'})
    assert root.find(f"{NS}Answer/{NS}FreeText").text == '<b>&"naïve" 日本</b>'


def test_repeated_fields_become_one_answer_per_value_in_order():
    root = parsed({"tag": ["red", "green"]})
    assert [a.findtext(NS + "FreeText") for a in root] == ["red", "green"]


def test_reserved_names_are_not_answers():
    root = parsed({"assignmentId": "X", "hitId": "Y", "workerId": "Z", "turkSubmitTo": "W", "q": "1"})
    assert [a.findtext(NS + "QuestionIdentifier") for a in root] == ["q"]
