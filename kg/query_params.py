"""Typed values for the parameters of a named query, from the strings a user typed.

A query file declares its parameters in its header (see :mod:`queries`):
``name (type, default X): doc``.  Types: ``str``, ``int``, ``bool``,
``date`` (ISO ``YYYY-MM-DD``, or ``today``) and ``agency`` (a name the query runner,
:func:`kg.stores.runner.resolve`, resolves to the agency ids it names in the store).  ``default none`` makes
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

from collections.abc import Mapping
from datetime import date
from typing import Any

import click

from queries import NamedQuery

__all__ = [
    "DAY",
    "DayType",
    "ParamError",
    "coerce_params",
    "parse_assignments",
    "parse_day",
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


def _coerce(query: str, name: str, type_: str, text: Any) -> Any:
    if not isinstance(text, str):  # typed already (a date, a bool from Python)
        return text
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


def coerce_params(query: NamedQuery, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The declared parameters of *query* with typed values; defaults filled in, optional ones left out.

    A value that is not text (a ``date``, a ``bool`` given from Python) is kept as it is.

    >>> from queries import NamedQuery, Param
    >>> coerce_params(NamedQuery("x", "", (Param("as_of", "date", "none"),), ()), {"as_of": date(2026, 1, 1)})
    {'as_of': datetime.date(2026, 1, 1)}
    """
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
