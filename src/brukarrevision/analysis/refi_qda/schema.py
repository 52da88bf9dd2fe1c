"""REFI-QDA XML read safely and checked against the standard's schemas, which are kept beside
this module (nothing is ever fetched from the network). A document type, entities, or anything
the schema does not allow is refused with a message for the person who uploaded the file."""

import uuid
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

CODEBOOK = "urn:QDA-XML:codebook:1.0"
PROJECT = "urn:QDA-XML:project:1.0"
SCHEMAS = {CODEBOOK: "Codebook.xsd", PROJECT: "Project.xsd"}
ORIGIN = "Brukarrevision"

# Lists that some programs write empty though the schema wants at least one member, and
# attributes they write empty though the schema wants a value; both mean "none".
EMPTY_LISTS = ("Sets", "Users", "Sources", "Notes", "Links", "Graphs", "Variables", "Cases")
OPTIONAL_ATTRIBUTES = (
    "color", "creatingUser", "modifyingUser", "creationDateTime", "modifiedDateTime",
)  # fmt: skip
SHOWN_PROBLEMS = 5


class Refused(Exception):
    """A file that cannot be imported; `problems` say why, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


@cache
def schema(namespace: str) -> etree.XMLSchema:
    path = Path(__file__).with_name(SCHEMAS[namespace])
    return etree.XMLSchema(etree.parse(str(path)))


def problems(root, namespace: str) -> list[str]:
    """What keeps `root` from following the schema; empty when it follows it."""
    checker = schema(namespace)
    if checker.validate(root):
        return []
    return [
        _("Line %(line)s: %(message)s") % {"line": error.line, "message": error.message}
        for error in list(checker.error_log)[:SHOWN_PROBLEMS]
    ]


def parse(data: bytes, namespace: str, root_name: str):
    """The root element of a REFI-QDA document that follows the schema, or Refused."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise Refused([_("The file is not readable XML: %(e)s") % {"e": error}]) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise Refused([_("The file declares a document type, which REFI-QDA files never do.")])
    root = tree.getroot()
    if root.tag != tag(namespace, root_name):
        if namespace == CODEBOOK:
            raise Refused([_("The file is not a REFI-QDA codebook (.qdc).")])
        raise Refused([_("The file is not a REFI-QDA project (.qde in a .qdpx).")])
    _tidy(root, namespace)
    found = problems(root, namespace)
    if found:
        raise Refused([_("The file does not follow the REFI-QDA schema."), *found])
    return root


def _tidy(root, namespace: str) -> None:
    empty = [
        element
        for name in EMPTY_LISTS
        for element in root.iter(tag(namespace, name))
        if len(element) == 0
    ]
    for element in empty:
        element.getparent().remove(element)
    for element in root.iter():
        for name in OPTIONAL_ATTRIBUTES:
            if element.get(name) is not None and not element.get(name).strip():
                del element.attrib[name]


def guid(value: str | None) -> uuid.UUID | None:
    """A GUID as REFI-QDA writes it (any case, perhaps in braces), or None."""
    try:
        return uuid.UUID((value or "").strip().strip("{}"))
    except ValueError:
        return None


def to_bytes(root) -> bytes:
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
