"""The items of a plan's text, as :mod:`loaders.prose` reads them: the outline of the body
(:mod:`loaders.body`) with each node's paragraphs and number path, and what one paragraph
is: a labelled field ("Cơ quan chủ trì: …", "Thời gian thực hiện: …") or a title.

"+ …" bullets after a "- …" bullet are its sub-items; a bullet's number is its place among
its siblings ("IV.1.3.1.2" is the 2nd sub-item of the 1st bullet).

>>> _field("Cơ quan chủ trì: Sở Tài chính")
('lead', 'Sở Tài chính')
>>> _field("Thời gian thực hiện: Năm 2025")
('time', 'Năm 2025')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model.text import clean, name_key
from loaders.body import _BULLET, _Node

# A labelled field: "Cơ quan chủ trì: …", "Đơn vị phối hợp: …", "Thời gian thực hiện: …", "Nhiệm vụ: …".
_FIELD = re.compile(
    r"^(?:(?:các\s+)?(?:cơ quan|đơn vị|cơ quan,? đơn vị|cơ quan/đơn vị|đơn vị/cơ quan)\s+"
    r"(?P<role>chủ trì|phối hợp|thực hiện|chịu trách nhiệm|đầu mối)(?:\s*\(?thực hiện\)?|\s+chính)?"
    r"|(?P<time>thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành))?"
    r"|(?P<what>nhiệm vụ|nội dung)(?:\s+(?:thực hiện|công việc|nhiệm vụ))?)"
    r"\s*:\s*"
)
_FIELD_ROLE = {"chủ trì": "lead", "thực hiện": "exec", "chịu trách nhiệm": "exec", "đầu mối": "lead"}


@dataclass(frozen=True, slots=True)
class _Para:
    text: str
    lines: tuple[int, ...]


@dataclass
class _Item:
    """A node of the body tree with its paragraphs (head first) and its number path."""

    node: _Node
    number: str
    paras: list[_Para]
    marker: str  # the raw marker of its first line ("-", "+", "a)", "1." …)
    children: list[_Item] = field(default_factory=list)

    @property
    def head(self) -> str:
        return self.node.head

    @property
    def body(self) -> list[_Para]:
        return self.paras[1:]

    def all_lines(self) -> list[int]:
        out = [n for p in self.paras for n in p.lines]
        for c in self.children:
            out.extend(c.all_lines())
        return sorted(set(out))


def _item(
    node: _Node, path: tuple[str, ...], by_first: dict[int, _Para], lines: Sequence[str], index: int
) -> _Item:
    """Wrap a body node: split its lines back into paragraphs, give it its number path."""
    paras: list[_Para] = []
    i = 0
    while i < len(node.lines):
        para = by_first.get(node.lines[i])
        if para is None:  # a paragraph joined to the one before it (a sentence cut by a page break)
            paras[-1] = _Para(paras[-1].text, (*paras[-1].lines, node.lines[i])) if paras else paras
            i += 1
            continue
        paras.append(para)
        i += len(para.lines)
    # The node's head is the paragraph text without its marker.
    if paras:
        paras[0] = _Para(node.head, paras[0].lines)
    if node.level == _BULLET:
        label = str(index)
    else:
        label = node.label
    if path and "." in label and label.startswith(path[-1] + "."):
        number = (*path[:-1], label)
    else:
        number = (*path, label)
    raw = lines[node.lines[0] - 1].strip().lstrip("*_ ") if node.lines else ""
    marker = raw[:1] if node.level == _BULLET else label
    item = _Item(node, ".".join(number), paras, marker)
    bullets = 0
    for child in node.children:
        if child.level == _BULLET:
            bullets += 1
        item.children.append(_item(child, number, by_first, lines, bullets))
    _nest_plus(item)
    return item


def _nest_plus(item: _Item) -> None:
    """ "+ …" bullets after a "- …" bullet are its sub-items (the parser puts them side by side)."""
    kept: list[_Item] = []
    for child in item.children:
        if (
            child.node.level == _BULLET
            and child.marker == "+"
            and kept
            and kept[-1].node.level == _BULLET
            and kept[-1].marker != "+"
        ):
            parent = kept[-1]
            child.number = f"{parent.number}.{len(parent.children) + 1}"
            parent.children.append(child)
            continue
        kept.append(child)
    # Renumber the remaining bullets in order.
    n = 0
    for child in kept:
        if child.node.level == _BULLET:
            n += 1
            base = child.number.rsplit(".", 1)[0]
            old = child.number
            child.number = f"{base}.{n}"
            if old != child.number:
                for sub in child.children:
                    sub.number = child.number + sub.number[len(old) :]
    item.children = kept


def _walk(item: _Item):
    yield item
    for c in item.children:
        yield from _walk(c)


def _field(text: str) -> tuple[str, str] | None:
    """("lead" | "coord" | "exec" | "time" | "what", value) for a labelled paragraph, else None."""
    text = clean(text)
    m = _FIELD.match(name_key(text))
    if not m:
        return None
    value = text[m.end() :].strip()
    if m.group("role"):
        return ("coord" if m.group("role") == "phối hợp" else _FIELD_ROLE[m.group("role")]), value
    return ("time" if m.group("time") else "what"), value


def _is_time(text: str) -> bool:
    f = _field(text)
    return f is not None and f[0] == "time"


def _is_title(text: str) -> bool:
    """A heading, not a sentence: it does not end with a stop."""
    return not clean(text).rstrip("*_ ").endswith((".", ";"))


def _child_lines(item: _Item) -> list[int]:
    return [n for c in item.children for n in c.all_lines()]
