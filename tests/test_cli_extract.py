"""``kg extract`` from the command line: formats, bad input, nothing half-written."""

import json

import pytest

from kg.cli import main


def test_json_schema(runner, sample_path):
    res = runner.invoke(main, ["extract", str(sample_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"documents", "tasks", "warnings"}
    task = next(t for t in data["tasks"] if t["id"] == "I.1")
    assert task["group"]["id"] == "I"
    assert [(a["name"], a["role"]) for a in task["lead"]] == [
        ("Ban Tuyên giáo Thành ủy", "directing"),
        ("Sở Thông tin và Truyền thông", "lead"),
    ]
    assert task["lead"][1]["name_en"] and task["lead"][1]["recognised"] is True
    assert task["coordinating"][0]["kind"] == "collective"
    assert task["deadline"] == {
        "text": "Thường xuyên",
        "start": None,
        "end": None,
        "recurrence": "continuous",
    }
    assert task["source"]["file"].endswith("hanoi-kh-30-ctr-tu-2024.txt") and task["source"]["lines"] == [209]
    assert "Sở Nội vụ" in res.stdout  # diacritics are written as such, not escaped


def test_output_file_is_utf8_and_complete(runner, sample_path, tmp_path):
    out = tmp_path / "tasks.json"
    res = runner.invoke(main, ["extract", str(sample_path), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0
    assert len(json.loads(out.read_bytes().decode("utf-8"))["tasks"]) == 30
    assert [p.name for p in tmp_path.iterdir()] == ["tasks.json"]


@pytest.mark.parametrize("fmt", ["csv", "table", "summary"])
def test_other_formats(runner, sample_path, fmt):
    res = runner.invoke(main, ["extract", str(sample_path), "--format", fmt])
    assert res.exit_code == 0
    assert "Sở Nội vụ" in res.stdout


def _bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Dòng một\nSở Nội vụ\n".encode() + "café".encode("latin-1"))
    prose = tmp_path / "prose.txt"
    prose.write_text("Một kế hoạch không có phụ lục.\n", encoding="utf-8")
    nolead = tmp_path / "nolead.txt"
    nolead.write_text(
        "Mở đầu\n\nTT\tNội dung nhiệm vụ\tCơ quan phối hợp\tThời gian\n1.\tViệc\tSở Nội vụ\t2024\n",
        encoding="utf-8",
    )
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "empty": (empty, "empty file"),
        "binary": (binary, "binary file"),
        "not-utf8": (latin, ":3: not UTF-8"),
        "no-table": (prose, "no task table"),
        "no-lead": (nolead, ":3: task table has no lead column"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "not-utf8", "no-table", "no-lead"])
def test_bad_input_is_one_line_and_writes_nothing(runner, tmp_path, case):
    path, message = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out" / "x.json"
    res = runner.invoke(main, ["extract", str(path), "--format", "json", "-o", str(out)])
    assert res.exit_code == 1
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert str(path) in err and message in err
    assert "Traceback" not in res.output
    assert not out.exists()


def test_strict_turns_warnings_into_errors(runner, tmp_path):
    p = tmp_path / "p.txt"
    p.write_text(
        "TT\tNội dung\tCơ quan chủ trì\tThời gian\n1.\tViệc\tSở Nội vụ\tSớm nhất có thể\n", encoding="utf-8"
    )
    assert runner.invoke(main, ["extract", str(p)]).exit_code == 0
    res = runner.invoke(main, ["extract", str(p), "--strict", "-o", str(tmp_path / "o.json")])
    assert res.exit_code == 1 and "deadline not understood" in res.stderr
    assert not (tmp_path / "o.json").exists()
