"""One pipeline: each document is read once, audited, and written to every sink (as KGX's Source -> Sink).

The reader pool (:func:`loaders.iter_plans`: worker processes when there are
many files) reads a file's appendix and body from the same loaded lines
(:func:`loaders.dispatch.load` keeps the last document read while the file is
unchanged), audits the body against the appendix (:func:`audits_of`), and
hands the :class:`Read` to each sink's ``prepare`` *in the worker*: what comes
back to this process is what the sink needs (N-Quads bytes for the Oxigraph
store, the records for Neo4j and networkx), file by file, in file order, so
nothing holds the whole corpus.  Sinks (:class:`Sink`):

* :class:`OxigraphSink`: the persisted store, rebuilt atomically beside the old
  one and swapped in (:mod:`kg.stores.atomic`), incremental with
  :func:`build_files` (``kg build``);
* :class:`Neo4jLoad`: a Neo4j database, one transaction per document (``kg neo4j load``);
* :class:`kg.stores.neo4j_import.ImportSink`: the CSVs of a Neo4j bulk import (``kg neo4j import``);
* :class:`NetworkxSink`: the networkx reference graph (:mod:`kg.graph.network`);
* :class:`AuditSink`: the body audits themselves (``kg audit``);
* :class:`GraphParts`: beside the store, what each file adds to the explorer's graph
  (:func:`kg.stores.graph.stored_graph`), pickled in the worker.

>>> sink = NetworkxSink()
>>> run(["examples/hanoi-kh-30-ctr-tu-2024.txt"], [sink])["tasks"]
30
>>> sink.graph.number_of_nodes() > 30
True
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kg.graph.audit import AuditReport, audit
from kg.model import ExtractResult, Issue, PlanError
from kg.model.gazetteer import Gazetteer
from kg.stores.atomic import Rebuild
from kg.stores.manifest import FileEntry, Manifest, content_hash
from kg.stores.rdf import DEFAULT_STORE
from kg.stores.rdf_write import GraphWriter, StagedDocument, checkpoint, open_engine

__all__ = [
    "AuditSink",
    "GraphParts",
    "Neo4jLoad",
    "NetworkxSink",
    "OxigraphSink",
    "Read",
    "Sink",
    "StagedFile",
    "audits_of",
    "build",
    "build_files",
    "run",
    "stage",
]


# Reading and auditing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Read:
    """One file read: its documents and tasks, their body audits, and the warnings of reading the bodies."""

    result: ExtractResult
    audits: tuple[AuditReport, ...] = ()
    body_warnings: tuple[Issue, ...] = ()


def _audit(result: ExtractResult, gazetteer: Gazetteer) -> tuple[list[AuditReport], list[Issue]]:
    """The body audits of the documents of *result* and the warnings of reading their bodies."""
    import logging

    from loaders.body import read_body

    logger = logging.getLogger(__name__)
    # Each audit sees its own document's tasks (what kg.graph.audit.audit picks out of the whole result):
    # grouped once here, as asking the whole result per document was quadratic (3.6 s at 1,000 plans).
    tasks: dict[str, list] = {}
    for t in result.tasks:
        tasks.setdefault(t.document, []).append(t)
    first = {}
    for d in result.documents:
        first.setdefault(d.id, d)
    reports, warnings = [], []
    for doc in result.documents:
        try:
            # The lines the plan reader has just read (loaders.dispatch.load keeps the last document).
            reading = read_body(doc.file, gazetteer=gazetteer)
        except (OSError, PlanError) as e:
            logger.warning("%s: cannot read the body for the audit: %s", doc.file, e)
            continue
        if reading.document != doc.id:
            logger.warning("%s: the file no longer holds %s; no audit", doc.file, doc.id)
            continue
        own = tasks.get(doc.id)  # none: audit falls back to every task of the result, so give it them
        mine = ExtractResult((first[doc.id],), tuple(own)) if own else result
        reports.append(audit(reading, mine))
        warnings += reading.warnings
    return reports, warnings


def audits_of(result: ExtractResult, *, gazetteer: Gazetteer | None = None) -> list[AuditReport]:
    """The body audit (:func:`kg.graph.audit.audit`) of each document of *result*, its body read from its file.

    A file that cannot be read any more (moved since), or that now holds
    another document, is left out with a logged warning: the appendix still
    stands on its own.

    >>> from loaders import read_plan
    >>> [report] = audits_of(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> len(report.assignments), len(report.findings)
    (40, 49)
    """
    return _audit(result, gazetteer or Gazetteer.default())[0]


def _read(result: ExtractResult, gazetteer: Gazetteer) -> Read:
    reports, warnings = _audit(result, gazetteer)
    return Read(result, tuple(reports), tuple(warnings))


# Sinks ---------------------------------------------------------------------------------------------


class Sink(Protocol):
    """Where the documents read go.

    ``prepare`` runs in the reader's worker process (it must be picklable
    what it returns); the rest in this process: ``open`` once the first file is
    read (the workers are forked by then, before a store or driver starts
    threads of its own), ``write`` once per file in file order, then ``close``
    (its counts) or, when anything failed or was interrupted, ``abort``.
    """

    def prepare(self, read: Read) -> Any: ...

    def open(self) -> None: ...

    def write(self, prepared: Any) -> None: ...

    def close(self) -> dict[str, int]: ...

    def abort(self) -> None: ...


class _Records:
    """A sink that wants the records themselves."""

    def prepare(self, read: Read) -> Read:
        return read

    def open(self) -> None:
        pass

    def abort(self) -> None:
        pass


class NetworkxSink(_Records):
    """The networkx reference graph of the documents read (:func:`kg.graph.network.build_graph`)."""

    def __init__(self) -> None:
        import networkx as nx

        self.graph = nx.MultiDiGraph()
        self.audits: list[AuditReport] = []

    def write(self, read: Read) -> None:
        from kg.graph.network import add_result

        add_result(self.graph, read.result)
        self.audits += read.audits

    def close(self) -> dict[str, int]:
        from kg.graph.network import add_audit

        add_audit(self.graph, self.audits)  # after every document, as build_graph does
        self.audits = []
        return {"nodes": self.graph.number_of_nodes(), "edges": self.graph.number_of_edges()}


@dataclass
class AuditSink(_Records):
    """The body audits of the documents read, and the warnings of reading their bodies (``kg audit``)."""

    reports: list[AuditReport] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def prepare(self, read: Read) -> Read:
        # Only the audits come back from the worker: the tasks would cost more to send than to read.
        return Read(ExtractResult(), read.audits, read.body_warnings)

    def write(self, read: Read) -> None:
        self.reports += read.audits
        self.warnings += read.body_warnings

    def close(self) -> dict[str, int]:
        return {"documents": len(self.reports), "findings": sum(len(r.findings) for r in self.reports)}


class Neo4jLoad(_Records):
    """A Neo4j database (:class:`kg.stores.neo4j.Neo4jSink`): each document in its own transaction, as it
    is read, so the client holds one file's records at a time; ``replace`` drops a document's old subgraph.
    The statements are made in the reader's worker (``prepare``); this process only sends them."""

    def __init__(
        self, sink: Any, *, replace: bool = False, progress: Callable[[int], None] | None = None
    ) -> None:
        self.sink, self.replace, self.progress = sink, replace, progress
        self.counts = {"documents": 0, "tasks": 0, "replaced": 0}

    def prepare(self, read: Read) -> Any:
        return self.sink.statements(read.result, read.audits)

    def open(self) -> None:
        self.sink.ensure_schema()

    def write(self, statements: Any) -> None:
        report = self.sink.write_statements(statements, replace=self.replace, progress=self.progress)
        self.counts["documents"] += report.documents
        self.counts["tasks"] += report.tasks
        self.counts["replaced"] += report.replaced

    def close(self) -> dict[str, int]:
        return dict(self.counts)


