"""``kg serve``: a real server on a free port, every page and API over HTTP, the SPARQL protocol.

Stores are built from the bundled sample (and a hostile copy) into temporary folders; the server
is the ``kg serve`` command itself, run as a subprocess and stopped with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.support.deps import need

need("starlette")
need("uvicorn")
httpx = need("httpx")

from click.testing import CliRunner  # noqa: E402

import kg  # noqa: E402
from kg.api import SAMPLE  # noqa: E402
from kg.cli import main  # noqa: E402
from queries import registry  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = "<img src=x onerror=alert(1)>"
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")


@dataclass
class Server:
    url: str
    store: Path
    process: subprocess.Popen

    def get(self, path: str, **kw) -> httpx.Response:
        return httpx.get(self.url + path, timeout=60, **kw)

    def post(self, path: str, **kw) -> httpx.Response:
        return httpx.post(self.url + path, timeout=60, **kw)


def start_server(
    store: Path,
    timeout_s: float = 120,
    cache: Path | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Server:
    """``kg serve --store STORE --port 0 ARGS…`` in a subprocess; the address is read from what it prints.

    The graph cache is off unless *cache* names a folder (the user's own cache is never touched)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KG_EXPLORER_CACHE": str(cache) if cache else "off",
            **(env or {}),
        },
    )
    deadline = time.monotonic() + timeout_s
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = ADDRESS.search(line)
        if m:
            return Server(m.group(0).rstrip("/"), store, proc)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"kg serve did not start: {line!r} {proc.stderr.read()}")


def stop_server(server: Server) -> tuple[int, str]:
    """Ctrl-C, as a user would; the exit status and what it printed after the address."""
    server.process.send_signal(signal.SIGINT)
    try:
        out, _ = server.process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise
    return server.process.returncode, out


def build_store(path: Path, result) -> Path:
    from kg.pipeline import build

    build([result], path)
    return path


def hostile_result():
    """The sample with a plan title, a task title, a group title and an agency (cell and name) as markup."""
    from loaders import read_plan
    from tests.test_viz import hostile

    return hostile(read_plan(SAMPLE))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from loaders import read_plan

    store = build_store(tmp_path_factory.mktemp("explorer") / "kg", read_plan(SAMPLE))
    s = start_server(store)
    yield s
    stop_server(s)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("explorer-hostile") / "kg", hostile_result())
    s = start_server(store)
    yield s
    stop_server(s)


@pytest.fixture(scope="module")
def graph(server):
    with kg.open(server.store) as g:
        yield g


def plan_id(server: Server) -> str:
    return server.get("/api/query/plan-summary").json()[0]["plan"]


# The command ------------------------------------------------------------------------------------


def test_serve_prints_its_address_and_stops_on_ctrl_c(server, tmp_path):
    from loaders import read_plan

    s = start_server(build_store(tmp_path / "kg", read_plan(SAMPLE)))
    assert s.url.startswith("http://127.0.0.1:")
    assert s.get("/").status_code == 200
    code, out = stop_server(s)
    assert code == 0
    assert "stopped" in out


def test_the_graph_is_read_once_per_store_build(tmp_path, monkeypatch):
    from kg.explorer.data import cached_graph
    from kg.stores.graph import to_networkx
    from loaders import read_plan

    monkeypatch.setenv("KG_EXPLORER_CACHE", str(tmp_path / "cache"))
    store = build_store(tmp_path / "kg", read_plan(SAMPLE))
    reads = []

    def read():
        reads.append(1)
        return to_networkx(store)

    first = cached_graph(store, read)
    again = cached_graph(store, read)
    assert len(reads) == 1 and sorted(again.nodes) == sorted(first.nodes)
    assert again.number_of_edges() == first.number_of_edges()
    build_store(store, hostile_result())  # the store rebuilt: read again, the old pickle dropped
    changed = cached_graph(store, read)
    assert len(reads) == 2 and "agency:ha-noi/evil" in changed
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    # A server started twice on the same store reads the cache the first start wrote.
    for _ in range(2):
        s = start_server(store, cache=tmp_path / "cache")
        assert s.get("/agency/ha-noi/evil").status_code == 200
        stop_server(s)
    monkeypatch.setenv("KG_EXPLORER_CACHE", "off")
    cached_graph(store, read)
    assert len(reads) == 3


