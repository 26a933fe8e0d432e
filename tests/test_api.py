"""The Python API (kg.api): kg.open(), queries as DataFrames equal to the command line's JSON, agencies by name."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.api import AmbiguousAgency, UnknownQuery
from kg.graph import metrics
from kg.model.lookup import NoAgency
from kg.pipeline import build_files
from kg.query_params import ParamError
from kg.stores import StoreError
from tests.support.deps import need

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
pd = need("pandas")


def _danang(tmp: Path) -> Path:
    """The sample as another city's plan, so that "Sở Nội vụ" names two agencies."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].startswith("Hà Nội, ngày")
    lines[4] = lines[4].replace("Hà Nội", "Đà Nẵng")
    lines[10] = lines[10].replace("thành phố Hà Nội", "thành phố Đà Nẵng")
    out = tmp / "danang-kh-30-ctr-tu-2024.txt"
    out.write_text("".join(lines), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("api")
    build_files([SAMPLE], tmp / "sample", jobs=1)
    build_files([SAMPLE, _danang(tmp)], tmp / "two", jobs=1)
    return {"sample": tmp / "sample", "two": tmp / "two"}


def _cli(store: Path, name: str, *args: str) -> list[dict]:
    from kg.cli import main

    r = CliRunner().invoke(main, ["query", name, "--store", str(store), "--format", "json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _records(df) -> list[dict]:
    """A DataFrame's rows with pandas' missing values as None, as JSON has them."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


@pytest.mark.parametrize(
    ("name", "params", "args"),
    [
        ("agency-load", {}, []),
        ("agency-load", {"as_of": "2026-01-01"}, ["--as-of", "2026-01-01"]),
        ("agency-load", {"collectives": True}, ["-p", "collectives=true"]),
        ("depends-on", {"agency": "Sở Nội vụ"}, ["-p", "agency=Sở Nội vụ"]),
        (
            "deadlines",
            {"from_": "2024-01-01", "to": "2024-06-30"},
            ["-p", "from=2024-01-01", "-p", "to=2024-06-30"],
        ),
        (
            "depends-on",
            {"agency": "Sở Tài chính", "as_of": "2026-01-01"},
            ["-p", "agency=Sở Tài chính", "--as-of", "2026-01-01"],
        ),
    ],
)
def test_dataframe_equals_the_cli_json(stores, name: str, params: dict, args: list[str]) -> None:
    expected = _cli(stores["sample"], name, *args)
    assert expected, "the sample answers every case"
    with kg.open(stores["sample"]) as g:
        df = g.query(name, **params)
        rows = g.query(name, frame=False, **params)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(expected[0])
    assert _records(df) == expected
    assert rows == expected


def test_without_pandas_rows_are_plain_dicts(stores, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with kg.open(stores["sample"]) as g:
        rows = g.query("agency-load")
        assert rows == _cli(stores["sample"], "agency-load")
        with pytest.raises(ImportError, match="analysis"):
            g.query("agency-load", frame=True)


def test_as_of_changes_the_current_holder_rows(stores) -> None:
    with kg.open(stores["sample"]) as g:
        before = g.query("current-holder", as_of="2024-06-01", frame=False)
        after = g.query("current-holder", as_of="2026-01-01", frame=False)
        df = g.query("current-holder", as_of="2026-01-01")
    assert before == _cli(stores["sample"], "current-holder", "--as-of", "2024-06-01")
    assert after == _cli(stores["sample"], "current-holder", "--as-of", "2026-01-01")
    assert _records(df) == after
    with kg.open(stores["sample"]) as g:  # a date object is the same day as its ISO text
        assert g.query("current-holder", as_of=date(2026, 1, 1), frame=False) == after
    # Before the reorganisation every role is held by the agency the plan named; after it, some move.
    assert all(r["holder"] == [r["named"]] and not r["events"] for r in before)
    moved = {(r["task"], r["role"], r["named"]): r["holder"] for r in after if r["holder"] != [r["named"]]}
    assert moved[("IV.1", "lead", "Sở Kế hoạch và Đầu tư")] == ["Sở Tài chính"]
    assert [(r["task"], r["role"]) for r in before] == [(r["task"], r["role"]) for r in after]


def test_agency_record_agrees_with_agency_profile(stores) -> None:
    with kg.open(stores["sample"]) as g:
        for as_of in (None, "2026-01-01"):
            for a in g.agencies(frame=False):
                if a["collective"]:
                    continue
                record = g.agency(a["id"], as_of=as_of)
                [profile] = g.query("agency-profile", agency=a["id"], as_of=as_of, frame=False)
                assert (record.name, record.jurisdiction) == (profile["agency"], profile["jurisdiction"])
                counts = {role: len(tasks) for role, tasks in record.tasks.items()}
                assert counts == {r: profile[r] for r in ("lead", "directing", "coordinating")}, a["id"]
                assert record.total == profile["total"], a["id"]
                assert len(record.partners) == profile["partners"], a["id"]


def test_agency_by_name_any_spelling(stores) -> None:
    with kg.open(stores["sample"]) as g:
        for name in (
            "Sở Nội vụ",
            "SỞ NỘI VỤ",
            "so noi vu",
            "So Noi Vu, Ha Noi",
            "Department of Home Affairs",
            "Sở Nội vụ (thành phố Hà Nội)",
            "ha-noi/so-noi-vu",
        ):
            assert g.agency(name).id == "ha-noi/so-noi-vu", name
        home = g.agency("Sở Nội vụ")
        assert [t.task for t in home.tasks["lead"]] == ["II.1", "II.2", "III.1", "III.5", "V.1", "V.2", "V.3"]
        assert g.agency("van phong ubnd thanh pho").name == "Văn phòng UBND Thành phố"
        with pytest.raises(NoAgency) as e:
            g.agency("Sở Nội vụ, Đà Nẵng")  # no Đà Nẵng plan in this store
        assert "\n" not in str(e.value) and "closest: Sở Nội vụ (Hà Nội)" in str(e.value)


def test_ambiguous_names_list_the_candidates(stores) -> None:
    with kg.open(stores["two"]) as g:
        for name in ("Sở Nội vụ", "so noi vu", "Department of Home Affairs"):
            with pytest.raises(AmbiguousAgency) as e:
                g.agency(name)
            message = str(e.value)
            assert "\n" not in message
            assert "Hà Nội" in message and "Đà Nẵng" in message and "add the jurisdiction" in message
            assert [a.id for a in e.value.candidates] == ["da-nang/so-noi-vu", "ha-noi/so-noi-vu"]
        assert g.agency("Sở Nội vụ, Hà Nội").id == "ha-noi/so-noi-vu"
        assert g.agency("Sở Nội vụ (Đà Nẵng)").id == "da-nang/so-noi-vu"
        assert g.agency("so noi vu, da nang").id == "da-nang/so-noi-vu"
        assert g.agency("Department of Home Affairs (Đà Nẵng)").id == "da-nang/so-noi-vu"
        # A query answers for every jurisdiction a name spans, as the command line does; a place narrows it.
        both = g.query("depends-on", agency="so noi vu", frame=False)
        assert both == _cli(stores["two"], "depends-on", "-p", "agency=Sở Nội vụ")
        assert len(both) == 14
        danang = g.query("depends-on", agency="Sở Nội vụ, Đà Nẵng", frame=False)
        assert len(danang) == 7 and all(r["plan"].startswith("da-nang/") for r in danang)


def test_networkx_answers_as_the_queries(stores) -> None:
    with kg.open(stores["sample"]) as g:
        for as_of in (None, "2026-01-01"):
            assert metrics.agency_load(g.networkx(as_of=as_of)) == g.query(
                "agency-load", as_of=as_of, frame=False
            )


def test_kg_store_variable_and_default(stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    with pytest.raises(StoreError) as e:
        kg.open()
    assert str(e.value).startswith(".kg: ") and "kg build" in str(e.value) and "\n" not in str(e.value)
    monkeypatch.setenv("KG_STORE", str(stores["sample"]))
    with kg.open() as g:
        assert g.path == stores["sample"]
        assert g.query("agency-load", frame=False)[0]["agency"] == "Sở Nội vụ"


def test_errors_are_one_line_exceptions(stores, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(StoreError, match=rf"^{missing}: no store here; run `kg build"):
        kg.open(missing)
    g = kg.open(stores["sample"])
    with pytest.raises(UnknownQuery) as e:
        g.query("agency-loads")
    assert str(e.value).startswith("no named query 'agency-loads'; known: ") and "agency-load" in str(e.value)
    with pytest.raises(ParamError, match="must be a date"):
        g.query("agency-load", as_of="yesterday")
    with pytest.raises(ParamError, match="needs --param agency"):
        g.query("depends-on")
    with pytest.raises(ParamError, match="as_of must be a date"):
        g.agency("Sở Nội vụ", as_of="soon")
    with g:
        pass
    with pytest.raises(StoreError, match="closed"):
        g.query("agency-load")


def test_queries_lists_names_and_parameters(stores) -> None:
    from queries import registry

    with kg.open(stores["sample"]) as g:
        listed = g.queries()
    assert set(listed["name"]) == {n for n, q in registry().items() if q.sparql}
    deadlines = listed.set_index("name").loc["deadlines"]
    assert "from: date = none" in deadlines["params"] and "due" in deadlines["returns"]


def test_import_kg_stays_cheap() -> None:
    code = "import kg, sys; print('kg.api' in sys.modules, 'pandas' in sys.modules, callable(kg.open))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
