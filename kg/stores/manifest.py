"""What an incremental ``kg build`` knows about the files already in a store: a content hash per file.

The store directory holds ``kg-build.json`` beside the Oxigraph files: for each
file read (its absolute path) the hash of its bytes, the path as it was given,
the documents (named graphs) it gave and their tasks.  A later build hashes the
files it is given and re-reads only those whose hash changed or that are new;
with ``prune`` it drops the documents of files that no longer exist.  The hash
also covers a *fingerprint* of the reader and the mapping (the source of
``loaders``, ``kg`` and ``ontology``), so a store built by other code is read
again in full rather than mixed.

The manifest lives beside the quads, not in them: the store holds the same
quads whichever way it was built (``kg.pipeline.build`` of records already
in memory has no files to hash).

>>> m = Manifest()
>>> m.classify([("a.txt", "h1")], exists=lambda p: True)
Plan(new=('a.txt',), changed=(), unchanged=(), removed=())
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["MANIFEST", "FileEntry", "Manifest", "Plan", "content_hash", "fingerprint"]

MANIFEST = "kg-build.json"
_VERSION = 1


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code and data that turn a file into quads: any change reads every file again.

    >>> len(fingerprint())
    16
    """
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for folder in ("loaders", "kg", "ontology"):
        for p in sorted((root / folder).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix in {".py", ".toml", ".ttl", ".json"}:
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def content_hash(path: Path | str, given: str | None = None) -> str:
    """The hash of a file's bytes, the path as given (it is written into the graph) and :func:`fingerprint`.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = f.write_text("Kế hoạch")
    >>> content_hash(f) == content_hash(f) != content_hash(f, "other/x.txt")
    True
    """
    h = hashlib.sha256()
    h.update(fingerprint().encode())
    h.update(b"\0" + str(path if given is None else given).encode() + b"\0")
    with open(path, "rb") as f:
        h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file in the store: its hash, the path as given, its documents (ids) and their task count."""

    hash: str
    given: str
    documents: tuple[str, ...] = ()
    tasks: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build does with each file (absolute paths): read the new and changed ones, drop the removed."""

    new: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    def summary(self) -> str:
        """What the build did, in one phrase.

        >>> Plan(("a",), (), ("b", "c"), ()).summary()
        '1 new, 0 changed, 2 unchanged, 0 removed'
        """
        return (
            f"{len(self.new)} new, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed"
        )


@dataclass
class Manifest:
    """The files of a store (absolute path -> :class:`FileEntry`) and its quad count after the last build."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    quads: int | None = None

    @classmethod
    def load(cls, store: Path) -> Manifest:
        """The manifest of the store directory *store*; empty when there is none or it cannot be read."""
        try:
            data = json.loads((Path(store) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if data.get("version") != _VERSION:
            return cls()
        files = {
            p: FileEntry(e["hash"], e["given"], tuple(e["documents"]), e["tasks"])
            for p, e in data["files"].items()
        }
        return cls(files, data.get("quads"))

    def save(self, store: Path) -> None:
        """Write the manifest (atomically: a crash leaves the old one or none, never half of one)."""
        data = {
            "version": _VERSION,
            "quads": self.quads,
            "files": {
                p: {"hash": e.hash, "given": e.given, "documents": list(e.documents), "tasks": e.tasks}
                for p, e in sorted(self.files.items())
            },
        }
        tmp = Path(store) / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        os.replace(tmp, Path(store) / MANIFEST)

    def classify(
        self, hashed: Iterable[tuple[str, str]], exists: Callable[[str], bool] = os.path.exists
    ) -> Plan:
        """Sort the files of a build (absolute path, hash) against the manifest; *removed* are the files of
        the manifest not in the build that no longer *exist*."""
        new, changed, unchanged, seen = [], [], [], set()
        for path, digest in hashed:
            seen.add(path)
            entry = self.files.get(path)
            if entry is None:
                new.append(path)
            elif entry.hash != digest:
                changed.append(path)
            else:
                unchanged.append(path)
        removed = [p for p in self.files if p not in seen and not exists(p)]
        return Plan(tuple(new), tuple(changed), tuple(unchanged), tuple(removed))

    def forget_documents(self, documents: Iterable[str]) -> None:
        """Drop the files that gave any of *documents*: their graphs were written by other means."""
        gone = set(documents)
        for path in [p for p, e in self.files.items() if gone & set(e.documents)]:
            del self.files[path]
