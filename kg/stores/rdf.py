"""The persisted RDF store: Oxigraph (pyoxigraph) on disk, one named graph per document.

``build`` writes documents into a store directory (default ``.kg``) once;
``run_named`` / ``sparql`` then answer queries from it, in a new process each
time, without a server.  The SPARQL default graph is the union of all named
graphs: the ontology, the gazetteer, one graph per document, and a shared
graph describing once what several documents name (agencies, cited documents).  Rebuilding a
document replaces its graph, so ``build`` is idempotent.

Why Oxigraph and not plain rdflib: measured on this machine (README "RDF
store"), building and querying are one to two orders of magnitude faster,
and the store persists without a server.  rdflib's API stays available:
:func:`to_dataset` returns the store's content as an ``rdflib.Dataset``, and
:func:`select` runs the same query text on either engine.

>>> import tempfile
>>> from loaders import read_plan
>>> path = tempfile.mkdtemp() + "/kg"
>>> build([read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt")], path)["documents"]
1
>>> run_named("depends-on", {"agency": "Department of Home Affairs"}, store=path)[0]["task"]
'II.1'
"""

from __future__ import annotations

import functools
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.gazetteer import Gazetteer
from kg.model import Agency, ExtractResult, Issue
from kg.rdf import (
    GAZETTEER_GRAPH,
    KG,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SHARED_GRAPH,
    DocumentQuads,
    agency_iri,
    document_graph_iri,
    document_graphs,
    document_iri,
    gazetteer_nquads,
)
from kg.stores import StoreError
from kg.stores.manifest import FileEntry
from kg.stores.runner import order_key, shape_rows

__all__ = [
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "agencies",
    "build",
    "build_files",
    "export",
    "open_store",
    "order_key",
    "run_named",
    "select",
    "sparql",
    "stage",
    "to_dataset",
    "validate",
]

DEFAULT_STORE = Path(".kg")
MARKER = "kg-store.json"
_ENGINE_DIR = "oxigraph"
_VERSION = 1
XSD = PREFIXES["xsd"]

EXPORT_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


# The store directory --------------------------------------------------------------------------


