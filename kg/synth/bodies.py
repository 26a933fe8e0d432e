"""The bodies a generated plan names: pools built once from the gazetteer with a Zipf-like
load (the bodies that carry most tasks in real plans first), how a plan writes a body
(its name or an alias, place-qualified, in another spelling), and the plain lead and
coordinating cells of a row.

>>> pools = _pools()
>>> len(pools.ministries) > 10 and all(e.scope == "national" for e in pools.ministries)
True
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from kg.model import Agency, Role
from kg.model.gazetteer import Entry, Gazetteer
from kg.model.text import name_key, other_tone_style
from kg.synth.records import PLACES, Place
from kg.synth.vocabulary import _COMMON_COLLECTIVES, _LOCAL_UNKNOWN, _NATIONAL_COLLECTIVES, _NATIONAL_UNKNOWN

# ---------------------------------------------------------------------------
# Agency pools (built once per process from the gazetteer).


@dataclass(frozen=True, slots=True)
class _Pools:
    local: tuple[Entry, ...]  # ranked: heavy first
    collectives: tuple[Entry, ...]
    national: tuple[Entry, ...]  # usable in any plan
    bound: dict[str, tuple[Entry, ...]]  # national entries that belong to one place
    ministries: tuple[Entry, ...]
    places: tuple[str, ...]  # name keys of every place, to keep aliases of other places out
    forms: dict[str, str]  # entry key -> "city", "province" or "any"


def _form(entry: Entry) -> str:
    """ "city", "province" or "any": which kind of place a local entry belongs to."""
    k = name_key(entry.name)
    if any(w in k for w in _CITY_WORDS) or re.search(r"\btp\b", k):
        return "city"
    if any(w in k for w in _PROVINCE_WORDS):
        return "province"
    return "any"


_CITY_WORDS = tuple(name_key(w) for w in ("thành phố", "thành ủy", "quận"))
_PROVINCE_WORDS = tuple(name_key(w) for w in ("tỉnh",))
# The bodies that carry most tasks in real plans, heaviest first; the rest follow in gazetteer order.
_HEAVY = (
    "so-noi-vu",
    "so-tai-chinh",
    "so-khoa-hoc-va-cong-nghe",
    "so-giao-duc-va-dao-tao",
    "so-y-te",
    "so-cong-thuong",
    "so-xay-dung",
    "so-nong-nghiep-va-moi-truong",
    "so-van-hoa-the-thao-va-du-lich",
    "so-van-hoa-va-the-thao",
    "so-tu-phap",
    "van-phong-ubnd-tinh",
    "van-phong-ubnd-thanh-pho",
    "cong-an-tinh",
    "cong-an-thanh-pho",
    "ban-tuyen-giao-tinh-uy",
    "ban-tuyen-giao-thanh-uy",
    "so-ke-hoach-va-dau-tu",
    "so-thong-tin-va-truyen-thong",
)
_HEAVY_MINISTRIES = (
    "bo-khoa-hoc-va-cong-nghe",
    "bo-tai-chinh",
    "bo-noi-vu",
    "bo-cong-an",
    "bo-giao-duc-va-dao-tao",
    "bo-cong-thuong",
    "bo-y-te",
    "bo-tu-phap",
)
# National entries that belong to one place though their names do not say so.
_HOME = {"truong-dao-tao-can-bo-le-hong-phong": "Hà Nội", "ban-quan-ly-khu-cong-nghe-cao-hoa-lac": "Hà Nội"}


def _ranked(entries: list[Entry], head: tuple[str, ...]) -> tuple[Entry, ...]:
    rank = {k: i for i, k in enumerate(head)}
    return tuple(sorted(entries, key=lambda e: rank.get(e.key, len(rank))))


@cache
def _pools() -> _Pools:
    g = Gazetteer.default()
    place_keys = tuple(name_key(p.name) for p in PLACES)
    bound: dict[str, list[Entry]] = {}
    national, ministries, local, collectives = [], [], [], []
    for e in g.entries:
        if e.scope == "national":
            labels = [name_key(x) for x in (e.name, *e.aliases)]
            home = _HOME.get(e.key) or next(
                (p.name for p, k in zip(PLACES, place_keys, strict=True) if any(k in x for x in labels)), None
            )
            if home:
                bound.setdefault(home, []).append(e)
            elif e.kind == "ministry":
                ministries.append(e)
            elif e.kind != "government" and e.key != "ban-chap-hanh-trung-uong-dang":
                national.append(e)
        elif e.kind == "collective":
            collectives.append(e)
        elif e.kind not in {"people_committee", "peoples_council"}:
            local.append(e)
    ranked_ministries = _ranked(ministries, _HEAVY_MINISTRIES)
    return _Pools(
        _ranked(local, _HEAVY),
        tuple(collectives),
        ranked_ministries + tuple(national),
        {k: tuple(v) for k, v in bound.items()},
        ranked_ministries,
        place_keys,
        {e.key: _form(e) for e in g.entries},
    )


@cache
def _zipf_weights(n: int, s: float) -> tuple[float, ...]:
    total, out = 0.0, []
    for r in range(n):
        total += 1.0 / (r + 1) ** s
        out.append(total)
    return tuple(out)


def _zipf_pick(rng: random.Random, items: list, s: float = 1.1):
    """An item of *items*, the first ones far likelier (weight 1/rank^s)."""
    return rng.choices(items, cum_weights=_zipf_weights(len(items), s), k=1)[0]


# ---------------------------------------------------------------------------
# Spelling variants.


def _variant(rng: random.Random, label: str) -> str:
    """The same name typed another way: NFD, other tone placement, case, non-breaking space."""
    r = rng.random()
    if r < 0.05:
        return unicodedata.normalize("NFD", label)
    if r < 0.10:
        return other_tone_style(label)
    if r < 0.13:
        return label.upper()
    if r < 0.17:
        return label[0].lower() + label[1:]
    if r < 0.21 and " " in label:
        i = label.index(" ")
        return label[:i] + "\u00a0" + label[i + 1 :]
    return label


@cache
def _labels(entry: Entry, city: bool | None) -> tuple[str, ...]:
    """The aliases a plan of a city (or province, or the nation) may write: none naming another place."""
    pools = _pools()
    other_form = ("tỉnh",) if city else ("thành phố", "tp")
    out = []
    for a in entry.aliases:
        k = name_key(a)
        if any(p in k for p in pools.places) or any(re.search(rf"\b{w}\b", k) for w in other_form):
            continue
        out.append(a)
    return (entry.name, *out)


def _written(rng: random.Random, entry: Entry, place: Place | None, pools: _Pools) -> str:
    """How a plan writes a gazetteer body: its name or an alias, maybe place-qualified, maybe a variant."""
    label = entry.name if rng.random() < 0.7 else rng.choice(_labels(entry, place.city if place else None))
    if (
        place is not None
        and entry.scope == "local"
        and entry.kind != "collective"
        and not place.name.startswith("Thành phố")
        and rng.random() < 0.1
    ):
        k = name_key(label)
        if "các" not in k and not re.search(r"(?:tỉnh|thành phố|tp\.?)$", k):
            label = f"{label} {place.qualifier}"
    return _variant(rng, label)


def _local_pool(pools: _Pools, place: Place | None, kind: str) -> list[Entry]:
    if place is None:  # a ministry's plan: national bodies
        return list(pools.national)
    form = "city" if place.city else "province"
    local = [e for e in pools.local if pools.forms[e.key] in {"any", form}]
    # The place's own national bodies, then a few ministries: provincial plans name them less.
    return local[:30] + list(pools.bound.get(place.name, ())) + local[30:] + list(pools.ministries[:8])


def _collective_pool(pools: _Pools, g: Gazetteer, place: Place | None) -> list[Entry]:
    keys = _NATIONAL_COLLECTIVES if place is None else _COMMON_COLLECTIVES
    form = "national" if place is None else ("city" if place.city else "province")
    out = []
    for k in keys:
        e = g.get(k)
        if e is not None and (form == "national" or _form(e) in {"any", form}):
            out.append(e)
    return out


def _unknown_names(place: Place | None) -> list[str]:
    if place is None:
        return list(_NATIONAL_UNKNOWN)
    word = "Thành phố" if place.city else "tỉnh"
    return [n.replace(" tỉnh", f" {word}") for n in _LOCAL_UNKNOWN[: 4 + len(place.name) % 5]]


def _pick_body(
    rng: random.Random,
    g: Gazetteer,
    pools: _Pools,
    place: Place | None,
    jurisdiction: str | None,
    local_pool: list[Entry],
    unknown: list[str],
    exclude: set[str],
) -> tuple[Agency, str, bool]:
    """One body for a cell: (agency, as written, recognised)."""
    for _ in range(20):
        if rng.random() < 0.04:
            name = rng.choice(unknown)
            agency = g.unrecognised(name, jurisdiction)
            written, known = name, False
        else:
            entry = _zipf_pick(rng, local_pool)
            agency = g.resolve(entry, jurisdiction)
            written, known = _written(rng, entry, place, pools), True
        if agency.id not in exclude:
            exclude.add(agency.id)
            return agency, written, known
    raise RuntimeError("agency pool exhausted")  # pragma: no cover - pools hold dozens of bodies


def _lead_cell(rng, pools, g, place, jurisdiction, local_pool, unknown, collectives):
    """The lead cell: one body, a collective, "X chỉ đạo, Y chủ trì" or two bodies."""
    used: set[str] = set()
    r = rng.random()
    if r < 0.07 and place is not None:
        directing_pool = [e for e in local_pool if e.kind == "party_body" and e.scope == "local"]
        d_entry = rng.choice(directing_pool)
        d_agency = g.resolve(d_entry, jurisdiction)
        used.add(d_agency.id)
        lead, written, known = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
        cell = f"{_written(rng, d_entry, place, pools)} chỉ đạo, {written} chủ trì"
        return cell, [(d_agency, Role.DIRECTING), (lead, Role.LEAD)], [] if known else [written]
    if r < 0.15 and collectives:
        entry = rng.choice(collectives)
        return _written(rng, entry, place, pools), [(g.resolve(entry, jurisdiction), Role.LEAD)], []
    a, wa, ka = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
    if r < 0.18:
        b, wb, kb = _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used)
        return f"{wa}, {wb}", [(a, Role.LEAD), (b, Role.LEAD)], [w for w, k in ((wa, ka), (wb, kb)) if not k]
    if r < 0.21:
        return f"{wa} (chủ trì)", [(a, Role.LEAD)], [] if ka else [wa]
    return wa, [(a, Role.LEAD)], [] if ka else [wa]


def _coord_cell(rng, pools, g, place, jurisdiction, local_pool, unknown, collectives, lead_ids):
    """The coordinating cell as parts joined by commas, its agencies and its unknown names."""
    n = rng.choices((0, 1, 2, 3, 4), weights=(20, 30, 25, 15, 10), k=1)[0]
    used = set(lead_ids)
    parts: list[str] = []
    agencies: list[Agency] = []
    unknown_written: list[str] = []
    with_collective = n > 0 and collectives and rng.random() < 0.5
    bodies = n - 1 if with_collective else n
    picked = [
        _pick_body(rng, g, pools, place, jurisdiction, local_pool, unknown, used) for _ in range(bodies)
    ]
    for a, w, known in picked:
        parts.append(w)
        agencies.append(a)
        if not known:
            unknown_written.append(w)
    # Two known bodies side by side with no separator, as some copies print them.
    # (Only before "Sở …"/"Bộ …": an alias ending in "tỉnh" would swallow the "Tỉnh" of "Tỉnh ủy".)
    if (
        len(picked) >= 2
        and all(g.lookup(w) for _, w, _ in picked[:2])
        and name_key(picked[1][1]).startswith(("sở ", "bộ "))
        and rng.random() < 0.1
    ):
        parts[:2] = [f"{parts[0]} {parts[1]}"]
    if with_collective:
        entry = rng.choice(collectives)
        c = g.resolve(entry, jurisdiction)
        if c.id not in used:
            written = _written(rng, entry, place, pools)
            parts.append(written if not parts or rng.random() < 0.5 else written[0].lower() + written[1:])
            agencies.append(c)
    return parts, agencies, unknown_written
