"""``kg serve`` in Debian's headless Chromium: search → agency page → graph → task page, offline.

Every request that does not go to the server on 127.0.0.1 is blocked and recorded; a console
error, an uncaught exception, a dialog or a blocked request fails the walk.  WebGL (sigma.js)
runs on SwiftShader.  Under CI=true a missing browser fails these tests instead of skipping them.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest

from tests.support.browser import CHROMIUM_FLAGS, chromium_path, is_blank, require_browser
from tests.support.deps import need

pytestmark = pytest.mark.browser

need("uvicorn")
from tests.test_explorer import hostile_server, plan_id, server  # noqa: E402, F401  (fixtures)

# The project's flags, with a GPU emulated for WebGL and the loopback reachable (the dead proxy
# still catches anything else that escapes request interception).
FLAGS = [f for f in CHROMIUM_FLAGS if f not in {"--disable-gpu"} and not f.startswith("--proxy-bypass-list")]
FLAGS += [
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--proxy-bypass-list=127.0.0.1",
]
DRAWN = "() => window.explorerGraph && window.explorerGraph.drawn && window.explorerGraph.nodes > 0"


@dataclass
class Watch:
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def problems(self) -> str:
        return f"errors={self.errors[:5]} dialogs={self.dialogs} blocked={self.blocked[:5]}"

    @property
    def ok(self) -> bool:
        return not (self.errors or self.dialogs or self.blocked)


@pytest.fixture(scope="module", autouse=True)
def _browser():
    require_browser()


@contextmanager
def browser_page(base: str):
    """A fresh Chromium page that may reach only *base*; what went wrong lands in the Watch."""
    import tempfile

    from playwright.sync_api import sync_playwright

    watch = Watch()

    def on_route(route):
        url = route.request.url
        if url.startswith(base + "/") or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort("blockedbyclient")

    def on_console(msg):
        if msg.type == "error":
            watch.errors.append(msg.text)

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
            service_workers="block",
            accept_downloads=False,
        )
        try:
            context.set_default_timeout(30_000)
            context.route("**/*", on_route)
            page = context.pages[0] if context.pages else context.new_page()
            page.on("console", on_console)
            page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
            page.on("dialog", on_dialog)
            yield page, watch
        finally:
            context.close()


def test_search_agency_graph_task_walk(server):  # noqa: F811
    with browser_page(server.url) as (page, watch):
        page.goto(server.url + "/")
        page.fill("#q", "so noi vu ha noi")
        page.press("#q", "Enter")
        page.wait_for_url("**/search?q=*")
        page.click("text=Sở Nội vụ >> nth=0")
        page.wait_for_url("**/agency/ha-noi/so-noi-vu")
        assert page.inner_text("h1") == "Sở Nội vụ"
        page.wait_for_function(DRAWN)
        # The page's preload answered the script's fetch: one request for the graph, marked when drawn.
        timing = page.evaluate(
            """() => ({asked: performance.getEntriesByType("resource").filter(e => e.name.includes("/api/graph")).length,
                       drawn: performance.getEntriesByName("graph-drawn").length,
                       flag: document.getElementById("graph").dataset.drawn})"""
        )
        assert timing == {"asked": 1, "drawn": 1, "flag": "1"}
        drawn = page.evaluate("() => ({nodes: explorerGraph.nodes, edges: explorerGraph.edges})")
        assert drawn["nodes"] > 10 and drawn["edges"] > 10
        shot = page.locator("#graph").screenshot()
        assert not is_blank(shot)
        # Click a task node where sigma drew it: the page of that task opens.
        target = page.evaluate(
            """() => {
                const g = explorerGraph.graph, r = explorerGraph.renderer;
                const at = n => r.graphToViewport(g.getNodeAttributes(n));
                // the task node farthest from any other node: a click there can only hit it
                let best = null;
                g.forEachNode((n, a) => {
                    if (a.kind !== 'task') return;
                    const p = at(n);
                    let near = Infinity;
                    g.forEachNode(m => { if (m !== n) { const q = at(m); near = Math.min(near, Math.hypot(p.x - q.x, p.y - q.y)); } });
                    if (!best || near > best.near) best = {id: n, x: p.x, y: p.y, near: near};
                });
                return best;
            }"""
        )
        page.locator("#graph").scroll_into_view_if_needed()
        box = page.locator("#graph").bounding_box()
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        page.wait_for_url("**/task?*")
        task_id = target["id"].split("#")[1]
        assert page.inner_text("h1").startswith(task_id + ":")
        page.wait_for_function(DRAWN)
        # Fewer hops redraws from the server.
        page.select_option("select[name=hops]", "1")
        page.wait_for_function(DRAWN)
        # The whole store agency to agency.
        page.click("text=Agencies")
        page.wait_for_url("**/agencies")
        page.wait_for_function(DRAWN)
        assert not is_blank(page.locator("#graph").screenshot())
        assert watch.ok, watch.problems()


def test_hostile_text_opens_no_dialog_on_any_page(hostile_server):  # noqa: F811
    s = hostile_server
    pid = plan_id(s)
    pages = [
        "/",
        "/search?" + urlencode({"q": "img onerror"}),
        "/agency/ha-noi/evil",
        "/plan/" + quote(pid),
        "/task?" + urlencode({"plan": pid, "id": "I.1"}),
        "/task?" + urlencode({"plan": pid, "id": "I.2"}),
        "/queries/agency-load?collectives=true",
        "/agencies",
        "/queries/depends-on?" + urlencode({"agency": "ha-noi/evil"}),
    ]
    with browser_page(s.url) as (page, watch):
        for path in pages:
            page.goto(s.url + path)
            if page.locator("#graph").count():
                page.wait_for_function(DRAWN)
                # hover every node: labels and the hover line take the text as text
                page.evaluate(
                    """() => { const r = explorerGraph.renderer, g = explorerGraph.graph;
                       g.forEachNode(n => r.emit('enterNode', {node: n})); }"""
                )
            assert page.locator("img").count() == 0, path
        assert watch.ok, watch.problems()


def test_sparql_page_picks_a_named_query_and_shows_its_table(server):  # noqa: F811
    with browser_page(server.url) as (page, watch):
        page.goto(server.url + "/")
        page.click("nav >> text=SPARQL")
        page.wait_for_url("**/sparql")
        # Choosing a named query loads it into the editor (the picker submits itself).
        page.select_option("select[name=example]", "agency-load")
        page.wait_for_url("**/sparql?example=agency-load")
        assert "# name: agency-load" in page.input_value("#sparql-query")
        page.click("#editor button[type=submit]")
        page.wait_for_url("**/sparql?format=html&query=*")
        first = page.locator("#table-results tbody tr").first.locator("td").first
        assert first.inner_text() == "Sở Nội vụ"
        # An agency's IRI in the table opens the agency's page.
        page.fill("#sparql-query", "SELECT ?a WHERE { ?a skos:prefLabel 'Sở Nội vụ'@vi }")
        with page.expect_navigation():
            page.click("#editor button[type=submit]")
        page.click("#table-results td a")  # the agency's IRI (the gazetteer entry's is no page)
        page.wait_for_url("**/agency/ha-noi/so-noi-vu")
        assert watch.ok, watch.problems()