def _check(path: Path, *, create: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a kg store (it is a file); nothing was changed")
    if path.is_dir() and not (path / MARKER).is_file():
        if any(path.iterdir()) or not create:
            raise StoreError(f"{path}: not a kg store (no {MARKER}); nothing in it was changed")
    if not path.exists() and not create:
        raise StoreError(f"{path}: no store here; run `kg build FILE... --store {path}` first")


def open_store(path: Path | str = DEFAULT_STORE, *, create: bool = False) -> ox.Store:
    """The Oxigraph store at *path*: read-only unless *create* (which also makes a new one).

    A path that exists but is not a store is refused with :class:`StoreError`
    and left untouched.
    """
    path = Path(path)
    _check(path, create=create)
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
            marker = path / MARKER
            if not marker.exists():
                marker.write_text(
                    json.dumps({"format": "kg-plans RDF store", "engine": "oxigraph", "version": _VERSION})
                    + "\n",
                    encoding="utf-8",
                )
            return ox.Store(str(path / _ENGINE_DIR))
        return ox.Store.read_only(str(path / _ENGINE_DIR))
    except OSError as e:
        raise StoreError(f"{path}: cannot open the store: {e}") from None


def _as_store(store: ox.Store | Path | str) -> ox.Store:
    return store if isinstance(store, ox.Store) else open_store(store)


# Building ----------------------------------------------------------------------------------------


# Bulk loads go in slices of about this many bytes of N-Quads (~230k quads): Oxigraph's bulk loader holds
# what it is given in memory while it sorts it (2 GB peak for the 2.5 M quads of 1,000 plans in one go).
LOAD_CHUNK = 64 << 20


@dataclass(frozen=True, slots=True)
class StagedDocument:
    """What one document adds to the store: the N-Quads of its graph and its lines of the shared graph.

    ``body`` marks the body items and findings of a document (:mod:`kg.rdf_body`): same graph, but
    their shared lines are merged after every document's, as :func:`build` always did.
    """

    document: str
    quads: bytes
    shared: tuple[str, ...]
    body: bool = False


@dataclass(frozen=True, slots=True)
class StagedFile:
    """One file made ready for the store (in a worker process): its documents, bodies, tasks and warnings."""

    parts: tuple[StagedDocument, ...]
    tasks: int
    warnings: tuple[Issue, ...]
    files: tuple[str, ...] = ()


def stage(result: ExtractResult, gazetteer: Gazetteer | None = None) -> StagedFile:
    """The quads of the documents of *result* (one file) and of their body audit, as UTF-8 N-Quads.

    >>> from loaders import read_plan
    >>> staged = stage(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> staged.tasks, [p.body for p in staged.parts]
    (30, [False, True])
    """
    from kg.rdf_body import body_graphs
    from loaders.audits import audits_of

    gazetteer = gazetteer or Gazetteer.default()
    parts = [
        StagedDocument(d.document, d.quads.encode(), d.shared) for d in document_graphs(result, gazetteer)
    ]
    audits = audits_of(result, gazetteer=gazetteer)
    parts += [
        StagedDocument(b.document, b.quads.encode(), b.shared, body=True)
        for b in body_graphs(audits, gazetteer)
    ]
    return StagedFile(
        tuple(parts), len(result.tasks), result.warnings, tuple(d.file for d in result.documents)
    )


def build(
    results: Iterable[ExtractResult],
    path: Path | str = DEFAULT_STORE,
    *,
    gazetteer: Gazetteer | None = None,
    audits: Iterable[Any] = (),
) -> dict[str, int]:
    """Write the documents of *results* into the store at *path* (created if needed).

    Each document's named graph is replaced; the descriptions it gives in the
    shared graph (agencies, documents it names…) replace the old ones, and
    shared nodes no document reaches any more are dropped.  The ontology and
    gazetteer graphs are rewritten.  Returns counts: ``documents``, ``tasks``,
    ``quads`` (in the store).

    Old quads are removed first, the store compacted, and everything is then
    written by bulk loads of N-Quads text: interleaving removals and loads,
    or loading transactionally after removals, was 30-80x slower on 100 plans
    (RocksDB tombstones).

    *audits* (:class:`kg.audit.AuditReport` of the same documents) add each
    document's body items and findings to its graph (:mod:`kg.rdf_body`).
    :func:`build_files` reads files straight into the store instead.
    """
    from kg.rdf_body import body_graphs

    gazetteer = gazetteer or Gazetteer.default()
    tasks = 0

    def parts() -> Iterator[StagedDocument]:
        nonlocal tasks
        for result in results:
            for doc in document_graphs(result, gazetteer):
                yield StagedDocument(doc.document, doc.quads.encode(), doc.shared)
            tasks += len(result.tasks)
        for body in body_graphs(audits, gazetteer):  # into the document's graph, replaced with it
            yield StagedDocument(body.document, body.quads.encode(), body.shared, body=True)

    written: list[str] = []
    counts = _write(open_store(path, create=True), Path(path), _noting(parts(), written), gazetteer)
    _forget(Path(path), written, counts["quads"])
    return {"documents": counts["documents"], "tasks": tasks, "quads": counts["quads"]}


def _noting(parts: Iterable[StagedDocument], documents: list[str]) -> Iterator[StagedDocument]:
    for part in parts:
        documents.append(part.document)
        yield part


def _forget(path: Path, documents: list[str], quads: int) -> None:
    """After :func:`build` of records: the files that gave these documents must be read again next time."""
    from kg.stores.manifest import MANIFEST, Manifest

    if (path / MANIFEST).exists():
        manifest = Manifest.load(path)
        manifest.forget_documents(documents)
        manifest.quads = quads
        manifest.save(path)


def build_files(
    paths: Iterable[Path | str],
    path: Path | str = DEFAULT_STORE,
    *,
    gazetteer: Gazetteer | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    warn: Callable[[Issue], None] | None = None,
    skipped: Callable[[str], None] | None = None,
    prune: bool = False,
    plan: Callable[[Any], None] | None = None,
) -> dict[str, int]:
    """Read the plan documents *paths* name (files or directories) into the store at *path*: :func:`build`
    of :func:`loaders.read_plans` and its body audits, streamed and incremental.

    Only new files and files whose content changed since they were last read into
    this store are read (a content hash per file, :mod:`kg.stores.manifest`); a
    changed file's documents replace their old graphs.  With *prune*, the
    documents of files the store has read but that no longer exist are removed.
    *plan* gets the :class:`kg.stores.manifest.Plan` (new, changed, unchanged,
    removed files) before anything is read.  Each file read is read, audited and
    turned into N-Quads on its own (by *jobs* worker processes when there are
    many, see :func:`loaders.iter_plans`), and its quads go to the store at once:
    nothing holds the whole corpus.  Into an empty store the quads are
    bulk-loaded while the next files are read; into a store that has content
    they are staged in a file first, since the old graphs must go before
    anything is loaded.  *progress* gets the number of files done (unchanged
    files count as done at once), *warn* each reading warning, *skipped* each
    file found in a directory that is no plan (no task table: a README beside
    the plans), once the store is written.  A file that cannot be read raises
    :class:`kg.model.PlanError` and leaves the store as it was (a store created
    for this build is removed again).  Returns ``documents`` and ``tasks`` read
    by this build and the ``quads`` in the store.

    >>> import tempfile
    >>> build_files(["examples/hanoi-kh-30-ctr-tu-2024.txt"], tempfile.mkdtemp() + "/kg")["tasks"]
    30
    """
    import shutil

    from kg.stores.manifest import Manifest, content_hash

    gazetteer = gazetteer or Gazetteer.default()
    path = Path(path)
    created = not path.exists()
    if not created:
        _check(path, create=True)
    manifest = Manifest.load(path) if not created else Manifest()
    files = _named_files(paths)
    hashed = {str(f.resolve()): (f, named, _hash(f, content_hash)) for f, named in files}
    todo = manifest.classify(((p, h) for p, (_, _, h) in hashed.items()), exists=os.path.exists)
    if not prune:
        todo = type(todo)(todo.new, todo.changed, todo.unchanged, ())
    if plan:
        plan(todo)
    if not todo.new and not todo.changed and not todo.removed and manifest.quads is not None:
        if progress and todo.unchanged:
            progress(len(todo.unchanged))
        _report_skipped(skipped, files, manifest)  # nothing to read: the store is as it was
        return {"documents": 0, "tasks": 0, "quads": manifest.quads}
    # The graphs of the files read again and of the files gone go, unless the reading gives them again.
    again = set(todo.changed) | set(todo.removed)
    drop = [d for p in again for d in manifest.files[p].documents]
    # An unchanged file that gives one of those documents too (the same plan in two files) is read again,
    # so that the document is what a fresh build of the files would make of it.
    shares = {p for p in todo.unchanged if set(manifest.files[p].documents) & set(drop)}
    reading = set(todo.new) | set(todo.changed) | shares
    items = [(f, named) for p, (f, named, _) in hashed.items() if p in reading]
    if progress and len(todo.unchanged) > len(shares):
        progress(len(todo.unchanged) - len(shares))  # done already
    tasks = 0
    found: dict[str, tuple[list[str], int]] = {}

    def parts(staged: Iterable[StagedFile]) -> Iterator[StagedDocument]:
        nonlocal tasks
        for f in staged:
            yield from f.parts
            tasks += f.tasks
            docs = [p.document for p in f.parts if not p.body]
            for file in dict.fromkeys(f.files):
                found[file] = (docs, f.tasks)
            for w in f.warnings if warn else ():
                warn(w)

    staged = _read_staged(items, functools.partial(stage, gazetteer=gazetteer), jobs, progress)
    try:
        # The first file is read before the store is opened: the reader's worker processes are forked
        # then, before RocksDB starts threads of its own in this process.
        first = list(itertools.islice(staged, 1))
        store = open_store(path, create=True)
        # Unchanged files mean the same code and data as the last build: its fixed graphs stay.
        counts = _write(
            store,
            path,
            parts(itertools.chain(first, staged)),
            gazetteer,
            drop=drop,
            keep_fixed=bool(todo.unchanged),
        )
    except BaseException:
        if created and path.is_dir():
            store = None
            shutil.rmtree(path, ignore_errors=True)
        raise
    finally:
        staged.close()
    for p in todo.removed:
        del manifest.files[p]
    for p in reading:
        f, _, digest = hashed[p]
        docs, n = found.get(str(f), ([], 0))
        manifest.files[p] = FileEntry(digest, str(f), tuple(docs), n)
    manifest.quads = counts["quads"]
    manifest.save(path)
    _report_skipped(skipped, files, manifest)
    return {"documents": counts["documents"], "tasks": tasks, "quads": counts["quads"]}


def _hash(file: Path, content_hash: Callable[[Path], str]) -> str:
    """The file's content hash; a file that cannot be read gets none, so the reader says what is wrong."""
    try:
        return content_hash(file)
    except OSError:
        return ""


def _named_files(paths: Iterable[Path | str]) -> list[tuple[Path, bool]]:
    """The files *paths* name, each with whether it was named on its own (True) or found in a directory."""
    from loaders import iter_files

    out: list[tuple[Path, bool]] = []
    for p in map(Path, paths):
        out += [(f, False) for f in iter_files([p])] if p.is_dir() else [(p, True)]
    return out


def _read_staged(
    items: list[tuple[Path, bool]], then: Callable, jobs: int | None, progress: Callable[[int], None] | None
) -> Iterator[StagedFile]:
    """:func:`loaders.iter_plans` of *items* staged; a file found in a directory without a task table is
    passed over (as a directory given whole is read), one named on its own is an error."""
    from loaders import iter_plans
    from loaders.appendix import NoTaskTable

    start = 0
    while start < len(items):
        rest = items[start:]
        reading = iter_plans([f for f, _ in rest], then=then, jobs=jobs, progress=progress)
        try:
            yield from reading
            return
        except NoTaskTable as e:
            at = next((i for i, (f, _) in enumerate(rest) if str(f) == e.file), None)
            if at is None or rest[at][1]:
                raise
            if progress:
                progress(1)  # the reader stopped before counting it
            start += at + 1
        finally:
            reading.close()


def _report_skipped(skipped: Callable[[str], None] | None, files: list, manifest: Any) -> None:
    """Tell *skipped* about the files found in a directory that gave no document (no task table)."""
    for f, named in files if skipped else ():
        entry = manifest.files.get(str(f.resolve()))
        if not named and entry is not None and not entry.documents:
            skipped(str(f))


def _write(
    store: ox.Store,
    path: Path,
    parts: Iterable[StagedDocument],
    gazetteer: Gazetteer,
    drop: Iterable[str] = (),
    keep_fixed: bool = False,
) -> dict[str, int]:
    """Replace the graphs of the documents *parts* brings (and the fixed graphs) in *store*; counts.

    The graphs of the documents *drop* names go too, unless *parts* brought them again (a file read again
    that no longer gives a document, a file removed).  With *keep_fixed* the ontology, gazetteer and
    change-event graphs of a store that has them stay as they are (an incremental build by the same code).
    """
    from kg.reorg_rdf import REORG_GRAPH, events_ntriples
    from ontology import path as ontology_path

    graphs = [ONTOLOGY_GRAPH, GAZETTEER_GRAPH, REORG_GRAPH]
    fixed = set(graphs)
    merged = _Shared()
    # An empty store has nothing to replace: its quads are loaded while the next documents are made.
    fresh = next(iter(store.quads_for_pattern(None, None, None)), None) is None
    keep_fixed = keep_fixed and not fresh and store.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
    if keep_fixed:
        graphs = []
    staging = path / "load.nq.tmp"
    try:
        sink: _Loader | _Staging = _Loader(store) if fresh else _Staging(staging)
        try:
            if not keep_fixed:
                sink.write(gazetteer_nquads(gazetteer).encode("utf-8"))
            for part in parts:
                if not part.body:
                    graphs.append(document_graph_iri(part.document))
                sink.write(part.quads)
                merged.add(part.document, part.shared, body=part.body)
            shared = merged.lines()
            sink.write("".join(shared).encode("utf-8"))
        except BaseException:
            sink.abort()
            if fresh:  # what was loaded already goes again: the store stays empty
                store.clear()
            raise
        sink.close()
        replaced = False
        # A few graphs replaced (an incremental build): what they pointed to is all that can become
        # unreached, and their tombstones are too few to be worth compacting the whole store for.
        candidates: set[str] | None = None
        if not fresh:
            written = set(graphs)
            gone = [document_graph_iri(d) for d in drop if document_graph_iri(d) not in written]
            names = [
                n for n in dict.fromkeys([*graphs, *gone]) if store.contains_named_graph(ox.NamedNode(n))
            ]
            if len([n for n in names if n not in fixed]) <= FEW_GRAPHS:
                candidates = set()
            for name in names:
                node = ox.NamedNode(name)
                if candidates is not None and name not in fixed:
                    candidates.update(
                        q.object.value
                        for q in store.quads_for_pattern(None, None, None, node)
                        if isinstance(q.object, ox.NamedNode)
                    )
                store.remove_graph(node)
                replaced = replaced or name not in fixed
            shared_graph = ox.NamedNode(SHARED_GRAPH)
            subjects = {line[1 : line.index(">")] for line in shared}
            stale = [
                q
                for s in subjects
                for q in store.quads_for_pattern(ox.NamedNode(s), None, None, shared_graph)
            ]
            for q in stale:
                store.remove(q)
            if (replaced or stale) and candidates is None:
                store.optimize()
        if not keep_fixed:
            # The 2025 change events, which the plans' kg:Holding nodes cite (kg.reorg_rdf).
            store.bulk_load(
                input=events_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(REORG_GRAPH)
            )
            for module in ("kg.ttl", "body.ttl", "reorg.ttl"):
                store.bulk_load(
                    input=ontology_path(module).read_bytes(),
                    format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
                )
        if not fresh:
            _load_file(store, staging)
        if sink.size > LOAD_CHUNK:
            # Loaded in several slices: compacting once costs ~10% of the build (3.5 s at 1,000 plans)
            # and brings queries back to the speed of a store loaded in one go (agency-load 0.80 -> 0.49 s).
            store.optimize()
    finally:
        staging.unlink(missing_ok=True)
    if replaced:
        if candidates is None:
            _drop_unreached(store)
        else:
            _drop_unreached_of(store, candidates)
    store.flush()
    return {"documents": len([g for g in graphs if g not in fixed]), "quads": len(store)}


# Up to this many document graphs replaced, a build looks only at what they pointed to (see _write).
FEW_GRAPHS = 64


def _bulk(store: ox.Store, data: bytes) -> None:
    # lenient: the IRIs and literals are generated by kg.rdf (valid by construction), so the parser
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
_CHAIN = f"<{KG}chainParent>"


class _Shared:
    """The shared-graph lines of a build, merged as documents come, as :mod:`kg.network` merges nodes.

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


def _merge_shared(docs: list[DocumentQuads]) -> list[str]:
    """The shared-graph lines of a batch of documents, in order (see :class:`_Shared`)."""
    merged = _Shared()
    for doc in docs:
        merged.add(doc.document, doc.shared)
    return merged.lines()


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


# Querying ----------------------------------------------------------------------------------------


def _py_ox(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in {XSD + "integer", XSD + "int", XSD + "long"}:
            return int(term.value)
        if dt == XSD + "boolean":
            return term.value in {"true", "1"}
        return term.value
    return term.value


def _ox_term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, _IRI):
        return ox.NamedNode(str(value))
    return ox.Literal(str(value))


class _IRI(str):
    """A string that is bound as an IRI, not as a literal."""


def _py_rdflib(term: Any) -> Any:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else None
        if dt in {XSD + "integer", XSD + "int", XSD + "long"}:
            return int(term)
        if dt == XSD + "boolean":
            return bool(term.toPython())
        return str(term)
    return str(term)


def _rdflib_term(value: Any) -> Any:
    from rdflib import XSD as RXSD
    from rdflib import Literal, URIRef

    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=RXSD.integer)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=RXSD.date)
    if isinstance(value, _IRI):
        return URIRef(str(value))
    return Literal(str(value))


def select(source: Any, query: str, bindings: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a SELECT *query* on a pyoxigraph ``Store`` or an rdflib ``Dataset``/``Graph``.

    *bindings* maps variable names to Python values, bound by the engine
    (pyoxigraph ``substitutions``, rdflib ``initBindings``), never spliced into
    the text.  Values: ``str`` (a literal), ``int``, ``bool``, ``date``, or an
    IRI made with :func:`iri`.  With pyoxigraph a bound variable must be in the
    SELECT projection (SEP-0007), which is why the named queries project
    their parameters.  Literals come back as ``str``/``int``/``bool``, dates
    as ISO strings, IRIs as strings, unbound values as ``None``.
    """
    bindings = dict(bindings or {})
    if isinstance(source, ox.Store):
        subs = {ox.Variable(k): _ox_term(v) for k, v in bindings.items()}
        solutions = source.query(query, use_default_graph_as_union=True, substitutions=subs or None)
        names = [v.value for v in solutions.variables]
        return [{n: _py_ox(s[n]) for n in names} for s in solutions]
    result = source.query(query, initBindings={k: _rdflib_term(v) for k, v in bindings.items()})
    names = [str(v) for v in result.vars]
    return [{n: _py_rdflib(row[i]) for i, n in enumerate(names)} for row in result]


def iri(value: str) -> str:
    """Mark a string to be bound as an IRI by :func:`select`."""
    return _IRI(value)


# Every agency with its labels, for name lookup; plain SPARQL 1.1, so endpoints use it too.
# Plain triple patterns, no VALUES over classes or property paths: Oxigraph plans them better (3x).
AGENCIES_QUERY = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kg: <https://kg-plans.example.org/ontology#>
SELECT DISTINCT ?id ?name ?name_en ?kind ?recognised ?jurisdiction ?collective WHERE {
  { ?a a org:Organization BIND(false AS ?collective) } UNION { ?a a kg:Collective BIND(true AS ?collective) }
  ?a dct:identifier ?id ; skos:prefLabel ?name ; org:classification ?k .
  ?k skos:notation ?kind .
  FILTER(LANG(?name) = "vi")
  OPTIONAL { ?a skos:prefLabel ?name_en FILTER(LANG(?name_en) = "en") }
  OPTIONAL { ?a kg:recognised ?recognised }
  OPTIONAL { ?a dct:spatial/skos:prefLabel ?jurisdiction }
} ORDER BY ?id
"""


def agencies(store: Any) -> list[Agency]:
    """Every agency the documents of the store name (collectives included), as records, by id."""
    source = store if not isinstance(store, Path | str) else open_store(store)
    return [
        Agency(r["id"], r["name"], r["name_en"], r["kind"], bool(r["recognised"]), r["jurisdiction"])
        for r in select(source, AGENCIES_QUERY)
    ]


# Named queries -----------------------------------------------------------------------------------


def sparql_bindings(query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The SPARQL binding sets of the runner's *bindings*: an ``agency`` parameter's ids become ``?<name>_iri``,
    one binding set per id (in order); every other parameter is bound by its name.

    >>> from queries import registry
    >>> runs = sparql_bindings(registry()["depends-on"], {"agency": ["ha-noi/so-noi-vu", "hue/so-noi-vu"]})
    >>> [r["agency_iri"].rsplit("/", 2)[-2] for r in runs]
    ['ha-noi', 'hue']
    """
    agency = {p.name for p in query.params if p.type == "agency"}
    runs: list[dict[str, Any]] = [{}]
    for name, value in bindings.items():
        if name in agency:
            runs = [{**r, f"{name}_iri": iri(agency_iri(i))} for r in runs for i in value]
        else:
            runs = [{**r, name: value} for r in runs]
    return runs


class OxigraphBackend:
    """The store (or, with *engine*, an rdflib ``Dataset`` of it) as a :class:`kg.stores.Backend`.

    Oxigraph binds one value per variable (``substitutions``), so the runner
    asks once per agency id and merges the rows in the query's ``ORDER BY``.
    The store is opened when first asked.  *records* gives the agencies when the
    caller holds them already (:mod:`kg.api` reads them once per opened store).
    """

    dialect = "sparql"
    lists = False

    def __init__(
        self,
        store: Any = DEFAULT_STORE,
        *,
        engine: Any = None,
        records: Callable[[], list[Agency]] | None = None,
    ) -> None:
        self._store = store
        self._source = engine
        self._records = records

    @property
    def source(self) -> Any:
        if self._source is None:
            self._source = _as_store(self._store)
        return self._source

    def rows(self, query: Any, bindings: Mapping[str, Any]) -> list[dict[str, Any]]:
        (binding,) = sparql_bindings(query, bindings)
        return select(self.source, query.sparql, binding)

    def agencies(self) -> list[Agency]:
        return self._records() if self._records else agencies(self.source)


def run_named(
    name: str, params: Mapping[str, Any], *, store: Any = DEFAULT_STORE, engine: Any = None
) -> list[dict[str, Any]]:
    """Answer the named query *name* with *params* as typed on the command line (:func:`kg.stores.runner.run`).

    Rows have exactly the columns of the query's ``# returns:`` line, in the
    order of :mod:`kg.metrics`.  An agency parameter may be a Vietnamese or
    English name, an alias or a spelling variant; it is resolved to agency ids
    first (:class:`kg.lookup.NoAgency` when nothing matches), and the query
    runs once per id, the rows merged in the query's order.  *engine* may be
    an rdflib ``Dataset`` to run the same text on rdflib instead of the store.
    """
    from kg.stores.runner import run

    return run(OxigraphBackend(store, engine=engine), name, params)


def sparql(text: str, *, store: Any = DEFAULT_STORE) -> Any:
    """Run any SPARQL query on the store (union default graph): SELECT rows, ASK bool or CONSTRUCT triples.

    The prefixes of :data:`kg.rdf.PREFIXES` (``kg:``, ``eli:``, ``org:``…) are predeclared.
    """
    source = _as_store(store)
    result = source.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: _py_ox(s[n]) for n in names} for s in result]
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return list(result)


