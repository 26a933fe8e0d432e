"""Hostile but fair inputs: every failure inside a reader is one line naming the file, in bounded
time and memory, and the reader's worker processes die with their parent.

Each hostile file is made here, small: a zip bomb is a real one (1 GiB of XML
deflated to about a megabyte, written block by block) that must be refused from
the sizes its zip declares, before anything is inflated.
"""

from __future__ import annotations

import io
import os
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders.formats as formats
import loaders.html_csv as html_csv
from kg.cli import main
from kg.model import PlanError
from loaders import ReadFailed, iter_plans, read_batch, read_plan
from loaders.dispatch import load
from loaders.formats import LimitExceeded, UnreadableFile
from tests.support.deps import need

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@contextmanager
def time_bound(seconds: int):
    """Fail (instead of hanging) when the block takes more than *seconds*."""

    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def memory_bound(extra: int = 2**30):
    """At most *extra* more bytes of address space while the block runs (Linux)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        yield
        return
    size = next(int(x.split()[1]) * 1024 for x in status.splitlines() if x.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def one_line_error(path: Path, *, limit: str | None = None, seconds: int = 60) -> PlanError:
    """Read *path*: the PlanError it gives, checked to be one line naming the file (and *limit*)."""
    with time_bound(seconds), pytest.raises(PlanError) as caught:
        load(path)
    text = str(caught.value)
    assert "\n" not in text and text.startswith(f"{path}:"), text
    if limit:
        assert isinstance(caught.value, LimitExceeded) and limit in text, text
    return caught.value


# ---------------------------------------------------------------- making hostile files


def docx_bytes() -> bytes:
    docx = need("docx")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    t = d.add_table(rows=2, cols=3)
    for i, text in enumerate(["STT", "Nội dung", "Cơ quan chủ trì", "1", "Việc A", "Sở Nội vụ"]):
        t.cell(i // 3, i % 3).text = text
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xlsx_bytes(far: bool = False) -> bytes:
    openpyxl = need("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["STT", "Nội dung", "Cơ quan chủ trì"], ["1", "Việc A", "Sở Nội vụ"]]:
        sheet.append(row)
    if far:
        sheet["XFD1048576"] = "xa"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change) -> bytes:
    """*data* (a zip) with each part's bytes passed through ``change(name, bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    return out.getvalue()


def main_part(name: str) -> bool:
    return name in {"word/document.xml", "xl/worksheets/sheet1.xml"}


def write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of deflated entries (name, raw deflate data, CRC-32, size), written by hand."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        n = name.encode()
        head = (crc, len(data), size, len(n))
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *head, 0, 0, 0, 0, 0, len(out)
        )
        central += n
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *head, 0) + n + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))


