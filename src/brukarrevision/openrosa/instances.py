"""Reading a submitted XForm instance: its form, version, instance id and values by element
name. Parsed with defusedxml (no DTDs, no entities)."""

from dataclasses import dataclass, field

from defusedxml import ElementTree


class NotAnInstance(Exception):
    """The file is not an XForm instance this server can read."""


@dataclass
class Instance:
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    values: dict = field(default_factory=dict)  # element name -> text, leaves only


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(data: bytes) -> Instance:
    try:
        root = ElementTree.fromstring(data)
    except Exception:  # ParseError and defusedxml's refusals of DTDs and entities
        raise NotAnInstance("not XML") from None
    form_id = root.get("id") or ""
    meta = {}
    values: dict[str, str] = {}
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        if element is root or len(element):
            continue
        name = _local(element.tag)
        if "meta" in _groups(root, element, parents):
            meta[name] = (element.text or "").strip()
            continue
        values[name] = element.text or ""
    instance_id = meta.get("instanceID", "")
    if not form_id or not instance_id:
        raise NotAnInstance("no form id or instance id")
    return Instance(
        form_id=form_id,
        version=root.get("version") or "",
        instance_id=instance_id,
        deprecated_id=meta.get("deprecatedID", ""),
        values=values,
    )


def _groups(root, target, parents: dict) -> list[str]:
    """The local names of the groups between the root and `target`."""
    names = []
    node = parents.get(target)
    while node is not None and node is not root:
        names.append(_local(node.tag))
        node = parents.get(node)
    return names
