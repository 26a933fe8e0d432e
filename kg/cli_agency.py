"""``kg agency history NAME`` and ``kg holders FILE... --as-of DATE``: agencies through the 2025 reorganisation.

>>> from click.testing import CliRunner
>>> r = CliRunner().invoke(agency, ["history", "Department of Foreign Affairs", "--place", "Hà Nội", "--format", "json"])
>>> import json; json.loads(r.output)["events"][0]["into"]
['Văn phòng UBND Thành phố']
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

__all__ = ["agency", "holders"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _render_history(name: str, place: str | None) -> tuple[dict, list[dict]]:
    from kg.gazetteer import Gazetteer
    from kg.places import canonical_place
    from kg.reorg import agency_history, agency_record, lifespan, load_events
    from kg.text import slug

    gazetteer = Gazetteer.default()
    entry = gazetteer.lookup(name)
    if entry is None:
        closest = gazetteer.closest(name)
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        raise click.ClickException(f"no agency in the gazetteer matches {name!r}{hint}")
    reorg = load_events(gazetteer=gazetteer)
    mentioned = {
        a
        for ev in reorg.events
        for a in (*ev.original, *ev.resulting, *(x for t in ev.functions for x in (t.source, t.target)))
    }
    if entry.scope == "local":
        ids = sorted(a for a in mentioned if a.rsplit("/", 1)[-1] == entry.key)
        if place:
            # Any province's body, named in an event or not (a merged province's bodies pass on as a whole).
            ids = [f"{slug(canonical_place(place) or place)}/{entry.key}"]
    else:
        ids = [entry.key]

    def names(agency_ids: list[str], own: str) -> list[str]:
        """Names of agencies; a body of another province than *own*'s says whose it is."""
        out = []
        for a in agency_ids:
            rec = agency_record(a, reorg, gazetteer=gazetteer)
            other = rec.jurisdiction and a.partition("/")[0] != own.partition("/")[0]
            out.append(f"{rec.name} ({rec.jurisdiction})" if other else rec.name)
        return out

    rows = []
    for agency_id in ids or [entry.key]:
        for r in agency_history(agency_id, reorg):
            rows.append(
                {
                    "agency_id": agency_id,
                    **r,
                    "from": names(r["from"], agency_id),
                    "into": names(r["into"], agency_id),
                }
            )
    head = {
        "name": entry.name,
        "name_en": entry.name_en,
        "kind": entry.kind,
        "ids": ids or [entry.key],
        "existed": [
            {
                "id": s.agency,
                "from": s.start.isoformat() if s.start else None,
                "until": s.end.isoformat() if s.end else None,
            }
            for a in ids
            if (s := lifespan(a, reorg))
        ],
        "rule": {"legal_basis": reorg.rule.legal_basis, "sources": list(reorg.rule.sources)},
        # Every step from the body to whoever holds its work today, each with its sources.
        "held_by": [_held_by(a, reorg, gazetteer) for a in ids],
    }
    return head, rows


def _held_by(agency_id: str, reorg, gazetteer) -> dict:
    from kg.reorg import agency_label, holder

    today = date.today()
    h = holder(agency_id, today, reorg=reorg)
    return {
        "id": agency_id,
        "as_of": today.isoformat(),
        "holder_id": list(h.agencies),
        "holder": [agency_label(x, gazetteer=gazetteer)["name"] for x in h.agencies],
        "confirmed": h.confirmed,
        "steps": [
            {
                "date": s.date.isoformat(),
                "event": s.event,
                "from": s.source,
                "to": s.target,
                "confirmed": s.confirmed,
                "legal_basis": s.legal_basis,
                "sources": list(s.sources),
            }
            for s in h.steps
        ],
    }


@click.group()
def agency() -> None:
    """Agencies over time: what the 2025 reorganisation did to them."""


@agency.command()
@click.argument("name")
@click.option("--place", help="Only this jurisdiction's body, for a local name (e.g. 'Hà Nội').")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def history(name: str, place: str | None, fmt: str) -> None:
    """What happened to an agency, when, on what legal basis, with sources.

    NAME is any spelling of a Vietnamese name, an English name or an alias.

    \b
    Example:
      kg agency history "Sở Thông tin và Truyền thông"
      kg agency history "Department of Planning and Investment" --format json
    """
    from kg.output import render_rows, to_json

    head, rows = _render_history(name, place)
    if fmt == "json":
        click.echo(to_json({"agency": head, "events": rows}), nl=False)
        return
    click.echo(f"{head['name']} ({head['name_en']}; {head['kind']})")
    for s in head["existed"]:
        click.echo(f"  {s['id']}: existed until {s['until'] or '-'}, from {s['from'] or 'before the events'}")
    for h in head["held_by"]:
        if h["steps"]:
            mark = "" if h["confirmed"] else " (not every step confirmed)"
            click.echo(f"  {h['id']}: held on {h['as_of']} by {', '.join(h['holder_id'])}{mark}")
            for s in h["steps"]:
                ok = "confirmed" if s["confirmed"] else "UNCONFIRMED"
                click.echo(f"    {s['date']} {s['from']} -> {s['to']} ({s['event']}, {ok})")
    if not rows:
        click.echo("  no recorded change")
        return
    cols = ["date", "change", "kind", "into", "from", "functions", "confirmed", "legal_basis"]
    click.echo(render_rows(rows, "table", columns=cols, width=70), nl=False)
    click.echo("sources:")
    for r in rows:
        click.echo(f"  {r['event']} ({r['change']}): " + "; ".join(r["sources"]))
        if r["note"]:
            click.echo(f"    note: {r['note']}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", "as_of", type=_DATE, required=True, help="The day to answer for (YYYY-MM-DD).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
def holders(files: tuple[Path, ...], as_of: datetime, fmt: str, output: Path | None) -> None:
    """Who holds each task's role today: the agency a plan named and the one holding the work on a date.

    \b
    Example:
      kg holders examples/hanoi-kh-30-ctr-tu-2024.txt --as-of 2026-01-01
    """
    from kg.network import build_graph
    from kg.output import render_rows, write_atomic
    from kg.reorg import current_holder
    from loaders import read_plans

    day: date = as_of.date()
    rows = current_holder(build_graph(read_plans(files)), day)
    cols = (
        ["task", "role", "named", "jurisdiction", "holder", "holder_jurisdiction", "confirmed", "events"]
        if fmt == "table"
        else None
    )
    text = render_rows(rows, fmt, columns=cols)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"wrote {output} ({len(rows)} rows)", err=True)
