"""Writing documents' quads into an Oxigraph store: what a build does once the documents are read.

:class:`GraphWriter` takes each document's N-Quads (:class:`StagedDocument`,
made in the reader's worker processes by :func:`kg.pipeline.stage`) as they
come, and replaces their graphs in the store: into an empty store they are
bulk-loaded while the next documents are read; into a store that has content
they are staged in a file first, since the old graphs must go before anything
is loaded.  The shared graph (agencies, cited documents) is merged as
:mod:`kg.graph.network` merges nodes, and shared nodes no document reaches any more
are dropped.  The writer works on the new store of an atomic rebuild
(:mod:`kg.stores.atomic`), never on the one readers use.

>>> import tempfile
>>> from kg.model.gazetteer import Gazetteer
>>> store = ox.Store(tempfile.mkdtemp() + "/oxigraph")
>>> writer = GraphWriter(store, Path(tempfile.mkdtemp()), Gazetteer.default())
>>> counts = writer.finish()
>>> counts["documents"], counts["quads"] > 0
(0, True)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.model.gazetteer import Gazetteer
from kg.rdf.namespace import K
from kg.rdf.plan import (
    GAZETTEER_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SHARED_GRAPH,
    document_graph_iri,
    document_iri,
    gazetteer_nquads,
)
from kg.stores.atomic import ENGINE

__all__ = ["FEW_GRAPHS", "LOAD_CHUNK", "GraphWriter", "StagedDocument", "checkpoint", "open_engine"]

# Bulk loads go in slices of about this many bytes of N-Quads (~230k quads): Oxigraph's bulk loader holds
# what it is given in memory while it sorts it (2 GB peak for the 2.5 M quads of 1,000 plans in one go).
LOAD_CHUNK = 64 << 20


@dataclass(frozen=True, slots=True)
class StagedDocument:
    """What one document adds to the store: the N-Quads of its graph and its lines of the shared graph.

    ``body`` marks the body items and findings of a document (:mod:`kg.rdf.body`): same graph, but
    their shared lines are merged after every document's.
    """

    document: str
    quads: bytes
    shared: tuple[str, ...]
    body: bool = False


def open_engine(folder: Path) -> ox.Store:
    """The Oxigraph store of the store folder *folder*, for writing (made when missing)."""
    return ox.Store(str(folder / ENGINE))


def checkpoint(old: Path, new: Path) -> None:
    """Start the store folder *new* from the store folder *old*: its engine files checkpointed and its
    build manifest copied.

    ``Store.backup`` hard-links the immutable files of the old store when both are on one file system
    (1,000 plans, 290 MB: milliseconds), and RocksDB never writes into a file it has written, so the new
    store changes without touching the old one.
    """
    from kg.stores.manifest import MANIFEST

    ox.Store.read_only(str(old / ENGINE)).backup(str(new / ENGINE))
    if (old / MANIFEST).is_file():
        shutil.copy2(old / MANIFEST, new / MANIFEST)


class GraphWriter:
    """Replaces, in *store*, the graphs of the documents given to :meth:`add`, and the fixed graphs.

    The graphs of the documents *drop* names go too, unless they come again (a
    file read again that no longer gives a document, a file removed).  With
    *keep_fixed* the ontology, gazetteer and change-event graphs of a store that
    has them stay as they are (an incremental build by the same code).
    *staging* is a folder for the N-Quads of a store that has content.

    Old quads are removed first, the store compacted, and everything is then
    written by bulk loads of N-Quads text: interleaving removals and loads, or
    loading transactionally after removals, was 30-80x slower on 100 plans
    (RocksDB tombstones).
    """

    def __init__(
        self,
        store: ox.Store,
        staging: Path,
        gazetteer: Gazetteer,
        drop: Iterable[str] = (),
        keep_fixed: bool = False,
    ) -> None:
        from kg.rdf.reorg import REORG_GRAPH

        self.store = store
        self.graphs = [ONTOLOGY_GRAPH, GAZETTEER_GRAPH, REORG_GRAPH]
        self.fixed = set(self.graphs)
        self.drop = list(drop)
        self.merged = _Shared()
        # An empty store has nothing to replace: its quads are loaded while the next documents are made.
        self.fresh = next(iter(store.quads_for_pattern(None, None, None)), None) is None
        self.keep_fixed = (
            keep_fixed and not self.fresh and store.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
        )
        if self.keep_fixed:
            self.graphs = []
        self.staging = staging / "load.nq.tmp"
        self.sink: _Loader | _Staging = _Loader(store) if self.fresh else _Staging(self.staging)
        if not self.keep_fixed:
            self.sink.write(gazetteer_nquads(gazetteer).encode("utf-8"))

    def add(self, part: StagedDocument) -> None:
        """One document's quads (or its body's)."""
        if not part.body:
            self.graphs.append(document_graph_iri(part.document))
        self.sink.write(part.quads)
        self.merged.add(part.document, part.shared, body=part.body)

    def abort(self) -> None:
        """Stop: the loading threads end, the staged file goes (the store itself is thrown away)."""
        self.sink.abort()
        self.staging.unlink(missing_ok=True)

    def finish(self) -> dict[str, int]:
        """Write what is left, replace the old graphs, drop what nothing reaches; ``documents`` and ``quads``."""
        try:
            shared = self.merged.lines()
            self.sink.write("".join(shared).encode("utf-8"))
        except BaseException:
            self.abort()
            raise
        self.sink.close()
        try:
            replaced, candidates = self._remove_old(shared)
            self._load_fixed()
            if not self.fresh:
                _load_file(self.store, self.staging)
            if self.sink.size > LOAD_CHUNK:
                # Loaded in several slices: compacting once costs ~10% of the build (3.5 s at 1,000 plans)
                # and brings queries back to the speed of a store loaded in one go (agency-load 0.80 -> 0.49 s).
                self.store.optimize()
        finally:
            self.staging.unlink(missing_ok=True)
        if replaced:
            if candidates is None:
                _drop_unreached(self.store)
            else:
                _drop_unreached_of(self.store, candidates)
        self.store.flush()
        documents = len([g for g in self.graphs if g not in self.fixed])
        return {"documents": documents, "quads": len(self.store)}

    def _remove_old(self, shared: list[str]) -> tuple[bool, set[str] | None]:
        """Remove the graphs about to be written again or dropped, and the shared lines written again.

        Returns whether a document graph went and, when only a few did, the nodes they pointed to (all
        that can have become unreached: their tombstones are too few to be worth compacting the store for).
        """
        store, replaced = self.store, False
        candidates: set[str] | None = None
        if self.fresh:
            return replaced, candidates
        written = set(self.graphs)
        gone = [document_graph_iri(d) for d in self.drop if document_graph_iri(d) not in written]
        names = [
            n for n in dict.fromkeys([*self.graphs, *gone]) if store.contains_named_graph(ox.NamedNode(n))
        ]
        if len([n for n in names if n not in self.fixed]) <= FEW_GRAPHS:
            candidates = set()
        for name in names:
            node = ox.NamedNode(name)
            if candidates is not None and name not in self.fixed:
                candidates.update(
                    q.object.value
                    for q in store.quads_for_pattern(None, None, None, node)
                    if isinstance(q.object, ox.NamedNode)
                )
            store.remove_graph(node)
            replaced = replaced or name not in self.fixed
        shared_graph = ox.NamedNode(SHARED_GRAPH)
        subjects = {line[1 : line.index(">")] for line in shared}
        stale = [
            q for s in subjects for q in store.quads_for_pattern(ox.NamedNode(s), None, None, shared_graph)
        ]
        for q in stale:
            store.remove(q)
        if (replaced or stale) and candidates is None:
            store.optimize()
        return replaced, candidates

    def _load_fixed(self) -> None:
        """The ontology and the 2025 change events, which the plans' kg:Holding nodes cite (kg.rdf.reorg)."""
        from kg.rdf.reorg import REORG_GRAPH, events_ntriples
        from ontology import path as ontology_path

        if self.keep_fixed:
            return
        self.store.bulk_load(
            input=events_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(REORG_GRAPH)
        )
        for module in ("kg.ttl", "body.ttl", "reorg.ttl"):
            self.store.bulk_load(
                input=ontology_path(module).read_bytes(),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
            )


