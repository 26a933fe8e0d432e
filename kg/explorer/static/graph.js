// The neighbourhood graph of an agency, task or plan page: positions come from the server
// (/api/graph), sigma.js draws them with WebGL. Text goes in with textContent only.
// Timing: performance marks "graph-request" (the script asks), "graph-data" (the positions are in)
// and "graph-drawn" (sigma has drawn them), and data-drawn="1" on the box, for bench/explorer.py.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) return;
  var form = document.getElementById("graph-controls");
  var status = document.getElementById("graph-status");
  var hover = document.getElementById("graph-hover");
  var renderer = null;
  window.explorerGraph = { drawn: false, nodes: 0, edges: 0 };

  function url() {
    var params = new URLSearchParams();
    if (box.dataset.view === "agencies") {
      params.set("collectives", form.elements.collectives.checked ? "1" : "0");
      if (form.elements.as_of.value) params.set("as_of", form.elements.as_of.value);
      return "/api/agencies?" + params.toString();
    }
    params.set("node", box.dataset.node);
    params.set("hops", form.elements.hops.value);
    params.set("collectives", form.elements.collectives.checked ? "1" : "0");
    if (form.elements.as_of.value) params.set("as_of", form.elements.as_of.value);
    return "/api/graph?" + params.toString();
  }

  // Labels: all agencies and plans in a small graph; in a large one sigma's label grid picks the
  // biggest nodes that do not overlap, and zooming in shows more.
  function draw(data) {
    if (renderer) { renderer.kill(); renderer = null; }
    var graph = new graphology.MultiGraph();
    data.nodes.forEach(function (n) {
      graph.addNode(n.id, {
        x: n.x, y: n.y, size: n.size, color: n.color, label: n.label,
        url: n.url, kind: n.kind, title: n.title,
        forceLabel: n.focus || n.kind === "more" || (data.nodes.length <= 60 && n.kind !== "task")
      });
    });
    data.edges.forEach(function (e) {
      graph.addEdge(e.source, e.target, {
        size: e.weight ? Math.min(6, 0.5 + Math.log(1 + e.weight)) : e.rel === "lead" ? 2 : 1,
        color: e.rel === "lead" ? "#555" : e.rel === "part_of" ? "#cfe8cf" : e.rel === "more" ? "#ddd" : "#bbb"
      });
    });
    // The constructor draws the first frame before it returns.
    renderer = new Sigma(graph, box, { labelRenderedSizeThreshold: 6, labelDensity: 0.5 });
    mark("graph-drawn");
    box.dataset.drawn = "1";
    renderer.on("clickNode", function (ev) {
      var target = graph.getNodeAttribute(ev.node, "url");
      if (target) window.location.assign(target);
    });
    renderer.on("enterNode", function (ev) {
      hover.textContent = graph.getNodeAttribute(ev.node, "title");
      box.style.cursor = graph.getNodeAttribute(ev.node, "url") ? "pointer" : "default";
    });
    renderer.on("leaveNode", function () { hover.textContent = ""; box.style.cursor = "default"; });
    status.textContent = data.nodes.length + " nodes, " + data.edges.length + " links" +
      (data.cut ? " (" + data.cut + " more left out)" : "");
    window.explorerGraph = { drawn: true, nodes: data.nodes.length, edges: data.edges.length, renderer: renderer, graph: graph };
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  function load() {
    status.textContent = "loading…";
    window.explorerGraph.drawn = false;
    box.dataset.drawn = "";
    mark("graph-request");
    // Same URL and mode as the page's <link rel=preload>: the first answer is the one already asked for.
    fetch(url(), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("graph: HTTP " + r.status); return r.json(); })
      .then(function (data) { mark("graph-data"); draw(data); })
      .catch(function (err) { status.textContent = String(err.message || err); });
  }

  // The agency view's tables follow the page's URL: a change there loads the page again.
  form.addEventListener("change", function () {
    if (box.dataset.view === "agencies") form.submit(); else load();
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
  load();
})();
