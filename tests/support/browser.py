"""Open a generated HTML page in Debian's headless Chromium and report on it.

Used by tests that check the self-contained visualisation pages: the page is
loaded from a file:// URL with every request to anything other than
file:/data:/blob:/about: blocked (and recorded), so a page that still needs a
CDN shows up as blocked requests and console errors.

Driver: the PyPI ``playwright`` package, launched on the system Chromium via
``executable_path`` (its wheel bundles the driver; ``playwright install`` is
never needed nor run).  Install Chromium with ``scripts/ensure-chromium.sh``.

    from tests.support.browser import open_html, is_blank, require_browser

    def test_page(tmp_path):
        require_browser()            # skip if chromium/playwright missing (fail under CI=true)
        r = open_html(page, wait_for="window.network && network.body",
                      evaluate="network.body.data.nodes.length")
        assert r.ok, r.problems()
        assert r.value == 3
        assert not is_blank(r.screenshot_png)
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ALLOWED_SCHEMES",
    "CHROMIUM_FLAGS",
    "PageResult",
    "chromium_path",
    "in_ci",
    "is_blank",
    "open_html",
    "png_size",
    "require_browser",
    "unavailable_reason",
]

ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Defence in depth: anything that escapes request interception goes to a
    # dead local proxy instead of the network (no DNS lookups either).
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]

VIEWPORT = {"width": 1280, "height": 800}


@dataclass
class PageResult:
    url: str
    console_errors: list[str] = field(default_factory=list)  # console.error + failed loads
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions/rejections
    dialogs: list[str] = field(default_factory=list)  # "alert: 1", "confirm: ..."
    blocked_requests: list[str] = field(default_factory=list)  # URLs refused
    popups: list[str] = field(default_factory=list)  # window.open / target=_blank
    console_messages: list[str] = field(default_factory=list)  # everything, "type: text"
    value: Any = None  # result of `evaluate` (JSON value)
    interact_value: Any = None  # whatever `interact(page)` returned
    screenshot_png: bytes = b""
    title: str = ""
    launch_s: float = 0.0  # browser start
    load_s: float = 0.0  # goto() until the load event (+ wait_for)
    total_s: float = 0.0

    @property
    def errors(self) -> list[str]:
        return self.console_errors + self.page_errors

    @property
    def ok(self) -> bool:
        """No errors, no dialogs, no blocked requests, no popups."""
        return not (self.errors or self.dialogs or self.blocked_requests or self.popups)

    def problems(self) -> str:
        """Human-readable summary for assertion messages."""
        parts = []
        for name in ("console_errors", "page_errors", "dialogs", "blocked_requests", "popups"):
            items = getattr(self, name)
            if items:
                parts.append(f"{name}: " + "; ".join(items[:10]))
        return " | ".join(parts) or "no problems"


def chromium_path() -> str | None:
    """$CHROMIUM if set (and executable), else /usr/bin/chromium, else None."""
    env = os.environ.get("CHROMIUM")
    candidates = [env] if env else ["/usr/bin/chromium"]
    for c in candidates:
        p = shutil.which(c) if c and os.sep not in c else c
        if p and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def unavailable_reason() -> str | None:
    """Why open_html() cannot run here, or None if it can."""
    if chromium_path() is None:
        return "chromium not found (run scripts/ensure-chromium.sh or set CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "python package 'playwright' not installed"
    return None


def in_ci() -> bool:
    """True when the CI variable says so (CI=true/1/yes)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_browser() -> None:
    """Skip the calling test when no browser can be driven; under CI=true fail it instead.

    CI must prove the pages work in a browser: a missing Chromium there is a
    broken set-up, not a reason to pass.
    """
    reason = unavailable_reason()
    if reason:
        import pytest

        if in_ci():
            pytest.fail(f"CI=true but no browser: {reason}", pytrace=False)
        pytest.skip(reason)