@dataclass(frozen=True, slots=True)
class StagedFile:
    """One file made ready for the store (in a worker process): its documents, bodies, tasks and warnings."""

    parts: tuple[StagedDocument, ...]
    tasks: int
    warnings: tuple[Issue, ...]
    files: tuple[str, ...] = ()


def stage(
    result: ExtractResult, gazetteer: Gazetteer | None = None, audits: Iterable[AuditReport] | None = None
) -> StagedFile:
    """The quads of the documents of *result* (one file) and of their body audit, as UTF-8 N-Quads.

    *audits* default to :func:`audits_of` the result.

    >>> from loaders import read_plan
    >>> staged = stage(read_plan("examples/hanoi-kh-30-ctr-tu-2024.txt"))
    >>> staged.tasks, [p.body for p in staged.parts]
    (30, [False, True])
    """
    from kg.rdf.body import body_graphs
    from kg.rdf.plan import document_graphs

    gazetteer = gazetteer or Gazetteer.default()
    audits = audits_of(result, gazetteer=gazetteer) if audits is None else audits
    parts = [
        StagedDocument(d.document, d.quads.encode(), d.shared) for d in document_graphs(result, gazetteer)
    ]
    parts += [
        StagedDocument(b.document, b.quads.encode(), b.shared, body=True)
        for b in body_graphs(audits, gazetteer)
    ]
    return StagedFile(
        tuple(parts), len(result.tasks), result.warnings, tuple(d.file for d in result.documents)
    )