def deflated(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, co.compress(data) + co.flush(), zlib.crc32(data), len(data)


def bomb_docx(path: Path, size: int = 2**30) -> None:
    """A .docx whose document.xml is *size* bytes of paragraphs, deflated block by block.

    After a full flush deflate forgets its history, so each 1 MiB block of the
    same paragraphs compresses to the same bytes: compressed once, written many times.
    """
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    unit = b"<w:p><w:r><w:t>bom</w:t></w:r></w:p>"
    chunk = unit * (2**20 // len(unit))
    foot = b"</w:body></w:document>"
    count = (size - len(head) - len(foot)) // len(chunk)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    assert co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH) == block
    end = co.compress(foot) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(foot, crc)
    xml = ("word/document.xml", start + block * count + end, crc, len(head) + len(chunk) * count + len(foot))
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as z:
        rest = [deflated(i.filename, z.read(i)) for i in z.infolist() if i.filename != "word/document.xml"]
    write_zip(path, [*rest, xml])


def corrupt_deflate(data: bytes, part: str) -> bytes:
    """*data* (a zip) with garbage in the middle of *part*'s deflate stream."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    start += 8  # past the first bytes of the stream, where the block headers are
    return data[:start] + b"\xff\x00\xfe\x01" * 8 + data[start + 32 :]


def truncated_deflate(data: bytes, part: str, path: Path) -> None:
    """*data* (a zip) written to *path* with *part*'s deflate stream cut in half (its sizes and CRC
    declared as before)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = [deflated(i.filename, z.read(i)) for i in z.infolist()]
    entries = [(n, d[: len(d) // 2] if n == part else d, crc, size) for n, d, crc, size in entries]
    write_zip(path, entries)


# ---------------------------------------------------------------- probes


@pytest.mark.parametrize(("suffix", "make"), [(".docx", docx_bytes), (".xlsx", xlsx_bytes)])
def test_broken_xml_inside_a_valid_zip(tmp_path, suffix, make):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(rezip(make(), lambda name, b: b[: len(b) // 2] if main_part(name) else b))
    assert isinstance(one_line_error(path), UnreadableFile)


@pytest.mark.parametrize(
    ("suffix", "make", "part"),
    [(".docx", docx_bytes, "word/document.xml"), (".xlsx", xlsx_bytes, "xl/worksheets/sheet1.xml")],
)
def test_corrupt_or_truncated_deflate_data(tmp_path, suffix, make, part):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(corrupt_deflate(make(), part))
    assert isinstance(one_line_error(path), UnreadableFile)
    truncated_deflate(make(), part, path)
    assert isinstance(one_line_error(path), UnreadableFile)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_not_a_zip(tmp_path, suffix):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "not a valid" in str(one_line_error(path))


def test_zip_bomb_is_refused_from_declared_sizes(tmp_path):
    path = tmp_path / "bomb.docx"
    bomb_docx(path)
    assert path.stat().st_size < 4 * 2**20
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("word/document.xml").file_size > 2**29
    with memory_bound(2**30):
        one_line_error(path, limit="MAX_UNZIPPED_BYTES", seconds=20)


def billion_laughs(name: str, b: bytes) -> bytes:
    """The main part with entities nine levels deep (10**10 characters), used in one cell."""
    if not main_part(name):
        return b
    ents = [b'<!ENTITY e0 "aaaaaaaaaa">'] + [
        b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, 10)
    ]
    at = b.index(b"?>") + 2 if b"?>" in b else 0
    b = b[:at] + b"<!DOCTYPE x [" + b"".join(ents) + b"]>" + b[at:]
    if b"</w:t>" in b:
        return b.replace(b"</w:t>", b"&e9;</w:t>", 1)
    return b.replace(b"</row>", b'<c r="D1" t="inlineStr"><is><t>&e9;</t></is></c></row>', 1)


@pytest.mark.parametrize(("suffix", "make"), [(".docx", docx_bytes), (".xlsx", xlsx_bytes)])
def test_billion_laughs(tmp_path, suffix, make):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(rezip(make(), billion_laughs))
    with memory_bound(2**30):
        assert isinstance(one_line_error(path, seconds=20), UnreadableFile)


def test_too_many_zip_entries(tmp_path, monkeypatch):
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_bytes())
    monkeypatch.setattr(formats, "MAX_ZIP_ENTRIES", 3)
    one_line_error(path, limit="MAX_ZIP_ENTRIES")


def test_colspan_bomb_is_capped(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text('<table><tr><td colspan="300000000">1</td><td rowspan="99999999">x</td></tr></table>')
    assert len(path.read_bytes()) < 130
    with time_bound(20):
        loaded = load(path)  # the spans capped as the HTML standard caps colspan
        with pytest.raises(PlanError) as caught:
            read_plan(path)
    assert [len(r.cells) for r in loaded.tables[0].rows] == [formats.MAX_SPAN + 1]
    assert str(caught.value).startswith(f"{path}: no task table found")


def test_a_table_too_large_once_laid_out(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text("<table>" + '<tr><td colspan="99999">x</td></tr>' * 1200 + "</table>")
    one_line_error(path, limit="MAX_TABLE_CELLS", seconds=20)


def test_gridspan_bomb_in_docx(tmp_path):
    def span(name: str, b: bytes) -> bytes:
        return b.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="300000000"/>', 1) if main_part(name) else b

    path = tmp_path / "plan.docx"
    path.write_bytes(rezip(docx_bytes(), span))
    with time_bound(20):
        loaded = load(path)  # read, the span capped
    assert max(len(r.cells) for r in loaded.tables[0].rows) <= formats.MAX_SPAN + 2


def test_far_away_xlsx_cell_is_read_sparsely(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx_bytes(far=True))
    assert path.stat().st_size < 8000
    with memory_bound(2**30), time_bound(20):
        loaded = load(path)
    rows = loaded.tables[0].rows
    assert rows[0].cells == ("STT", "Nội dung", "Cơ quan chủ trì")
    assert len(rows[-1].cells) == 16384 and rows[-1].cells[-1] == "xa"


def test_merged_range_over_a_whole_sheet(tmp_path):
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'

    def merged(name: str, b: bytes) -> bytes:
        return b.replace(b"</sheetData>", merge) if main_part(name) else b

    path = tmp_path / "plan.xlsx"
    path.write_bytes(rezip(xlsx_bytes(), merged))
    with memory_bound(2**30):
        one_line_error(path, limit="MAX_SHEET_CELLS", seconds=20)


def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    assert "a FIFO, not a regular file" in str(one_line_error(fifo, seconds=10))
    res = subprocess.run(
        [sys.executable, "-m", "kg.cli", "extract", str(fifo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 1
    assert res.stderr.splitlines() == [f"error: {fifo}: a FIFO, not a regular file: not read"]


def test_device_is_refused(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "plan.csv"
    link.symlink_to("/dev/zero")
    assert "character device" in str(one_line_error(link, seconds=10))


def test_csv_cell_over_the_csv_module_limit(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text('STT,Nội dung\n1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    error = one_line_error(path, limit="MAX_CELL_CHARS")
    assert error.line == 2


@pytest.mark.parametrize(
    ("name", "text", "limit"),
    [
        ("plan.csv", 'STT,Nội dung\n1,"' + "x" * 40_000 + '"\n', "MAX_CELL_CHARS"),
        ("plan.md", "| STT | " + "x" * 40_000 + " |\n", "MAX_CELL_CHARS"),
        ("plan.txt", "Kế hoạch\n" + "x" * 200_000 + "\n", "MAX_LINE_CHARS"),
        ("plan.html", "<p>" + "x" * 200_000 + "</p>", "MAX_LINE_CHARS"),
    ],
)
def test_cell_and_line_length(tmp_path, name, text, limit):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert one_line_error(path, limit=limit).line is not None


def test_file_size(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text("Kế hoạch\n" * 200, encoding="utf-8")
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 1000)
    one_line_error(path, limit="MAX_FILE_BYTES")


@pytest.mark.parametrize("name", ["plan.html", "plan.csv", "plan.txt"])
def test_encoding_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes("Kế hoạch số 12\n".encode("utf-16"))
    assert isinstance(one_line_error(path), UnreadableFile)


def test_memory_error_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "plan.csv"
    path.write_text("STT,Nội dung\n1,Việc A\n", encoding="utf-8")

    def exhausted(*_):
        raise MemoryError

    monkeypatch.setattr(html_csv, "table_lines", exhausted)  # where the CSV reader takes it
    assert "out of memory" in str(one_line_error(path))


# ---------------------------------------------------------------- batches


def hostile_folder(tmp_path: Path, sample_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(sample_path, folder / "a-plan.txt")
    (folder / "b-broken-xml.docx").write_bytes(
        rezip(docx_bytes(), lambda n, b: b[: len(b) // 2] if main_part(n) else b)
    )
    (folder / "c-deflate.xlsx").write_bytes(corrupt_deflate(xlsx_bytes(), "xl/worksheets/sheet1.xml"))
    (folder / "d-cell.csv").write_text('STT,Nội dung\n1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    return folder


def test_batch_with_allow_failures_goes_on(runner, tmp_path, sample_path):
    folder = hostile_folder(tmp_path, sample_path)
    batch = read_batch([folder])
    assert len(batch.result.documents) == 1
    assert sorted(Path(e.file).name for e in batch.failed) == [
        "b-broken-xml.docx",
        "c-deflate.xlsx",
        "d-cell.csv",
    ]
    res = runner.invoke(main, ["extract", str(folder), "--allow-failures", "--format", "summary"])
    assert res.exit_code == 0 and res.exception is None
    errors = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert [e.split(": ")[1].split(":")[0] for e in errors] == [
        str(folder / n) for n in ("b-broken-xml.docx", "c-deflate.xlsx", "d-cell.csv")
    ]
    assert "Traceback" not in res.output


def test_parallel_build_names_the_broken_file(tmp_path, sample_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for i in range(10):
        shutil.copy(sample_path, folder / f"p{i}.txt")
    broken = folder / "p5.docx"
    broken.write_bytes(rezip(docx_bytes(), lambda n, b: b[: len(b) // 2] if main_part(n) else b))
    read = []
    with time_bound(120), pytest.raises(UnreadableFile) as caught:
        for result in iter_plans([folder], jobs=2, chunksize=1, then=lambda r: r.documents[0].file):
            read.append(result)
    assert caught.value.file == str(broken) and str(caught.value).startswith(f"{broken}: ")
    assert read == [str(folder / f"p{i}.txt") for i in range(5)]


# ---------------------------------------------------------------- workers die with their parent

PARENT = """
import multiprocessing, sys, time
from loaders import iter_plans
plans = iter_plans([sys.argv[1]], jobs=2, chunksize=1)
next(plans)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Whether *pid* runs (a zombie waiting for a reaper does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "synth", "--plans", "40", "-q", "-o", str(corpus)],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(corpus)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([parent.stdout], [], [], 120)
        assert ready, "the parent read no plan"
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
    finally:
        parent.kill()
        parent.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left


INTERRUPTED = """
import multiprocessing, sys, time
from loaders import iter_plans
plans = iter_plans([sys.argv[1]], jobs=2, chunksize=1)
try:
    for _ in range(int(sys.argv[2]) - 1):  # all but the last: every file sent, the pool still open
        next(plans)
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(600)
except KeyboardInterrupt:
    plans.close()
    print("interrupted", file=sys.stderr)
    sys.exit(130)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_reaches_the_parent_only(tmp_path):
    """Ctrl-C signals the whole process group: the workers leave it to the parent (no traceback
    of theirs), the parent stops the pool, and none is left."""
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "synth", "--plans", "12", "-q", "-o", str(corpus)],
        cwd=ROOT,
        check=True,
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(corpus), "12"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        ready, _, _ = select.select([parent.stdout], [], [], 120)
        assert ready, "the parent read no plan"
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        time.sleep(
            1
        )  # the last file read, the workers wait for work: where Ctrl-C made them print a traceback
        os.killpg(parent.pid, signal.SIGINT)
        _, err = parent.communicate(timeout=60)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
    assert (parent.returncode, err) == (130, "interrupted\n")
    assert workers and not any(alive(pid) for pid in workers)


# ---------------------------------------------------------------- fuzzing: only PlanError escapes

# KG_FUZZ_EXAMPLES=2000 for a longer search; the default keeps the suite to seconds.
FUZZ = settings(
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
VALID = {
    ".html": "<html><body><p>KẾ HOẠCH</p><table><tr><th>STT</th><th colspan=2>Nội dung</th></tr>"
    "<tr><td rowspan=2>1</td><td>Việc A</td><td>Sở Nội vụ</td></tr><tr><td>Việc B</td></tr></table></body></html>",
    ".csv": 'STT,Nội dung,Cơ quan chủ trì\n1,Việc A,Sở Nội vụ\n2,"Việc B, C",Sở Tư pháp\n',
    ".md": "KẾ HOẠCH\n\n| STT | Nội dung | Cơ quan chủ trì |\n| --- | --- | --- |\n| 1 | Việc A | Sở Nội vụ |\n",
}


def reads_or_plan_error(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        load(path)
    except PlanError as e:
        assert "\n" not in str(e) and str(e).startswith(str(path))


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """*data* with each (position, length deleted, bytes inserted) edit applied."""
    for at, cut, put in edits:
        at %= len(data) + 1
        data = data[:at] + put + data[at + cut :]
    return data


# Pieces of each format's own structure, so that edits often make a file still well formed but odd.
TOKENS = [
    b"<",
    b">",
    b'"',
    b"&amp;",
    b"&#0;",
    b"</w:tc>",
    b"<w:tc>",
    b"</w:tr><w:tr>",
    b'<w:gridSpan w:val="7"/>',
    b'<w:gridSpan w:val="-1"/>',
    b"<w:vMerge/>",
    b'<w:vMerge w:val="restart"/>',
    b'<w:gridBefore w:val="2"/>',
    b'<c r="B99999"><v>1</v></c>',
    b'<c r="ZZZZ1" t="s"><v>99</v></c>',
    b' t="d"',
    b' t="s"',
    b' t="b"',
    b"<v>-1e308</v>",
    b'<mergeCell ref="A1:B3"/>',
    b'<mergeCell ref="B2:A1"/>',
    b'<row r="0">',
    b" colspan=",
    b' rowspan="0"',
    b"<td>",
    b"</tr><tr>",
    b"<table>",
    b",",
    b"\n",
    b"\r",
    b"|",
    b"\t",
    b"9" * 12,
]
EDITS = st.lists(
    st.tuples(
        st.integers(0, 10**6), st.integers(0, 8), st.one_of(st.binary(max_size=8), st.sampled_from(TOKENS))
    ),
    min_size=1,
    max_size=6,
)
FUZZ_SUFFIXES = [".docx", ".xlsx", ".html", ".csv", ".md"]


@pytest.mark.parametrize("suffix", FUZZ_SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(tmp_path, suffix, data):
    with memory_bound(2**30), time_bound(30):
        reads_or_plan_error(tmp_path / f"fuzz{suffix}", data)


@pytest.mark.parametrize("suffix", FUZZ_SUFFIXES)
@FUZZ
@given(edits=EDITS)
def test_fuzz_mutated_valid_files(tmp_path, suffix, edits):
    if suffix in {".docx", ".xlsx"}:
        valid = docx_bytes() if suffix == ".docx" else xlsx_bytes()
        # Edit the XML and zip it again (checksums right), so the edits reach the XML parsers.
        data = rezip(valid, lambda name, b: mutate(b, edits) if main_part(name) else b)
    else:
        data = mutate(VALID[suffix].encode(), edits)
    with memory_bound(2**30), time_bound(30):
        reads_or_plan_error(tmp_path / f"fuzz{suffix}", data)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@FUZZ
@given(edits=EDITS)
def test_fuzz_mutated_zip_bytes(tmp_path, suffix, edits):
    valid = docx_bytes() if suffix == ".docx" else xlsx_bytes()
    with memory_bound(2**30), time_bound(30):
        reads_or_plan_error(tmp_path / f"fuzz{suffix}", mutate(valid, edits))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plan.csv", "STT,Nội dung\n" + "1,Việc A\n" * 100),
        ("plan.md", "| STT | Nội dung |\n" + "| 1 | Việc A |\n" * 100),
        ("plan.html", "<p>Kế hoạch</p>" * 100),
    ],
)
def test_line_count(tmp_path, monkeypatch, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(formats, "MAX_LINES", 50)
    one_line_error(path, limit="MAX_LINES")


def test_dense_docx_stops_at_the_line_limit(tmp_path, monkeypatch):
    path = tmp_path / "dense.docx"
    bomb_docx(path, size=4 * 2**20)  # some 110 000 paragraphs, within the zip limits
    monkeypatch.setattr(formats, "MAX_LINES", 1000)
    one_line_error(path, limit="MAX_LINES", seconds=30)


def _die_on_p5(result):
    """A *then* that kills its own worker process on one file, as the kernel's OOM killer would."""
    if result.documents[0].file.endswith("p5.txt"):
        os.kill(os.getpid(), signal.SIGKILL)
    return result.documents[0].file


def test_a_killed_worker_names_a_file(tmp_path, sample_path):
    for i in range(10):
        shutil.copy(sample_path, tmp_path / f"p{i}.txt")
    read = []
    with time_bound(120), pytest.raises(ReadFailed) as caught:
        for file in iter_plans([tmp_path], jobs=2, chunksize=1, then=_die_on_p5):
            read.append(file)
    assert (
        str(caught.value)
        == f"{caught.value.file}: a reading process was killed while reading this file or one after it"
    )
    assert read == [str(tmp_path / f"p{i}.txt") for i in range(len(read))]
    assert caught.value.file == str(tmp_path / f"p{len(read)}.txt") and len(read) <= 5


def test_sheet_with_too_many_values(tmp_path, monkeypatch):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx_bytes())
    monkeypatch.setattr(formats, "MAX_SHEET_CELLS", 4)
    one_line_error(path, limit="MAX_SHEET_CELLS")
