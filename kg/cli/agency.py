"""``kg agency history NAME`` and ``kg holders FILE... --as-of DATE``: agencies through the 2025 reorganisation.

>>> from click.testing import CliRunner
>>> r = CliRunner().invoke(agency, ["history", "Department of Foreign Affairs", "--place", "Hà Nội", "--format", "json"])
>>> import json; json.loads(r.output)["events"][0]["into"]
['Văn phòng UBND Thành phố']
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from kg.cli import read_as_plan
from kg.model.output import format_options, guard_output
from kg.query_params import DAY

__all__ = ["agency", "holders"]


def _gazetteer_entry(name: str, gazetteer):
    """The gazetteer entry *name* denotes: as written, else without diacritics (aliases included)."""
    from kg.model.lookup import _loose

    entry = gazetteer.lookup(name)
    if entry is not None:
        return entry
    key = _loose(name)
    return next((e for e in gazetteer.entries if key in {_loose(label) for label in e.labels()}), None)


def _render_history(name: str, place: str | None) -> tuple[dict, list[dict]]:
    from kg.graph.reorg import agency_history, agency_record, lifespan
    from kg.graph.reorg_events import load_events
    from kg.model.gazetteer import Gazetteer
    from kg.model.lookup import AmbiguousAgency, NoAgency, _is_province, _split, match_agencies
    from kg.model.places import canonical_place
    from kg.model.text import slug

    gazetteer = Gazetteer.default()
    reorg = load_events(gazetteer=gazetteer)
    mentioned = {
        a
        for ev in reorg.events
        for a in (*ev.original, *ev.resulting, *(x for t in ev.functions for x in (t.source, t.target)))
    }
    # The agencies the events name are matched as any store's are (kg.model.lookup); a body the events
    # never touch is still found in the gazetteer, to say it has no recorded change.
    records = [agency_record(a, reorg, gazetteer=gazetteer) for a in sorted(mentioned)]
    text = f"{name}, {place}" if place else name
    try:
        found = match_agencies(records, text, gazetteer)
    except NoAgency as e:
        # A body the events never touch, possibly of a place they never name ("Sở Nội vụ, Đà Nẵng").
        split = _split(text)
        bare, where = split if split and _is_province(split[1]) else (text, None)
        entry = _gazetteer_entry(bare, gazetteer)
        if entry is None:
            raise NoAgency(text, gazetteer.closest(bare) or e.closest) from None
        found = []
    if len({a.jurisdiction for a in found}) > 1:
        raise AmbiguousAgency(text, found)
    if found:
        ids = [a.id for a in found]
        first = found[0]
        entry_name, entry_en, entry_kind = first.name, first.name_en, first.kind
    else:
        local = where and entry.scope == "local"
        ids = [f"{slug(canonical_place(where) or where)}/{entry.key}" if local else entry.key]
        entry_name, entry_en, entry_kind = entry.name, entry.name_en, entry.kind

    def names(agency_ids: list[str], own: str) -> list[str]:
        """Names of agencies; a body of another province than *own*'s says whose it is."""
        out = []
        for a in agency_ids:
            rec = agency_record(a, reorg, gazetteer=gazetteer)
            other = rec.jurisdiction and a.partition("/")[0] != own.partition("/")[0]
            out.append(f"{rec.name} ({rec.jurisdiction})" if other else rec.name)
        return out

    rows = []
    for agency_id in ids:
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
        "name": entry_name,
        "name_en": entry_en,
        "kind": entry_kind,
        "ids": ids,
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
    from kg.graph.reorg import agency_label, holder

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
@format_options()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@guard_output()
def history(name: str, place: str | None, fmt: str, bom: bool, output: Path | None) -> None:
    """What happened to an agency, when, on what legal basis, with sources.

    NAME is a Vietnamese or English name, an alias or an abbreviation, any case, with or
    without diacritics; "Sở Nội vụ, Hà Nội" or "Sở Nội vụ (Hà Nội)" picks a jurisdiction.
    --format json gives the agency and its events; csv, jsonl, md and xlsx the events.

    \b
    Example:
      kg agency history "Sở Thông tin và Truyền thông"
      kg agency history "so ke hoach va dau tu, ha noi"
      kg agency history "Department of Planning and Investment" --format json
    """
    from kg.model.lookup import AmbiguousAgency, NoAgency
    from kg.model.output import OutputError, deliver, render, render_rows, to_json

    try:
        head, rows = _render_history(name, place)
        if fmt != "table":
            cols = ["agency_id", "date", "event", "change", "kind", "into", "from", "functions", "confirmed"]
            cols += ["legal_basis", "sources", "note"]
            data = (
                to_json({"agency": head, "events": rows})
                if fmt == "json"
                else render(rows, fmt, columns=cols, bom=bom)
            )
            deliver(data, output, fmt=fmt)
            return
    except (NoAgency, AmbiguousAgency, OutputError) as e:
        raise click.ClickException(str(e)) from None
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
    click.echo(render_rows(rows, "table", columns=cols), nl=False)
    click.echo("sources:")
    for r in rows:
        click.echo(f"  {r['event']} ({r['change']}): " + "; ".join(r["sources"]))
        if r["note"]:
            click.echo(f"    note: {r['note']}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of", "as_of", type=DAY, required=True, help="The day to answer for (YYYY-MM-DD or 'today')."
)
@format_options()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@click.option("-q", "--quiet", is_flag=True, help="Do not say what was written.")
@guard_output(reads=read_as_plan)
def holders(
    files: tuple[Path, ...], as_of: date, fmt: str, bom: bool, output: Path | None, quiet: bool
) -> None:
    """Who holds each task's role today: the agency a plan named and the one holding the work on a date.

    \b
    Example:
      kg holders examples/hanoi-kh-30-ctr-tu-2024.txt --as-of 2026-01-01
      kg holders examples/hanoi-kh-30-ctr-tu-2024.txt --as-of today --format xlsx -o holders.xlsx
    """
    from kg.graph.network import build_graph
    from kg.graph.reorg import current_holder
    from kg.model.output import OutputError, deliver, render
    from loaders import read_plans

    rows = current_holder(build_graph(read_plans(files)), as_of)
    cols = (
        ["task", "role", "named", "jurisdiction", "holder", "holder_jurisdiction", "confirmed", "events"]
        if fmt == "table"
        else None
    )
    try:
        deliver(render(rows, fmt, columns=cols, bom=bom), output, fmt=fmt)
    except OutputError as e:
        raise click.ClickException(str(e)) from None
    if output is not None and not quiet:
        click.echo(f"wrote {output} ({len(rows)} rows)", err=True)
