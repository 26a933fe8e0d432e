"""Typed values for the parameters of a named query, from the strings a user typed.

A query file declares its parameters in its header (see :mod:`queries`):
``name (type, default X): doc``.  Types: ``str``, ``int``, ``bool``,
``date`` (ISO ``YYYY-MM-DD``, or ``today``) and ``agency`` (a name each backend resolves
to agency ids with :func:`kg.model.lookup.find_agencies`).  ``default none`` makes
a parameter optional; a parameter without a default is required.

>>> from queries import NamedQuery, Param
>>> q = NamedQuery("x", "", (Param("collectives", "bool", "false"), Param("from", "date", "none")), ())
>>> coerce_params(q, {"from": "2024-12-31"})
{'collectives': False, 'from': datetime.date(2024, 12, 31)}
>>> coerce_params(q, {"form": "2024"})
Traceback (most recent call last):
...
kg.query_params.ParamError: query x has no parameter 'form'; its parameters: collectives, from
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import click

from kg.model import Agency
from queries import NamedQuery

__all__ = [
    "DAY",
    "DayType",
    "ParamError",
    "coerce_params",
    "parse_assignments",
    "parse_day",
    "resolve_agencies",
]

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


class ParamError(ValueError):
    """A parameter that is unknown, missing or not of its declared type; ``str()`` is one line."""


def parse_day(text: str) -> date:
    """A day as typed: ``YYYY-MM-DD`` or ``today`` (any case).

    >>> parse_day("2026-01-01"), parse_day(" Today ") == date.today()
    (datetime.date(2026, 1, 1), True)
    >>> parse_day("1/1/2026")
    Traceback (most recent call last):
    ...
    ValueError: a date is YYYY-MM-DD or 'today', not '1/1/2026'
    """
    if text.strip().lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"a date is YYYY-MM-DD or 'today', not {text!r}") from None


class DayType(click.ParamType):
    """The click type of every ``--as-of`` (and other day) option: ``YYYY-MM-DD`` or ``today``."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)


DAY = DayType()


def _coerce(query: str, name: str, type_: str, text: str) -> Any:
    if type_ == "bool":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ParamError(f"query {query}: parameter {name} must be true or false, not {text!r}")
    if type_ == "date":
        if text.strip().lower() == "today":
            return date.today()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ParamError(
                f"query {query}: parameter {name} must be a date YYYY-MM-DD, not {text!r}"
            ) from None
    if type_ == "int":
        try:
            return int(text)
        except ValueError:
            raise ParamError(f"query {query}: parameter {name} must be an integer, not {text!r}") from None
    return text


def coerce_params(query: NamedQuery, raw: Mapping[str, str]) -> dict[str, Any]:
    """The declared parameters of *query* with typed values; defaults filled in, optional ones left out."""
    declared = {p.name: p for p in query.params}
    for name in raw:
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ParamError(f"query {query.name} has no parameter {name!r}; its parameters: {known}")
    out: dict[str, Any] = {}
    for p in query.params:
        text = raw.get(p.name)
        if text is None:
            if p.default is None:
                raise ParamError(f"query {query.name} needs --param {p.name}=VALUE ({p.doc or p.type})")
            if p.default.strip().lower() in {"none", "null", ""}:
                continue
            text = p.default.strip()
        out[p.name] = _coerce(query.name, p.name, p.type, text)
    return out


def parse_assignments(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["agency=Sở Nội vụ", "to=2024-12-31"]`` → a dict; the value may contain ``=``.

    >>> parse_assignments(["agency=A=B"])
    {'agency': 'A=B'}
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParamError(f"--param wants NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


def resolve_agencies(
    query: NamedQuery,
    values: Mapping[str, Any],
    records: Iterable[Agency] | Callable[[], Iterable[Agency]],
    *,
    ambiguous: list | None = None,
) -> dict[str, Any]:
    """*values* with each agency parameter replaced by the id of the one agency it names in *records*.

    A name several jurisdictions share raises :class:`kg.model.lookup.AmbiguousAgency`
    (its candidates and their jurisdictions), unless *ambiguous* is a list: then
    the name is left for the store to answer for each jurisdiction and the
    exception is appended there (the command line prints it as a note).  "Sở Nội
    vụ, Hà Nội" picks one.  *records* are the store's agencies, or a function giving them
    (called only for a query with an agency parameter, so that no other query opens the store for them).

    >>> from queries import NamedQuery, Param
    >>> from kg.model import Agency
    >>> q = NamedQuery("x", "", (Param("agency", "agency", None),), ())
    >>> records = [Agency("ha-noi/so-noi-vu", "Sở Nội vụ", None, "department", True, "Hà Nội"),
    ...            Agency("hue/so-noi-vu", "Sở Nội vụ", None, "department", True, "Huế")]
    >>> resolve_agencies(q, {"agency": "so noi vu, ha noi"}, records)
    {'agency': 'ha-noi/so-noi-vu'}
    >>> notes = []
    >>> resolve_agencies(q, {"agency": "so noi vu"}, records, ambiguous=notes), [a.id for a in notes[0].candidates]
    ({'agency': 'so noi vu'}, ['ha-noi/so-noi-vu', 'hue/so-noi-vu'])
    """
    from kg.model.lookup import AmbiguousAgency, agency_param

    names = [p.name for p in query.params if p.type == "agency" and values.get(p.name) is not None]
    if not names:
        return dict(values)
    records = records() if callable(records) else records
    out = dict(values)
    for name in names:
        try:
            out[name] = agency_param(records, values[name])
        except AmbiguousAgency as e:
            if ambiguous is None:
                raise
            ambiguous.append(e)
    return out
