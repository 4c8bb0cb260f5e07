"""Qualification tests: the AnswerKey that scores a worker's answers, as MTurk's AnswerKey schema defines it.

Per Question, the first AnswerOption whose SelectionIdentifiers are exactly the worker's selections (all of
them, and no others) adds its AnswerScore; otherwise the question's DefaultScore (0 when absent). The sum
becomes the qualification value through the QualificationValueMapping: PercentageMapping (sum divided by
MaximumSummedScore, times 100, rounded to the nearest integer), ScaleMapping (sum times
SummedScoreMultiplier, a decimal), RangeMapping (the QualificationValue of the SummedScoreRange holding the
sum, else OutOfRangeQualificationValue), or, without a mapping, the sum itself.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from openturk.domain.errors import XmlParseError

MAX_DOCUMENT_BYTES = 65535
_NAMESPACE = re.compile(
    r"^http://mechanicalturk\.amazonaws\.com/AWSMechanicalTurkDataSchemas/\d{4}-\d{2}-\d{2}/AnswerKey\.xsd$"
)

Answers = dict[str, str | list[str]]


@dataclass
class _Question:
    options: list[tuple[frozenset[str], Decimal]] = field(default_factory=list)
    default: Decimal = Decimal(0)


@dataclass
class AnswerKey:
    questions: dict[str, _Question]
    mapping: str | None  # "Percentage", "Scale", "Range" or None
    maximum: Decimal = Decimal(1)
    multiplier: Decimal = Decimal(1)
    ranges: list[tuple[Decimal, Decimal, int]] = field(default_factory=list)
    out_of_range: int = 0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element, name: str) -> str:
    # Not `_child(...) or default`: an element without children is falsy.
    found = _child(element, name)
    return (found.text or "").strip() if found is not None else ""


def _number(element: ET.Element | None, what: str, required: bool = True) -> Decimal:
    if element is None:
        if required:
            raise XmlParseError(f"The AnswerKey needs a {what} element.")
        return Decimal(0)
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        raise XmlParseError(f"{what} in the AnswerKey must be a number, not {element.text!r}.") from None
    if not value.is_finite():
        raise XmlParseError(f"{what} in the AnswerKey must be a finite number.")
    return value


def parse(document: str) -> AnswerKey:
    """Check and read an AnswerKey: well-formed, in the AnswerKey namespace, numbers where numbers go."""
    if len(document.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise XmlParseError(f"The AnswerKey is longer than {MAX_DOCUMENT_BYTES} bytes.")
    try:
        root = SafeET.fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise XmlParseError(f"The AnswerKey may not declare a DTD or entities ({error}).") from None
    except ET.ParseError as error:
        raise XmlParseError(f"The AnswerKey data structure is not well-formed XML: {error}.") from None
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "AnswerKey" or not _NAMESPACE.match(namespace):
        raise XmlParseError(
            "The root element of the AnswerKey must be AnswerKey in the namespace "
            "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd."
        )
    key = AnswerKey(questions={}, mapping=None)
    for element in root:
        if _local(element.tag) == "Question":
            identifier = _text(element, "QuestionIdentifier")
            if not identifier:
                raise XmlParseError("Every Question of the AnswerKey needs a QuestionIdentifier.")
            question = key.questions.setdefault(identifier, _Question())
            for option in element:
                if _local(option.tag) == "AnswerOption":
                    selections = frozenset(
                        (s.text or "").strip() for s in option if _local(s.tag) == "SelectionIdentifier"
                    )
                    score = _number(_child(option, "AnswerScore"), "AnswerScore")
                    question.options.append((selections, score))
            question.default = _number(_child(element, "DefaultScore"), "DefaultScore", required=False)
        elif _local(element.tag) == "QualificationValueMapping":
            _read_mapping(element, key)
    return key


def _read_mapping(element: ET.Element, key: AnswerKey) -> None:
    percentage, scale, ranges = (
        _child(element, n) for n in ("PercentageMapping", "ScaleMapping", "RangeMapping")
    )
    if percentage is not None:
        key.mapping = "Percentage"
        key.maximum = _number(_child(percentage, "MaximumSummedScore"), "MaximumSummedScore")
        if key.maximum <= 0:
            raise XmlParseError("MaximumSummedScore must be more than 0.")
    elif scale is not None:
        key.mapping = "Scale"
        key.multiplier = _number(_child(scale, "SummedScoreMultiplier"), "SummedScoreMultiplier")
    elif ranges is not None:
        key.mapping = "Range"
        for summed in ranges:
            if _local(summed.tag) == "SummedScoreRange":
                low = _number(_child(summed, "InclusiveLowerBound"), "InclusiveLowerBound")
                high = _number(_child(summed, "InclusiveUpperBound"), "InclusiveUpperBound")
                value = _number(_child(summed, "QualificationValue"), "QualificationValue")
                key.ranges.append((low, high, int(value)))
        key.out_of_range = int(
            _number(_child(ranges, "OutOfRangeQualificationValue"), "OutOfRangeQualificationValue")
        )
    else:
        raise XmlParseError(
            "A QualificationValueMapping holds a PercentageMapping, a ScaleMapping or a RangeMapping."
        )


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def summed_score(key: AnswerKey, answers: Answers) -> Decimal:
    total = Decimal(0)
    for identifier, question in key.questions.items():
        given = answers.get(identifier, [])
        chosen = frozenset(v.strip() for v in (given if isinstance(given, list) else [given]))
        total += next(
            (score for selections, score in question.options if selections == chosen), question.default
        )
    return total


def score(document: str, answers: Answers) -> int:
    """The qualification value a worker's answers earn under this AnswerKey."""
    key = parse(document)
    total = summed_score(key, answers)
    if key.mapping == "Percentage":
        return _round(total * 100 / key.maximum)
    if key.mapping == "Scale":
        return _round(total * key.multiplier)
    if key.mapping == "Range":
        return next((value for low, high, value in key.ranges if low <= total <= high), key.out_of_range)
    return _round(total)


def question_identifiers(test: str) -> set[str]:
    """The QuestionIdentifiers of a (checked) QuestionForm test."""
    root = SafeET.fromstring(test, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return {_text(q, "QuestionIdentifier") for q in root if _local(q.tag) == "Question"}