class OxigraphSink:
    """The persisted store of an atomic *rebuild*: the new store starts from a checkpoint of the old one
    (``copy``), takes each file's quads as they come, and is swapped in by :meth:`Rebuild.commit`.

    *drop* and *keep_fixed* as :class:`kg.stores.rdf_write.GraphWriter`.  ``found`` maps each file
    written to its documents and tasks (for the build manifest).
    """

    def __init__(
        self,
        rebuild: Rebuild,
        gazetteer: Gazetteer,
        *,
        drop: Iterable[str] = (),
        keep_fixed: bool = False,
        copy: bool = True,
    ) -> None:
        self.rebuild, self.gazetteer = rebuild, gazetteer
        self.drop, self.keep_fixed, self.copy = list(drop), keep_fixed, copy
        self.writer: GraphWriter | None = None
        self.found: dict[str, tuple[list[str], int]] = {}
        self.fresh = False

    def prepare(self, read: Read) -> StagedFile:
        return stage(read.result, self.gazetteer, read.audits)

    def open(self) -> None:
        # A build that replaces every document of the store (the code changed: every file is read again)
        # starts from nothing: loading as it reads is faster than removing everything from a copy.
        copy = self.copy and not (self.drop and _replaces_all(self.rebuild, set(self.drop)))
        folder = self.rebuild.start(checkpoint if copy else None)
        store = open_engine(folder)
        self.writer = GraphWriter(store, folder, self.gazetteer, self.drop, self.keep_fixed)
        self.fresh = self.writer.fresh  # the new store holds only what this build writes

    def add(self, part: StagedDocument) -> None:
        assert self.writer is not None, "open() first"
        self.writer.add(part)

    def write(self, staged: StagedFile) -> None:
        for part in staged.parts:
            self.add(part)
        docs = [p.document for p in staged.parts if not p.body]
        for file in dict.fromkeys(staged.files):
            self.found[file] = (docs, staged.tasks)

    def close(self) -> dict[str, int]:
        assert self.writer is not None, "open() first"
        try:
            return self.writer.finish()
        finally:
            # The engine is closed before the swap: RocksDB names its files by the folder's path.
            self.writer = None

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None


