"""A cell cut into the pieces the grammar of :mod:`loaders.agencies` reads.

Parenthetical remarks and qualifiers of scope ("theo chức năng, nhiệm vụ được giao") are
taken out as notes with where they stood; what is left is cut into tokens at commas,
semicolons, line breaks, colons and a "và" that starts a second body.

>>> _parentheticals("Bộ Công an (Trung tâm Dữ liệu quốc gia), Bộ Y tế")[0]
'Bộ Công an, Bộ Y tế'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model.gazetteer import Gazetteer
from kg.model.text import clean, name_key
from loaders.agency_words import _starts_second_body

# ---------------------------------------------------------------------------------------------
# Parentheticals


@dataclass(frozen=True, slots=True)
class _Paren:
    at: int  # position in the text without parentheticals
    content: str
    enclosed: bool = True  # printed in parentheses (a qualifier of scope is not)

    def printed(self) -> str:
        """The remark as the cell prints it after its body."""
        return f"({self.content})" if self.enclosed else self.content


# A qualifier of scope after a body is a note on it, like a parenthetical: "các sở, ngành theo
# chức năng, nhiệm vụ được giao", "… trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan …".
_SCOPE = re.compile(
    r"\s(?:theo|trong phạm vi|thuộc phạm vi|trong lĩnh vực) (?:chức năng|nhiệm vụ|thẩm quyền|lĩnh vực|phạm vi|quy định)"
    r".*?(?=\s+và\s+(?:các|những)\s|;|$)"
)


def _scope_notes(text: str) -> tuple[str, list[_Paren]]:
    """*text* without its qualifiers of scope, and the qualifiers with where they stood."""
    notes: list[_Paren] = []
    key = name_key(text)
    out, last = [], 0
    for m in _SCOPE.finditer(key):
        out.append(text[last : m.start()])
        notes.append(_Paren(len("".join(out)), clean(text[m.start() : m.end()]), enclosed=False))
        last = m.end()
    out.append(text[last:])
    return "".join(out), notes


_SPACE_BEFORE_STOP = re.compile(r"\s+([,;:.])")


def _first_group(m: re.Match[str]) -> str:
    """The replacement r"\1" as a function: a template string is parsed again on every call."""
    return m.group(1)


def _parentheticals(text: str) -> tuple[str, list[_Paren]]:
    """*text* without its parenthetical remarks, and the remarks with where they stood.

    An unclosed "(" runs to the end of the text; a stray ")" is dropped.

    >>> _parentheticals("Bộ Công an (Trung tâm Dữ liệu quốc gia), Bộ Y tế")
    ('Bộ Công an, Bộ Y tế', [_Paren(at=10, content='Trung tâm Dữ liệu quốc gia', enclosed=True)])
    """
    if "(" not in text and ")" not in text:  # most cells: nothing to take out, no walk letter by letter
        return _SPACE_BEFORE_STOP.sub(_first_group, clean(text)), []
    out: list[str] = []
    parens: list[_Paren] = []
    depth, buf, at = 0, [], 0
    for ch in text:
        if ch == "(":
            if depth == 0:
                buf, at = [], len("".join(out).rstrip())
            else:
                buf.append(ch)
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                parens.append(_Paren(at, clean("".join(buf))))
            else:
                buf.append(ch)
        elif ch == ")":
            continue
        elif depth:
            buf.append(ch)
        else:
            out.append(ch)
    if depth:
        parens.append(_Paren(at, clean("".join(buf))))
    plain = _SPACE_BEFORE_STOP.sub(_first_group, clean("".join(out)))
    # Positions were taken before the spaces around a removed remark were closed up.
    fixed = [_Paren(min(p.at, len(plain)), p.content) for p in parens]
    return plain, fixed


# ---------------------------------------------------------------------------------------------
# Tokens: the pieces between separators, with the separator before each


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    sep: str  # "" at the start, else ",", ";", ":", "và"


_AND = re.compile(r"(?<=\S) và (?=\S)")
_SEPARATORS = re.compile(r"[,;\n:•]")


def _tokens(text: str, gazetteer: Gazetteer) -> list[_Token]:
    """Cut *text* at commas, semicolons, line breaks, colons and a "và" that starts a body."""
    protected = [(m.start, m.end) for m in gazetteer.find(text)]

    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in protected)

    cuts: list[tuple[int, int, str]] = []  # (position, length, separator)
    for m in _SEPARATORS.finditer(text):
        i, ch = m.start(), m.group(0)
        if not inside(i):
            cuts.append((i, 1, {"\n": ";", "•": ";"}.get(ch, ch)))
    key = name_key(text)
    for m in _AND.finditer(key):
        if not inside(m.start() + 1) and _starts_second_body(text[m.end() :], gazetteer):
            cuts.append((m.start(), m.end() - m.start(), "và"))
    cuts.sort()
    out, start, sep = [], 0, ""
    for pos, length, s in cuts:
        if pos < start:
            continue
        out.append(_Token(start, pos, sep))
        start, sep = pos + length, s
    out.append(_Token(start, len(text), sep))
    return out
