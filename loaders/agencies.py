"""Read a lead or coordinating cell into the agencies it names, by grammar, not by commas.

Rules, each one a reader of any plan would state:

* Commas, semicolons and line breaks separate agencies, except inside a name
  the gazetteer knows ("Đảng ủy Khối các Trường Đại học, Cao đẳng Hà Nội",
  "Sở Văn hóa, Thể thao và Du lịch").
* "và" joins two bodies only when what follows starts a body by itself (a
  known name, a head word such as Sở, Bộ, UBND, or a class "các …"):
  "Sở Tư pháp và Sở Nội vụ" is two, "Sở Nông nghiệp và Môi trường" is one, and
  so is "Cục Tiền lương và Bảo hiểm xã hội" (a field of work, not a known body).
* A shared head noun is distributed: "Sở Tài chính, Nội vụ" is two Sở;
  "các Sở: Xây dựng, Công Thương" two Sở; "Ban Chỉ huy Phòng thủ dân sự cấp
  tỉnh, cấp xã" two boards.  A remainder is taken with the head where head +
  remainder is a known name (longest first, so "Văn hóa, Thể thao và Du lịch"
  stays one), else where it is a capitalised name.
  A field that is no body by itself takes the head where head + field is a known body
  ("Bộ Y tế, Công an, Quốc phòng": three ministries, not a police force).
* Two known bodies printed with no separator are two ("Sở Tư pháp Sở Xây dựng tỉnh
  An Giang"): a name no body of its own that cuts, at the starts of known names, into
  pieces each known whole (a place after a local body included).
* A plural phrase lists *kinds* of bodies, not bodies: "Các Sở, ngành, đơn vị
  liên quan", "UBND xã, phường, đặc khu", "Bộ, cơ quan ngang bộ, cơ quan thuộc
  Chính phủ", "cơ quan, địa phương liên quan" are each one collective.  A body named by
  itself is no more kinds, whatever its case ("Công an tỉnh, sở Tài chính tỉnh Nghệ An":
  two), and a kind word in capitals after a head names one body ("Văn phòng Bộ").
* A place after a local body resolves the body in that place: "UBND thành phố
  Hà Nội, Thành phố Hồ Chí Minh" is the People's Committee of each city.
* A parenthetical is a note on its body, never a body: "(chủ trì phần đầu tư …)"
  and "Bộ Công an (Trung tâm Dữ liệu quốc gia)" name one agency each; a
  parenthetical "(gồm các Sở: …)" after a class lists its members.
* A class before a colon stands for the names after it: "Các Bộ, ngành: Tài
  chính, Tư pháp" is two Bộ, "Các đơn vị: Trung tâm A, Trung tâm B" two centres.
* A qualifier of scope ("theo chức năng, nhiệm vụ …", "trong phạm vi …") is a note.
* Role words are dropped: a trailing "chủ trì" marks a lead agency, "chỉ đạo" a
  directing one, "phối hợp" a coordinating one, for every body of its clause
  ("Bộ Quốc phòng, Bộ Ngoại giao phối hợp", "Sở Tài chính, Nội vụ chủ trì"), an
  abbreviation's too ("…, TAND tỉnh chủ trì"); "phối hợp với …" makes the bodies
  after it coordinating; "thực hiện", "tham mưu", "hướng dẫn, tổng hợp" … say what
  the body does.  None of them is in an assignment's ``text``: the words naming the
  body, with a parenthetical or a qualifier of scope printed on it.
* A person stands for the body named after the title ("Giám đốc Sở Y tế").
* A fragment is never an agency: a text becomes an agency only if the gazetteer
  knows it or it has the shape of an organisation (a head word at its start, or a
  class "các …"); anything else ("đặc khu", "Báo chí", "cơ sở dữ liệu") is
  reported through ``fragment`` and gives no assignment.
* A name the gazetteer does not know but shaped like a body is kept, marked unrecognised.

This module holds the grammar of a cell (:func:`split_cell`); the words it reads with are in
:mod:`loaders.agency_words`, the cutting of a cell into remarks and tokens in
:mod:`loaders.agency_pieces`, and the resolution of one name in :mod:`loaders.agency_names`.

>>> from kg.model.gazetteer import Gazetteer
>>> cell = "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội, Trường Đào tạo Cán bộ Lê Hồng Phong, các Sở, ngành, đơn vị liên quan"
>>> [a.agency.name for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.COORDINATING)]
['Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội', 'Trường Đào tạo Cán bộ Lê Hồng Phong', 'Các Sở, ngành, đơn vị liên quan']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from kg.model import Agency, Assignment, Role
from kg.model.gazetteer import Gazetteer
from kg.model.places import only_place
from kg.model.text import clean, name_key, strip_markup
from loaders.agency_names import _known_run, _resolve, unknown_message
from loaders.agency_pieces import _Paren, _parentheticals, _scope_notes, _Token, _tokens
from loaders.agency_words import (
    _APPOSITION,
    _GENERIC_ONLY,
    _GENERIC_START,
    _KIND_HEADS,
    _LEADING,
    _LEVEL_ONLY,
    _PREDICATE_IN,
    _ROLE_OF,
    _SHARED,
    _VERB_IN,
    _VERB_START,
    _WITH,
    _heads_named,
    _open,
    _starts_body,
    is_organisation,
)

__all__ = ["split_cell"]


# ---------------------------------------------------------------------------------------------
# Items: the bodies (or classes) the tokens make, before resolution


@dataclass(slots=True)
class _Item:
    name: str  # the name to resolve
    printed: str  # the words of the cell, as printed
    role: Role
    start: int  # where its words start in the cell (without parentheticals)
    head: str | None = None  # a head shared by a list ("Sở" of "các Sở: …")
    listing: bool = False  # "các Sở:" — stands for the names after it
    in_list: bool = False  # a name of such a list: the head goes on to the next names
    clause: int = 0
    # Printed remarks on the body (a parenthetical, a qualifier of scope): part of its words.
    notes: list[_Paren] = field(default_factory=list)
    # What the cell says the body does ("chủ trì", "thực hiện", "tham mưu, tổng hợp"): its role
    # and work, not its name.
    said: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The words of the cell naming this body, with the remarks printed on it; no role words.

        >>> _Item("Sở Nội vụ", "Sở Nội vụ", Role.LEAD, 0, said=["chủ trì"]).text()
        'Sở Nội vụ'
        """
        return " ".join([self.printed, *(n.printed() for n in self.notes)])