def _allowed(url: str) -> bool:
    return url.lower().startswith(ALLOWED_SCHEMES)


def open_html(
    path: Path | str,
    *,
    evaluate: str | None = None,
    wait_for: str | None = None,
    timeout_s: float = 30,
    screenshot: bool = True,
    viewport: dict[str, int] | None = None,
    interact: Callable[[Any], Any] | None = None,
) -> PageResult:
    """Load `path` in a fresh headless Chromium and report what happened.

    wait_for: JS expression polled until truthy (e.g. "window.network").
    evaluate: JS expression (or "() => ..." function) evaluated after load;
              its JSON value lands in PageResult.value.
    interact: called with the Playwright Page after load/wait_for and before
              `evaluate` (hover, click, type...); its return value is kept
              in PageResult.interact_value.
    Raises RuntimeError if no browser is available, and Playwright's
    TimeoutError if loading or `wait_for` takes longer than timeout_s.
    """
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    from playwright.sync_api import sync_playwright

    url = Path(path).resolve().as_uri()
    res = PageResult(url=url)
    timeout_ms = timeout_s * 1000
    t0 = time.monotonic()

    def on_console(msg):
        text = msg.text
        res.console_messages.append(f"{msg.type}: {text}")
        if msg.type == "error":
            loc = msg.location or {}
            where = loc.get("url", "")
            if where:
                where = f" ({where}:{loc.get('lineNumber', '?')})"
            res.console_errors.append(text + where)

    def on_dialog(dialog):
        res.dialogs.append(f"{dialog.type}: {dialog.message}")
        try:
            dialog.dismiss()
        except Exception:  # page may already be gone
            pass

    def on_route(route):
        req_url = route.request.url
        if _allowed(req_url):
            route.continue_()
        else:
            res.blocked_requests.append(req_url)
            route.abort("blockedbyclient")

    def on_websocket_route(ws):
        res.blocked_requests.append(ws.url)
        ws.close()

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=viewport or VIEWPORT,
            service_workers="block",
            accept_downloads=False,
            timeout=timeout_ms,
        )
        try:
            res.launch_s = time.monotonic() - t0
            context.set_default_timeout(timeout_ms)
            context.route("**/*", on_route)
            if hasattr(context, "route_web_socket"):  # playwright >= 1.48
                context.route_web_socket("**/*", on_websocket_route)
            page = context.pages[0] if context.pages else context.new_page()
            # popups opened by the page (the URL is often already the error page,
            # the requested URL is then in blocked_requests)
            context.on("page", lambda p: res.popups.append(p.url or "about:blank"))
            page.on("console", on_console)
            page.on("pageerror", lambda exc: res.page_errors.append(str(exc)))
            page.on("dialog", on_dialog)
            page.on("crash", lambda _p: res.page_errors.append("page crashed"))

            t1 = time.monotonic()
            page.goto(url, wait_until="load", timeout=timeout_ms)
            if wait_for:
                page.wait_for_function(wait_for, timeout=timeout_ms)
            # let pending rendering (canvas draws on animation frames) finish
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            res.load_s = time.monotonic() - t1
            if interact is not None:
                res.interact_value = interact(page)
            if evaluate is not None:
                res.value = page.evaluate(evaluate)
            res.title = page.title()
            if screenshot:
                res.screenshot_png = page.screenshot(full_page=True, type="png", animations="disabled")
        finally:
            context.close()
    res.total_s = time.monotonic() - t0
    return res


