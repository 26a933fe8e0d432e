"""Time to first drawn neighbourhood in ``kg serve``: a store, a server, Chromium.

Not a test.  Starts ``kg serve --store STORE --port 0``, waits for its address (the store's graph is
read at start), finds the busiest agency (``agency-load``), then opens its page in Debian's headless
Chromium (SwiftShader WebGL) and measures, for 1 and 2 hops: the page's load event, and the moment
sigma.js has drawn the neighbourhood (``window.explorerGraph.drawn``).  Prints one JSON object.

    python bench/explorer.py STORE [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

FLAGS = [f for f in CHROMIUM_FLAGS if f != "--disable-gpu" and not f.startswith("--proxy-bypass-list")]
FLAGS += [
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--proxy-bypass-list=127.0.0.1",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(args.store), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = None
        for line in proc.stdout:
            m = re.search(r"http://127\.0\.0\.1:\d+", line)
            if m:
                base = m.group(0)
                break
        if base is None:
            raise SystemExit("kg serve did not start")
        started = time.monotonic() - t0
        busiest = json.load(urllib.request.urlopen(base + "/api/query/agency-load", timeout=600))[0]
        out = {
            "store": str(args.store),
            "server_start_s": round(started, 1),
            "agency": busiest["agency"],
            "jurisdiction": busiest["jurisdiction"],
            "tasks": busiest["total"],
        }
        out.update(measure(base + "/agency/" + quote(busiest["id"]), args.runs))
        print(json.dumps(out, ensure_ascii=False))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def measure(url: str, runs: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list[float]] = {"page_load_s": [], "first_graph_s": [], "hops1_redraw_s": []}
    nodes = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            t = time.monotonic()
            page.goto(url, wait_until="load", timeout=600_000)
            figures["page_load_s"].append(time.monotonic() - t)
            page.wait_for_function("() => window.explorerGraph && explorerGraph.drawn", timeout=600_000)
            figures["first_graph_s"].append(time.monotonic() - t)
            nodes["hops2"] = page.evaluate("() => explorerGraph.nodes")
            t = time.monotonic()
            page.select_option("select[name=hops]", "1")
            page.wait_for_function("() => window.explorerGraph && explorerGraph.drawn", timeout=600_000)
            figures["hops1_redraw_s"].append(time.monotonic() - t)
            nodes["hops1"] = page.evaluate("() => explorerGraph.nodes")
            page.close()
        browser.close()
    out: dict[str, object] = {k: round(statistics.median(v), 2) for k, v in figures.items()}
    out["nodes_drawn"] = nodes
    return out


if __name__ == "__main__":
    main()
