"""The Python API over a built store: ``kg.open()``, named queries as DataFrames, agencies by name.

>>> import kg
>>> path = sample_store()          # the bundled sample built once into a temporary folder
>>> with kg.open(path) as g:
...     load = g.query("agency-load")                   # a pandas DataFrame (plain rows without pandas)
...     moved = g.query("agency-load", as_of="2026-01-01")  # after the 2025 reorganisation
...     home = g.agency("so noi vu")                    # any case, with or without diacritics
>>> load[["agency", "lead", "total"]].head(2).to_dict("records")
[{'agency': 'Sở Nội vụ', 'lead': 7, 'total': 7}, {'agency': 'Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội', 'lead': 2, 'total': 5}]
>>> moved.query("agency == 'Sở Tài chính'")[["lead", "coordinating"]].to_dict("records")
[{'lead': 3, 'coordinating': 2}]
>>> home.name, home.jurisdiction, [t.task for t in home.tasks["lead"]]
('Sở Nội vụ', 'Hà Nội', ['II.1', 'II.2', 'III.1', 'III.5', 'V.1', 'V.2', 'V.3'])

``kg.open()`` without a path opens the ``KG_STORE`` environment variable's store, else ``.kg``
(where ``kg build`` writes by default).  Every error is an exception whose ``str()`` is one line:
:class:`kg.stores.StoreError` (no store, not a store, closed), :class:`UnknownQuery`,
:class:`kg.query_params.ParamError` (a bad parameter), :class:`kg.model.lookup.NoAgency` (nothing
matches a name) and :class:`AmbiguousAgency` (a local name several jurisdictions share).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kg.model import NATIONAL, Agency
from kg.model.lookup import AmbiguousAgency, match_agencies  # the one matcher of every entry point
from kg.model.settings import default_store  # the store the command line uses too

__all__ = [
    "AgencyRecord",
    "AmbiguousAgency",
    "KnowledgeGraph",
    "Partner",
    "TaskRef",
    "UnknownQuery",
    "default_store",
    "match_agencies",
    "open",
    "sample_store",
]

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
ROLES = ("lead", "directing", "coordinating")


class UnknownQuery(LookupError):
    """A query name that is not one of the named queries; ``str()`` lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0])


# Records -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskRef:
    """One task an agency takes part in (a row of the ``depends-on`` query)."""

    task: str
    title: str
    role: str
    group: str | None
    deadline: str | None
    plan: str


@dataclass(frozen=True, slots=True)
class Partner:
    """Another agency sharing tasks with one (any role, collectives included)."""

    id: str
    name: str
    tasks: int


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    """An agency of the store with its tasks by role and its partners (:meth:`KnowledgeGraph.agency`).

    ``tasks`` maps each role (``lead``, ``directing``, ``coordinating``) to its
    tasks in plan order; ``partners`` are ordered by shared tasks, then name.
    """

    id: str
    name: str
    name_en: str | None
    kind: str
    jurisdiction: str
    tasks: Mapping[str, tuple[TaskRef, ...]]
    partners: tuple[Partner, ...]
    as_of: date | None = None

    @property
    def total(self) -> int:
        """Distinct tasks in any role."""
        return len({(t.plan, t.task) for ts in self.tasks.values() for t in ts})


def tasks_by_role(rows: list[dict[str, Any]]) -> dict[str, tuple[TaskRef, ...]]:
    """depends-on rows (task, title, role, group, deadline, plan) as :attr:`AgencyRecord.tasks`, in row order."""
    return {
        role: tuple(
            TaskRef(t["task"], t["title"], t["role"], t["group"], t["deadline"], t["plan"])
            for t in rows
            if t["role"] == role
        )
        for role in ROLES
    }


# The store ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A parameter value as the command line would type it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(value: date | str) -> date:
    """*value* as a date: a ``date``, ``"YYYY-MM-DD"`` or ``"today"``.

    >>> _day("2026-01-01"), _day("today") == date.today()
    (datetime.date(2026, 1, 1), True)
    """
    from kg.query_params import ParamError

    if isinstance(value, date):
        return value
    if str(value).strip().lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParamError(f"as_of must be a date YYYY-MM-DD or 'today', not {value!r}") from None


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