class GraphParts:
    """What each file read adds to the store's networkx graph (its *part*: the steps of
    :func:`kg.graph.network.add_result` and :func:`~kg.graph.network.add_audit`), kept in the new store of
    *rebuild* (:data:`kg.stores.graph.PARTS`) so that the graph is composed without reading the quads
    (:func:`kg.stores.graph.stored_graph`).

    Each file's part is pickled by the reader's worker and written under the file's manifest hash
    (*hashes*: the file as the reader names it -> hash); the parts of the unchanged files *keep* (hashes)
    are hard-linked from the old store.  ``order`` lists the hashes written, in the order written.
    """

    def __init__(self, rebuild: Rebuild, hashes: dict[str, str], keep: Iterable[str] = ()) -> None:
        self.rebuild, self.hashes, self.keep = rebuild, hashes, list(keep)
        self.order: list[str] = []

    def prepare(self, read: Read) -> tuple[tuple[str, ...], bytes]:
        from kg.stores.graph import part_bytes

        return tuple(dict.fromkeys(d.file for d in read.result.documents)), part_bytes(
            read.result, read.audits
        )

    def open(self) -> None:
        from kg.stores.graph import PARTS, part_path

        (self.rebuild.temp / PARTS).mkdir(exist_ok=True)
        for digest in self.keep:  # as the engine's checkpoint: links, the old store's files untouched
            old, new = part_path(self.rebuild.target, digest), part_path(self.rebuild.temp, digest)
            try:
                os.link(old, new)
            except FileNotFoundError:
                pass  # an old store without parts: build_files sees they do not cover the store

    def write(self, prepared: tuple[tuple[str, ...], bytes]) -> None:
        from kg.stores.graph import part_path

        files, data = prepared
        for file in files:
            digest = self.hashes.get(file)
            if digest is None:  # a document that names another file than the one read: no part, so the
                continue  # parts do not cover the store and build_files keeps none
            part_path(self.rebuild.temp, digest).write_bytes(data)
            self.order.append(digest)

    def close(self) -> dict[str, int]:
        return {"parts": len(self.order)}

    def abort(self) -> None:
        pass  # the new store's folder goes with the build


def _replaces_all(rebuild: Rebuild, drop: set[str]) -> bool:
    """Whether every document graph of the old store is among the documents *drop* names."""
    from kg.rdf.plan import document_graph_iri
    from kg.stores.rdf import open_store

    if not rebuild.exists:
        return False
    prefix = document_graph_iri("")
    graphs = {g.value for g in open_store(rebuild.target).named_graphs() if g.value.startswith(prefix)}
    return graphs <= {document_graph_iri(d) for d in drop}


# Running ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What a worker sends back for one file: each sink's part, and what the caller reports."""

    parts: tuple[Any, ...]
    tasks: int
    warnings: tuple[Issue, ...]


def _prepare(result: ExtractResult, sinks: Sequence[Sink], gazetteer: Gazetteer) -> _Prepared:
    read = _read(result, gazetteer)
    return _Prepared(tuple(s.prepare(read) for s in sinks), len(result.tasks), result.warnings)


