"""Lint results kept between runs, keyed by a hash of everything they depend on.

The key is the SHA-256 of the source text, the rules that ran, the configuration that
affects them, and a fingerprint of the linter itself (the names, sizes and modification
times of its source and data files, libcst's and Python's versions), so a result is reused only when recomputing it would give the same
answer. Results are stored without the file's path, so the same text under another name
(a snapshot and its copy) is analysed once.

Where: the folder the caller passes (LintSettings.cache_folder): `lint/` in the workbench
cache of the project being worked on (`.cache/lint/`, or under $MICROGPT_WORKBENCH_CACHE),
or in the user's cache folder when the linter runs outside a workbench project (see
`lint_cache_folder`). Deleting that folder clears the cache; nothing else reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from workbench.lint.violation import Violation
from workbench.paths import cache_directory, user_cache_directory

CACHE_FOLDER_NAME = "lint"


def lint_cache_folder(project_root: Path | None) -> Path:
    """Where the lint results are kept (delete it to clear the cache): in the workbench cache
    of the project at `project_root`, or in the user's cache folder when there is none (the
    linter checking another project never writes into that project)."""
    base = cache_directory(project_root) if project_root is not None else user_cache_directory()
    return base / CACHE_FOLDER_NAME


@lru_cache(maxsize=1)
def linter_fingerprint() -> str:
    """A hash of the linter's own code and data (any edit changes a size or a modification
    time) and of the libraries it runs on."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".gz", ".txt") and path.is_file():
            status = path.stat()
            digest.update(f"{path.relative_to(package)}:{status.st_size}:{status.st_mtime_ns}".encode())
    try:
        digest.update(metadata.version("libcst").encode())
    except metadata.PackageNotFoundError:
        pass
    digest.update(platform.python_version().encode())
    return digest.hexdigest()


def result_key(text: str, rule_codes: Sequence[str], configuration: object) -> str:
    """The cache key of linting `text` with these rules and this configuration."""
    digest = hashlib.sha256()
    for part in (linter_fingerprint(), ",".join(rule_codes), repr(configuration)):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _entry(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def load_result(folder: Path, key: str, path: str) -> tuple[Violation, ...] | None:
    """The stored violations for `key` in the cache `folder`, placed in the file `path`; None when not stored
    (or unreadable: a damaged entry is a miss, not an error)."""
    try:
        records = json.loads(_entry(folder, key).read_text(encoding="utf-8"))
        return tuple(Violation(path=path, **record) for record in records)
    except (OSError, ValueError, TypeError):
        return None


def store_result(folder: Path, key: str, violations: Sequence[Violation]) -> None:
    """Keep the violations for `key` in the cache `folder`. A cache that cannot be written is silently skipped."""
    records = []
    for violation in violations:
        record = violation.as_dict()
        del record["path"]
        records.append(record)
    entry = _entry(folder, key)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        os.close(handle)
        Path(temporary).write_text(json.dumps(records), encoding="utf-8")
        os.replace(temporary, entry)
    except OSError:
        pass