class KnowledgeGraph:
    """An opened store: named queries, agencies by name, the networkx graph.

    Use :func:`open`; close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, path: Path | str) -> None:
        from kg.stores.rdf import open_store

        self.path = Path(path)
        self._store: Any = open_store(self.path)
        self._agencies: list[Agency] | None = None

    def __repr__(self) -> str:
        state = "closed" if self._store is None else "open"
        return f"<kg.KnowledgeGraph {str(self.path)!r} ({state})>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store (Oxigraph releases it when nothing refers to it); idempotent."""
        self._store = None
        self._agencies = None

    @property
    def store(self) -> Any:
        """The opened ``pyoxigraph.Store`` (read-only), for :mod:`kg.stores.rdf` functions."""
        if self._store is None:
            from kg.stores import StoreError

            raise StoreError(
                f"{self.path}: this store was closed; open it again with kg.open({str(self.path)!r})"
            )
        return self._store

    # Named queries

    def queries(self, *, frame: bool | None = None) -> Any:
        """The named queries: name, parameters (``name: type``, ``= default`` when optional), columns, description.

        >>> import kg
        >>> with kg.open(sample_store()) as g:
        ...     [q for q in g.queries(frame=False) if q["name"] == "depends-on"][0]["params"]
        ['agency: agency', 'as_of: date = none']
        """
        from queries import registry

        rows = [
            {
                "name": q.name,
                "params": [
                    f"{p.name}: {p.type}" + ("" if p.default is None else f" = {p.default}") for p in q.params
                ],
                "returns": list(q.returns),
                "description": q.description,
            }
            for q in registry().values()
            if q.sparql
        ]
        return self._rows(rows, ["name", "params", "returns", "description"], frame)

    def query(
        self, name: str, *, as_of: date | str | None = None, frame: bool | None = None, **params: Any
    ) -> Any:
        """The rows of the named query *name*: a pandas DataFrame, or a list of dicts without pandas.

        The rows are those of ``kg query NAME --format json`` (same columns, order and values;
        in a DataFrame a missing value is NaN/None).  *as_of* (a date, ``"YYYY-MM-DD"`` or
        ``"today"``) answers after the 2025 reorganisation; *params* are the query's parameters
        (``from_=`` for ``from``), as Python values or text.  An agency parameter takes any name
        :meth:`agency` takes, "Sở Nội vụ, Hà Nội" included; a local name without a
        jurisdiction answers for every jurisdiction, as the command line does.  *frame* forces
        (True) or refuses (False) a DataFrame.

        >>> import kg
        >>> with kg.open(sample_store()) as g:
        ...     rows = g.query("depends-on", agency="so noi vu (Ha Noi)", frame=False)
        ...     g.query("current-holder", as_of="2026-01-01", frame=False)[2]["holder"]
        ['Sở Văn hóa và Thể thao']
        >>> [r["task"] for r in rows]
        ['II.1', 'II.2', 'III.1', 'III.5', 'V.1', 'V.2', 'V.3']
        """
        from kg.stores.rdf import OxigraphBackend
        from kg.stores.runner import run
        from queries import registry

        query = registry().get(name)
        if query is None or not query.sparql:
            known = ", ".join(n for n, q in registry().items() if q.sparql)
            raise UnknownQuery(f"no named query {name!r}; known: {known}")
        values = {k.rstrip("_"): v for k, v in params.items()}
        if as_of is not None:
            values["as_of"] = as_of
        text = {k: _text(v) for k, v in values.items() if v is not None}
        rows = run(OxigraphBackend(self.store, records=self._records), name, text)
        return self._rows(rows, list(query.returns), frame)

    @staticmethod
    def _rows(rows: list[dict[str, Any]], columns: list[str], frame: bool | None) -> Any:
        pandas = _pandas() if frame is not False else None
        if frame and pandas is None:
            raise ImportError("a DataFrame needs pandas: pip install 'kg-plans[analysis]'")
        if pandas is None:
            return rows
        return pandas.DataFrame.from_records(rows, columns=columns)

    # Agencies

    def _records(self) -> list[Agency]:
        """The store's agency records, read once (name lookups need them all)."""
        from kg.stores.rdf import agencies

        if self._agencies is None:
            self._agencies = agencies(self.store)
        return self._agencies

    def agencies(self, *, frame: bool | None = None) -> Any:
        """Every agency the store's plans name: id, name, name_en, kind, jurisdiction, recognised, collective.

        >>> import kg
        >>> with kg.open(sample_store()) as g:
        ...     [a["jurisdiction"] for a in g.agencies(frame=False) if a["name"] == "Sở Nội vụ"]
        ['Hà Nội']
        """
        columns = ["id", "name", "name_en", "kind", "jurisdiction", "recognised", "collective"]
        rows = [{c: a.properties()[c] for c in columns} for a in self._records()]
        return self._rows(rows, columns, frame)

    def agency(self, name: str, *, as_of: date | str | None = None) -> AgencyRecord:
        """The one agency *name* denotes, with its tasks by role and its partners (on *as_of*, if given).

        *name*: Vietnamese or English name, alias or id, any case, with or without
        diacritics; "Sở Nội vụ, Hà Nội" or "Sở Nội vụ (Hà Nội)" picks one
        jurisdiction's.  :class:`AmbiguousAgency` lists the candidates when
        several jurisdictions have one; :class:`kg.model.lookup.NoAgency` names the
        closest names when none matches.

        >>> import kg
        >>> with kg.open(sample_store()) as g:
        ...     a = g.agency("Department of Planning and Investment")
        ...     b = g.agency("Sở Tài chính (Hà Nội)", as_of="2026-01-01")
        >>> [t.task for t in a.tasks["lead"]], [(p.name, p.tasks) for p in a.partners][:2]
        (['IV.1', 'IV.7'], [('Sở Khoa học và Công nghệ', 2), ('Sở Tài chính', 2)])
        >>> [t.task for t in b.tasks["lead"]], b.total
        (['IV.1', 'IV.7', 'IV.11'], 4)
        """
        found = match_agencies(self._records(), name)
        if len(found) > 1:
            raise AmbiguousAgency(name, found)
        agency = found[0]
        day = None if as_of is None else _day(as_of)
        tasks = self.query("depends-on", agency=agency.id, as_of=day, frame=False)
        pairs = self.query("co-responsibility", collectives=True, as_of=day, frame=False)
        partners = [
            Partner(r["id_b"], r["agency_b"], r["tasks"])
            if r["id_a"] == agency.id
            else Partner(r["id_a"], r["agency_a"], r["tasks"])
            for r in pairs
            if agency.id in (r["id_a"], r["id_b"])
        ]
        partners.sort(key=lambda p: (-p.tasks, p.name, p.id))
        by_role = tasks_by_role(tasks)
        return AgencyRecord(
            agency.id,
            agency.name,
            agency.name_en,
            agency.kind,
            agency.jurisdiction or NATIONAL,  # as every output names it: a national body is "Việt Nam"'s
            by_role,
            tuple(partners),
            day,
        )

    # Other views

    def networkx(self, *, as_of: date | str | None = None) -> Any:
        """The store as the networkx graph of :func:`kg.graph.network.build_graph`, on *as_of* if given.

        Without *as_of* each plan is read on its own date, as the named queries
        are; :mod:`kg.graph.metrics` functions answer the named queries from it.

        >>> from kg.graph import metrics
        >>> import kg
        >>> with kg.open(sample_store()) as g:
        ...     metrics.agency_load(g.networkx())[0]["agency"], g.networkx().number_of_nodes() > 30
        ('Sở Nội vụ', True)
        """
        from kg.graph.reorg import as_of_graph
        from kg.stores.graph import to_networkx

        return as_of_graph(to_networkx(self.store), None if as_of is None else _day(as_of))


def open(path: Path | str | None = None) -> KnowledgeGraph:  # shadows the built-in in this module only
    """Open the store at *path* (default :func:`default_store`): read-only, no server.

    >>> open("/nonexistent/kg")
    Traceback (most recent call last):
    ...
    kg.stores.StoreError: /nonexistent/kg: no store here; run `kg build FILE... --store /nonexistent/kg` first
    """
    return KnowledgeGraph(default_store() if path is None else path)


@functools.cache
def sample_store() -> Path:
    """A store of the bundled sample plan, built once per process into a temporary folder (removed at exit).

    For examples and tests in a source checkout (the sample is ``examples/``, not installed).
    """
    from kg.pipeline import build_files

    folder = Path(tempfile.mkdtemp(prefix="kg-sample-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    build_files([SAMPLE], folder / "kg", jobs=1)
    return folder / "kg"
