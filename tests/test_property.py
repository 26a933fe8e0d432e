"""On any text, the reader returns records or raises its own error, nothing else."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import ExtractResult, PlanError
from loaders import read_plan

cells = st.sampled_from(
    [
        "TT",
        "Nội dung",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian",
        "I",
        "1.",
        "",
        "Sở Nội vụ",
        "Các Sở, ngành",
        "Quý II/2024",
        "<b>II</b>",
        "**",
        "|",
        "Chỉ tiêu",
        "2024 - 2030",
    ]
)
row = st.one_of(
    st.lists(cells, min_size=1, max_size=6).map("\t".join),
    st.lists(cells, max_size=6).map(lambda c: "| " + " | ".join(c) + " |"),
    st.text(max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(row, max_size=25))
def test_reader_returns_or_raises_its_own_error(tmp_path, lines):
    p = tmp_path / "doc.txt"
    p.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        result = read_plan(p)
    except PlanError as e:
        assert str(e).startswith(str(p))
    else:
        # A document is read when it yields tasks or indicator rows (a table of chỉ tiêu with a lead column).
        assert isinstance(result, ExtractResult) and (result.tasks or result.indicators)
