"""Plans as published: a PDF printed from Word, a 200 dpi scan of it, a legacy .doc.

The fixtures are made here, once a session, from the bundled sample's text
version (tests/support/published.py): a .docx with real tables (a group row
merged across, lead cells merged down, a header row repeated on each page,
a landscape appendix), converted by LibreOffice to PDF and .doc, the PDF
rasterised by poppler at 200 dpi and joined back into an image-only PDF.
Each must read to what the text version reads.  Nothing binary is committed.

Without LibreOffice, poppler or Tesseract these tests skip with one line saying
which tool is missing; under CI=true they fail instead (``make test`` installs
the tools with scripts/ensure-office-ocr.sh).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.model import Issue, PlanError, Position
from kg.model.text import name_key
from loaders import iter_files, read_plan
from loaders.dispatch import load
from loaders.pdf import Element, Grid, assemble
from tests.support.browser import in_ci
from tests.support.published import convert, scan, write_docx


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (Debian: bash scripts/ensure-office-ocr.sh)"
        if in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)


def _tesseract_vie() -> None:
    import subprocess

    _need("tesseract")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "vie" not in langs:
        if in_ci():
            pytest.fail("CI=true but tesseract has no Vietnamese model (tesseract-ocr-vie)", pytrace=False)
        pytest.skip("tesseract has no Vietnamese model (tesseract-ocr-vie)")


@pytest.fixture(scope="session")
def published(tmp_path_factory, sample_path) -> dict[str, Path]:
    """The sample as .docx, then .pdf, .doc, .odt and .rtf (LibreOffice), each under the text
    version's name (the document id is made from the file name)."""
    _need("soffice")
    folder = tmp_path_factory.mktemp("published")
    docx = write_docx(sample_path, folder / f"{sample_path.stem}.docx")
    made = {"docx": docx}
    for kind in ("pdf", "doc", "odt", "rtf"):
        out = tmp_path_factory.mktemp(kind)
        made[kind] = convert(docx, kind, out)
    return made


@pytest.fixture(scope="session")
def scanned(published, tmp_path_factory, sample_path) -> Path:
    _need("pdftoppm", "img2pdf")
    return scan(published["pdf"], tmp_path_factory.mktemp("scan") / f"{sample_path.stem}.pdf")


@pytest.fixture(scope="session")
def text_result(sample_path):
    return read_plan(sample_path)


@pytest.fixture(scope="session")
def scan_result(scanned):
    _tesseract_vie()
    return read_plan(scanned)


def _task(t) -> tuple:
    """Everything a task says: id, group, title, each role's agencies, the cells, the deadline."""
    return (
        t.id,
        t.group.title if t.group else None,
        t.title,
        tuple((a.role.value, a.agency.id, a.agency.name) for a in t.assignments),
        t.lead_text,
        t.coordinating_text,
        (t.deadline.text, t.deadline.start, t.deadline.end, t.deadline.recurrence),
    )


def _identity(d) -> dict:
    out = d.as_dict()
    out.pop("file")
    return out


def test_fixture_is_a_plan_as_published(published):
    """The made .docx and PDF have what real plans have: merged cells, a table running over
    several landscape pages with its header repeated."""
    import docx
    import pdfplumber

    table = docx.Document(str(published["docx"])).tables[0]
    xml = table._tbl.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    with pdfplumber.open(str(published["pdf"])) as pdf:
        table_pages = [p for p in pdf.pages if p.find_tables()]
        assert len(table_pages) >= 3
        assert all(p.width > p.height for p in table_pages)
        headers = [p.find_tables()[0].extract()[0][0] for p in table_pages]
        assert headers == ["TT"] * len(table_pages)


@pytest.mark.parametrize("kind", ["pdf", "doc", "odt", "rtf"])
def test_pdf_and_doc_read_as_the_text_version(published, text_result, kind):
    result = read_plan(published[kind])
    assert len(result.tasks) == len(text_result.tasks) == 30
    for want, got in zip(text_result.tasks, result.tasks, strict=True):
        assert _task(got) == _task(want)
    assert _identity(result.documents[0]) == _identity(text_result.documents[0])


