"""Full-text search over what inspectors wrote: findings and recommendations, ranked by
relevance (SQLite FTS5, BM25), with authority, date, page, paragraph and the matched words.

The index is a file beside the store (``ofsted-kg-search.sqlite``), made from the store
and labelled with the store's *generation* it was read from (``store.generation``): every
write of the store removes the generation first and names a new one once committed. The
index answers only when its label equals the store's generation; otherwise
(a build since, a load, a correction, or a build killed half-way, which leaves no
generation at all) it is made again from the store before answering. So it can lag behind
a write for one search, but it never disagrees with the store. ``refresh_index`` remakes it
at the end of a build, a load and a correction, so a search seldom has to.

Services and polarity are the ones the stored queries use: a person's correction wins
over the tagger.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from ofsted_kg.errors import QueryError, StoreError
from ofsted_kg.store import read_generation

INDEX_FILE = "ofsted-kg-search.sqlite"
_SCHEMA_VERSION = "1"


_COLUMNS = ("node", "kind", "authority", "authority_name", "start_date", "published", "framework", "page",
            "paragraph", "section", "polarity", "services", "latest")


@dataclass(frozen=True)
class Hit:
    authority: str
    date: str  # the inspection's start date
    published: str | None
    framework: str
    kind: str  # finding or recommendation
    section: str
    paragraph: int | None
    page: int
    polarity: str | None
    services: list[str]
    matched: list[str]  # the words of the text that matched the query
    snippet: str
    score: float  # BM25 (lower is more relevant, as SQLite gives it)
    iri: str

    def as_dict(self) -> dict:
        return asdict(self)


def index_path(store_path: Path | str) -> Path:
    return Path(store_path) / INDEX_FILE


def _value(term) -> str | None:
    return None if term is None else term.value


def _rows_from_store(store_path: Path) -> tuple[list[tuple], str]:
    """The rows of the index, and the generation they were read from ("" if unknown)."""
    from ofsted_kg.resources import data_dir
    from ofsted_kg.store import open_store

    sparql = (data_dir("queries") / "index" / "search-index.rq").read_text(encoding="utf-8")
    store = open_store(store_path, read_only=True, keep_answers=False)
    try:
        results, generation = list(store.query(sparql)), store.generation or ""
    finally:
        store.close()
    rows = [[_value(r[name]) for name in ("text", *_COLUMNS[:-1])] for r in results]
    # The latest inspection of each authority that has findings or recommendations.
    latest: dict[str, str] = {}
    for row in rows:
        authority, start = row[3], row[5]
        if start > latest.get(authority, ""):
            latest[authority] = start
    for row in rows:
        row.append(1 if latest.get(row[3]) == row[5] else 0)
    return [tuple(row) for row in rows], generation


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=30)


def _recorded_generation(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with _connect(path) as connection:
            found = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    return found.get("generation") if found.get("schema") == _SCHEMA_VERSION else None


def refresh_index(store_path: Path | str, force: bool = False) -> bool:
    """Make the index again from the store unless it already matches the store's
    generation; True if it was made. Written to a temporary file and renamed, so a
    reader sees the old index or the new one, never half of one."""
    store_path = Path(store_path)
    if not (store_path / "CURRENT").exists():
        raise StoreError("no graph store here; build one first with 'ofsted-kg build'", str(store_path))
    target = index_path(store_path)
    generation = read_generation(store_path)
    if not force and generation is not None and _recorded_generation(target) == generation:
        return False
    rows, recorded = _rows_from_store(store_path)  # labelled with exactly what was read
    handle, temporary = tempfile.mkstemp(prefix=".search-", suffix=".sqlite", dir=store_path)
    os.close(handle)
    try:
        with _connect(Path(temporary)) as connection:
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            connection.execute(
                "CREATE VIRTUAL TABLE hits USING fts5(text, " + ", ".join(f"{c} UNINDEXED" for c in _COLUMNS)
                + ", tokenize='porter unicode61')")
            placeholders = ", ".join("?" for _ in range(len(_COLUMNS) + 1))
            connection.executemany(f"INSERT INTO hits VALUES ({placeholders})", rows)
            connection.executemany("INSERT INTO meta VALUES (?, ?)",
                                   [("schema", _SCHEMA_VERSION), ("generation", recorded),
                                    ("rows", str(len(rows)))])
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        Path(temporary).unlink(missing_ok=True)
        raise StoreError(f"cannot write the search index ({error})", str(target)) from error
    return True


_TERM = re.compile(r"\w+", re.UNICODE)


def _match_expression(text: str) -> str:
    """Every word of the query, each quoted, so no word is read as FTS5 syntax."""
    words = _TERM.findall(text)
    if not words:
        raise QueryError("give some words to search for")
    return " ".join(f'"{word}"' for word in words)


def search(store_path: Path | str, text: str, authority: str | None = None, service: str | None = None,
           polarity: str | None = None, since: date | str | None = None, latest: bool = False,
           limit: int = 20) -> list[Hit]:
    """Findings and recommendations whose text matches every word of ``text`` (stemmed),
    most relevant first."""
    store_path = Path(store_path)
    refresh_index(store_path)
    from ofsted_kg.mapping import authority_iri

    where, params = ["hits MATCH ?"], [_match_expression(text)]
    for condition, value in (("authority = ?", authority and authority_iri(authority)),
                             ("(' ' || services || ' ') LIKE ?", service and f"% {service} %"),
                             ("polarity = ?", polarity),
                             ("start_date >= ?", since and str(since))):
        if value:
            where.append(condition)
            params.append(value)
    if latest:
        where.append("latest = 1")
    sql = ("SELECT node, kind, authority_name, start_date, published, framework, page, paragraph, section, "
           "polarity, services, highlight(hits, 0, char(1), char(2)), snippet(hits, 0, '[', ']', ' ... ', 24), "
           f"bm25(hits) FROM hits WHERE {' AND '.join(where)} ORDER BY bm25(hits) LIMIT ?")
    params.append(max(1, int(limit)))
    try:
        with _connect(index_path(store_path)) as connection:
            found = connection.execute(sql, params).fetchall()
    except sqlite3.Error as error:
        raise QueryError(f"the search failed ({error})") from error
    hits = []
    for (node, kind, name, start, published, framework, page, paragraph, section, polarity_value, services,
         marked, snippet, score) in found:
        matched = sorted({m.lower() for m in re.findall("\x01(.*?)\x02", marked)})
        hits.append(Hit(name or "", start, published, framework, kind, section,
                        int(paragraph) if paragraph is not None else None, int(page),
                        polarity_value if kind == "finding" else None, (services or "").split(), matched,
                        snippet, round(float(score), 3), node))
    return hits