# --------------------------------------------------------------------------
# PNG decoding (stdlib only) for blank-screenshot checks.

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _png_chunks(png: bytes):
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos = 8
    while pos + 8 <= len(png):
        length, ctype = struct.unpack(">I4s", png[pos : pos + 8])
        yield ctype, png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if ctype == b"IEND":
            break


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG."""
    for ctype, data in _png_chunks(png):
        if ctype == b"IHDR":
            return struct.unpack(">II", data[:8])
    raise ValueError("PNG without IHDR")


def _unfilter(ftype: int, raw: bytearray, prev: bytes, bpp: int) -> bytearray:
    n = len(raw)
    if ftype == 0:
        return raw
    if ftype == 1:  # Sub
        for i in range(bpp, n):
            raw[i] = (raw[i] + raw[i - bpp]) & 0xFF
    elif ftype == 2:  # Up
        if any(raw):
            raw = bytearray(map(lambda a, b: (a + b) & 0xFF, raw, prev))
        else:
            raw = bytearray(prev)
    elif ftype == 3:  # Average
        for i in range(n):
            left = raw[i - bpp] if i >= bpp else 0
            raw[i] = (raw[i] + ((left + prev[i]) >> 1)) & 0xFF
    elif ftype == 4:  # Paeth
        for i in range(n):
            a = raw[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            if pa <= pb and pa <= pc:
                pred = a
            elif pb <= pc:
                pred = b
            else:
                pred = c
            raw[i] = (raw[i] + pred) & 0xFF
    else:
        raise ValueError(f"bad PNG filter type {ftype}")
    return raw


def _row_values(row: bytes, width: int, depth: int, bpp: int) -> list:
    if depth >= 8:
        return [row[i : i + bpp] for i in range(0, width * bpp, bpp)]
    per_byte = 8 // depth
    mask = (1 << depth) - 1
    vals = []
    for byte in row:
        for k in range(per_byte):
            vals.append((byte >> (8 - depth * (k + 1))) & mask)
    return vals[:width]


def is_blank(png: bytes) -> bool:
    """True if every pixel of the PNG has the same colour (alpha included).

    Pure stdlib (zlib/struct); stops decoding at the first row that differs,
    so a non-blank screenshot is usually answered after a few rows.
    """
    width = height = depth = ctype = interlace = None
    palette = b""
    trns = b""
    idat = []
    for ctyp, data in _png_chunks(png):
        if ctyp == b"IHDR":
            width, height, depth, ctype, _comp, _filt, interlace = struct.unpack(">IIBBBBB", data)
        elif ctyp == b"PLTE":
            palette = data
        elif ctyp == b"tRNS":
            trns = data
        elif ctyp == b"IDAT":
            idat.append(data)
    if width is None or ctype not in _CHANNELS:
        raise ValueError("unsupported or corrupt PNG")
    if interlace:
        raise ValueError("interlaced PNG not supported")
    if width == 0 or height == 0:
        return True

    bits_pp = _CHANNELS[ctype] * depth
    bpp = max(1, bits_pp // 8)
    stride = (width * bits_pp + 7) // 8

    def colour(v):  # palette index -> RGBA, everything else compared raw
        if ctype != 3:
            return v
        rgb = palette[3 * v : 3 * v + 3]
        alpha = trns[v] if v < len(trns) else 255
        return rgb + bytes([alpha])

    d = zlib.decompressobj()
    buf = bytearray()
    chunks = iter(idat)
    prev = bytes(stride)
    first = None
    for _y in range(height):
        while len(buf) < stride + 1:
            try:
                buf += d.decompress(next(chunks))
            except StopIteration:
                buf += d.flush()
                if len(buf) < stride + 1:
                    raise ValueError("truncated PNG data") from None
                break
        ftype = buf[0]
        raw = bytearray(buf[1 : stride + 1])
        del buf[: stride + 1]
        row = _unfilter(ftype, raw, prev, bpp)
        if first is None:
            vals = _row_values(row, width, depth, bpp)
            first = colour(vals[0])
            if depth >= 8 and ctype != 3:
                expected = bytes(first) * width
            else:
                expected = None
                if any(colour(v) != first for v in vals):
                    return False
        if expected is not None:
            if row != expected:
                return False
        elif row != prev:  # row differs from the previous (uniform) row
            if any(colour(v) != first for v in _row_values(row, width, depth, bpp)):
                return False
        prev = bytes(row)
    return True
