"""The one place that knows where the data files (ontology, shapes, queries) live.

In a wheel they are copied inside the package; in a source checkout (an editable
install) they sit at the top of the repository, where linked-data users look for them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``ontology``, ``shapes`` or ``queries``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from the installation")


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology and its vocabularies, in a stable order."""
    return sorted(data_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(data_dir("shapes").glob("*.ttl"))


def query_files() -> list[Path]:
    return sorted(data_dir("queries").glob("*.rq"))


@cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/NAME.rq``: a query the package runs itself, kept out
    of the stored queries a user lists."""
    return (data_dir("queries") / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def authority_registry_file() -> Path:
    return data_dir("ontology") / "authorities.csv"


def update_files() -> list[Path]:
    """SPARQL updates run after every build (derived links), in a stable order."""
    return sorted((data_dir("queries") / "updates").glob("*.ru"))