def test_serve_refuses_a_folder_that_is_no_store(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("x")
    r = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "x")])
    assert r.exit_code == 1
    assert "not a kg store" in r.output


# Pages ------------------------------------------------------------------------------------------


def test_every_page_answers_with_a_content_security_policy(server):
    pid = plan_id(server)
    pages = [
        "/",
        "/search?q=so+noi+vu",
        "/agency/ha-noi/so-noi-vu",
        "/agency/ha-noi/so-noi-vu?as_of=2026-01-01",
        "/task?" + urlencode({"plan": pid, "id": "II.1"}),
        "/plan/" + quote(pid),
        "/queries",
        "/agencies",
        *[f"/queries/{name}" for name in registry()],
        "/sparql",
        "/sparql?example=agency-load",
        "/sparql?" + urlencode({"query": SELECT, "format": "html"}),
    ]
    for page in pages:
        r = server.get(page)
        assert r.status_code == 200, page
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
        # Nothing outside the server: no absolute URL in a src or href, no inline script or style.
        assert not re.search(r"""(?:src|href|action)=["']?(?:https?:)?//""", r.text), page
        assert "<script>" not in r.text and "<style" not in r.text and " style=" not in r.text


TABLE = re.compile(
    r'<div class="table" id="table-([\w-]+)">\s*<p class="exports">.*?<a href="([^"]+)">CSV</a> · <a href="([^"]+)">JSON</a>'
)


def test_every_page_links_to_the_others_and_offers_its_tables_as_csv_and_json(server):
    import html

    pid = plan_id(server)
    pages = [
        "/",
        "/search?q=so+noi+vu",
        "/agency/ha-noi/so-noi-vu",
        "/task?" + urlencode({"plan": pid, "id": "II.1"}),
        "/plan/" + quote(pid),
        "/queries",
        "/queries/agency-load?run=1",
        "/agencies",
        "/agencies?collectives=1",
        "/sparql?" + urlencode({"query": SELECT, "format": "html"}),
    ]
    for page in pages:
        text = server.get(page).text
        for target in ("/", "/agencies", "/queries", "/sparql"):
            assert f'href="{target}"' in text, (page, target)
        assert 'action="/search"' in text
        tables = TABLE.findall(text)
        assert tables, page
        for name, csv_link, json_link in tables:
            csv_ = server.get(html.unescape(csv_link))
            assert csv_.status_code == 200 and csv_.headers["content-type"].startswith("text/csv"), (
                page,
                name,
            )
            rows = server.get(html.unescape(json_link))
            assert rows.status_code == 200 and isinstance(rows.json(), list), (page, name)
            assert len(csv_.text.splitlines()) >= len(rows.json()) + 1, (page, name)


def test_the_agency_view_tables_are_the_agencies_drawn(server):
    view = server.get("/api/agencies").json()
    agencies = server.get("/agencies?format=json&table=agencies").json()
    assert [f"agency:{a['id']}" for a in agencies] == [n["id"] for n in view["nodes"]]
    links = server.get("/agencies?format=json&table=links").json()
    assert sorted((x["id_a"], x["id_b"], x["shared_tasks"]) for x in links) == sorted(
        (e["source"].removeprefix("agency:"), e["target"].removeprefix("agency:"), e["weight"])
        for e in view["edges"]
    )
    more = server.get("/agencies?collectives=1&format=json&table=agencies").json()
    assert len(more) > len(agencies)


def test_unknown_pages_say_so(server):
    assert server.get("/agency/ha-noi/nobody").status_code == 404
    assert server.get("/plan/nothing").status_code == 404
    assert server.get("/task?plan=x&id=y").status_code == 404
    assert server.get("/queries/nothing").status_code == 404


