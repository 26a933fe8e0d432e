"""The command line as a researcher uses it every day: the default store, tables that fit, names as typed,
files a spreadsheet opens, consistent options."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main
from kg.model.settings import default_store
from kg.pipeline import build_files
from tests.support.deps import need

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "hanoi-kh-30-ctr-tu-2024.txt"
HOME_AFFAIRS_TASKS = ["II.1", "II.2", "III.1", "III.5", "V.1", "V.2", "V.3"]


def _danang(tmp: Path) -> Path:
    """The sample as another city's plan, so that "Sở Nội vụ" names two agencies."""
    text = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    text[4] = text[4].replace("Hà Nội", "Đà Nẵng")
    text[10] = text[10].replace("thành phố Hà Nội", "thành phố Đà Nẵng")
    out = tmp / "danang.txt"
    out.write_text("".join(text), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("cli")
    build_files([SAMPLE], tmp / "sample", jobs=1)
    build_files([SAMPLE, _danang(tmp)], tmp / "two", jobs=1)
    return {"sample": tmp / "sample", "two": tmp / "two"}


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# The default store -------------------------------------------------------------------------------


def test_the_cli_and_the_api_share_the_default_store(stores, monkeypatch, tmp_path) -> None:
    import kg.api

    monkeypatch.setenv("KG_STORE", str(stores["sample"]))
    assert default_store() == stores["sample"] and kg.api.default_store is default_store
    r = _run("query", "agency-load", "--format", "json")  # no --store: $KG_STORE
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["agency"] == "Sở Nội vụ"
    monkeypatch.delenv("KG_STORE")
    monkeypatch.chdir(tmp_path)
    assert default_store() == Path(".kg")
    missing = _run("query", "agency-load")
    assert (
        missing.exit_code == 1 and ".kg" in missing.output and len(missing.output.strip().splitlines()) == 1
    )


def test_make_demo_builds_where_kg_looks() -> None:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = text[text.index("\ndemo:") :].split("\n\n")[0]
    assert "kg build $(SAMPLE) --store $(STORE)" in demo
    assert "STORE ?= $(or $(KG_STORE),.kg)" in text
    assert "PIP_DISABLE_PIP_VERSION_CHECK" in text and "pip install -q" in text
    tries = [line for line in demo.splitlines() if line.strip().startswith('@echo "  kg ')]
    assert len(tries) == 3 and any("report.html" in line for line in demo.splitlines())
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert ". .venv/bin/activate" in readme and "kg query agency-load" in readme


# Tables that fit ---------------------------------------------------------------------------------


def test_agency_load_fits_100_columns_with_jurisdictions(stores) -> None:
    r = _run("query", "agency-load", "--store", str(stores["two"]), env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert max(map(len, lines)) <= 100, r.output
    assert lines[0].split()[:2] == ["agency", "jurisdiction"]
    full = json.loads(_run("query", "agency-load", "--store", str(stores["two"]), "--format", "json").output)
    for row, line in zip(full, lines[2:], strict=False):
        numbers = [int(x) for x in re.findall(r"(?<!\S)\d+(?!\S)", line)]
        assert numbers[-4:] == [row["lead"], row["directing"], row["coordinating"], row["total"]], line
        assert row["jurisdiction"] in line
    assert "Sở Nội vụ" in r.output and "Đà Nẵng" in r.output and "Hà Nội" in r.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl", "md"])
def test_every_text_format_on_query(stores, fmt) -> None:
    r = _run(
        "query", "depends-on", "-p", "agency=Sở Nội vụ", "--store", str(stores["sample"]), "--format", fmt
    )
    assert r.exit_code == 0, r.output
    assert "Sở Nội vụ" in r.output and "Tham mưu" in r.output


# One agency matcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["so noi vu", "SỞ NỘI VỤ", "Department of Home Affairs", "Sở Nội vụ (Hà Nội)"]
)
def test_depends_on_takes_the_name_as_typed(stores, name) -> None:
    r = _run(
        "query", "depends-on", "-p", f"agency={name}", "--store", str(stores["sample"]), "--format", "json"
    )
    assert r.exit_code == 0, r.output
    assert [row["task"] for row in json.loads(r.output)] == HOME_AFFAIRS_TASKS


def test_an_ambiguous_name_lists_its_jurisdictions_and_a_place_picks_one(stores) -> None:
    two = str(stores["two"])
    r = _run("query", "depends-on", "-p", "agency=so noi vu", "--store", two, env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    note = [line for line in r.output.splitlines() if line.startswith("note:")]
    assert len(note) == 1 and "2 agencies" in note[0] and "Đà Nẵng" in note[0] and "Hà Nội" in note[0]
    assert "add the jurisdiction" in note[0]
    machine = _run("query", "depends-on", "-p", "agency=so noi vu", "--store", two, "--format", "json")
    rows = json.loads(machine.output)  # no note mixed in: each row names its jurisdiction
    assert {x["jurisdiction"] for x in rows} == {"Hà Nội", "Đà Nẵng"} and len(rows) == 14
    for picked in ("Sở Nội vụ, Đà Nẵng", "so noi vu (da nang)"):
        r = _run("query", "depends-on", "-p", f"agency={picked}", "--store", two, "--format", "json")
        assert r.exit_code == 0, r.output
        rows = json.loads(r.output)
        assert [x["task"] for x in rows] == HOME_AFFAIRS_TASKS and {x["jurisdiction"] for x in rows} == {
            "Đà Nẵng"
        }
    history = _run("agency", "history", "so noi vu, da nang")
    assert history.exit_code == 0, history.output
    assert "Sở Nội vụ" in history.output and "Sở Lao động - Thương binh và Xã hội" in history.output


def test_agency_history_takes_names_without_diacritics() -> None:
    # Every province had one: the place picks Hà Nội's (without it the candidates are listed).
    r = _run("agency", "history", "so ke hoach va dau tu, ha noi", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["events"][0]["into"] == ["Sở Tài chính"]
    r = _run("agency", "history", "so ngoai vu, ha noi")
    assert r.exit_code == 0 and "Văn phòng UBND Thành phố" in r.output
    r = _run("agency", "history", "Sở Không Có Thật")
    assert r.exit_code == 1 and len(r.output.strip().splitlines()) == 1


# Files a spreadsheet opens -----------------------------------------------------------------------


def test_xlsx_export_keeps_vietnamese(stores, tmp_path) -> None:
    openpyxl = need("openpyxl")
    out = tmp_path / "load.xlsx"
    r = _run("query", "agency-load", "--store", str(stores["sample"]), "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "agency" and ws["A2"].value == "Sở Nội vụ" and ws["B2"].value == "Hà Nội"
    assert isinstance(ws["E2"].value, int)
    to_terminal = _run("query", "agency-load", "--store", str(stores["sample"]), "--format", "xlsx")
    assert to_terminal.exit_code == 1 and "-o" in to_terminal.output


def test_excel_csv_has_a_bom_and_neutralised_formulas(stores, tmp_path) -> None:
    out = tmp_path / "tasks.csv"
    r = _run("extract", str(SAMPLE), "--format", "csv", "--excel", "-o", str(out), "-q")
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert any("Sở Nội vụ" in " ".join(map(str, r.values())) for r in rows)
    cells = [v for r in rows for v in r.values() if v]
    assert not any(v[0] in "=+-@" for v in cells)  # e.g. a title starting with "- " is quoted
    q = tmp_path / "q.csv"
    r = _run(
        "query", "agency-load", "--store", str(stores["sample"]), "--format", "csv", "--bom", "-o", str(q)
    )
    assert r.exit_code == 0 and q.read_bytes().startswith(b"\xef\xbb\xbf")


def test_outputs_follow_the_umask(stores, tmp_path) -> None:
    old = os.umask(0o022)
    try:
        for args, out in [
            (["query", "agency-load", "--store", str(stores["sample"]), "-o"], tmp_path / "a.txt"),
            (
                ["holders", str(SAMPLE), "--as-of", "2026-01-01", "--format", "csv", "-q", "-o"],
                tmp_path / "h.csv",
            ),
            (["report", str(SAMPLE), "-q", "-o"], tmp_path / "r.html"),
        ]:
            r = _run(*args, str(out))
            assert r.exit_code == 0, r.output
            assert stat.S_IMODE(out.stat().st_mode) == 0o644, out
    finally:
        os.umask(old)


# Consistent commands -----------------------------------------------------------------------------


def test_holders_takes_today() -> None:
    r = _run("holders", str(SAMPLE), "--as-of", "today", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    later = json.loads(
        _run("holders", str(SAMPLE), "--as-of", date.today().isoformat(), "--format", "json").output
    )
    assert rows == later and rows
    bad = _run("holders", str(SAMPLE), "--as-of", "tomorrow")
    assert bad.exit_code == 2 and "today" in bad.output


@pytest.mark.parametrize("command", ["viz", "report"])
def test_pages_take_today_and_quiet(command, tmp_path) -> None:
    out = tmp_path / "p.html"
    r = _run(command, str(SAMPLE), "--as-of", "today", "-q", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert r.output == "" and out.stat().st_size > 1000


def test_every_long_command_takes_quiet() -> None:
    long = ["extract", "build", "audit", "synth", "viz", "report", "holders"]
    for name in long:
        assert name in COMMANDS
        r = _run(name, "--help")
        assert "-q, --quiet" in r.output, name


def test_one_line_errors_without_traceback(tmp_path) -> None:
    cases = [
        ["query", "agency-load", "--store", str(tmp_path / "none")],
        ["query", "nope"],
        ["extract", str(tmp_path / "missing.txt")],
        ["holders", str(SAMPLE), "--as-of", "today", "--format", "xlsx"],
    ]
    for args in cases:
        r = _run(*args)
        assert r.exit_code != 0, args
        assert "Traceback" not in r.output and len(r.output.strip().splitlines()) <= 3, (args, r.output)
        assert r.output.strip().splitlines()[-1].startswith(("Error:", "error:")), (args, r.output)


def test_kg_is_reached_as_the_readme_says() -> None:
    """The README's first block runs `kg` after activating .venv: the console script exists there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme[readme.index("```sh") : readme.index("```", readme.index("```sh") + 5)]
    assert first.index("make demo") < first.index(". .venv/bin/activate") < first.index("kg query")
    script = subprocess.run(
        ["grep", "-n", 'kg = "kg.cli:main"', str(ROOT / "pyproject.toml")], capture_output=True, text=True
    )
    assert script.returncode == 0
