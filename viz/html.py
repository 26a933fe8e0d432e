"""Self-contained pages: the templates, the vendored vis-network, escaped data, and the offline check.

Every page is one file: vis-network's script and stylesheet (vendored in the
pyvis package) are inlined, data goes into ``<script>`` as JSON with ``<``,
``>``, ``&`` and ``'`` escaped, and every other value is HTML-escaped by the
template engine (``autoescape``), so text read from a document is always
shown as text.

>>> print(script_json({"name": "<img src=x onerror=alert(1)>"}))
{"name":"\\u003cimg src=x onerror=alert(1)\\u003e"}
>>> external_references('<script src="https://cdn.example/x.js"></script><a href="#top">')
['https://cdn.example/x.js']
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["TEMPLATES", "assert_offline", "environment", "external_references", "script_json", "vendored"]

TEMPLATES = Path(__file__).parent / "templates"

# src=/href= attributes, CSS url() and @import that point to another host
# (scheme-relative "//host/..." included); data:, blob: and #anchors are fine.
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)"""
    r"""\s*((?:[a-z][a-z0-9+.-]*:)?//[^"'\s)>]*)""",
    re.IGNORECASE,
)


def _dumps(obj: Any, **kwargs: Any) -> str:
    # Compact, and diacritics as UTF-8 rather than \\u escapes (pages are a third smaller).
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


def script_json(obj: Any) -> Markup:
    """*obj* as JSON that is safe inside ``<script>`` (no ``</script>``, no HTML specials)."""
    return jinja2.utils.htmlsafe_json_dumps(obj, dumps=_dumps)


@cache
def vendored() -> dict[str, Markup]:
    """vis-network 9.1.2's script and stylesheet, from the pyvis package (``vis_js``, ``vis_css``)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    out = {}
    for key, name in (("vis_js", "vis-network.min.js"), ("vis_css", "vis-network.css")):
        text = (lib / name).read_text(encoding="utf-8")
        # inlined verbatim: a closing tag inside would end the element early
        if re.search(r"</(script|style)", text, re.IGNORECASE):  # pragma: no cover - vendored file
            raise RuntimeError(f"{name} contains a closing </script> or </style> tag")
        out[key] = Markup(text)
    return out


@cache
def environment() -> jinja2.Environment:
    """The template environment: autoescaping on, our JSON policy, vis-network as globals."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_function"] = _dumps
    env.globals.update(vendored())
    # pyvis hands over the options as a JSON string: re-encode it safely for <script>
    env.filters["rejson"] = lambda text: script_json(json.loads(text))
    return env


def external_references(html: str) -> list[str]:
    """URLs on another host that the page would load (``src``/``href``, CSS ``url()``, ``@import``)."""
    return [m.group(1) for m in _EXTERNAL.finditer(html)]


def assert_offline(html: str) -> str:
    """Return *html* unchanged, or raise ``ValueError`` if it refers to another host."""
    found = external_references(html)
    if found:
        raise ValueError(f"page refers to other hosts: {', '.join(found[:5])}")
    return html