def test_home_says_what_the_store_holds(server, graph):
    r = server.get("/")
    tasks = len(graph.query("depends-on", agency="Sở Nội vụ", frame=False))
    assert re.search(r"<b>1</b> plans", r.text) and re.search(r"<b>30</b> tasks", r.text)
    busiest = server.get("/?format=json&table=busiest").json()
    assert busiest[0]["agency"] == "Sở Nội vụ" and busiest[0]["total"] == tasks
    assert busiest == [
        {k: row[k] for k in ("agency", "jurisdiction", "lead", "coordinating", "total")}
        for row in graph.query("agency-load", frame=False)[: len(busiest)]
    ]


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("so noi vu ha noi", "Sở Nội vụ"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        ("Department of Home Affairs", "Sở Nội vụ"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("so tai chinh", "Sở Tài chính"),
    ],
)
def test_search_finds_an_agency_first_by_any_name(server, q, name):
    hits = server.get("/api/search", params={"q": q}).json()["results"]
    assert hits[0]["kind"] == "agency" and hits[0]["name"] == name, hits[:3]
    assert hits[0]["jurisdiction"] == "Hà Nội"
    page = server.get("/search", params={"q": q})
    assert f'href="{hits[0]["url"]}">{name}</a>' in page.text
    assert server.get("/search", params={"q": q, "format": "json"}).json()[0]["name"] == name


def test_search_does_not_mix_up_close_names(server):
    # "noi" is in the jurisdiction (Hà Nội) and in aliases of Sở Ngoại vụ: the words must come in order.
    names = [h["name"] for h in server.get("/api/search", params={"q": "so noi vu"}).json()["results"]]
    assert names == ["Sở Nội vụ"]
    names = [
        h["name"] for h in server.get("/api/search", params={"q": "so ngoai vu ha noi"}).json()["results"]
    ]
    assert names[0] == "Sở Ngoại vụ" and "Sở Nội vụ" not in names


@pytest.mark.parametrize("q", ["Sở Nội vụ", "Sở Tài chính, Hà Nội", "Ủy ban nhân dân thành phố", "Đoàn"])
def test_search_ranks_the_same_with_or_without_diacritics(server, q):
    from kg.model.text import strip_diacritics

    with_marks = server.get("/api/search", params={"q": q}).json()["results"]
    without = server.get("/api/search", params={"q": strip_diacritics(q)}).json()["results"]
    assert with_marks and with_marks[0] == without[0]
    assert {h["url"] for h in with_marks} == {h["url"] for h in without}


def test_search_puts_the_words_as_typed_first(server):
    # "nối" (to link) and "Nội" (Hà Nội, Nội vụ) are one word without their marks: typed with them,
    # the tasks that say "nối" come before those that only say "Nội".
    tasks = [
        h["name"]
        for h in server.get("/api/search", params={"q": "nối"}).json()["results"]
        if h["kind"] == "task"
    ]
    said = ["nối" in t.lower().split() for t in tasks]
    assert any(said) and not all(said)
    assert said == sorted(said, reverse=True)
    plain = [
        h["name"]
        for h in server.get("/api/search", params={"q": "noi"}).json()["results"]
        if h["kind"] == "task"
    ]
    assert sorted(plain) == sorted(tasks)


def test_search_finds_tasks_and_plans_without_diacritics(server, graph):
    hits = server.get("/api/search", params={"q": "doi ngu tri thuc"}).json()["results"]
    kinds = {h["kind"] for h in hits}
    assert {"task", "plan"} <= kinds
    assert all("trí thức" in h["name"].lower() or h["kind"] != "task" for h in hits)
    assert server.get("/api/search", params={"q": "zzzz qqqq"}).json()["results"] == []


def test_agency_page_lists_its_tasks_by_role_partners_and_plans(server, graph):
    record = graph.agency("Sở Nội vụ, Hà Nội")
    r = server.get("/agency/ha-noi/so-noi-vu")
    assert "<h1>Sở Nội vụ</h1>" in r.text and "Department of Home Affairs" in r.text
    for role in ("lead", "coordinating"):
        rows = server.get("/agency/ha-noi/so-noi-vu", params={"format": "json", "table": role}).json()
        assert [x["task"] for x in rows] == [t.task for t in record.tasks[role]]
        assert [x["deadline"] for x in rows] == [t.deadline for t in record.tasks[role]]
    partners = server.get("/agency/ha-noi/so-noi-vu?format=csv&table=partners")
    assert partners.headers["content-type"].startswith("text/csv")
    lines = partners.text.splitlines()
    assert lines[0] == "name,tasks,id" and len(lines) == 1 + len(record.partners)
    plans = server.get("/agency/ha-noi/so-noi-vu?format=json&table=plans").json()
    assert [p["plan"] for p in plans] == sorted({t.plan for t in record.tasks["lead"]})


