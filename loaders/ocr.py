"""Read a scanned plan (a PDF page without text, or a .png/.jpg/.tif image) with Tesseract's
Vietnamese model (``tesseract -l vie``).

The table grid is found first, from the ruling lines: dark runs longer than a
quarter inch across (rows' borders) or down (columns' borders), kept where
the two kinds cross.  Each cell is then recognised on its own (a cell merged
across columns counts once, a cell merged down applies to each row it covers,
as in DOCX), so that a cell's words never run into its neighbour's; the text
outside the tables is recognised as a page with the tables blanked out, and
goes through the same line and paragraph rules as a PDF's text
(:mod:`loaders.pdf`).  Every cell keeps Tesseract's confidence; a row with a
cell below :data:`LOW_CONFIDENCE` carries a warning naming the cell, and each
row and line keeps its page, its box (in points, as a PDF's) and the lowest
confidence of its cells (the mean of its words' for a line of text).

All cells of a page go to one Tesseract process (a list of images), so the
Vietnamese model is loaded once a page, not once a cell.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.model import PlanError
from loaders.pdf import Element, Grid, Word, assemble, at_page, cell_text, lines_of, paragraphs

__all__ = [
    "LOW_CONFIDENCE",
    "OcrError",
    "correct_names",
    "find_grids",
    "load_image",
    "ocr_pdf_page",
    "tesseract",
]

# Tesseract's word confidence (0-100) below which a cell's reading is reported for checking.
LOW_CONFIDENCE = 70
# A page whose words are read at a mean confidence under this may lie on its side (one read on its side
# reads at 40-45, as garbage, an upright page of print at 80-95): its orientation
# is detected and it is read again turned.
SIDEWAYS_SUSPECT = 60
# Pages are recognised at this resolution (Tesseract is trained on text of about 300 dpi).
DPI = 300
TIMEOUT = 600


class OcrError(Exception):
    """Tesseract missing, without its Vietnamese model, failing or too slow (becomes a PlanError)."""


def tesseract() -> str:
    """The Tesseract program, or an :class:`OcrError` saying it is not installed."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrError("reading a scan needs Tesseract OCR (tesseract), which is not installed")
    return program


