"""Quads per task of the store's mapping (:mod:`kg.rdf.plan` + :mod:`kg.rdf.body`), by kind of quad.

``python bench/quads.py FILE_OR_DIR...`` reads the plans and prints, without a store, how many quads
their document graphs, shared lines and body graphs hold, per task, and the predicates that weigh most.
It is the before/after figure of the lean graph.
"""

from __future__ import annotations

import collections
import sys

from loaders import read_plans

try:
    from kg.model.gazetteer import Gazetteer
    from kg.pipeline import stage
except (
    ModuleNotFoundError
):  # a tree from before the layer folders and kg/pipeline.py (bench/scale.py's "before")
    from kg.model.gazetteer import Gazetteer  # type: ignore[no-redef]
    from kg.stores.rdf import stage  # type: ignore[attr-defined,no-redef]


def count(paths: list[str]) -> dict:
    """Quads of the documents *paths* name: ``tasks``, ``quads``, ``per_task`` and the top predicates.

    >>> c = count(["examples/hanoi-kh-30-ctr-tu-2024.txt"])
    >>> c["tasks"], c["per_task"] > 5
    (30, True)
    """
    gazetteer = Gazetteer.default()
    result = read_plans(paths)
    staged = stage(result, gazetteer)
    own = shared = 0
    shared_lines: set[str] = set()
    predicates: collections.Counter[str] = collections.Counter()
    for part in staged.parts:
        lines = part.quads.decode().splitlines()
        own += len(lines)
        for line in lines:
            predicates[line.split(" ", 2)[1]] += 1
        shared_lines.update(part.shared)
    shared = len(shared_lines)
    tasks = staged.tasks
    return {
        "tasks": tasks,
        "quads": own + shared,
        "own": own,
        "shared": shared,
        "per_task": round((own + shared) / max(tasks, 1), 1),
        "top": predicates.most_common(12),
    }


if __name__ == "__main__":
    c = count(sys.argv[1:])
    print(
        f"tasks {c['tasks']}  quads {c['quads']} (own {c['own']}, shared {c['shared']})  per task {c['per_task']}"
    )
    for p, n in c["top"]:
        print(f"  {n / max(c['tasks'], 1):5.2f}/task  {p}")