def test_agency_page_as_of_a_date_and_its_reorganisation(server, graph):
    before = server.get("/agency/ha-noi/so-tai-chinh?format=json&table=lead").json()
    after = server.get("/agency/ha-noi/so-tai-chinh?as_of=2026-01-01&format=json&table=lead").json()
    expected = [t.task for t in graph.agency("Sở Tài chính (Hà Nội)", as_of="2026-01-01").tasks["lead"]]
    assert [r["task"] for r in after] == expected != [r["task"] for r in before]
    # Sở Kế hoạch và Đầu tư merged into Sở Tài chính in 2025: the page says so, with its sources.
    history = server.get("/agency/ha-noi/so-ke-hoach-va-dau-tu?format=json&table=reorganisation").json()
    assert history and history[0]["change"] == "ended" and history[0]["sources"]
    assert server.get("/agency/ha-noi/so-tai-chinh?as_of=nonsense").status_code == 400


def test_task_page_shows_roles_deadline_and_source_lines(server):
    pid = plan_id(server)
    url = "/task?" + urlencode({"plan": pid, "id": "II.1"})
    r = server.get(url)
    assert "<h1>II.1: Tham mưu đề xuất cơ chế" in r.text
    roles = server.get(url + "&format=json&table=roles").json()
    assert ("lead", "Sở Nội vụ") in {(x["role"], x["agency"]) for x in roles}
    source = server.get(url + "&format=json&table=source").json()
    printed = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert source and all(printed[x["line"] - 1] == x["text"] for x in source)
    assert any("Sở Nội vụ" in x["text"] for x in source)
    assert "2024" in r.text  # its deadline
    assert f'href="/plan/{quote(pid)}"' in r.text


def test_plan_page_shows_identity_chain_and_tasks(server, graph):
    pid = plan_id(server)
    r = server.get("/plan/" + quote(pid))
    assert "30-CTr/TU" in r.text or "Chương trình hành động" in r.text
    tasks = server.get(f"/plan/{quote(pid)}?format=json&table=tasks").json()
    assert len(tasks) == 30 and tasks[0]["task"] == "I.1"
    chain = server.get(f"/plan/{quote(pid)}?format=json&table=chain").json()
    assert chain == [
        {k: row[k] for k in ("level", "document", "type", "number", "date", "issuer")}
        for row in graph.query("document-chain", plan=pid, frame=False)
    ]
    assert f'href="/task?plan={quote(pid, safe="")}&amp;id=I.1"' in r.text.replace("%2F", "%2F")


def test_query_pages_build_a_form_from_the_declared_parameters(server, graph):
    page = server.get("/queries").text
    for name, q in registry().items():
        assert f'href="/queries/{name}"' in page
        form = server.get(f"/queries/{name}").text
        for p in q.params:
            assert f'name="{p.name}"' in form, (name, p.name)
    rows = server.get("/queries/depends-on", params={"agency": "Sở Nội vụ", "format": "json"}).json()
    assert rows == graph.query("depends-on", agency="Sở Nội vụ", frame=False)
    bad = server.get("/queries/deadlines", params={"from": "soon"})
    assert bad.status_code == 200 and "must be a date" in bad.text


def _cli_json(store: Path, name: str, params: dict[str, str]) -> str:
    args = ["query", name, "--format", "json", "--store", str(store)]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    return r.output


def test_the_api_answers_every_named_query_as_the_cli_does(server):
    pid = plan_id(server)
    required = {"agency": "Sở Nội vụ", "plan": pid}
    for name, q in registry().items():
        if not q.sparql:
            continue
        for as_of in (None, "2026-01-01"):
            params = {p.name: required[p.name] for p in q.params if p.default is None}
            if as_of and any(p.name == "as_of" for p in q.params):
                params["as_of"] = as_of
            r = server.get(f"/api/query/{name}", params=params)
            assert r.status_code == 200, (name, r.text)
            assert r.headers["content-type"].startswith("application/json")
            assert r.text == _cli_json(server.store, name, params), name
            assert isinstance(json.loads(r.text), list)
    deadlines = {"from": "2024-01-01", "to": "2024-12-31"}
    assert server.get("/api/query/deadlines", params=deadlines).text == _cli_json(
        server.store, "deadlines", deadlines
    )


def test_the_api_reports_errors_as_json(server):
    assert server.get("/api/query/nothing").status_code == 404
    r = server.get("/api/query/depends-on")
    assert r.status_code == 400 and "agency" in r.json()["error"]
    assert server.get("/api/query/deadlines", params={"from": "x"}).status_code == 400


