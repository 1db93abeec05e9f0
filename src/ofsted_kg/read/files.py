"""Reading a file's bytes or UTF-8 text, with the one-line reasons every reader gives."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from ofsted_kg.errors import ReadError


def read_bytes(path: Path, allow_empty: bool = False, max_mb: int | None = None) -> bytes:
    """The file's bytes; a FIFO, a device or a folder is refused (reading one could wait
    for ever), and so is a file over ``max_mb``."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a pipe or a device)"
            raise ReadError(f"is {kind}; give a file", path.name)
        if max_mb is not None and status.st_size > max_mb * 2**20:
            raise ReadError(f"the file is {status.st_size / 2**20:,.0f} MB; files over {max_mb} MB are not read",
                            path.name)
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot be read ({error.strerror})", path.name) from error
    if not allow_empty and not data.strip():
        raise ReadError("the file is empty", path.name)
    return data


def read_utf8(path: Path, max_mb: int | None = None) -> tuple[bytes, str]:
    """The bytes and the text of a UTF-8 file (a byte-order mark is dropped)."""
    data = read_bytes(path, max_mb=max_mb)
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x})", path.name) from error


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (a file of gigabytes is never held whole)."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise ReadError("is not a regular file (a pipe or a device); give a file", path.name)
        with path.open("rb") as handle:
            while block := handle.read(2**20):
                digest.update(block)
    except OSError as error:
        raise ReadError(f"cannot be read ({error.strerror})", path.name) from error
    return digest.hexdigest()
