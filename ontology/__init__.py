"""The ontology, SHACL shapes and the agency gazetteer, shipped as data files.

>>> path("gazetteer.toml").name
'gazetteer.toml'
"""

from pathlib import Path

__all__ = ["path"]

_HERE = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """Return the path of a data file of the ontology folder."""
    return _HERE / name
