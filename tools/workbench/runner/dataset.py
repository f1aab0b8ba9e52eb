"""The names dataset every run trains on: found once per invocation, verified, never committed.

The original reads `input.txt` from its working directory. The runner gives each run its
own copy, taken from the first of these that applies:

1. `--data PATH`: any names file. The standard one is recognised by its checksum; any
   other is used as given, with a notice that golden files do not apply to it.
2. The environment variable MICROGPT_NAMES_FILE: a path to the standard names file
   (verified by sha256).
3. The cache file `<cache>/data/names.txt` (verified by sha256).
4. A download from the original's own URL into that cache file, written atomically and
   verified by sha256 before it is kept.
"""

from __future__ import annotations

import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import sha256_of_file
from workbench.paths import display_path

STANDARD_NAMES_URL = "https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt"
"""Where the original downloads its dataset from (the URL is in original/microgpt.py)."""

STANDARD_NAMES_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
"""The standard dataset: 32,033 names. Golden files are recorded on it."""

NAMES_FILE_ENVIRONMENT_VARIABLE = "MICROGPT_NAMES_FILE"
"""Set this to a copy of the standard names file to skip the cache and the download."""

DOWNLOAD_TIMEOUT_SECONDS = 30.0

Downloader = Callable[[str, Path], None]
"""Fetch a URL into a file (the file exists and is empty; write the body into it)."""


@dataclass(frozen=True)
class Dataset:
    """The names file a run copies to `input.txt`."""

    path: Path
    sha256: str
    origin: str
    """How it was found: '--data', the environment variable's name, 'cache' or 'download'."""

    @property
    def standard(self) -> bool:
        return self.sha256 == STANDARD_NAMES_SHA256

    def describe(self) -> str:
        kind = "standard names dataset" if self.standard else "custom names file"
        return f"{kind} {display_path(self.path)} ({self.origin})"

    def notice(self) -> str | None:
        """What the user must know about a non-standard dataset, or None."""
        if self.standard:
            return None
        return (
            f"using names file {display_path(self.path)}: not the standard dataset "
            f"(sha256 {self.sha256[:12]}…), so golden files do not apply and results are "
            "compared with the original run on this same file"
        )


def cached_names_path(cache: Path) -> Path:
    """The dataset's place in the workbench cache `cache` (a Project's cache)."""
    return cache / "data" / "names.txt"


def download_with_urllib(url: str, destination: Path) -> None:
    """The real downloader: stream the URL's body into `destination`."""
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, destination.open("wb") as stream:
        shutil.copyfileobj(response, stream)


def resolve_dataset(
    data: Path | None = None,
    *,
    environment: Mapping[str, str] | None = None,
    cache: Path,
    url: str = STANDARD_NAMES_URL,
    download: Downloader | None = None,
) -> Dataset:
    """Find the names file for this invocation, in the order the module docstring gives."""
    cache_file = cached_names_path(cache)
    if data is not None:
        return _from_data_option(data)
    variables = os.environ if environment is None else environment
    from_environment = variables.get(NAMES_FILE_ENVIRONMENT_VARIABLE, "").strip()
    if from_environment:
        return _verified(Path(from_environment).expanduser(), NAMES_FILE_ENVIRONMENT_VARIABLE, cache_file)
    if cache_file.is_file():
        return _verified(cache_file, "cache", cache_file)
    return _download(url, cache_file, download or download_with_urllib)


def _from_data_option(data: Path) -> Dataset:
    path = data.expanduser()
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "does not exist"
        raise WorkbenchError(f"--data: the names file {path} {what}")
    return Dataset(path=path.resolve(), sha256=sha256_of_file(path), origin="--data")


def _verified(path: Path, origin: str, cache_file: Path) -> Dataset:
    if not path.is_file():
        raise WorkbenchError(f"{origin} names the file {path}, which does not exist. " + _how_to_provide(cache_file))
    digest = sha256_of_file(path)
    if digest != STANDARD_NAMES_SHA256:
        raise WorkbenchError(
            f"the names file {display_path(path)} (from {origin}) is not the standard dataset: "
            f"its sha256 is {digest}, expected {STANDARD_NAMES_SHA256}. " + _how_to_provide(cache_file)
        )
    return Dataset(path=path.resolve(), sha256=digest, origin=origin)


def _download(url: str, cache_file: Path, download: Downloader) -> Dataset:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(dir=cache_file.parent, prefix=".names.", suffix=".partial")
    os.close(descriptor)
    temporary_path = Path(temporary_name)
    try:
        try:
            download(url, temporary_path)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise WorkbenchError(
                f"the names dataset is not in the cache and could not be downloaded from {url} ({reason}). "
                + _how_to_provide(cache_file)
            ) from None
        digest = sha256_of_file(temporary_path)
        if digest != STANDARD_NAMES_SHA256:
            raise WorkbenchError(
                f"the file downloaded from {url} is not the standard dataset: its sha256 is {digest}, "
                f"expected {STANDARD_NAMES_SHA256}; nothing was kept. " + _how_to_provide(cache_file)
            )
        os.replace(temporary_path, cache_file)
    finally:
        temporary_path.unlink(missing_ok=True)
    return Dataset(path=cache_file.resolve(), sha256=STANDARD_NAMES_SHA256, origin="download")


def _how_to_provide(cache_file: Path) -> str:
    return (
        "To provide the names file (32,033 names, sha256 "
        f"{STANDARD_NAMES_SHA256[:12]}…), do one of: pass --data PATH; "
        f"set {NAMES_FILE_ENVIRONMENT_VARIABLE}=PATH; or copy it to {cache_file}."
    )
