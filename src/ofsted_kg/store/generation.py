"""What names a store's content, and what a reader opens while a write is under way.

Files in the store's folder, beside Oxigraph's own:

- the *generation* (``ofsted-kg-generation``): a random name for the store's content.
  A write removes it before it changes anything and names a new one only when the data
  and everything derived from it are committed (``store.writing``); so the generation
  names a whole state, and kept answers, the search index and query workers filed under
  it are never stale.
- the *snapshot* (``ofsted-kg-snapshot/<generation>``): a copy of the store as it was
  when the write began (a RocksDB checkpoint: hard links, taken in milliseconds), which
  readers open while there is no generation. A reader therefore sees the state before
  a write or after it, never reports without the answers derived from them. It is
  removed once the write is done; a write killed part way leaves it for the readers
  until the next write completes.
- the *derived mark* (``ofsted-kg-derived-from``): the digest of what the derived graphs
  were made from (``derived.derivation_inputs``) and the generation then.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

GENERATION_FILE = "ofsted-kg-generation"
SNAPSHOT_FOLDER = "ofsted-kg-snapshot"
DERIVED_MARK = "ofsted-kg-derived-from"


def read_generation(store_folder: Path) -> str | None:
    try:
        value = (store_folder / GENERATION_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if re.fullmatch(r"[0-9a-f]{32}", value) else None


def forget_generation(store_folder: Path) -> None:
    """Before a write: from now until ``new_generation`` no answer is kept or read."""
    (store_folder / GENERATION_FILE).unlink(missing_ok=True)


def new_generation(store_folder: Path) -> None:
    """Name the store's content anew, once a write is committed. If the file cannot be
    written, answers are simply not kept: a missing generation is always safe."""
    target = store_folder / GENERATION_FILE
    temporary = target.with_name(f"{GENERATION_FILE}.{os.getpid()}")
    try:
        temporary.write_text(secrets.token_hex(16) + "\n", encoding="ascii")
        os.replace(temporary, target)  # atomic: a reader sees no generation or the new one
    except OSError:
        temporary.unlink(missing_ok=True)


def snapshot(store_folder: Path) -> tuple[Path, str | None] | None:
    """The snapshot readers open while a write is under way, and its generation."""
    try:
        found = sorted((store_folder / SNAPSHOT_FOLDER).iterdir())
    except OSError:
        return None
    for folder in found:  # not a checkpoint cut short (RocksDB writes it under another name)
        if re.fullmatch(r"[0-9a-f]{32}|none", folder.name) and (folder / "CURRENT").exists():
            return folder, None if folder.name == "none" else folder.name
    return None


def snapshot_target(store_folder: Path, generation: str | None) -> Path:
    return store_folder / SNAPSHOT_FOLDER / (generation or "none")


def drop_snapshot(store_folder: Path) -> None:
    shutil.rmtree(store_folder / SNAPSHOT_FOLDER, ignore_errors=True)


def derived_from(store_folder: Path, exact: bool = True) -> str | None:
    """The digest the derived mark records: only if the store was not written since, or
    (not ``exact``) whatever the store's generation."""
    try:
        inputs, _, generation = (store_folder / DERIVED_MARK).read_text(encoding="ascii").partition(" ")
    except OSError:
        return None
    if not exact:
        return inputs
    current = read_generation(store_folder)
    return inputs if current is not None and generation.strip() == current else None


def mark_derived(store_folder: Path, inputs: str) -> None:
    """Record that the derived graphs are up to date with ``inputs`` in this generation."""
    generation = read_generation(store_folder)
    if generation is not None:  # without one, the next write derives again: safe
        (store_folder / DERIVED_MARK).write_text(f"{inputs} {generation}\n", encoding="ascii")
