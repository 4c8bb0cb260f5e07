"""Question documents (QuestionForm, HTMLQuestion, ExternalQuestion): checked on create, kept verbatim."""

import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from openturk.domain.errors import XmlParseError

MAX_BYTES = 65535
_NAMESPACE = re.compile(
    r"^http://mechanicalturk\.amazonaws\.com/AWSMechanicalTurkDataSchemas/(\d{4}-\d{2}-\d{2})/(\w+)\.xsd$"
)
# Root element -> schema versions MTurk accepts for it.
_VERSIONS = {
    "QuestionForm": {"2005-10-01", "2017-11-06"},
    "HTMLQuestion": {"2011-11-11"},
    "ExternalQuestion": {"2006-07-14"},
}


def parse(document: str, allowed: tuple[str, ...] = tuple(_VERSIONS)) -> ET.Element:
    """Parse a question document safely (no DTDs, no entities) and check its root and namespace."""
    if len(document.encode("utf-8")) > MAX_BYTES:
        raise XmlParseError(f"The Question is {len(document.encode())} bytes; the limit is {MAX_BYTES}.")
    try:
        root = SafeET.fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise XmlParseError(
            f"The Question data structure may not declare a DTD or entities ({error})."
        ) from None
    except ET.ParseError as error:
        raise XmlParseError(f"The Question data structure is not well-formed XML: {error}.") from None
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if name not in allowed:
        raise XmlParseError(
            f"The root element of the Question must be one of {', '.join(allowed)}, not {name}."
        )
    match = _NAMESPACE.match(namespace)
    if not match or match.group(2) != name or match.group(1) not in _VERSIONS[name]:
        raise XmlParseError(
            f"The {name} element is not in a {name} schema namespace that MTurk accepts "
            f"(for example http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/"
            f"{max(_VERSIONS[name])}/{name}.xsd)."
        )
    _check[name](root, "{" + namespace + "}")
    return root


def _text(root: ET.Element, ns: str, child: str) -> str:
    element = root.find(ns + child)
    text = (element.text or "").strip() if element is not None else ""
    if not text:
        raise XmlParseError(f"{root.tag.split('}')[-1]} requires a non-empty {child} element.")
    return text


def _frame_height(root: ET.Element, ns: str) -> None:
    value = _text(root, ns, "FrameHeight")
    # isdigit() alone also takes other scripts' digits ("٤٠٠"); the schema's xs:integer does not.
    if not (value.isascii() and value.isdigit()):
        raise XmlParseError(f"FrameHeight must be a whole number of pixels, not {value!r}.")


def _external(root: ET.Element, ns: str) -> None:
    url = _text(root, ns, "ExternalURL")
    if not url.lower().startswith("https://"):
        raise XmlParseError(f"The ExternalURL must use HTTPS: {url}")
    _frame_height(root, ns)


def _html(root: ET.Element, ns: str) -> None:
    _text(root, ns, "HTMLContent")
    _frame_height(root, ns)


def _form(root: ET.Element, ns: str) -> None:
    questions = root.findall(ns + "Question")
    if not questions:
        raise XmlParseError("A QuestionForm must contain at least one Question.")
    seen: set[str] = set()
    for question in questions:
        identifier = _text(question, ns, "QuestionIdentifier")
        if identifier in seen:
            raise XmlParseError(f"QuestionIdentifier {identifier!r} is used twice in the QuestionForm.")
        seen.add(identifier)
        if question.find(ns + "AnswerSpecification") is None:
            raise XmlParseError(f"Question {identifier!r} has no AnswerSpecification.")


_check = {"ExternalQuestion": _external, "HTMLQuestion": _html, "QuestionForm": _form}
