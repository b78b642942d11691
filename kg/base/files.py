"""Reading and writing files the safe ways. Reading: UTF-8 text or a clear error saying what the
file is instead. Writing: one way, a temporary file beside the target, then a rename, so a reader
sees the old file or the new one and never half of one; the new file gets the mode the old one
had (or the umask's), not mkstemp's 0600."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.base.errors import InputError, UsageError


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically; an OSError is left to the caller (add puts things back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """`replace_file` for a user's output path: a place that cannot be written is one line, exit 2."""
    try:
        replace_file(path, data)
    except OSError as exc:
        raise UsageError(f"cannot write here: {exc.strerror or exc}; expected a file path in a writable folder",
                         str(path)) from None


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


MAX_BYTES = 5_000_000  # a record or an article describes one source; anything larger is neither


def read_utf8(path: Path, what: str, max_bytes: int = MAX_BYTES) -> str:
    """A file's text (UTF-8, a BOM dropped), or InputError saying what is wrong with it: a
    folder, too large, empty, binary, another encoding. `what` is what was expected, e.g.
    "a YAML record"; records and articles are read alike."""
    try:
        if path.is_dir():
            raise InputError(f"is a folder; expected {what}", str(path))
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes; expected {what} of at most {max_bytes:,}", str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if not raw.strip().removeprefix(b"\xef\xbb\xbf").strip():
        raise InputError(f"file is empty; expected {what}", str(path))
    if b"\x00" in raw:
        raise InputError(f"binary file; expected UTF-8 text ({what})", str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}); save the file as UTF-8 "
            "(a Windows-1258 file must be converted)",
            str(path),
        ) from None