# Up to this many document graphs replaced, a build looks only at what they pointed to (see GraphWriter).
FEW_GRAPHS = 64


def _bulk(store: ox.Store, data: bytes) -> None:
    # lenient: the IRIs and literals are generated by kg.rdf.plan (valid by construction), so the parser
    # skips re-validating them (measured 10-20% of the load).
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)


def _load_file(store: ox.Store, staging: Path, chunk: int = LOAD_CHUNK) -> None:
    """Bulk-load an N-Quads file in slices of about *chunk* bytes, cut at line ends."""
    rest = b""
    with staging.open("rb") as f:
        while block := f.read(chunk):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                _bulk(store, block[:cut])
    if rest:
        _bulk(store, rest)


class _Staging:
    """N-Quads written to a file, loaded once the old graphs are gone (:func:`_load_file`)."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("wb")
        self.size = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.size += len(data)

    def close(self) -> None:
        self.out.close()

    abort = close


class _Loader:
    """N-Quads bulk-loaded in slices by *threads* threads of their own while the caller makes the next slice.

    pyoxigraph releases the GIL while it loads, so reading (in worker processes)
    and loading overlap.  A bulk load of one slice runs on one core (Oxigraph
    splits only batches of a million quads), hence two loaders; one slice
    waits at most, which bounds the memory.
    """

    def __init__(self, store: ox.Store, chunk: int = LOAD_CHUNK, threads: int = 2) -> None:
        import queue
        import threading

        self.store, self.chunk = store, chunk
        self.buf: list[bytes] = []
        self.pending = 0  # bytes in buf
        self.size = 0  # bytes written in all
        self.error: BaseException | None = None
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self.threads = [
            threading.Thread(target=self._run, name=f"kg-bulk-load-{n}", daemon=True) for n in range(threads)
        ]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    _bulk(self.store, data)
                except BaseException as e:  # re-raised in the caller's thread
                    self.error = e

    def write(self, data: bytes) -> None:
        self.buf.append(data)
        self.pending += len(data)
        self.size += len(data)
        if self.pending >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        if self.error is not None:
            raise self.error
        if self.buf:
            self.queue.put(b"".join(self.buf))
            self.buf, self.pending = [], 0

    def close(self) -> None:
        self._flush()
        self.abort()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        self.buf, self.pending = [], 0
        for _ in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()


_IMPLEMENTS = f"<{PREFIXES['eli']}ensures_implementation_of>"
_CHAIN = f"<{K.chainParent}>"


class _Shared:
    """The shared-graph lines of a build, merged as documents come, as :mod:`kg.graph.network` merges nodes.

    When documents describe the same node differently (two dates for one
    cited resolution), the last document's description wins, body descriptions
    (``body=True``) after every document's; "implements" links add up, and the
    chain parent is the first one given.  A document that is read describes
    itself in its own graph, so the shared graph leaves it out.
    """

    def __init__(self) -> None:
        self.read: set[str] = set()
        self.attrs: dict[str, list[str]] = {}
        self.body_attrs: dict[str, list[str]] = {}
        self.links: dict[str, None] = {}
        self.chain: dict[str, str] = {}

    def add(self, document: str, lines: Iterable[str], *, body: bool = False) -> None:
        self.read.add(f"<{document_iri(document)}>")
        mine: dict[str, list[str]] = {}
        for line in lines:
            subject, predicate, _ = line.split(" ", 2)
            if predicate == _IMPLEMENTS:
                self.links[line] = None
            elif predicate == _CHAIN:
                self.chain.setdefault(subject, line)
            else:
                mine.setdefault(subject, []).append(line)
        (self.body_attrs if body else self.attrs).update(mine)

    def lines(self) -> list[str]:
        read = self.read
        attrs = {**self.attrs, **self.body_attrs}
        return [
            *(line for s, lines in attrs.items() if s not in read for line in lines),
            *(line for line in self.links if line[: line.index(" ")] not in read),
            *(line for s, line in self.chain.items() if s not in read),
        ]


def _drop_unreached(store: ox.Store) -> None:
    """Remove shared nodes (an agency, a cited document) that no document graph leads to any more."""
    shared = ox.NamedNode(SHARED_GRAPH)
    edges: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, None, None, shared):
        targets = edges.setdefault(q.subject.value, set())
        if isinstance(q.object, ox.NamedNode):
            targets.add(q.object.value)
    rows = store.query(
        "SELECT DISTINCT ?o ?prefix WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o) && STRSTARTS(STR(?g), ?prefix)) }",
        substitutions={ox.Variable("prefix"): ox.Literal(document_graph_iri(""))},
    )
    todo = [r["o"].value for r in rows if r["o"].value in edges]
    reached: set[str] = set()
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo.extend(t for t in edges.get(node, ()) if t in edges)
    for subject in set(edges) - reached:
        for q in list(store.quads_for_pattern(ox.NamedNode(subject), None, None, shared)):
            store.remove(q)


def _drop_unreached_of(store: ox.Store, candidates: set[str]) -> None:
    """:func:`_drop_unreached` for a store where only *candidates* (the nodes removed graphs pointed to)
    can have become unreached: every other shared node was reached before and still is."""
    shared = ox.NamedNode(SHARED_GRAPH)
    prefix = document_graph_iri("")
    nodes: set[str] = set()
    todo = list(candidates)
    while todo:  # the shared nodes among them, and the shared nodes they lead to
        node = todo.pop()
        if node in nodes:
            continue
        out = list(store.quads_for_pattern(ox.NamedNode(node), None, None, shared))
        if out:
            nodes.add(node)
            todo.extend(q.object.value for q in out if isinstance(q.object, ox.NamedNode))
    reached: set[str] = set()
    grew = True
    while grew:
        grew = False
        for node in nodes - reached:
            for q in store.quads_for_pattern(None, None, ox.NamedNode(node)):
                g = q.graph_name
                if not isinstance(g, ox.NamedNode):
                    continue
                if g.value.startswith(prefix) or (
                    g == shared and (q.subject.value not in nodes or q.subject.value in reached)
                ):
                    reached.add(node)
                    grew = True
                    break
    for subject in nodes - reached:
        for q in list(store.quads_for_pattern(ox.NamedNode(subject), None, None, shared)):
            store.remove(q)