# Other views of the store ------------------------------------------------------------------------


def to_dataset(store: Any = DEFAULT_STORE) -> Any:
    """The store's content as an ``rdflib.Dataset`` (named graphs kept; default graph = their union)."""
    from rdflib import Dataset

    data = _as_store(store).dump(format=ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(data=data.decode("utf-8"), format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def _union_triples(store: ox.Store) -> list[ox.Triple]:
    rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]


def export(store: Any = DEFAULT_STORE, fmt: str = "ttl") -> bytes:
    """The store serialised: ``ttl``/``nt``/``jsonld`` the union of all graphs; ``trig``/``nq`` the graphs."""
    source = _as_store(store)
    if fmt in {"trig", "nq"}:
        return source.dump(format=EXPORT_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    prefixes = PREFIXES if fmt in {"ttl", "jsonld"} else None
    return ox.serialize(_union_triples(source), format=EXPORT_FORMATS[fmt], prefixes=prefixes)


def validate(store: Any = DEFAULT_STORE, *, data: Any = None) -> tuple[bool, str, Any]:
    """SHACL-validate the store (or an rdflib graph *data*) against ``ontology/shapes.ttl``.

    Returns ``(conforms, report text, report graph)``.
    """
    from pyshacl import validate as shacl
    from rdflib import Graph

    from ontology import path as ontology_path

    if data is None:
        data = Graph()
        data.parse(data=export(store, "nt").decode("utf-8"), format="nt")
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    conforms, report, text = shacl(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    return bool(conforms), str(text), report


__all__ += ["KG", "OxigraphBackend", "iri", "shape_rows", "sparql_bindings"]
