"""Question XML is checked on create: well-formed, the right root and namespace, no entity tricks."""

import pytest

from openturk.domain import questions
from openturk.domain.errors import XmlParseError
from tests.support import EXTERNAL_QUESTION, HTML_QUESTION, QUESTION_FORM


@pytest.mark.parametrize("document", [HTML_QUESTION, EXTERNAL_QUESTION, QUESTION_FORM])
def test_the_three_question_formats_are_accepted(document):
    questions.parse(document)


def test_the_2005_questionform_namespace_is_accepted():
    questions.parse(QUESTION_FORM.replace("2017-11-06", "2005-10-01"))


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ("<HTMLQuestion>", "not well-formed"),
        (
            '<Foo xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"/>',
            "root element",
        ),
        (HTML_QUESTION.replace("2011-11-11/HTMLQuestion", "2011-11-11/ExternalQuestion"), "namespace"),
        (
            HTML_QUESTION.replace(
                'xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"',
                "",
            ),
            "namespace",
        ),
        (EXTERNAL_QUESTION.replace("https://", "http://"), "HTTPS"),
        (EXTERNAL_QUESTION.replace("<FrameHeight>400</FrameHeight>", ""), "FrameHeight"),
        (
            HTML_QUESTION.replace("<FrameHeight>0</FrameHeight>", "<FrameHeight>tall</FrameHeight>"),
            "FrameHeight",
        ),
        (
            QUESTION_FORM.replace("<Question>", "<Overview><Text>x</Text></Overview><Foo>").replace(
                "</Question>", "</Foo>"
            ),
            "at least one Question",
        ),
    ],
)
def test_bad_questions_are_refused_with_a_reason(document, complaint):
    with pytest.raises(XmlParseError, match=complaint):
        questions.parse(document)


def test_entity_expansion_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
        "<HTMLContent>&lol2;</HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>"
    )
    with pytest.raises(XmlParseError, match="DTD"):
        questions.parse(laughs)


def test_external_entities_are_refused():
    external = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
        "<HTMLContent>&secret;</HTMLContent><FrameHeight>0</FrameHeight></HTMLQuestion>"
    )
    with pytest.raises(XmlParseError):
        questions.parse(external)


def test_a_question_over_64_kb_is_refused():
    big = HTML_QUESTION.replace("<textarea", "<textarea data-x='" + "x" * 65536 + "'")
    with pytest.raises(XmlParseError, match="65535"):
        questions.parse(big)
