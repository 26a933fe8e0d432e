"""A knowledge graph of agencies and responsibilities in Vietnamese government plans.

The records every part exchanges are re-exported here:

>>> from kg import Role
>>> Role.LEAD.value
'lead'

``kg.open()`` opens a built store (:mod:`kg.api`); the API is imported on first use,
so ``import kg`` stays cheap:

>>> import kg
>>> kg.open is kg.api.open
True
"""

from kg.model import (
    Agency,
    Assignment,
    Deadline,
    Document,
    DocumentRef,
    ExtractResult,
    Issue,
    PlanError,
    Recurrence,
    Role,
    Source,
    TableReport,
    Task,
    TaskGroup,
)

# kg.api is imported when one of these is first asked for (PEP 562): the store and pandas stay unloaded.
_API = ("AgencyRecord", "AmbiguousAgency", "KnowledgeGraph", "UnknownQuery", "open")


def __getattr__(name: str) -> object:
    if name in _API:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = [
    "Agency",
    "AgencyRecord",
    "AmbiguousAgency",
    "Assignment",
    "Deadline",
    "Document",
    "DocumentRef",
    "ExtractResult",
    "Issue",
    "KnowledgeGraph",
    "PlanError",
    "Recurrence",
    "Role",
    "Source",
    "TableReport",
    "Task",
    "TaskGroup",
    "UnknownQuery",
]  # not "open": `from kg import *` must not shadow the built-in
