"""Writing files the one safe way: a temporary file beside the target, then a rename, so a reader
sees the old file or the new one and never half of one; the new file gets the mode the old one
had (or the umask's), not mkstemp's 0600."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError


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