def test_sideways_pdf_pages_are_read_upright(published, text_result, tmp_path):
    """Landscape appendix pages given a /Rotate that shows them on their side read the same."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(published["pdf"]))
    turned = 0
    for i in range(len(pdf)):
        width, height = pdf[i].get_size()
        if width > height:
            pdf[i].set_rotation(90 if i % 2 else 270)
            turned += 1
    out = tmp_path / published["pdf"].name
    pdf.save(str(out))
    pdf.close()
    assert turned >= 3
    result = read_plan(out)
    assert [_task(t) for t in result.tasks] == [_task(t) for t in text_result.tasks]


def test_pdf_text_lines_in_reading_order(published):
    lines = [ln for ln in load(published["pdf"]).lines if ln.strip()]
    assert lines[0] == "Số: /KH-UBND"
    # wrapped lines are joined into their paragraph; a "45-" wrapped before "NQ/TW" keeps no space
    assert not any(ln.endswith("45-") for ln in lines)
    body = next(
        ln for ln in lines if ln.startswith("Thực hiện Chương trình hành động số 30-CTr/TU ngày 08/3/2024")
    )
    assert body.endswith("giai đoạn mới”")
    assert lines.index("Phụ lục") < lines.index(next(ln for ln in lines if ln.startswith("| **TT** |")))


def test_scan_reads_every_task_row(scan_result, text_result):
    """Every row of the scan's table is read; at least 95% of leads exactly (names normalised)."""
    assert [t.id for t in scan_result.tasks] == [t.id for t in text_result.tasks]
    exact = sum(
        [name_key(a.name) for a in got.lead] == [name_key(a.name) for a in want.lead]
        for want, got in zip(text_result.tasks, scan_result.tasks, strict=True)
    )
    assert exact >= 0.95 * len(text_result.tasks)


def test_scan_warnings_name_their_row(scan_result, scanned):
    """OCR doubts and corrections are warnings on a line; a correction names what was read and
    the gazetteer name taken for it, which differ only in their marks."""
    from kg.model.gazetteer import Gazetteer
    from loaders.ocr import _bare

    ocr = [w for w in scan_result.warnings if w.code == "ocr"]
    assert ocr
    for w in ocr:
        assert w.file == str(scanned) and w.line and w.page
        assert str(w).startswith(f"{scanned}: page {w.page}: ") and w.as_dict()["page"] == w.page
        for read, name in re.findall(
            r"OCR read '([^']+)', taken as '([^']+)' \(the one gazetteer name", w.message
        ):
            assert Gazetteer.default().lookup(name) is not None
            assert _bare(read) == _bare(name) and name_key(read) != name_key(name)


def _rows_at(page: int, *tops: float) -> list[tuple[Position, ...]]:
    return [(Position(page, (50.0, top, 700.0, top + 20)),) for top in tops]


def test_low_confidence_row_warns_on_its_line():
    """A grid row with a note becomes a warning on the line that row was written to;
    a table continued on the next page drops its repeated header and joins a cut row,
    which keeps where it is printed on both pages."""
    header = ["TT", "Nội dung", "Cơ quan chủ trì"]
    first = Grid(
        (0.1, 0.2, 0.6),
        [header, ["1.", "Việc A", "Sở Nội vụ"], ["2.", "Việc B đầu", "Sở Y"]],
        positions=_rows_at(1, 100, 120, 140),
    )
    second = Grid(
        (0.1, 0.2, 0.6),
        [header, ["", "và cuối", "tế"], ["3.", "Việc C", "Sở Tài chính"]],
        [None, None, "low OCR confidence (41%) in column 3: 'Sở Tài chính'"],
        positions=_rows_at(2, 50, 70, 90),
    )
    loaded = assemble(
        [
            [Element(0, "Phụ lục", position=Position(1, (50, 0, 120, 12))), Element(10, grid=first)],
            [Element(5, grid=second)],
        ],
        "x.pdf",
    )
    lines, tables, warnings = loaded.lines, loaded.tables, loaded.warnings
    rows = tables[0].rows
    assert [loaded.positions[r.line] for r in rows] == [
        *_rows_at(1, 100, 120),
        (*_rows_at(1, 140)[0], *_rows_at(2, 70)[0]),  # the cut row: the foot of page 1, the head of page 2
        *_rows_at(2, 90),
    ]
    assert loaded.page(lines.index("Phụ lục") + 1) == 1
    assert [r.cells for r in tables[0].rows] == [
        tuple(header),
        ("1.", "Việc A", "Sở Nội vụ"),
        ("2.", "Việc B đầu và cuối", "Sở Y tế"),
        ("3.", "Việc C", "Sở Tài chính"),
    ]
    assert warnings == (Issue("x.pdf", tables[0].rows[-1].line, "ocr", second.notes[2]),)
    assert lines[warnings[0].line - 1] == "| 3. | Việc C | Sở Tài chính |"


