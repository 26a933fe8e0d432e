"""The researchers' questions as plain functions over the networkx graph.

These are the reference answers: every named query (SPARQL in
``queries/sparql``, Cypher in ``queries/cypher``) must return exactly the
rows these functions return, columns and order included.  Rows are dicts of
plain values (str, int, ISO date strings, ``None``).

Load is counted in distinct tasks per role: an agency that leads 7 tasks and
coordinates 2 has ``lead=7, coordinating=2, total=9``.  Collectives ("Các Sở,
ngành, đơn vị liên quan") are classes of bodies, not bodies: they are left out
unless asked for.

>>> from loaders import read_plan
>>> from kg.graph.network import build_graph
>>> G = build_graph(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
>>> top = agency_load(G)[0]
>>> (top["agency"], top["lead"])
('Sở Nội vụ', 7)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import networkx as nx

from kg.model import NATIONAL

__all__ = [
    "ROLES",
    "agency_load",
    "agency_profile",
    "agency_projection",
    "audit_findings",
    "co_responsibility",
    "deadlines",
    "depends_on",
    "document_chain",
    "load_rows",
    "place",
    "plan_summary",
    "reports_to",
    "requests",
    "standing_agency",
]

ROLES = ("lead", "directing", "coordinating")
Row = dict[str, Any]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _roles(G: nx.MultiDiGraph) -> Iterable[tuple[str, str, str]]:
    """(agency node, task node, role) for every responsibility edge."""
    for u, v, data in G.edges(data=True):
        if data.get("rel") == "role":
            yield u, v, data["role"]


def place(node: dict[str, Any] | None) -> str | None:
    """The jurisdiction shown for an agency node: its province or city, "Việt Nam" for a national body.

    >>> place({"jurisdiction": "Hà Nội"}), place({"jurisdiction": None}), place(None)
    ('Hà Nội', 'Việt Nam', None)
    """
    if node is None:
        return None
    return node.get("jurisdiction") or NATIONAL


def _agencies(G: nx.MultiDiGraph, collectives: bool) -> Iterable[str]:
    for n, d in G.nodes(data=True):
        if d["type"] == "agency" and (collectives or not d["collective"]):
            yield n


def agency_load(G: nx.MultiDiGraph, *, collectives: bool = False) -> list[Row]:
    """Agencies ranked by load: tasks led, directed, coordinated and in total.

    Order: total, then lead (both descending), then name and id.  Agencies
    with no task are not listed.

    Parameters
    ----------
    G : the graph of :func:`kg.graph.network.build_graph`
    collectives : include collective participants (ranked with the rest)
    """
    counts: dict[str, dict[str, set[str]]] = defaultdict(lambda: {r: set() for r in ROLES})
    for a, t, role in _roles(G):
        counts[a][role].add(t)
    keep = set(_agencies(G, collectives))
    labels = {a: G.nodes[a] for a in counts if a in keep}
    return load_rows(
        {labels[a]["id"]: c for a, c in counts.items() if a in keep},
        {labels[a]["id"]: labels[a] for a in labels},
    )


def load_rows(counts: dict[str, dict[str, set[str]]], labels: dict[str, dict[str, Any]]) -> list[Row]:
    """The rows of :func:`agency_load` from task sets per agency id and role.

    *labels* maps each agency id to a dict with ``name``, ``name_en``, ``kind``
    and ``jurisdiction`` (an agency node's attributes).

    >>> load_rows({"x": {"lead": {"t1"}, "directing": set(), "coordinating": {"t1", "t2"}}},
    ...           {"x": {"name": "Sở X", "name_en": "Dept X", "kind": "department", "jurisdiction": None}})[0]["total"]
    2
    """
    rows = []
    for agency_id, c in counts.items():
        d = labels[agency_id]
        row = {
            "agency": d["name"],
            "jurisdiction": place(d),
            "agency_en": d["name_en"],
            "kind": d["kind"],
            "lead": len(c["lead"]),
            "directing": len(c["directing"]),
            "coordinating": len(c["coordinating"]),
        }
        row["total"] = len(c["lead"] | c["directing"] | c["coordinating"])
        row["id"] = agency_id
        rows.append(row)
    rows.sort(key=lambda r: (-r["total"], -r["lead"], r["agency"], r["id"]))
    return rows


def depends_on(G: nx.MultiDiGraph, agencies: Iterable[str]) -> list[Row]:
    """Every task in which one of *agencies* (agency ids) takes part, with its role.

    Order: plan, the task's position in its plan, role, agency.
    """
    wanted = {f"agency:{a}" for a in agencies}
    rows = []
    for a, t, role in _roles(G):
        if a not in wanted:
            continue
        td = G.nodes[t]
        rows.append(
            {
                "task": td["id"],
                "title": td["title"],
                "role": role,
                "group": td["group"],
                "deadline": td["deadline"],
                "plan": td["document"],
                "agency": G.nodes[a]["name"],
                "jurisdiction": place(G.nodes[a]),
                "_seq": td["seq"],
                "_id": G.nodes[a]["id"],
            }
        )
    rows.sort(key=lambda r: (r["plan"], r["_seq"], r["role"], r["agency"], r["_id"]))
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def co_responsibility(G: nx.MultiDiGraph, *, collectives: bool = False) -> list[Row]:
    """Pairs of agencies that share tasks (any role), with the number of shared tasks.

    Each pair once, with ``id_a < id_b``.  Order: tasks (descending), names, ids.
    """
    keep = set(_agencies(G, collectives))
    by_task: dict[str, set[str]] = defaultdict(set)
    for a, t, _ in _roles(G):
        if a in keep:
            by_task[t].add(a)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for members in by_task.values():
        ids = sorted(members, key=lambda n: G.nodes[n]["id"])
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs[(a, b)] += 1
    rows = [
        {
            "agency_a": G.nodes[a]["name"],
            "jurisdiction_a": place(G.nodes[a]),
            "agency_b": G.nodes[b]["name"],
            "jurisdiction_b": place(G.nodes[b]),
            "tasks": n,
            "id_a": G.nodes[a]["id"],
            "id_b": G.nodes[b]["id"],
        }
        for (a, b), n in pairs.items()
    ]
    rows.sort(key=lambda r: (-r["tasks"], r["agency_a"], r["agency_b"], r["id_a"], r["id_b"]))
    return rows


def deadlines(
    G: nx.MultiDiGraph,
    *,
    start: date | None = None,
    end: date | None = None,
    overdue_as_of: date | None = None,
) -> list[Row]:
    """Tasks due in a period (their end date within ``start``..``end``), or overdue as of a date.

    One row per task and responsible agency (lead or directing).  Tasks
    without an end date (recurring, open-ended) are not listed.  Order: due
    date, plan, position, role, agency.
    """
    rows = []
    for a, t, role in _roles(G):
        if role == "coordinating":
            continue
        td = G.nodes[t]
        due = td["end"]
        if due is None:
            continue
        if (start and due < start) or (end and due > end) or (overdue_as_of and due >= overdue_as_of):
            continue
        rows.append(
            {
                "task": td["id"],
                "title": td["title"],
                "deadline": td["deadline"],
                "due": due.isoformat(),
                "agency": G.nodes[a]["name"],
                "jurisdiction": place(G.nodes[a]),
                "role": role,
                "plan": td["document"],
                "_seq": td["seq"],
                "_id": G.nodes[a]["id"],
            }
        )
    rows.sort(key=lambda r: (r["due"], r["plan"], r["_seq"], r["role"], r["agency"], r["_id"]))
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def agency_profile(G: nx.MultiDiGraph, agencies: Iterable[str]) -> list[Row]:
    """One row per agency: names, kind, jurisdiction, load by role, plans and partners.

    ``partners`` counts the distinct other agencies (collectives included) that
    share at least one task with it.  Order: name, id.
    """
    wanted = {f"agency:{a}" for a in agencies}
    roles: dict[str, dict[str, set[str]]] = {a: {r: set() for r in ROLES} for a in wanted if a in G}
    members: dict[str, set[str]] = defaultdict(set)
    for a, t, role in _roles(G):
        members[t].add(a)
        if a in roles:
            roles[a][role].add(t)
    rows = []
    for a, c in roles.items():
        d = G.nodes[a]
        tasks = c["lead"] | c["directing"] | c["coordinating"]
        partners = set().union(*(members[t] for t in tasks)) - {a} if tasks else set()
        rows.append(
            {
                "agency": d["name"],
                "agency_en": d["name_en"],
                "kind": d["kind"],
                "jurisdiction": place(d),
                "lead": len(c["lead"]),
                "directing": len(c["directing"]),
                "coordinating": len(c["coordinating"]),
                "total": len(tasks),
                "plans": len({G.nodes[t]["document"] for t in tasks}),
                "partners": len(partners),
                "id": d["id"],
            }
        )
    rows.sort(key=lambda r: (r["agency"], r["id"]))
    return rows


def _issuer_place(G: nx.MultiDiGraph, doc: dict[str, Any]) -> str | None:
    """The jurisdiction of a document node's issuer (None when the issuer is not known)."""
    return place(G.nodes.get(f"agency:{doc['issuer']}")) if doc["issuer"] else None


def plan_summary(G: nx.MultiDiGraph) -> list[Row]:
    """One row per plan read: identity, number of tasks, groups, agencies and collectives.

    Order: plan id.
    """
    tasks: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        if d["type"] == "task":
            tasks[d["document"]].append(n)
    rows = []
    for _, d in G.nodes(data=True):
        if d["type"] != "document" or not d["read"]:
            continue
        ts = tasks.get(d["id"], [])
        agencies = {a for t in ts for a, _ in G.in_edges(t) if G.nodes[a]["type"] == "agency"}
        rows.append(
            {
                "plan": d["id"],
                "type": d["doc_type"],
                "number": d["number"],
                "issuer": d["issuer_name"],
                "issuer_jurisdiction": _issuer_place(G, d),
                "date": _iso(d["date"]),
                "tasks": len(ts),
                "groups": len({G.nodes[t]["group"] for t in ts if G.nodes[t]["group"]}),
                "agencies": len({a for a in agencies if not G.nodes[a]["collective"]}),
                "collectives": len({a for a in agencies if G.nodes[a]["collective"]}),
            }
        )
    rows.sort(key=lambda r: r["plan"])
    return rows


def document_chain(G: nx.MultiDiGraph, plan: str | None = None) -> list[Row]:
    """For each plan read (or the one given), the documents it implements, level by level upwards.

    Level 1 is the document the plan implements directly, level 2 the one that
    implements, and so on up to the Central resolution.  Order: plan, level.
    """
    rows = []
    for n, d in G.nodes(data=True):
        if d["type"] != "document" or not d["read"] or (plan and d["id"] != plan):
            continue
        level, current, seen = 0, n, {n}
        while True:
            parents = [v for _, v, k in G.out_edges(current, keys=True) if k == "implements"]
            if not parents or parents[0] in seen:
                break
            level += 1
            current = parents[0]
            seen.add(current)
            p = G.nodes[current]
            rows.append(
                {
                    "plan": d["id"],
                    "level": level,
                    "document": p["id"],
                    "type": p["doc_type"],
                    "number": p["number"],
                    "date": _iso(p["date"]),
                    "issuer": p["issuer_name"],
                    "issuer_jurisdiction": _issuer_place(G, p),
                }
            )
    rows.sort(key=lambda r: (r["plan"], r["level"]))
    return rows


def agency_projection(G: nx.MultiDiGraph, *, collectives: bool = False) -> nx.Graph:
    """Agencies linked by the tasks they share; edge ``weight`` is the number of shared tasks."""
    P = nx.Graph()
    for n in _agencies(G, collectives):
        P.add_node(n, **G.nodes[n])
    for row in co_responsibility(G, collectives=collectives):
        P.add_edge(f"agency:{row['id_a']}", f"agency:{row['id_b']}", weight=row["tasks"])
    return P


# The plan's body (nodes of kg.graph.network.add_audit) ------------------------------------------------


def _body_items(G: nx.MultiDiGraph, kind: str | None = None) -> Iterable[tuple[str, dict[str, Any]]]:
    for n, d in G.nodes(data=True):
        if d["type"] == "body_assignment" and (kind is None or d["kind"] == kind):
            yield n, d


def _addressees(G: nx.MultiDiGraph, item: str) -> list[dict[str, Any]]:
    return [G.nodes[a] for a, _, k in G.in_edges(item, keys=True) if k == "addressed"]


def _strip(rows: list[Row]) -> list[Row]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def requests(G: nx.MultiDiGraph) -> list[Row]:
    """Bodies the plan *asks* ("Đề nghị …") rather than assigns, what it asks, and the appendix rows.

    One row per request item, asked body and linked appendix task (``appendix``
    is ``None`` for an item no appendix row states).  ``section`` is the item
    as cited ("II.1.a", "II.2.d#1").  Order: plan, body position, agency, agency
    id, appendix position.

    >>> from loaders import read_plan
    >>> from loaders.body import read_body
    >>> from kg.graph.audit import audit
    >>> from kg.graph.network import build_graph
    >>> plan = "examples/hanoi-kh-30-ctr-tu-2024.txt"
    >>> G = build_graph(read_plan(plan), [audit(read_body(plan), read_plan(plan))])
    >>> [(r["section"], r["agency"], r["appendix"]) for r in requests(G)][:1]
    [('II.1.a', 'Ban Tuyên giáo Thành ủy', 'I.1')]
    """
    rows = []
    for n, d in _body_items(G, "request"):
        tasks = sorted(
            (G.nodes[t] for _, t, k in G.out_edges(n, keys=True) if k == "corresponds"),
            key=lambda t: t["seq"],
        )
        for a in _addressees(G, n):
            for t in tasks or [None]:
                rows.append(
                    {
                        "plan": d["document"],
                        "section": d["id"],
                        "agency": a["name"],
                        "jurisdiction": place(a),
                        "text": d["text"],
                        "appendix": t["id"] if t else None,
                        "_pos": d["seq"],
                        "_id": a["id"],
                        "_seq": t["seq"] if t else 0,
                    }
                )
    rows.sort(key=lambda r: (r["plan"], r["_pos"], r["agency"], r["_id"], r["_seq"]))
    return _strip(rows)


def reports_to(G: nx.MultiDiGraph) -> list[Row]:
    """Who consolidates whose work: each body item that says where to report ("gửi Sở Nội vụ tổng hợp").

    One row per item, addressee and recipient; ``agency`` is ``None`` for an
    item addressed to no named body.  Order: plan, body position, agency,
    agency id, recipient, recipient id.
    """
    rows = []
    for n, d in _body_items(G):
        recipients = [G.nodes[r] for _, r, k in G.out_edges(n, keys=True) if k == "reports_to"]
        for a in _addressees(G, n) or [None]:
            for r in recipients:
                rows.append(
                    {
                        "plan": d["document"],
                        "section": d["id"],
                        "agency": a["name"] if a else None,
                        "jurisdiction": place(a),
                        "reports_to": r["name"],
                        "reports_to_jurisdiction": place(r),
                        "_pos": d["seq"],
                        "_id": a["id"] if a else "",
                        "_rid": r["id"],
                    }
                )
    rows.sort(key=lambda r: (r["plan"], r["_pos"], r["agency"] or "", r["_id"], r["reports_to"], r["_rid"]))
    return _strip(rows)


def standing_agency(G: nx.MultiDiGraph) -> list[Row]:
    """The standing agency (cơ quan thường trực / đầu mối) of each plan: who monitors and reports on it.

    One row per standing item and body it names.  Order: plan, body position, agency, agency id.
    """
    rows = [
        {
            "plan": d["document"],
            "agency": a["name"],
            "jurisdiction": place(a),
            "section": d["id"],
            "_pos": d["seq"],
            "_id": a["id"],
        }
        for n, d in _body_items(G, "standing")
        for a in _addressees(G, n)
    ]
    rows.sort(key=lambda r: (r["plan"], r["_pos"], r["agency"], r["_id"]))
    return _strip(rows)


def audit_findings(G: nx.MultiDiGraph) -> list[Row]:
    """The audit's findings (:mod:`kg.graph.audit`): where a plan's body and its appendix disagree.

    ``appendix`` and ``section`` are ``None`` when a finding has none.  Order:
    plan, the finding's place in its audit.
    """
    rows = [
        {
            "plan": d["document"],
            "kind": d["kind"],
            "appendix": d["appendix"],
            "section": d["section"],
            "message": d["message"],
            "_pos": d["seq"],
        }
        for _, d in G.nodes(data=True)
        if d["type"] == "finding"
    ]
    rows.sort(key=lambda r: (r["plan"], r["_pos"]))
    return _strip(rows)