# ---------------------------------------------------------------- grid


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell on the page image: rows r0..r1 and columns c0..c1 of its grid, and its box."""

    r0: int
    r1: int
    c0: int
    c1: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A table found on a page image: its row and column border positions and its cells."""

    ys: tuple[int, ...]
    xs: tuple[int, ...]
    cells: tuple[Cell, ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _runs(dark, length: int, axis: int):
    """Pixels of *dark* (bool array) lying on a straight dark run of at least *length* along *axis*."""
    import numpy as np

    a = dark if axis == 1 else dark.T
    c = np.zeros((a.shape[0], a.shape[1] + 1), dtype=np.int32)
    np.cumsum(a, axis=1, out=c[:, 1:])
    starts = (c[:, length:] - c[:, :-length]) == length  # a full run starts here
    s = np.zeros((a.shape[0], starts.shape[1] + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=s[:, 1:])
    # pixel x is covered when a run starts in [x - length + 1, x]
    x = np.arange(a.shape[1])
    hi = np.minimum(x, starts.shape[1] - 1) + 1
    lo = np.clip(x - length + 1, 0, starts.shape[1])
    out = (s[:, hi] - s[:, lo]) > 0
    return out if axis == 1 else out.T


def _lines(mask, axis: int, gap: int = 4) -> list[tuple[int, object]]:
    """Ruling lines of a run mask: (position, coverage along the line) for each band of
    neighbouring rows (axis 1) or columns (axis 0) holding runs."""
    import numpy as np

    has = mask.any(axis=axis)
    out: list[tuple[int, object]] = []
    idx = np.flatnonzero(has)
    if idx.size == 0:
        return out
    groups = np.split(idx, np.flatnonzero(np.diff(idx) > gap) + 1)
    for g in groups:
        band = mask[g[0] : g[-1] + 1, :] if axis == 1 else mask[:, g[0] : g[-1] + 1]
        out.append((int(g.mean()), band.any(axis=0 if axis == 1 else 1)))
    return out


def find_grids(gray, dpi: int = DPI) -> list[TableGrid]:
    """The ruled tables of a page image (a 2-D uint8 array, dark ink on light paper).

    >>> import numpy as np
    >>> page = np.full((400, 600), 255, np.uint8)
    >>> for y in (50, 150, 250): page[y:y + 3, 100:500] = 0
    >>> for x in (100, 300, 497): page[50:253, x:x + 3] = 0
    >>> page[150:153, 300:500] = 255  # the right column's cells merged down
    >>> [(c.r0, c.r1, c.c0, c.c1) for c in find_grids(page, dpi=100)[0].cells]
    [(0, 0, 0, 0), (0, 1, 1, 1), (1, 1, 0, 0)]
    """
    dark = gray < 160
    span = max(8, dpi // 4)
    horizontal = _lines(_runs(dark, span, 1), 1)
    vertical = _lines(_runs(dark, span, 0), 0)
    near = max(3, dpi // 50)

    def crosses(h, v) -> bool:
        (y, hcov), (x, vcov) = h, v
        return bool(
            vcov[max(0, y - near) : y + near + 1].any() and hcov[max(0, x - near) : x + near + 1].any()
        )

    rows = [h for h in horizontal if sum(crosses(h, v) for v in vertical) >= 2]
    grids: list[TableGrid] = []
    group: list = []
    for h in rows:
        if group and not any(_covers(v[1], group[-1][0], h[0], near) for v in vertical):
            grids.extend(_grid(group, vertical, near, dark))
            group = []
        group.append(h)
    grids.extend(_grid(group, vertical, near, dark))
    return grids


def _covers(coverage, a: int, b: int, near: int, share: float = 0.9) -> bool:
    """Whether a line's *coverage* spans most of a..b (its ends left out)."""
    part = coverage[a + near : max(a + near + 1, b - near)]
    return part.size > 0 and part.mean() >= share


def _border(dark, x: int, a: int, b: int, near: int) -> bool:
    """Whether a ruling line runs down at *x* from *a* to *b*: ink within *near* of *x* on nine
    tenths of the way.  A short one counts (a one-line header row's column borders, with a group
    row merged across below it, are shorter than the runs lines are first found by); text does
    not come so near a border (cells are padded).

    >>> import numpy as np
    >>> dark = np.zeros((100, 50), bool); dark[10:40, 20] = True
    >>> _border(dark, 21, 10, 40, 3), _border(dark, 21, 40, 90, 3)
    (True, False)
    """
    band = dark[a + near : max(a + near + 1, b - near), max(0, x - near) : x + near + 1]
    return bool(band.size > 0 and band.any(axis=1).mean() >= 0.9)


def _grid(rows: list, vertical: list, near: int, dark) -> list[TableGrid]:
    if len(rows) < 2:
        return []
    ys = [y for y, _ in rows]
    cols = [v for v in vertical if _covers(v[1], ys[0], ys[-1], near, share=0.05)]
    cols = [v for v in cols if v[1][ys[0] : ys[-1]].any()]
    if len(cols) < 2:
        return []
    xs = [x for x, _ in cols]
    n, m = len(ys) - 1, len(xs) - 1
    parent = list(range(n * m))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(n):
        for j in range(m):
            right = cols[j + 1]
            if j + 1 < m and not (
                _covers(right[1], ys[i], ys[i + 1], near, share=0.5)
                or _border(dark, right[0], ys[i], ys[i + 1], near)
            ):
                parent[find(i * m + j + 1)] = find(i * m + j)  # no border on the right: merged across
            if i + 1 < n and not _covers(rows[i + 1][1], xs[j], xs[j + 1], near, share=0.5):
                parent[find((i + 1) * m + j)] = find(i * m + j)  # no border below: merged down
    members: dict[int, list[tuple[int, int]]] = {}
    for i in range(n):
        for j in range(m):
            members.setdefault(find(i * m + j), []).append((i, j))
    cells = []
    for group in members.values():
        r0, r1 = min(i for i, _ in group), max(i for i, _ in group)
        c0, c1 = min(j for _, j in group), max(j for _, j in group)
        cells.append(Cell(r0, r1, c0, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda c: (c.r0, c.c0))
    return [TableGrid(tuple(ys), tuple(xs), tuple(cells))]


# ---------------------------------------------------------------- recognition


@dataclass(frozen=True, slots=True)
class _Read:
    """Tesseract's words for one image, with their confidences."""

    words: tuple[Word, ...]
    confidence: float | None


def _tesseract(images: list, psm: int, dpi: int, lang: str = "vie") -> list[_Read]:
    """Recognise *images* (PIL images) in one Tesseract run; one result per image."""
    if not images:
        return []
    program = tesseract()
    with tempfile.TemporaryDirectory(prefix="kg-ocr-") as tmp:
        names = []
        for k, image in enumerate(images):
            name = os.path.join(tmp, f"{k:05d}.png")
            image.save(name, dpi=(dpi, dpi))
            names.append(name)
        listing = os.path.join(tmp, "images.txt")
        Path(listing).write_text("\n".join(names) + "\n", encoding="utf-8")
        # One thread per process: the machines this runs on read many files at once.
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            done = subprocess.run(
                [program, listing, "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(dpi), "tsv"],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=env,
            )
        except subprocess.TimeoutExpired:
            raise OcrError(f"Tesseract did not finish a page within {TIMEOUT} s") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["tesseract failed"])[-1]
        if "vie" in message and ("load" in message.lower() or "data" in message.lower()):
            message = "Tesseract's Vietnamese model (tesseract-ocr-vie) is not installed"
        raise OcrError(message)
    # image -> Tesseract's line -> (word, confidence)
    found: list[dict[tuple[str, str, str], list[tuple[Word, float]]]] = [{} for _ in images]
    for row in done.stdout.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        page = int(f[1]) - 1
        if not 0 <= page < len(images):
            continue
        x, y, w, h, conf = int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10])
        word = Word(x, x + w, y, y + h, unicodedata.normalize("NFC", f[11].strip()), confidence=conf)
        found[page].setdefault((f[2], f[3], f[4]), []).append((word, conf))
    return [_kept(lines) for lines in found]


def _kept(lines: dict[tuple[str, str, str], list[tuple[Word, float]]]) -> _Read:
    """The words of an image, less the "lines" Tesseract made of marks alone: the tone marks
    above a line of Vietnamese read as a line of their own ("` Lễ .k^"), every word of
    it much shorter than the image's lines of letters."""
    tallest = {k: max(w.bottom - w.top for w, _ in ws) for k, ws in lines.items()}
    ordered = sorted(tallest.values())
    typical = ordered[len(ordered) // 2] if ordered else 0
    kept = [(w, c) for k, ws in lines.items() if tallest[k] >= 0.6 * typical for w, c in ws]
    confs = [c for _, c in kept if c >= 0]
    return _Read(tuple(w for w, _ in kept), sum(confs) / len(confs) if confs else None)


def _ink(gray) -> bool:
    return bool((gray < 128).mean() > 0.002)


def _page(image, dpi: int, number: int = 1) -> list[Element]:
    """The elements of page *number*, an image at *dpi*: its tables cell by cell, then the rest
    of its text, each with its position in points.

    A page read with a mean word confidence under :data:`SIDEWAYS_SUSPECT` may be lying on its
    side (a landscape appendix page put through the scanner upright): Tesseract's orientation
    detection is asked, and the page turned as it says is read again; the better reading is kept.
    """
    elements, confidence = _read_page(image, dpi, number)
    if confidence is not None and confidence >= SIDEWAYS_SUSPECT:
        return elements
    turn = _orientation(image, dpi)
    if not turn:
        return elements
    again, better = _read_page(image.rotate(-turn, expand=True), dpi, number)
    return again if better is not None and (confidence is None or better > confidence) else elements


def _orientation(image, dpi: int) -> int:
    """The clockwise quarter turn (0, 90, 180, 270) that sets *image* upright, as Tesseract's
    orientation and script detection (``--psm 0``) finds it; 0 when it cannot tell (no ``osd``
    model, too little text)."""
    with tempfile.TemporaryDirectory(prefix="kg-osd-") as tmp:
        name = os.path.join(tmp, "page.png")
        image.save(name, dpi=(dpi, dpi))
        try:
            done = subprocess.run(
                [tesseract(), name, "stdout", "--psm", "0", "--dpi", str(dpi)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=dict(os.environ, OMP_THREAD_LIMIT="1"),
            )
        except subprocess.TimeoutExpired:
            return 0
    found = re.search(r"^Rotate:\s*(\d+)", done.stdout, re.M)
    return int(found.group(1)) % 360 if done.returncode == 0 and found else 0


def _read_page(image, dpi: int, number: int) -> tuple[list[Element], float | None]:
    """The elements of a page image as it lies, and the mean confidence of its words."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L"))
    grids = find_grids(gray, dpi)
    inset = max(3, dpi // 40)  # keep the cell borders out of the cell images
    crops, where = [], []
    for g, grid in enumerate(grids):
        for c, cell in enumerate(grid.cells):
            x0, y0, x1, y1 = cell.box
            part = gray[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
            if part.size and _ink(part):
                # a white margin around the cell, as Tesseract expects of a page
                crops.append(Image.fromarray(np.pad(part, 10, constant_values=255)))
                where.append((g, c))
    reads = dict(zip(where, _tesseract(crops, 6, dpi), strict=True))
    confidences = [w.confidence for r in reads.values() for w in r.words if (w.confidence or -1) >= 0]
    _reread_numbers(grids, gray, inset, dpi, reads)
    elements = [
        Element(grid.ys[0], grid=_cells_grid(grid, g, reads, gray.shape[1], inset, (number, 72 / dpi)))
        for g, grid in enumerate(grids)
    ]
    rest = gray.copy()
    for grid in grids:
        x0, y0, x1, y1 = grid.box
        rest[max(0, y0 - inset) : y1 + inset, max(0, x0 - inset) : x1 + inset] = 255
    if _ink(rest):
        (page,) = _tesseract([Image.fromarray(rest)], 3, dpi)
        confidences += [w.confidence for w in page.words if (w.confidence or -1) >= 0]
        lines = lines_of(page.words)
        right = max((ln.x1 for ln in lines), default=gray.shape[1])
        for p in paragraphs(lines, right):
            text, corrected = correct_names(p.text)
            note = "; ".join(
                f"OCR read {a!r}, taken as {b!r} (the one gazetteer name with those letters)"
                for a, b in corrected
            )
            where = at_page(number, p.box, 72 / dpi, p.confidence)
            elements.append(Element(p.top, text, note=note or None, full=p.full, gap=p.gap, position=where))
    elements.sort(key=lambda e: e.top)
    return elements, (sum(confidences) / len(confidences) if confidences else None)


# An ordinal as plans number their rows: "3.", "II", "IV.", "1.2", "a)".
_ORDINAL = re.compile(r"^(?:\d{1,3}|[IVXL]{1,6}|[a-zđ])(?:[.)]|\.\d{1,3})*\.?$")


def _reread_numbers(grids: list[TableGrid], gray, inset: int, dpi: int, reads: dict) -> None:
    """Read the cells of a narrow first column (the row numbers) again as one Latin line each.

    The Vietnamese model reads a lone "4." as "ả." and a bold "II", whose serifs touch, as
    "H"; ordinals are Latin digits and Roman numerals, which the English model reads as
    one line without those confusions.  Its reading is kept only when it is an ordinal, or
    when either reading is a bold Roman numeral misread (:func:`roman`: "VH" for "VII").
    """
    import numpy as np
    from PIL import Image

    crops, where = [], []
    for g, grid in enumerate(grids):
        if len(grid.xs) < 3 or grid.xs[1] - grid.xs[0] > 0.12 * (grid.xs[-1] - grid.xs[0]):
            continue
        for c, cell in enumerate(grid.cells):
            if cell.c0 == 0 and cell.c1 == 0 and (g, c) in reads:
                x0, y0, x1, y1 = cell.box
                part = gray[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
                ys, xs = np.nonzero(part < 128)
                tight = part[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
                crops.append(Image.fromarray(np.pad(tight, 20, constant_values=255)))
                where.append((g, c))
    for key, read in zip(where, _tesseract(crops, 7, dpi, lang="eng"), strict=True):
        text = "".join(w.text for w in read.words)
        if _ORDINAL.match(text) and roman(text) in (None, text):
            reads[key] = read
            continue
        before = reads[key]
        fixed = roman(text) or roman("".join(w.text for w in before.words))
        if fixed and before.words:
            first, last = before.words[0], before.words[-1]
            word = Word(first.x0, last.x1, first.top, last.bottom, fixed, confidence=before.confidence)
            reads[key] = _Read((word,), before.confidence)


# What OCR makes of a bold Roman numeral's letters: serifs that touch join "II" into "H", a lone "I"
# reads as "l", "|", "1", "!" or "L" (no plan has fifty groups: a group numbered L is a misread I).
_ROMAN_MISREAD = str.maketrans({"H": "II", "l": "I", "|": "I", "1": "I", "!": "I", "L": "I"})


def roman(text: str) -> str | None:
    """*text* as the Roman numeral (a group's number) OCR misread it from, if it is one.

    >>> roman("VH"), roman("H."), roman("Il"), roman("L."), roman("1"), roman("Việc"), roman("VII")
    ('VII', 'II.', 'II', 'I.', None, None, 'VII')
    """
    if not re.search(r"[VXHIL]", text):
        return None
    fixed = text.translate(_ROMAN_MISREAD)
    return fixed if re.fullmatch(r"[IVXL]{1,6}\.?", fixed) else None


def _group_heading(text: str) -> str:
    """A group heading merged across the row ("I. NÂNG CAO NHẬN THỨC…") with its Roman numeral
    as OCR misread it set right.

    >>> _group_heading("L.NANG CAO NHẬN THỨC"), _group_heading("1. Triển khai"), _group_heading("Lập kế hoạch")
    ('I. NANG CAO NHẬN THỨC', '1. Triển khai', 'Lập kế hoạch')
    """
    found = re.match(r"([^\W\d_]{1,6}|[|!]{1,3})([.)])\s*(?=[^\W\d_])", text)
    numeral = roman(found.group(1)) if found else None
    if numeral is None:
        return text
    return f"{numeral}{found.group(2)} {text[found.end() :]}"


def _bare(text: str) -> str:
    """*text* without tone and vowel marks, lower case, one character for each of *text*'s (NFC).

    >>> _bare("Sở Văn hóa và Thế thao")
    'so van hoa va the thao'
    """
    return "".join(
        unicodedata.normalize("NFD", ch)[0] for ch in text.replace("đ", "d").replace("Đ", "D")
    ).lower()


def _lexicon(phrases) -> tuple[re.Pattern, dict[str, set[str]]]:
    """A finder of *phrases* by their bare letters, and the phrases each bare form stands for."""
    from kg.model.text import name_key

    by_bare: dict[str, dict[str, str]] = {}
    for phrase in phrases:
        by_bare.setdefault(" ".join(_bare(phrase).split()), {}).setdefault(name_key(phrase), phrase)
    alternation = "|".join(
        r"\s+".join(map(re.escape, b.split())) for b in sorted(by_bare, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), {b: set(v.values()) for b, v in by_bare.items()}


@cache
def _names() -> tuple[re.Pattern, dict[str, set[str]]]:
    """The gazetteer's Vietnamese names of two words or more."""
    from kg.model.gazetteer import Gazetteer

    labels = (x for e in Gazetteer.default().entries for x in (e.name, *e.aliases))
    return _lexicon(x for x in labels if len(x.split()) >= 2)


# The words task tables name their columns with (see loaders/appendix.py): a header cell is
# read against them, so that a misread mark ("chú trì") does not hide the lead column.
HEADER_WORDS = (
    "số thứ tự", "nội dung", "nhiệm vụ", "giải pháp", "cơ quan", "đơn vị", "chủ trì",
    "phối hợp", "thực hiện", "thời gian", "thời hạn", "tiến độ", "chỉ tiêu", "sản phẩm",
    "kết quả", "ghi chú", "hoàn thành", "dự kiến",
)  # fmt: skip


@cache
def _header_words() -> tuple[re.Pattern, dict[str, set[str]]]:
    return _lexicon(HEADER_WORDS)


def correct_names(text: str, lexicon=None) -> tuple[str, list[tuple[str, str]]]:
    """*text* with each near-miss of a gazetteer name (or of a *lexicon*'s phrase) corrected:
    a phrase whose letters, marks aside, are those of exactly one name (OCR confuses "ể" and
    "ế", "ị" and "i"), and the corrections made as (read, name).

    >>> correct_names("Sở Văn hóa và Thế thao, các Sở")
    ('Sở Văn hóa và Thể thao, các Sở', [('Sở Văn hóa và Thế thao', 'Sở Văn hóa và Thể thao')])
    >>> correct_names("Cơ quan chú trì", _header_words())[0]
    'Cơ quan chủ trì'
    """
    from kg.model.text import name_key

    finder, names = lexicon or _names()
    out, done, at = [], [], 0
    for m in finder.finditer(_bare(text)):
        read = text[m.start() : m.end()]
        choices = names.get(" ".join(m.group(0).split()), set())
        if len(choices) != 1:
            continue  # two names share these letters: no guess
        (name,) = choices
        if name_key(" ".join(read.split())) == name_key(name):
            continue
        # mid-sentence as read; a capital where the read had one
        name = (name[0].lower() if read[:1].islower() else name[0].upper()) + name[1:]
        out.append(text[at : m.start()] + name)
        done.append((" ".join(read.split()), name))
        at = m.end()
    return "".join(out) + text[at:], done


def _cells_grid(
    grid: TableGrid, g: int, reads: dict, width: int, inset: int, page: tuple[int, float]
) -> Grid:
    """The grid's rows of cell text, with their notes (corrections, low confidence) and their
    positions: *page* is the page's number and the points one pixel is."""
    n, m = len(grid.ys) - 1, len(grid.xs) - 1
    rows = [[""] * m for _ in range(n)]
    origins: list[list[int | None]] = [[None] * m for _ in range(n)]
    notes: list[str | None] = [None] * n
    lowest: list[float | None] = [None] * n  # the lowest confidence of a cell starting on each row
    for c, cell in enumerate(grid.cells):
        read = reads.get((g, c))
        # the words are placed in the cell's image: the box less the inset, padded by 10 pixels
        text = cell_text(read.words, 0, cell.box[2] - cell.box[0] - 2 * inset + 20) if read else ""
        if cell.c0 == 0 and cell.c1 > 0 and cell.r0 > 0:
            text = _group_heading(text)
        text, said = _corrected(text)
        if cell.r0 == 0:  # the header row
            text, fixed = correct_names(text, _header_words())
            said += [f"OCR read {a!r}, taken as {b!r} (a column name)" for a, b in fixed]
        for i in range(cell.r0, cell.r1 + 1):
            rows[i][cell.c0] = text  # merged down: the same text on each row; across: once
            if i > cell.r0:
                origins[i][cell.c0] = cell.r0
        if read and read.confidence is not None and text:
            known = lowest[cell.r0]
            lowest[cell.r0] = read.confidence if known is None else min(known, read.confidence)
        if read and read.confidence is not None and read.confidence < LOW_CONFIDENCE and text:
            shown = " ".join(text.split())[:40]
            said.append(
                f"low OCR confidence ({read.confidence:.0f}%) in column {cell.c0 + 1}: {shown!r}; check it against the scan"
            )
        if said:
            before = notes[cell.r0].split("; ") if notes[cell.r0] else []
            notes[cell.r0] = "; ".join(dict.fromkeys([*before, *said]))
    number, scale = page
    where = [
        (at_page(number, (grid.xs[0], grid.ys[i], grid.xs[-1], grid.ys[i + 1]), scale, lowest[i]),)
        for i in range(n)
    ]
    return Grid(tuple(round(x / width, 3) for x in grid.xs[:-1]), rows, notes, origins, where, _corrected)


def _corrected(text: str) -> tuple[str, list[str]]:
    """A cell's text with its gazetteer names corrected, and the notes saying so."""
    text, corrected = correct_names(text)
    return text, [
        f"OCR read {a!r}, taken as {b!r} (the one gazetteer name with those letters)" for a, b in corrected
    ]


def _failed(path: Path, e: Exception) -> PlanError:
    return PlanError(str(e), file=str(path))


def ocr_pdf_page(path: Path, number: int) -> list[Element]:
    """The elements of page *number* (1-based) of a scanned PDF."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
        image = pdf[number - 1].render(scale=DPI / 72, grayscale=True).to_pil()
        pdf.close()
        return _page(image, DPI, number)
    except OcrError as e:
        raise _failed(path, e) from None


def load_image(path: Path):
    """The :class:`loaders.formats.Loaded` of a scanned page image (every frame of a TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from loaders.formats import _read_bytes

    _read_bytes(path)
    try:
        with Image.open(path) as image:
            dpi = round(float(image.info.get("dpi", (0, 0))[0] or 0)) or 200
            frames = [f.convert("L") for f in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as e:
        raise PlanError(f"not a valid image ({type(e).__name__})", file=str(path)) from None
    pages = []
    try:
        for number, frame in enumerate(frames, start=1):
            if dpi < DPI:  # Tesseract reads Vietnamese marks better at about 300 dpi
                frame = frame.resize((frame.width * DPI // dpi, frame.height * DPI // dpi), Image.LANCZOS)
            pages.append(_page(frame, max(dpi, DPI), number))
    except OcrError as e:
        raise _failed(path, e) from None
    loaded = assemble(pages, str(path))
    if not any(line.strip() for line in loaded.lines):
        raise PlanError("no text recognised in the image", file=str(path))
    return loaded