def test_image_without_task_table_is_one_line_error(runner, scanned, tmp_path):
    """A page image (the scan's first page, no task table): one line, exit 1, nothing written."""
    _tesseract_vie()
    page = sorted((scanned.parent / f"{scanned.stem}-pages").glob("*.png"))[0]
    image = tmp_path / "trang-1.png"
    shutil.copy(page, image)
    out = tmp_path / "out.json"
    res = runner.invoke(main, ["extract", str(image), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [f"error: {image}: {res.stderr.split(': ', 2)[2].strip()}"]
    assert "no task table" in res.stderr
    assert not out.exists()


def _bad_pdfs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    import docx

    corrupt = tmp_path / "hong.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage")
    plain = tmp_path / "van-ban.docx"
    d = docx.Document()
    d.add_paragraph("Kế hoạch này không có bảng nhiệm vụ.")
    d.save(str(plain))
    no_table = convert(plain, "pdf", tmp_path / "plain")
    locked = convert(
        plain,
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"mat-khau"}}',
        tmp_path / "locked",
    )
    return {
        "corrupt": (corrupt, "not a valid PDF file"),
        "no-table": (no_table, "no task table"),
        "password": (locked, "password-protected PDF"),
    }


@pytest.mark.parametrize("case", ["corrupt", "no-table", "password"])
def test_bad_pdf_is_one_line_error(runner, tmp_path, case):
    _need("soffice")
    path, message = _bad_pdfs(tmp_path)[case]
    with pytest.raises(PlanError, match=message):
        read_plan(path)
    out = tmp_path / "out.json"
    res = runner.invoke(main, ["extract", str(path), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [f"error: {path}: {res.stderr.split(': ', 2)[2].strip()}"]
    assert message in res.stderr and "Traceback" not in res.output
    assert not out.exists()


def test_legacy_file_without_libreoffice_is_one_line_error(published, monkeypatch):
    import loaders.office

    monkeypatch.setattr(loaders.office, "soffice", lambda: None)
    with pytest.raises(PlanError) as e:
        read_plan(published["doc"])
    assert (
        str(e.value)
        == f"{published['doc']}: reading .doc needs LibreOffice (soffice), which is not installed"
    )


def test_published_formats_found_in_a_folder_and_extracted(runner, published, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for kind in ("pdf", "doc"):
        shutil.copy(published[kind], folder / f"ke-hoach.{kind}")
    assert [p.suffix for p in iter_files([folder])] == [".doc", ".pdf"]
    out = tmp_path / "tasks.json"
    res = runner.invoke(main, ["extract", str(folder / "ke-hoach.pdf"), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["tasks"]) == 30


def test_scan_without_tesseract_is_one_line_error(tmp_path, monkeypatch):
    import numpy as np
    from PIL import Image

    import loaders.ocr

    page = np.full((800, 600), 255, np.uint8)
    for y in (100, 300, 500):
        page[y : y + 3, 50:550] = 0
    for x in (50, 200, 547):
        page[100:503, x : x + 3] = 0
    page[150:170, 80:150] = 0  # ink in a cell
    image = tmp_path / "trang.png"
    Image.fromarray(page).save(image, dpi=(200, 200))
    monkeypatch.setattr(loaders.ocr.shutil, "which", lambda name: None)
    with pytest.raises(PlanError) as e:
        read_plan(image)
    assert str(e.value) == f"{image}: reading a scan needs Tesseract OCR (tesseract), which is not installed"


@pytest.fixture(scope="session")
def pdf_result(published):
    return read_plan(published["pdf"])


def _printed(pdf: Path, position: Position) -> str:
    """The text printed inside *position*'s box on its page, spaces made single."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        page = doc.pages[position.page - 1]
        return " ".join(page.crop(position.box).extract_text().split())


def test_pdf_tasks_say_where_they_are_printed(published, pdf_result, text_result):
    """Each task of a PDF carries its page and its row's box; the box holds the row's number and
    the start of its title; a row a page break cut is on both pages.  A text plan keeps its lines."""
    assert all(not t.source.positions for t in text_result.tasks)
    assert "positions" not in text_result.tasks[0].as_dict()["source"]
    with __import__("pdfplumber").open(str(published["pdf"])) as doc:
        pages = len(doc.pages)
    cut = 0
    for task in pdf_result.tasks:
        where = task.source.positions
        assert where and all(1 <= p.page <= pages and p.confidence is None for p in where)
        assert list(task.source.pages) == list(range(where[0].page, where[0].page + len(where)))
        cut += len(where) > 1
        printed = " ".join(_printed(published["pdf"], p) for p in where)
        assert printed.startswith(task.number), (task.id, printed[:60])
        assert " ".join(task.title.split()[:4]) in printed, (task.id, printed[:200])
    assert cut >= 1


def test_scan_tasks_are_where_the_pdf_prints_them(scan_result, pdf_result):
    """A scan's rows are placed in points as the PDF's (the scan is that PDF at 200 dpi), and each
    keeps the lowest OCR confidence of its cells."""
    for read, printed in zip(scan_result.tasks, pdf_result.tasks, strict=True):
        assert read.source.pages == printed.source.pages, read.id
        for a, b in zip(read.source.positions, printed.source.positions, strict=True):
            assert all(abs(x - y) <= 4 for x, y in zip(a.box, b.box, strict=True)), (read.id, a.box, b.box)
            assert a.confidence is not None and 0 <= a.confidence <= 100


def test_json_and_rdf_say_the_page(runner, published, pdf_result, tmp_path):
    """``kg extract --format json`` gives each task's positions; its RDF source a W3C Web Annotation
    FragmentSelector (RFC 3778 PDF open parameters) a page."""
    from kg.rdf.plan import RFC3778, document_graphs

    out = tmp_path / "tasks.json"
    res = runner.invoke(main, ["extract", str(published["pdf"]), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    tasks = json.loads(out.read_text(encoding="utf-8"))["tasks"]
    assert [t["source"]["positions"] for t in tasks] == [
        [p.as_dict() for p in t.source.positions] for t in pdf_result.tasks
    ]
    [doc] = document_graphs(pdf_result)
    first = pdf_result.tasks[0].source.positions[0]
    value = f'"{first.fragment()}"'
    selector = next(line.split()[0] for line in doc.quads.splitlines() if f"> {value} <" in line)
    about = [line for line in doc.quads.splitlines() if line.startswith(selector + " ")]
    assert any("<http://www.w3.org/ns/oa#FragmentSelector>" in line for line in about)
    assert any(f"<{RFC3778}>" in line for line in about)
    assert re.fullmatch(r"page=\d+&viewrect=[\d.]+,[\d.]+,[\d.]+,[\d.]+", first.fragment())


def test_pdf_error_names_its_page(published, monkeypatch):
    """An error on a line of a PDF names the page it is printed on, not a line of the loaded text."""
    import loaders.dispatch
    import loaders.formats

    loaded = load(published["pdf"])
    cells = [(len(c), r.line) for t in loaded.tables for r in t.rows for c in r.cells]
    longest, line = max(cells)
    monkeypatch.setattr(loaders.formats, "MAX_CELL_CHARS", longest - 1)
    loaders.dispatch._load.cache_clear()
    try:
        with pytest.raises(PlanError) as e:
            read_plan(published["pdf"])
    finally:
        loaders.dispatch._load.cache_clear()
    page = loaded.page(line)
    assert page and str(e.value).startswith(
        f"{published['pdf']}: page {page}: table cell of {longest} characters"
    )


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_store_and_explorer_show_the_page(pdf_result, tmp_path):
    """The store built from a PDF gives each task node the pages it is printed on, as the
    reference networkx graph does, and the explorer's task page says them."""
    from starlette.testclient import TestClient

    from kg.explorer.app import create_app
    from kg.graph.network import build_graph
    from kg.pipeline import build
    from kg.stores.graph import to_networkx

    build([pdf_result], tmp_path / "kg")
    H, G = to_networkx(tmp_path / "kg"), build_graph(pdf_result)
    tasks = [n for n, d in G.nodes(data=True) if d.get("type") == "task"]
    assert [H.nodes[n]["pages"] for n in tasks] == [G.nodes[n]["pages"] for n in tasks]
    assert all(G.nodes[n]["pages"] for n in tasks)
    task = pdf_result.tasks[-1]
    client = TestClient(create_app(tmp_path / "kg"))
    page = client.get("/task", params={"plan": task.document, "id": task.id})
    assert page.status_code == 200
    shown = ", ".join(map(str, task.source.pages))
    assert f"page {shown} (lines" in page.text


def test_scanned_page_on_its_side_is_read_upright(scanned, tmp_path):
    """A landscape appendix page put through the scanner upright (the image on its side) reads
    as the same page scanned the right way up: same rows, same leads."""
    from PIL import Image

    _tesseract_vie()
    pages = sorted((scanned.parent / f"{scanned.stem}-pages").glob("*.png"))
    page = pages[-1]  # the appendix's last page: a table with its repeated header
    with Image.open(page) as image:
        assert image.width > image.height
        image.rotate(90, expand=True).save(tmp_path / "on-its-side.png", dpi=(200, 200))
    upright, sideways = read_plan(page), read_plan(tmp_path / "on-its-side.png")
    assert upright.tasks
    assert [(t.id, [a.name for a in t.lead]) for t in sideways.tasks] == [
        (t.id, [a.name for a in t.lead]) for t in upright.tasks
    ]


def test_ocr_name_correction_only_when_one_name_fits():
    """A near-miss is corrected to the one name with its letters (marks aside), and said; two names
    with the same letters leave the reading as it is; a name read right is not reported."""
    from loaders.ocr import _lexicon, correct_names

    one = _lexicon(["Sở Y tế", "Sở Nội vụ"])
    assert correct_names("Chủ trì: Sở Nôi vu", one) == ("Chủ trì: Sở Nội vụ", [("Sở Nôi vu", "Sở Nội vụ")])
    assert correct_names("Sở Nội vụ", one) == ("Sở Nội vụ", [])
    two = _lexicon(["Sở Y tế", "Sở Y tê"])  # the same letters but for a mark: no guess
    assert correct_names("Sở Y te", two) == ("Sở Y te", [])


def test_page_of_an_error_survives_a_worker_process():
    """A parallel read sends errors back as plain data: the page goes with them."""
    from loaders import _unpack

    done = [[("error", PlanError, "table cell too long", "ke-hoach.pdf", 40, 3)]]
    with pytest.raises(PlanError) as e:
        list(_unpack(done, [[(Path("ke-hoach.pdf"), True)]], None))
    assert str(e.value) == "ke-hoach.pdf: page 3: table cell too long"


def test_short_column_borders_of_a_header_row_are_borders():
    """A one-line header row above a group row merged across: its column borders are shorter than
    a long ruling line, yet its cells are cells (the header must not read as one cell)."""
    import numpy as np

    from loaders.ocr import find_grids

    page = np.full((1200, 1600), 255, np.uint8)
    for y in (100, 160, 220, 500):  # header (60 px, under a quarter inch at 300 dpi), group row, task row
        page[y : y + 3, 100:1500] = 0
    for x in (100, 250, 800, 1497):
        page[100:503, x : x + 3] = 0
    page[163:220, 253:1497] = 255  # the group row: merged across all but the number column
    [grid] = find_grids(page, dpi=300)
    assert [(c.r0, c.c0, c.c1) for c in grid.cells if c.r0 < 2] == [
        (0, 0, 0),
        (0, 1, 1),
        (0, 2, 2),
        (1, 0, 0),
        (1, 1, 2),
    ]


def test_name_cut_by_a_page_break_is_corrected_whole():
    """An OCR near-miss of a name the page break cut in two is corrected once the halves are
    joined, and the row's warning says so."""
    from loaders.ocr import _corrected

    header = ["TT", "Nội dung", "Cơ quan chủ trì"]
    first = Grid((0.1, 0.2, 0.6), [header, ["22", "Việc A", "Cuc Văn thư"]], correct=_corrected)
    second = Grid((0.1, 0.2, 0.6), [header, ["", "", "và Lưu trữ nhà nước"]], correct=_corrected)
    loaded = assemble([[Element(0, "Phụ lục"), Element(10, grid=first)], [Element(5, grid=second)]], "x.pdf")
    assert loaded.tables[0].rows[-1].cells == ("22", "Việc A", "Cục Văn thư và Lưu trữ nhà nước")
    [warning] = loaded.warnings
    assert (
        "OCR read 'Cuc Văn thư và Lưu trữ nhà nước', taken as 'Cục Văn thư và Lưu trữ nhà nước'"
        in warning.message
    )