def run(
    paths: Iterable[Path | str],
    sinks: Sequence[Sink],
    *,
    gazetteer: Gazetteer | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    warn: Callable[[Issue], None] | None = None,
    skipped: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Read the documents *paths* name (files or directories) once each and write them to every sink.

    A file found in a directory that holds no task table (a README beside the
    plans) is passed over (*skipped* is told); any other file that cannot be
    read raises :class:`kg.model.PlanError` when its turn comes, after the
    files before it were written, and every sink is aborted.  Returns the
    ``documents`` and ``tasks`` read and each sink's counts (``sinks``).
    """
    return _run(_named_files(paths), sinks, gazetteer or Gazetteer.default(), jobs, progress, warn, skipped)


def _run(
    items: list[tuple[Path, bool]],
    sinks: Sequence[Sink],
    gazetteer: Gazetteer,
    jobs: int | None,
    progress: Callable[[int], None] | None,
    warn: Callable[[Issue], None] | None,
    skipped: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    then = functools.partial(_prepare, sinks=sinks, gazetteer=gazetteer)
    reading = _read_files(items, then, jobs, progress, skipped)
    opened: list[Sink] = []
    documents = tasks = 0
    try:
        # The first file is read before any sink opens: the reader's worker processes are forked then,
        # before RocksDB or a driver starts threads of its own in this process.
        first = list(itertools.islice(reading, 1))
        for sink in sinks:
            sink.open()
            opened.append(sink)
        for done in itertools.chain(first, reading):
            for sink, part in zip(sinks, done.parts, strict=True):
                sink.write(part)
            tasks += done.tasks
            documents += 1
            for w in done.warnings if warn else ():
                warn(w)
        counts = [sink.close() for sink in sinks]
    except BaseException:
        for sink in opened:
            sink.abort()
        raise
    finally:
        reading.close()
    return {"files": documents, "tasks": tasks, "sinks": counts}


def _named_files(paths: Iterable[Path | str]) -> list[tuple[Path, bool]]:
    """The files *paths* name, each with whether it was named on its own (True) or found in a directory."""
    from loaders import iter_files

    out: list[tuple[Path, bool]] = []
    for p in map(Path, paths):
        out += [(f, False) for f in iter_files([p])] if p.is_dir() else [(p, True)]
    return out


def _read_files(
    items: list[tuple[Path, bool]],
    then: Callable,
    jobs: int | None,
    progress: Callable[[int], None] | None,
    skipped: Callable[[str], None] | None = None,
) -> Iterator[Any]:
    """:func:`loaders.iter_plans` of *items*, each file's ``then(result)``; a file found in a directory
    without a task table is passed over (as a directory given whole is read), one named on its own is an
    error."""
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
            if skipped:
                skipped(e.file)
            start += at + 1
        finally:
            reading.close()


# Building the store ------------------------------------------------------------------------------


def build(
    results: Iterable[ExtractResult],
    path: Path | str = DEFAULT_STORE,
    *,
    gazetteer: Gazetteer | None = None,
    audits: Iterable[AuditReport] = (),
    wait: bool = False,
) -> dict[str, int]:
    """Write the documents of *results* (records already read) into the store at *path* (created if needed).

    Each document's named graph is replaced; the descriptions it gives in the
    shared graph (agencies, documents it names…) replace the old ones, and
    shared nodes no document reaches any more are dropped.  The ontology and
    gazetteer graphs are rewritten.  *audits* (:class:`kg.graph.audit.AuditReport`
    of the same documents) add each document's body items and findings to its
    graph (:mod:`kg.rdf.body`).  Atomic and locked as :func:`build_files`.
    Returns counts: ``documents``, ``tasks``, ``quads`` (in the store).
    """
    from kg.rdf.body import body_graphs

    gazetteer = gazetteer or Gazetteer.default()
    tasks = 0
    written: list[str] = []
    with Rebuild(path, wait=wait) as rebuild:
        sink = OxigraphSink(rebuild, gazetteer)
        sink.open()
        try:
            for result in results:
                staged = stage(result, gazetteer, audits=())
                sink.write(staged)
                written += [p.document for p in staged.parts]
                tasks += staged.tasks
            for body in body_graphs(audits, gazetteer):  # into the document's graph, replaced with it
                sink.add(StagedDocument(body.document, body.quads.encode(), body.shared, body=True))
            counts = sink.close()
        except BaseException:
            sink.abort()
            raise
        # The files that gave these documents must be read again by the next build of files.
        manifest = Manifest.load(rebuild.temp)
        manifest.forget_documents(written)
        manifest.quads = counts["quads"]
        manifest.save(rebuild.temp)
        rebuild.commit({"documents": counts["documents"], "quads": counts["quads"]})
    return {"documents": counts["documents"], "tasks": tasks, "quads": counts["quads"]}


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
    wait: bool = False,
    sinks: Sequence[Sink] = (),
) -> dict[str, int]:
    """Read the plan documents *paths* name (files or directories) into the store at *path*, streamed,
    incremental and atomic (``kg build``).

    Only new files and files whose content changed since they were last read into
    this store are read (a content hash per file, :mod:`kg.stores.manifest`); a
    changed file's documents replace their old graphs.  With *prune*, the
    documents of files the store has read but that no longer exist are removed.
    *plan* gets the :class:`kg.stores.manifest.Plan` (new, changed, unchanged,
    removed files) before anything is read.  Each file is read, audited and
    turned into N-Quads on its own (by *jobs* worker processes when there are
    many, see :func:`loaders.iter_plans`), and its quads go to the store at once:
    nothing holds the whole corpus.  *sinks* get each file read as well.

    The build writes a new store beside the old one and swaps it in
    (:mod:`kg.stores.atomic`): a reader sees the old store or the new one; a
    build that fails or is interrupted leaves the old store as it was; a second
    build of the same store fails at once with :class:`kg.stores.atomic.StoreBusy`
    (or waits for the first, *wait*).  A file that cannot be read raises
    :class:`kg.model.PlanError`.

    *progress* gets the number of files done (unchanged files count as done at
    once), *warn* each reading warning, *skipped* each file found in a
    directory that is no plan (no task table: a README beside the plans), once
    the store is written.  Returns ``documents`` and ``tasks`` read by this
    build and the ``quads`` in the store.

    >>> import tempfile
    >>> build_files(["examples/hanoi-kh-30-ctr-tu-2024.txt"], tempfile.mkdtemp() + "/kg")["tasks"]
    30
    """
    gazetteer = gazetteer or Gazetteer.default()
    files = _named_files(paths)
    with Rebuild(path, wait=wait) as rebuild:
        manifest = Manifest.load(rebuild.target) if rebuild.exists else Manifest()
        hashed = {str(f.resolve()): (f, named, _hash(f)) for f, named in files}
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
        # An unchanged file that gives one of those documents too (the same plan in two files) is read
        # again, so that the document is what a fresh build of the files would make of it.
        shares = {p for p in todo.unchanged if set(manifest.files[p].documents) & set(drop)}
        reading = set(todo.new) | set(todo.changed) | shares
        items = [(f, named) for p, (f, named, _) in hashed.items() if p in reading]
        if progress and len(todo.unchanged) > len(shares):
            progress(len(todo.unchanged) - len(shares))  # done already
        # Unchanged files mean the same code and data as the last build: its fixed graphs stay.
        store = OxigraphSink(rebuild, gazetteer, drop=drop, keep_fixed=bool(todo.unchanged))
        # The files whose graphs stay as they are keep their parts (what they add to the explorer's graph).
        gone = set(todo.removed) | reading
        kept = [e.hash for p, e in manifest.files.items() if p not in gone and e.documents]
        parts = GraphParts(rebuild, {str(f): h for p, (f, _, h) in hashed.items() if p in reading}, kept)
        done = _run(items, [store, parts, *sinks], gazetteer, jobs, progress, warn)
        counts = done["sinks"][0]
        for p in todo.removed:
            del manifest.files[p]
        for p in reading:
            f, _, digest = hashed[p]
            docs, n = store.found.get(str(f), ([], 0))
            manifest.files[p] = FileEntry(digest, str(f), tuple(docs), n)
        manifest.quads = counts["quads"]
        manifest.save(rebuild.temp)  # in the new store: swapped in with it
        _index_parts(rebuild, manifest, parts, kept, fresh=store.fresh)
        rebuild.commit({"documents": counts["documents"], "quads": counts["quads"]})
    _report_skipped(skipped, files, manifest)
    return {"documents": counts["documents"], "tasks": done["tasks"], "quads": counts["quads"]}


def _index_parts(
    rebuild: Rebuild, manifest: Manifest, parts: GraphParts, kept: list[str], *, fresh: bool
) -> None:
    """Record the new store's parts in the order the store took their files (the kept ones first, as the
    old store ordered them), when they cover every file of the new store and the store holds nothing
    else; else remove them (the explorer then reads the store itself)."""
    from kg.stores.graph import part_path, parts_order, write_parts_index

    before = [] if fresh else parts_order(rebuild.target)  # None: the old store's content has no parts
    order: list[str] | None = None
    if before is not None:
        keep = set(kept)
        order = [h for h in before if h in keep] + parts.order
        covered = set(order) == {e.hash for e in manifest.files.values() if e.documents}
        if not covered or not all(part_path(rebuild.temp, h).is_file() for h in order):
            order = None
    write_parts_index(rebuild.temp, order)


def _hash(file: Path) -> str:
    """The file's content hash; a file that cannot be read gets none, so the reader says what is wrong."""
    try:
        return content_hash(file)
    except OSError:
        return ""


def _report_skipped(skipped: Callable[[str], None] | None, files: list, manifest: Manifest) -> None:
    """Tell *skipped* about the files found in a directory that gave no document (no task table)."""
    for f, named in files if skipped else ():
        entry = manifest.files.get(str(f.resolve()))
        if not named and entry is not None and not entry.documents:
            skipped(str(f))
