"""Reading a file's bytes or UTF-8 text, with the one-line reasons every reader gives."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ofsted_kg.errors import ReadError


def read_bytes(path: Path, allow_empty: bool = False) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot be read ({error.strerror})", path.name) from error
    if not allow_empty and not data.strip():
        raise ReadError("the file is empty", path.name)
    return data


def read_utf8(path: Path) -> tuple[bytes, str]:
    """The bytes and the text of a UTF-8 file (a byte-order mark is dropped)."""
    data = read_bytes(path)
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x})", path.name) from error


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (a file of gigabytes is never held whole)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(2**20):
                digest.update(block)
    except OSError as error:
        raise ReadError(f"cannot be read ({error.strerror})", path.name) from error
    return digest.hexdigest()
