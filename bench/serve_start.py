"""How fast ``kg serve`` starts on a store: seconds to its address, its home page, the busiest agency's
page and a search (which waits for the search index, made in a thread after the start).

Not a test.  Starts ``kg serve --store STORE --port 0`` (the graph cache as ``KG_EXPLORER_CACHE`` says:
give an empty folder for a first start, the same folder again for a cached one), prints one JSON object
with what the server said of its graph (composed from the build's parts, read from the quads, or from
the cache) and the load average.

    KG_EXPLORER_CACHE=$(mktemp -d) python bench/serve_start.py STORE
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serving import start_serve  # noqa: E402


def main() -> None:
    store = sys.argv[1]
    t0 = time.monotonic()
    proc, base = start_serve(store, keep_stderr=True)
    out: dict[str, object] = {"store": store, "load": os.getloadavg()[0]}
    out["address_s"] = round(time.monotonic() - t0, 1)

    def get(path: str) -> bytes:
        return urllib.request.urlopen(base + path, timeout=3600).read()

    get("/")
    out["home_page_s"] = round(time.monotonic() - t0, 1)
    rows = json.loads(get("/agencies?format=json&table=agencies"))
    busiest = rows[0]
    get("/agency/" + quote(busiest["id"]))
    out["agency_page_s"] = round(time.monotonic() - t0, 1)
    get("/search?q=" + quote(busiest["agency"]))
    out["search_s"] = round(time.monotonic() - t0, 1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    out["graph"] = next((line for line in err.splitlines() if line.startswith("graph ")), None)
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
