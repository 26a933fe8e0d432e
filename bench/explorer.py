"""Time to first drawn neighbourhood in ``kg serve``: a store, a server, Chromium.

Not a test.  Starts ``kg serve --store STORE --port 0``, waits for its address (the store's graph is
read at start), finds the busiest agency (the agency view's table), then opens its page in Debian's headless
Chromium (SwiftShader WebGL) and reads what the page itself recorded, in ms from the start of the
navigation: the HTML in (``responseEnd``), the page loaded, the graph asked for (the page's
``<link rel=preload>``), its positions in (``graph-data``) and sigma.js's first frame drawn
(``graph-drawn``, set by ``kg/explorer/static/graph.js`` with ``data-drawn``), with the server's own
time for the page and for the neighbourhood (its ``Server-Timing`` header).

The first visit after the start is "cold" (nothing of that agency worked out yet); the next visits
are "warm" (the server keeps each neighbourhood it has laid out).  Then 1 hop, cold.  Prints one
JSON object; ``--agencies N`` also opens the next N-1 busiest agencies cold.

    python bench/explorer.py STORE [--runs 3] [--agencies 3]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import start_serve  # noqa: E402
from tests.support.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

FLAGS = [f for f in CHROMIUM_FLAGS if f != "--disable-gpu" and not f.startswith("--proxy-bypass-list")]
FLAGS += [
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--proxy-bypass-list=127.0.0.1",
]

# What the page recorded, in ms from the start of its navigation (performance entries and marks).
TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const graph = performance.getEntriesByType("resource").filter(e => e.name.includes("/api/graph"));
  const mark = n => { const m = performance.getEntriesByName(n); return m.length ? m[m.length - 1].startTime : null; };
  const app = e => { const s = (e && e.serverTiming || []).find(t => t.name === "app"); return s ? s.duration : null; };
  const g = graph[graph.length - 1];
  return {
    html_server_ms: app(nav), html_in_ms: nav.responseEnd, load_ms: nav.loadEventEnd,
    graph_requests: graph.length, graph_asked_ms: g ? g.startTime : null, graph_server_ms: app(g),
    graph_in_ms: g ? g.responseEnd : null, graph_data_ms: mark("graph-data"), drawn_ms: mark("graph-drawn"),
    graph_script_ms: mark("graph-request"), nodes: window.explorerGraph.nodes, edges: window.explorerGraph.edges,
  };
}"""
DRAWN = "() => document.getElementById('graph').dataset.drawn === '1'"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=3, help="warm visits after the first (median)")
    ap.add_argument("--agencies", type=int, default=1, help="the N busiest agencies, each opened cold once")
    args = ap.parse_args()
    t0 = time.monotonic()
    proc, base = start_serve(args.store)
    try:
        started = time.monotonic() - t0
        # The agency view's table: the agencies by load, from the graph the server holds (the SPARQL
        # agency-load takes minutes at 10,000 plans).
        load = json.load(urllib.request.urlopen(base + "/agencies?format=json&table=agencies", timeout=1800))
        busiest = load[0]
        out: dict[str, object] = {
            "store": str(args.store),
            "load_average": os.getloadavg()[0],
            "server_start_s": round(started, 1),
            "agency": busiest["agency"],
            "jurisdiction": busiest["jurisdiction"],
            "tasks": busiest["tasks"],
        }
        urls = [base + "/agency/" + quote(r["id"]) for r in load[: max(1, args.agencies)]]
        out.update(measure(urls, args.runs))
        out["load_average_after"] = os.getloadavg()[0]
        print(json.dumps(out, ensure_ascii=False))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def visit(browser, url: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        t = time.monotonic()
        page.goto(url, wait_until="load", timeout=900_000)
        page.wait_for_function(DRAWN, timeout=900_000)
        seen = page.evaluate(TIMINGS)
        seen["wall_drawn_s"] = round(time.monotonic() - t, 2)
        t = time.monotonic()
        page.select_option("select[name=hops]", "1")
        page.wait_for_function(DRAWN, timeout=900_000)
        hops1 = page.evaluate(TIMINGS)
        seen["hops1_redraw_s"] = round(time.monotonic() - t, 2)
        seen["hops1_server_ms"] = hops1["graph_server_ms"]
        seen["hops1_nodes"] = hops1["nodes"]
        return seen
    finally:
        page.close()


def measure(urls: list[str], runs: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            cold = visit(browser, urls[0])
            warm = [visit(browser, urls[0]) for _ in range(runs)]
            others = [visit(browser, u) for u in urls[1:]]
        finally:
            browser.close()
    out: dict[str, object] = {"cold": _rounded(cold)}
    if warm:
        out["warm_median"] = _rounded(
            {k: statistics.median(w[k] for w in warm) for k in warm[0] if warm[0][k] is not None}
        )
    if others:
        out["cold_others_drawn_ms"] = [round(o["drawn_ms"]) for o in others]
    return out


def _rounded(d: dict[str, object]) -> dict[str, object]:
    return {k: (round(v) if isinstance(v, float) and k.endswith("_ms") else v) for k, v in d.items()}


if __name__ == "__main__":
    main()