_PLURAL = re.compile(r"^(?:các|những)\s")


def _continues_class(seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg* names more kinds of a class: "phường", "cơ quan ngang bộ", "Ban".

    A body named by itself, whatever its case, is none: "Công an tỉnh, sở Tài chính tỉnh
    Nghệ An" is two bodies, "Thanh tra Bộ, bộ Tài chính" too.

    >>> g = Gazetteer.default()
    >>> _continues_class("phường", g), _continues_class("sở Tài chính tỉnh Nghệ An", g)
    (True, False)
    """
    key = name_key(seg)
    if _PLURAL.match(key):
        return False  # "…, các cơ quan, đơn vị có liên quan": a class of its own
    if _names_a_body(seg, gazetteer):
        return False
    if _GENERIC_ONLY.match(key):
        return True
    return bool(_GENERIC_START.match(key)) and seg[:1].islower()


def _names_a_body(seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg* names one body: a known one that is no class, or a head word before a name
    ("sở Tài chính", "ban Thường vụ Tỉnh đoàn")."""
    entry = gazetteer.lookup(seg)
    if entry is not None:
        return entry.kind != "collective"
    return _heads_named(name_key(seg), clean(seg))


# A class ends with its level or scope ("… đoàn thể cấp tỉnh", "… có liên quan").
_CLOSING = re.compile(r"\s(?:cấp (?:tỉnh|huyện|xã|thành phố)|có liên quan|liên quan)$")


def _closed(name: str, seg: str) -> bool:
    """Whether a class closed by its level or scope is followed by another class with words of its own
    ("các Sở, ban, ngành cấp tỉnh, cơ quan ngành dọc đóng trên địa bàn": two classes)."""
    return bool(_CLOSING.search(name_key(name))) and not _GENERIC_ONLY.match(name_key(seg))


_PLURAL_WORD = re.compile(r"^(?:các|những)\s+", re.IGNORECASE)


def _shared_head(name: str) -> str | None:
    """The head a list may share: "Sở" of "Sở Tài chính" or of "các Sở"."""
    m = _SHARED.match(name_key(name))
    if not m:
        return None
    return clean(_PLURAL_WORD.sub("", name)[: len(m.group("h"))])


def _field_of(head: str, seg: str, gazetteer: Gazetteer) -> bool:
    """Whether *seg*, no body by itself, names one with the shared *head* before it: the
    "Công an" of "Bộ Y tế, Công an, Quốc phòng" is the Bộ Công an, not a police force.

    >>> _field_of("Bộ", "Công an", Gazetteer.default()), _field_of("Sở", "Công an tỉnh", Gazetteer.default())
    (True, False)
    """
    if gazetteer.lookup(seg) is not None:
        return False
    entry = gazetteer.lookup(_with_head(head, seg))
    return entry is not None and entry.kind != "collective"


def _with_head(head: str, rest: str) -> str:
    return clean(f"{head[:1].upper()}{head[1:]} {rest}")


def _role_split(
    seg: str, role: Role, default_role: Role, gazetteer: Gazetteer | None = None
) -> tuple[str, Role, str | None]:
    """A segment without its trailing role words: (name, role, the role words).

    >>> _role_split("Sở Nội vụ chủ trì", Role.LEAD, Role.LEAD)
    ('Sở Nội vụ', <Role.LEAD: 'lead'>, 'chủ trì')
    >>> _role_split("Ban Chỉ đạo", Role.LEAD, Role.LEAD)[0]
    'Ban Chỉ đạo'
    """
    key = name_key(seg)
    m = _VERB_IN.search(key)
    if gazetteer is not None:
        # A known body, then a verb: the verb starts what the body does.
        for p in _PREDICATE_IN.finditer(key):
            if gazetteer.lookup(seg[: p.start()].strip(" ,-")) is not None:
                m = p if m is None or p.start() < m.start() else m
                break
    if m is None:
        return seg, role, None
    tail = seg[m.start() :]
    # After a name the gazetteer knows, the verb is a role however it is written
    # ("Liên đoàn Lao động tỉnh Chủ trì", "Sở Nội vụ chủ trì tham mưu UBND …"); after
    # another text only a lower-case verb ending the segment is ("Ban Chỉ đạo thực hiện
    # Chương trình …" is a name).
    known = gazetteer is not None and gazetteer.lookup(seg[: m.start()].strip(" ,-")) is not None
    if not known and (not tail[:1].islower() or any(w[:1].isupper() for w in tail.split()[1:])):
        return seg, role, None
    word = m.group(0)
    if default_role is not Role.COORDINATING and word in _ROLE_OF:
        role = _ROLE_OF[word]
    return seg[: m.start()].strip(" ,.;:-"), role, tail.strip()


# ---------------------------------------------------------------------------------------------
# The grammar


_LEVEL_END = re.compile(r"\s(?:tỉnh|thành phố|cấp tỉnh|cấp huyện|cấp xã|khu vực)$")


@dataclass(slots=True)
class _Reader:
    text: str
    gazetteer: Gazetteer
    jurisdiction: str | None
    default_role: Role
    items: list[_Item] = field(default_factory=list)
    at: int = 0  # start of the token being read
    predicate: bool = False  # the last token ended in what its body does

    def read(self, tokens: list[_Token]) -> None:
        role = self.default_role
        clause = 0  # bodies since the last ";" or role word: a trailing role word is theirs
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            seg = self.text[tok.start : tok.end].strip(" .;:")
            seg = _LEADING.sub("", seg).strip()
            nxt = tokens[i + 1].sep if i + 1 < len(tokens) else ""
            i += 1
            clause += tok.sep == ";"
            if not seg:
                continue
            with_ = _WITH.match(name_key(seg))
            if with_ is not None:
                # "chủ trì, phối hợp với X": X and what follows coordinate.
                if self.default_role is not Role.COORDINATING:
                    role = Role.COORDINATING
                clause += 1
                seg = seg[with_.end() :]
            if _VERB_START.match(name_key(seg)) and not _starts_body(seg, self.gazetteer):
                self._note(seg)
                continue
            if self.predicate and not is_organisation(self._bare(seg, role), self.gazetteer):
                # "… rà soát, cập nhật": the words go on with what the body does; "…, TAND tỉnh
                # chủ trì" names a body (the role words after it are its role).
                self.items[-1].said.append(seg)
                continue
            note, seg_role = None, role
            if self.gazetteer.lookup(seg) is None:
                seg, seg_role, note = _role_split(seg, role, self.default_role, self.gazetteer)
            count, last = len(self.items), (self.items[-1] if self.items else None)
            if seg:
                self.at = tok.start
                taken = self._attach(seg, tok.sep, tokens, i - 1)
                i += max(taken - 1, 0)
                if not taken:
                    self._new(seg, tok.start, nxt)
                elif nxt == ":" and _open(self.items[-1].name):
                    # "Các Bộ, ngành: Tài chính, Tư pháp": the class stands for the names after it.
                    self.items[-1].listing = True
                    self.items[-1].head = _shared_head(self.items[-1].name)
            # A token appends its items at the end and removes at most one, the last: what it added
            # is what follows the items before it (not a scan of every item per token: quadratic).
            for item in self.items[max(count - 1, 0) :]:
                if item is not last:
                    item.role, item.clause = role, clause
            self.predicate = bool(note and self.items)
            if self.predicate:
                self.items[-1].said.append(note)
            if note and seg_role is not role:
                # "Bộ Quốc phòng, Bộ Ngoại giao phối hợp": the role word ends its clause.
                for item in reversed(self.items):
                    if item.clause != clause:
                        break
                    item.role = seg_role
                clause += 1

    def _bare(self, seg: str, role: Role) -> str:
        """*seg* without the role words that end it ("Nội vụ chủ trì" → "Nội vụ")."""
        if self.gazetteer.lookup(seg) is not None:
            return seg
        return _role_split(seg, role, self.default_role, self.gazetteer)[0]

    def _new(self, seg: str, start: int, nxt: str) -> None:
        """A body (or a class) of its own; a class before a colon stands for what follows."""
        if nxt == ":" and _open(seg):
            self.items.append(_Item(seg, seg, self.default_role, start, head=_shared_head(seg), listing=True))
        elif nxt == ":" and not _starts_body(seg, self.gazetteer):
            pass  # a label before the list ("Cơ quan phối hợp: …")
        else:
            self.items.append(_Item(seg, seg, self.default_role, start, head=_shared_head(seg)))

    def _note(self, seg: str) -> None:
        if self.items:
            self.items[-1].said.append(seg)

    def _attach(self, seg: str, sep: str, tokens: list[_Token], at: int) -> int:
        """Join *seg* to the item before it; the number of tokens used (0: a new item)."""
        if (
            self.items
            and sep in {",", "và"}
            and _LEVEL_ONLY.match(name_key(seg))
            and not self.items[-1].listing
        ):
            prev = self.items[-1]
            m = _LEVEL_END.search(name_key(prev.name))
            if m:
                # "Viện kiểm sát nhân dân thành phố, Tòa án nhân dân thành phố và các khu vực": the same
                # bodies at a second level (every body of the run that ends with the first level).
                level = name_key(prev.name)[m.start() :]
                run = []
                for item in reversed(self.items):
                    if not name_key(item.name).endswith(level) or item.listing:
                        break
                    run.insert(0, item)
                for item in run:
                    cut = len(item.name) - len(level)
                    self.items.append(_Item(clean(f"{item.name[:cut]} {seg}"), seg, item.role, self.at))
                return 1
        if not self.items or sep not in {",", ";", ":"}:
            return 0
        prev = self.items[-1]
        g = self.gazetteer
        if prev.listing and not prev.head:
            # "Các đơn vị: Trung tâm A, Trung tâm B": the names, not the class.
            self.items.remove(prev)
            return 0
        if prev.listing or (prev.in_list and sep != ";"):
            taken = self._distribute(prev, tokens, at)
            if taken:
                return taken
        place = only_place(seg)
        if place is not None and not prev.listing:
            located = g.locate(prev.name)
            if located is not None and located[0].scope == "local" and located[0].kind != "collective":
                # "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh": the same body in another place.
                name = f"{located[0].name} {place.kind} {place.name}"
                self.items.append(_Item(name, seg, prev.role, self.at))
                return 1
        known = g.lookup(seg)  # "các sở, ngành, trường đại học, cao đẳng": a known class of its own
        own = known is not None and known.kind == "collective" and "," in seg
        if (
            sep == ","
            and not prev.listing
            and _continues_class(seg, g)
            and not _closed(prev.name, seg)
            and not own
        ):
            if _open(prev.name) or not is_organisation(prev.name, g):
                # More kinds of the class, or more words of a text that names no body.
                self._extend(prev, seg)
                return 1
        if prev.head and (not _starts_body(seg, g) or _field_of(prev.head, seg, g)):
            taken = self._distribute(prev, tokens, at)
            if taken:
                return taken
        level = re.match(r"^(cấp|khu vực)\s", name_key(seg))
        if level and not prev.listing:
            cut = name_key(prev.name).rfind(f" {level.group(1)} ")
            if cut > 0:
                # "Ban Chỉ huy … cấp tỉnh, cấp xã": the second level of the same body.
                self.items.append(_Item(clean(f"{prev.name[:cut]} {seg}"), seg, prev.role, self.at))
                return 1
        if (
            sep == ","
            and _open(prev.name)
            and seg[:1].isupper()
            and not is_organisation(seg, g)
            and not _starts_body(seg, g)
        ):
            # "các địa phương Bắc Ninh, Bình Dương": the names go on the class.
            self._extend(prev, seg)
            return 1
        return 0

    def _extend(self, prev: _Item, seg: str) -> None:
        prev.name = f"{prev.name}, {seg}"
        prev.printed = f"{prev.printed}, {seg}"
        prev.listing = False

    def _distribute(self, prev: _Item, tokens: list[_Token], at: int) -> int:
        """Give *prev*'s head to the names after it ("Sở Tài chính, Nội vụ"); tokens used."""
        head = prev.head or ""
        g = self.gazetteer
        # Longest first: "Văn hóa, Thể thao và Du lịch" is one Sở, not three.
        for j in range(len(tokens) - 1, at - 1, -1):
            if any(t.sep not in {",", ";"} for t in tokens[at + 1 : j + 1]):
                continue
            printed = self._bare(self.text[tokens[at].start : tokens[j].end].strip(" .;:"), prev.role)
            entry = g.lookup(_with_head(head, printed))
            if entry is not None and (entry.kind != "collective" or name_key(head) in _KIND_HEADS):
                self._member(prev, _with_head(head, printed), printed)
                return j - at + 1
        seg = _LEADING.sub("", self.text[tokens[at].start : tokens[at].end].strip(" .;:"))
        seg = self._bare(seg, prev.role)  # "Sở Tài chính, Nội vụ chủ trì": the role is the list's
        if _starts_body(seg, g):
            if prev.listing and name_key(seg).startswith(name_key(head)):
                self._member(prev, seg, seg)  # "các Sở: Sở Tài chính, …"
                return 1
            return 0
        # A capitalised name after a named body ("Sở Tài chính, Kế hoạch"), or any name in
        # a list a colon opens ("các Sở: …"); never a place or the kinds of a class.
        named = seg[:1].isupper() and not _GENERIC_START.match(name_key(seg)) and only_place(seg) is None
        if prev.listing or (named and not _open(prev.name)):
            self._member(prev, _with_head(head, seg), seg)
            return 1
        return 0

    def _member(self, prev: _Item, name: str, printed: str) -> None:
        in_list = prev.listing or prev.in_list
        if prev.listing:
            # "các Sở:" stands for its members, not for a body of its own.
            self.items.remove(prev)
        self.items.append(_Item(name, printed, prev.role, self.at, head=prev.head, in_list=in_list))


_MEMBERS = re.compile(r"^(?:bao\s+)?gồm\s+")


def _split_members(paren: _Paren, gazetteer: Gazetteer) -> str | None:
    """The members a "(gồm …)" remark lists, or None."""
    m = _MEMBERS.match(name_key(paren.content))
    return paren.content[m.end() :] if m else None


def split_cell(
    cell: str,
    gazetteer: Gazetteer,
    jurisdiction: str | None,
    default_role: Role,
    *,
    warn: Callable[[str], None] | None = None,
    fragment: Callable[[str], None] | None = None,
) -> list[Assignment]:
    """The assignments a table cell (or a list of bodies in the text) states, in order.

    ``warn`` hears of bodies the gazetteer does not know (kept, unrecognised);
    ``fragment`` of text that names no body (dropped).  Without ``fragment``
    the dropped text goes to ``warn``.

    >>> from kg.model.gazetteer import Gazetteer
    >>> cell = "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì"
    >>> [(a.agency.name, a.role.value) for a in split_cell(cell, Gazetteer.default(), "Hà Nội", Role.LEAD)]
    [('Ban Tuyên giáo Thành ủy', 'directing'), ('Sở Thông tin và Truyền thông', 'lead')]
    >>> [a.agency.name for a in split_cell("Sở Tài chính, Nội vụ", Gazetteer.default(), "Hà Nội", Role.LEAD)]
    ['Sở Tài chính', 'Sở Nội vụ']
    """
    assignments, said = _split(cell, gazetteer, jurisdiction, default_role)
    for unknown, words in said:
        if not unknown:
            _report(words, fragment, warn)
        elif warn is not None:
            warn(words)
    return list(assignments)


# Plans repeat the same cells many times ("Các Sở, ngành, đơn vị liên quan"); the reading
# depends on the cell, the gazetteer, the place and the column only.
@lru_cache(maxsize=1 << 15)
def _split(
    cell: str, gazetteer: Gazetteer, jurisdiction: str | None, default_role: Role
) -> tuple[tuple[Assignment, ...], tuple[tuple[bool, str], ...]]:
    """The assignments of a cell, and what it says that is to be reported, in order: (True, the
    warning of an unknown body) or (False, words that name no body)."""
    said: list[tuple[bool, str]] = []
    text = strip_markup(cell)
    if not text or text in {"-", "–", "x"}:
        return (), ()
    if apposition := _APPOSITION.search(name_key(text)):
        text = text[: apposition.start()]
    plain, parens = _parentheticals(text)
    plain, scopes = _scope_notes(plain)
    parens += scopes
    members = [(p, _split_members(p, gazetteer)) for p in parens]
    reader = _Reader(plain, gazetteer, jurisdiction, default_role)
    reader.read(_tokens(plain, gazetteer))
    _under_chair(reader)
    _attach_notes(reader, parens)
    out: list[Assignment] = []
    seen: set[tuple[str, Role]] = set()

    def add(agency: Agency, role: Role, words: str) -> None:
        if (agency.id, role) not in seen:
            seen.add((agency.id, role))
            out.append(Assignment(agency=agency, role=role, text=words))

    for item in reader.items:
        listed = next((m for p, m in members if m and p in item.notes), None)
        if listed is not None and _open(item.name):
            # "Các cơ quan … (gồm các Sở: Xây dựng, Công Thương)": the members, not the class.
            found, also = _split(listed, gazetteer, jurisdiction, item.role)
            said += also
            for a in found:
                add(a.agency, a.role, a.text)
            continue
        run = _known_run(item.name, gazetteer)
        if run is not None and item.name == item.printed:
            # "Sở Tư pháp Sở Xây dựng tỉnh An Giang": each body with its own words.
            for k, piece in enumerate(run):
                words = item.text().replace(item.printed, piece, 1) if k == len(run) - 1 else piece
                for agency in _resolve(piece, gazetteer, jurisdiction)[0]:
                    add(agency, item.role, words)
            continue
        agencies, known, body = _resolve(item.name, gazetteer, jurisdiction)
        if not body:
            said.append((False, item.printed))
            continue
        if not known:
            said.append((True, unknown_message(agencies[0])))
        for agency in agencies:
            add(agency, item.role, item.text())
    return tuple(out), tuple(said)


def _under_chair(reader: _Reader) -> None:
    """ "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện …": where one
    clause's body chairs, the bodies of a clause that only "thực hiện" carry the work out under it,
    as partners."""
    if reader.default_role is not Role.LEAD:
        return
    said = {item.clause: name_key(" ".join(item.said)) for item in reader.items if item.said}
    chaired = [c for c, words in said.items() if words.startswith("chủ trì")]
    doers = {c for c, words in said.items() if words.startswith("thực hiện")}
    if not chaired or not doers:
        return
    for item in reader.items:
        if item.clause in doers and item.clause not in chaired and item.role is Role.LEAD:
            item.role = Role.COORDINATING


def _attach_notes(reader: _Reader, parens: list[_Paren]) -> None:
    """Give each parenthetical to the body it follows, as a note."""
    for p in parens:
        owners = [item for item in reader.items if item.start < p.at] or reader.items[:1]
        if owners:
            owners[-1].notes.append(p)


def _report(text: str, fragment: Callable[[str], None] | None, warn: Callable[[str], None] | None) -> None:
    if fragment is not None:
        fragment(text)
    elif warn is not None:
        warn(f"not an agency, dropped: {text!r}")
