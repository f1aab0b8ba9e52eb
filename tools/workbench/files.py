"""Small file helpers shared by the runner and the workshop: content hashes and atomic writes.

An atomic write goes to a temporary file in the destination's own directory and is then
moved over the destination with os.replace, so a reader sees the old file or the new one,
never half of one, and an interrupted write leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()
"""Mode for new files, as open() would create them (tempfile.mkstemp always uses 0600)."""


def sha256_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    temporary_path = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary_path, _FILE_MODE)
        os.replace(temporary_path, path)
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` as UTF-8 so that no reader ever sees a partial file."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_json_atomically(path: Path, record: Any, *, indent: int | None = None) -> None:
    text = json.dumps(record, indent=indent, ensure_ascii=False) + "\n"
    write_bytes_atomically(path, text.encode("utf-8"))


def read_json(path: Path) -> Any | None:
    """The JSON document at `path`, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