# The neighbourhood graph --------------------------------------------------------------------------


def test_neighbourhood_of_an_agency(server, graph):
    record = graph.agency("Sở Nội vụ, Hà Nội")
    one = server.get("/api/graph", params={"node": "agency:ha-noi/so-noi-vu", "hops": 1}).json()
    tasks = {n["id"].split("#")[1] for n in one["nodes"] if n["kind"] == "task"}
    assert tasks == {t.task for ts in record.tasks.values() for t in ts}
    two = server.get("/api/graph", params={"node": "agency:ha-noi/so-noi-vu", "hops": 2}).json()
    partners = {n["id"].removeprefix("agency:") for n in two["nodes"] if n["kind"] == "agency"}
    assert partners == {p.id for p in record.partners} | {"ha-noi/so-noi-vu"}
    alone = server.get(
        "/api/graph", params={"node": "agency:ha-noi/so-noi-vu", "hops": 2, "collectives": 0}
    ).json()
    assert len(alone["nodes"]) < len(two["nodes"])
    ids = {n["id"] for n in two["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in two["edges"])
    assert all(-1.01 <= n["x"] <= 1.01 and -1.01 <= n["y"] <= 1.01 for n in two["nodes"])
    for n in two["nodes"][:10]:
        assert n["url"] is None or server.get(n["url"]).status_code == 200
    assert server.get("/api/graph", params={"node": "agency:nobody"}).status_code == 404


def test_a_neighbourhood_past_the_cap_keeps_the_most_linked_and_says_what_it_left(server, monkeypatch):
    from kg.explorer import graph_view
    from kg.explorer.data import Explorer

    full = server.get("/api/graph", params={"node": "agency:ha-noi/so-noi-vu", "hops": 2}).json()
    monkeypatch.setattr(graph_view, "MAX_GRAPH_NODES", 12)
    cut = Explorer(server.store, cache=False).neighbourhood("agency:ha-noi/so-noi-vu", hops=2)
    drawn = [n for n in cut["nodes"] if n["kind"] != "more"]
    more = [n for n in cut["nodes"] if n["kind"] == "more"]
    assert len(drawn) == 12 and drawn[0]["focus"]
    assert cut["cut"] == len(full["nodes"]) - 12
    # One "+N more" node per kind left out, its N the count of that kind missing, linked to the focus.
    kinds = {k: sum(1 for n in full["nodes"] if n["kind"] == k) for k in ("task", "agency", "document")}
    left = {k: kinds[k] - sum(1 for n in drawn if n["kind"] == k) for k in kinds}
    assert {n["id"].removeprefix("more:"): int(n["label"][1:].split()[0]) for n in more} == {
        k: v for k, v in left.items() if v
    }
    assert {(e["source"], e["target"]) for e in cut["edges"] if e["rel"] == "more"} == {
        (cut["focus"], n["id"]) for n in more
    }
    ids = {n["id"] for n in cut["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in cut["edges"])
    # The agencies and plans kept are those linked to most tasks of the whole neighbourhood.
    links = {}
    for e in full["edges"]:
        for end in (e["source"], e["target"]):
            links[end] = links.get(end, 0) + 1
    hubs = sorted(
        (n["id"] for n in full["nodes"] if n["kind"] != "task" and not n["focus"]), key=lambda n: -links[n]
    )
    kept = [n["id"] for n in drawn if n["kind"] != "task" and not n["focus"]]
    assert sorted(links[h] for h in kept) == sorted(links[h] for h in hubs[: len(kept)])


def test_the_page_asks_for_its_graph_before_its_script_runs(server):
    import html

    page = server.get("/agency/ha-noi/so-noi-vu").text
    m = re.search(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin="anonymous">', page)
    assert m and page.index(m.group(0)) < page.index("</head>")
    url = html.unescape(m.group(1))
    assert url == "/api/graph?node=agency%3Aha-noi%2Fso-noi-vu&hops=2&collectives=1"
    assert server.get(url).json()["focus"] == "agency:ha-noi/so-noi-vu"
    dated = server.get("/agency/ha-noi/so-noi-vu?as_of=2026-01-01").text
    assert "collectives=1&amp;as_of=2026-01-01" in dated
    assert "server-timing" in server.get(url).headers


def test_the_agency_view_of_the_whole_store(server, graph):
    assert server.get("/agencies").status_code == 200
    view = server.get("/api/agencies").json()
    load = graph.query("agency-load", frame=False)
    assert [n["id"] for n in view["nodes"]] == [f"agency:{r['id']}" for r in load][: len(view["nodes"])]
    pairs = {
        frozenset((f"agency:{r['id_a']}", f"agency:{r['id_b']}")): r["tasks"]
        for r in graph.query("co-responsibility", frame=False)
    }
    assert {frozenset((e["source"], e["target"])): e["weight"] for e in view["edges"]} == pairs
    with_collectives = server.get("/api/agencies", params={"collectives": 1}).json()
    assert len(with_collectives["nodes"]) > len(view["nodes"])


# SPARQL ------------------------------------------------------------------------------------------

SELECT = "SELECT ?name WHERE { ?a a org:Organization ; skos:prefLabel ?name FILTER(LANG(?name) = 'vi') } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?a skos:prefLabel ?n } WHERE { ?a a org:Organization ; skos:prefLabel ?n } LIMIT 5"


def test_sparql_get_and_post_in_every_result_format(server):
    js = server.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert js.headers["content-type"].startswith("application/sparql-results+json")
    names = [b["name"]["value"] for b in js.json()["results"]["bindings"]]
    assert "Sở Nội vụ" in names
    csv_ = server.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    assert csv_.headers["content-type"].startswith("text/csv")
    assert csv_.text.splitlines()[1:] == names
    tsv = server.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert len(tsv.text.splitlines()) == len(names) + 1
    ask = server.get("/sparql", params={"query": "ASK { ?a a org:Organization }"}).json()
    assert ask["boolean"] is True
    ttl = server.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and "prefLabel" in ttl.text
    nt = server.get("/sparql", params={"query": CONSTRUCT, "format": "nt"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len([x for x in nt.text.splitlines() if x.endswith(" .")]) == 5
    assert server.get("/sparql", params={"query": "SELECT nonsense"}).status_code == 400


def test_sparql_refuses_updates(server):
    update = "INSERT DATA { <urn:x> <urn:p> 'x' }"
    assert server.post("/sparql", data={"update": update}).status_code == 403
    r = server.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert server.get("/sparql", params={"query": update}).status_code == 403
    assert server.get("/sparql", params={"update": update}).status_code == 403
    ask = server.get("/sparql", params={"query": "ASK { <urn:x> ?p ?o }"}).json()
    assert ask["boolean"] is False


def test_sparql_refuses_service_and_calls_no_other_server(server):
    from tests.test_safety import sparql_listener

    with sparql_listener() as (url, seen):
        query = f"SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        assert server.get("/sparql", params={"query": query}).status_code == 403
        r = server.get("/sparql", params={"query": query, "format": "html"})
        assert r.status_code == 403 and "SERVICE" in r.text
        assert seen == []


def _textarea(page: str, name: str) -> str:
    import html

    m = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, name
    return html.unescape(m.group(1))


def test_sparql_page_is_an_editor_seeded_with_every_named_query(server):
    page = server.get("/sparql").text
    named = [q for q in registry().values() if q.sparql]
    for q in named:
        assert f'<option value="{q.name}">' in page
    for q in named:
        seeded = server.get("/sparql", params={"example": q.name})
        assert seeded.status_code == 200
        text = _textarea(seeded.text, "query")
        assert text == q.sparql.replace("\r\n", "\n"), q.name
        # Run from the editor (its own GET form): the answer is a table with its CSV and JSON.
        r = server.get("/sparql", params={"query": text, "format": "html"})
        assert r.status_code == 200 and 'class="error"' not in r.text, (q.name, r.text[-500:])
        assert 'id="table-results"' in r.text
        rows = server.get("/sparql", params={"query": text, "format": "json", "table": "results"}).json()
        assert isinstance(rows, list) and f"{len(rows)} row" in r.text, q.name


def test_sparql_page_answers_as_a_table_with_links_and_exports(server, graph):
    r = server.get("/sparql", params={"query": SELECT, "format": "html"})
    rows = server.get("/sparql", params={"query": SELECT, "format": "json", "table": "results"}).json()
    protocol = server.get("/sparql", params={"query": SELECT}).json()["results"]["bindings"]
    assert [x["name"] for x in rows] == [b["name"]["value"] for b in protocol]
    csv_ = server.get("/sparql", params={"query": SELECT, "format": "csv", "table": "results"})
    assert csv_.headers["content-type"].startswith("text/csv") and csv_.text.splitlines()[0] == "name"
    assert "Sở Nội vụ" in r.text and _textarea(r.text, "query") == SELECT
    # An agency's IRI opens its page; a task's and a plan's too.
    linked = server.get(
        "/sparql",
        params={
            "query": "SELECT ?a ?t WHERE { ?a skos:prefLabel 'Sở Nội vụ'@vi . ?t kg:lead ?a }",
            "format": "html",
        },
    )
    assert 'href="/agency/ha-noi/so-noi-vu"' in linked.text
    assert re.search(r'href="/task\?plan=[^"]+&amp;id=II\.1"', linked.text), linked.text[-2000:]
    ask = server.get(
        "/sparql", params={"query": "ASK { ?a a org:Organization }", "format": "json", "table": "results"}
    )
    assert ask.json() == [{"ask": "true"}]
    triples = server.get("/sparql", params={"query": CONSTRUCT, "format": "json", "table": "results"}).json()
    assert len(triples) == 5 and set(triples[0]) == {"subject", "predicate", "object"}


def test_sparql_page_refuses_updates_and_says_what_is_wrong(server):
    update = "INSERT DATA { <urn:x> <urn:p> 'x' }"
    r = server.get("/sparql", params={"query": update, "format": "html"})
    assert r.status_code == 403 and "read-only" in r.text
    bad = server.get("/sparql", params={"query": "SELECT nonsense", "format": "html"})
    assert bad.status_code == 400 and 'class="error">SPARQL:' in bad.text
    assert _textarea(bad.text, "query") == "SELECT nonsense"  # the text stays to be mended
    assert server.get("/sparql", params={"query": "ASK { <urn:x> ?p ?o }"}).json()["boolean"] is False


def test_no_cypher_page_without_neo4j(server):
    assert server.get("/cypher").status_code == 404
    assert 'href="/cypher"' not in server.get("/").text


# Assets and hostile text --------------------------------------------------------------------------


def test_assets_are_served_from_the_package(server):
    for asset in (
        "vendor/sigma.min.js",
        "vendor/graphology.umd.min.js",
        "graph.js",
        "editor.js",
        "explorer.css",
    ):
        r = server.get("/static/" + asset)
        assert (
            r.status_code == 200 and r.content == (ROOT / "kg" / "explorer" / "static" / asset).read_bytes()
        )
    static = ROOT / "kg" / "explorer" / "static" / "vendor"
    assert (
        "MIT" in (static / "sigma-LICENSE.txt").read_text() + (static / "graphology-LICENSE.txt").read_text()
    )
    for script in (ROOT / "kg" / "explorer" / "static").glob("*.js"):
        assert "innerHTML" not in script.read_text(), script.name


def test_hostile_plan_text_is_shown_as_text(hostile_server):
    s = hostile_server
    pid = plan_id(s)
    pages = [
        "/",
        "/search?" + urlencode({"q": "img src"}),
        "/agency/ha-noi/evil",
        "/plan/" + quote(pid),
        "/task?" + urlencode({"plan": pid, "id": "I.1"}),
        "/task?" + urlencode({"plan": pid, "id": "I.2"}),
        "/queries/agency-load?collectives=true",
    ]
    for page in pages:
        r = s.get(page)
        assert r.status_code == 200, page
        assert (
            "<img" not in r.text and "javascript:alert" not in r.text.replace("&#34;", '"').split("href=")[0]
        )
        assert 'href="javascript' not in r.text
    agency = s.get("/agency/ha-noi/evil").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in agency
    hits = s.get("/api/search", params={"q": "img onerror"}).json()["results"]
    assert PAYLOAD in {h["name"] for h in hits}  # the JSON holds the text as it is; the pages escape it


# The shared corpus ---------------------------------------------------------------------------------

LINK = re.compile(r'href="(/[^"]*)"')


@pytest.mark.corpus
def test_every_link_answers_on_a_store_of_the_corpus(tmp_path, corpus_dir):
    """Crawl from the home page (pages, their CSV/JSON tables and their neighbourhoods): nothing fails."""
    import html

    from kg.pipeline import build_files

    files = sorted(p for p in corpus_dir.rglob("*.txt"))
    build_files(files, tmp_path / "kg", jobs=1)
    s = start_server(tmp_path / "kg")
    try:
        seen: set[str] = set()
        queue = ["/", "/search?q=so+noi+vu", "/search?q=Ministry+of+Finance", "/sparql", "/queries"]
        kinds: dict[str, int] = {}
        while queue and len(seen) < 200:
            url = queue.pop(0)
            if url in seen or url.startswith("/static/"):
                continue
            seen.add(url)
            r = s.get(url)
            assert r.status_code == 200, (url, r.text[:300])
            kind = url.split("?")[0].split("/")[1]
            kinds[kind] = kinds.get(kind, 0) + 1
            if "format=" in url or not r.headers["content-type"].startswith("text/html"):
                continue
            m = re.search(r'data-node="([^"]+)"', r.text)
            if m:
                g = s.get("/api/graph", params={"node": html.unescape(m.group(1)), "hops": 2})
                assert g.status_code == 200 and g.json()["nodes"], url
            # breadth first, a few links of each page
            queue += [html.unescape(u) for u in LINK.findall(r.text)[:40]]
        assert {"agency", "task", "plan", "search"} <= set(kinds), kinds
    finally:
        stop_server(s)


def hostile_text_copy(path: Path) -> Path:
    """The sample's text with the markup in a task's lead cell, another's coordinating cell and two titles."""
    out, done = [], 0
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 5 and re.fullmatch(r"\d+\.", cells[0].strip()) and done < 2 and "Sở" in cells[2]:
            cells[2 + done] = PAYLOAD if done == 0 else cells[3] + ", " + PAYLOAD
            cells[1] += " " + PAYLOAD
            done += 1
        out.append("\t".join(cells))
    assert done == 2
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_plan_file_with_markup_in_its_cells_is_shown_inert(tmp_path):
    from loaders import read_plan

    plan = read_plan(hostile_text_copy(tmp_path / "hostile.txt"))
    s = start_server(build_store(tmp_path / "kg", plan))
    try:
        pid = plan_id(s)
        tasks = s.get(f"/plan/{quote(pid)}?format=json&table=tasks").json()
        pages = ["/", "/agencies?collectives=1", f"/plan/{quote(pid)}"]
        pages += ["/task?" + urlencode({"plan": pid, "id": t["task"]}) for t in tasks]
        pages += [h["url"] for h in s.get("/api/search", params={"q": "so"}).json()["results"][:20]]
        escaped = 0
        for page in pages:
            r = s.get(page)
            assert r.status_code == 200, page
            assert "<img" not in r.text, page
            escaped += "&lt;img src=x onerror=alert(1)&gt;" in r.text
        # The source lines as printed carry the markup (the reader drops it from names): shown as text.
        assert escaped >= 2
    finally:
        stop_server(s)


def test_make_demo_ends_by_saying_how_to_start_the_explorer_on_its_store(monkeypatch, tmp_path):
    """The demo's last line names `kg serve`, which opens the store the demo built (its default)."""
    from kg.api import default_store

    recipe = re.search(r"^demo:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe
    last = recipe.group(1).strip().splitlines()[-1]
    assert last.lstrip("\t@").startswith("echo") and "kg serve" in last and "--store" not in last
    store = re.search(r"^STORE \?= \$\(or \$\(KG_STORE\),(\S+)\)$", (ROOT / "Makefile").read_text(), re.M)
    assert store
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Path(default_store()).resolve() == (tmp_path / store.group(1)).resolve()


def test_an_agency_s_tasks_are_the_reference_depends_on_rows(server):
    """The agency page reads an agency's tasks from its own edges: the rows of kg.graph.metrics.depends_on."""
    from datetime import date

    from kg.explorer.data import Explorer, _agency_tasks
    from kg.graph import metrics

    ex = Explorer(server.store, cache=False)
    for day in (None, date(2026, 1, 1)):
        G = ex._graph_on(day)
        agencies = [d["id"] for _, d in G.nodes(data=True) if d.get("type") == "agency"]
        assert len(agencies) > 10
        for a in agencies:
            assert _agency_tasks(G, f"agency:{a}") == metrics.depends_on(G, [a]), (day, a)
