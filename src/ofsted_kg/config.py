"""Settings a user may change: the base IRI of minted instances and the store's place."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.errors import OfstedKgError

#: Instances (authorities, inspections, judgements, reports) are minted under this IRI.
#: Vocabulary terms (grades, areas, frameworks) are not: they belong to the ontology.
DEFAULT_BASE_IRI = "https://w3id.org/ofsted-kg/id/"


def base_iri() -> str:
    """The instance base IRI: ``OFSTED_KG_BASE_IRI`` if set, else the default."""
    return _checked(os.environ.get("OFSTED_KG_BASE_IRI", DEFAULT_BASE_IRI))


@cache
def _checked(value: str) -> str:
    value = value if value.endswith(("/", "#")) else value + "/"
    try:
        ox.NamedNode(value + "x")
        absolute = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]", value) is not None
    except ValueError:
        absolute = False
    if not absolute:
        raise OfstedKgError(f"{value.rstrip('/')!r} is not an absolute IRI (such as {DEFAULT_BASE_IRI})",
                            "OFSTED_KG_BASE_IRI")
    return value


def default_store_path() -> Path:
    """``OFSTED_KG_STORE`` if set, else ``ofsted-kg-store`` in the current directory.

    A folder beside the user's work, like a ``.git`` directory, so that each project
    of reports has its own graph.
    """
    return Path(os.environ.get("OFSTED_KG_STORE", "ofsted-kg-store"))
