"""Reading a file's bytes or UTF-8 text, with the one-line reasons every reader gives."""

from __future__ import annotations

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
