"""Data files for ``validate`` and ``load``: RDF in any common syntax, or the CSV template
(whose rows mapping turns into triples: ``mapping.map_data``).

Every failure is a ``ReadError`` that names the file and the place (line and column
from the parser), so a user can open the file at the fault.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.errors import ReadError
from ofsted_kg.formats import rdf_suffixes
from ofsted_kg.read.files import read_bytes
from ofsted_kg.read.table import Table, read_table

RDF_FORMATS = rdf_suffixes()
SUFFIXES = sorted([*RDF_FORMATS, ".csv"])
# A data file is read whole and held as triples: 1 GB of Turtle is some 10 million
# triples, past what one load should be. Larger files are refused before they are read.
MAX_DATA_MB = 1024
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass
class DataFile:
    """The triples of a file (graphs of a dataset merged), or the rows of a CSV file, and
    (once mapped) the CSV line each node came from."""

    path: Path
    triples: list[ox.Triple]
    rows: dict[str, int] = field(default_factory=dict)
    sha256: str = ""  # of the file's bytes
    table: Table | None = None


def _place(error: SyntaxError) -> str:
    text = str(error)
    match = re.search(r"(?:at|between) line (\d+) column (\d+)", text)
    where = f"line {match.group(1)} column {match.group(2)}" if match else (
        f"line {error.lineno}" if error.lineno else "")
    reason = re.sub(r"^Parser error (?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?: ", "", text)
    reason = re.sub(r" \([^()]*line \d+\)$", "", reason)
    return f"{where}: {reason}" if where else reason


def read_data(path: Path | str) -> DataFile:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = read_table(path)
        return DataFile(path, [], sha256=table.sha256, table=table)
    if suffix not in RDF_FORMATS:
        raise ReadError(f"unknown kind of file; give one of {', '.join(SUFFIXES)}", path.name)
    data = read_bytes(path, max_mb=MAX_DATA_MB)
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as some editors write
        data = data[3:]
    if RDF_FORMATS[suffix] == ox.RdfFormat.RDF_XML and _ENTITY.search(data):
        # Nested entities expand a file of a kilobyte into gigabytes ("billion laughs").
        raise ReadError("declares XML entities (<!ENTITY ...>), which are refused: an entity can expand to "
                        "gigabytes; write the values out", path.name)
    try:
        quads = ox.parse(data, format=RDF_FORMATS[suffix], base_iri=path.resolve().as_uri())
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    except SyntaxError as error:
        raise ReadError(_place(error), path.name) from error
    except MemoryError as error:  # pyoxigraph's limit on one token (16 MiB)
        raise ReadError(f"a term (a literal or an IRI) is too long to read ({error})", path.name) from error
    except (ValueError, OSError) as error:
        raise ReadError(f"cannot be parsed ({error})", path.name) from error
    if not triples:
        raise ReadError("holds no triples", path.name)
    return DataFile(path, triples, sha256=hashlib.sha256(data).hexdigest())
