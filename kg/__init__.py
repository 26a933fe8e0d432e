"""A knowledge graph of agencies and responsibilities in Vietnamese government plans.

The records every part exchanges are re-exported here:

>>> from kg import Role
>>> Role.LEAD.value
'lead'
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

__all__ = [
    "Agency",
    "Assignment",
    "Deadline",
    "Document",
    "DocumentRef",
    "ExtractResult",
    "Issue",
    "PlanError",
    "Recurrence",
    "Role",
    "Source",
    "TableReport",
    "Task",
    "TaskGroup",
]
