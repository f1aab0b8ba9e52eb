"""Finding the names dataset: --data, the environment variable, the cache, a verified download."""

from __future__ import annotations

import shutil
import urllib.error
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.runner.dataset import (
    NAMES_FILE_ENVIRONMENT_VARIABLE,
    STANDARD_NAMES_SHA256,
    cached_names_path,
    resolve_dataset,
)


@pytest.fixture
def empty_cache(tmp_path: Path) -> Path:
    cache = tmp_path / "empty-cache"
    cache.mkdir()
    return cache


@pytest.fixture
def other_names(tmp_path: Path) -> Path:
    path = tmp_path / "other_names.txt"
    path.write_text("ada\nbob\ncy\n", encoding="utf-8")
    return path


def must_not_download(url: str, destination: Path) -> None:
    raise AssertionError(f"unexpected download of {url}")


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.rglob("*") if path.is_file())


def test_the_seeded_cache_is_used_and_verified(seeded_cache: Path) -> None:
    dataset = resolve_dataset(environment={}, cache=seeded_cache, download=must_not_download)
    assert dataset.origin == "cache"
    assert dataset.path == cached_names_path(seeded_cache).resolve()
    assert dataset.standard and dataset.sha256 == STANDARD_NAMES_SHA256
    assert dataset.notice() is None


def test_data_option_with_the_standard_file_is_standard(names_file: Path, empty_cache: Path) -> None:
    dataset = resolve_dataset(names_file, environment={}, cache=empty_cache, download=must_not_download)
    assert dataset.origin == "--data"
    assert dataset.standard
    assert dataset.notice() is None


def test_data_option_with_another_file_skips_the_checksum_and_says_so(other_names: Path, empty_cache: Path) -> None:
    dataset = resolve_dataset(other_names, environment={}, cache=empty_cache, download=must_not_download)
    assert not dataset.standard
    notice = dataset.notice()
    assert notice is not None
    assert "other_names.txt" in notice
    assert "not the standard dataset" in notice
    assert "golden files do not apply" in notice


@pytest.mark.parametrize("make_bad_path", [lambda root: root / "missing.txt", lambda root: root])
def test_data_option_must_name_a_file(tmp_path: Path, empty_cache: Path, make_bad_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkbenchError, match="--data: the names file .* (does not exist|is a directory)"):
        resolve_dataset(make_bad_path(tmp_path), environment={}, cache=empty_cache, download=must_not_download)


def test_data_option_comes_before_the_environment_variable(
    other_names: Path, names_file: Path, empty_cache: Path
) -> None:
    environment = {NAMES_FILE_ENVIRONMENT_VARIABLE: str(names_file)}
    dataset = resolve_dataset(other_names, environment=environment, cache=empty_cache, download=must_not_download)
    assert dataset.origin == "--data"


def test_environment_variable_names_the_standard_file(names_file: Path, empty_cache: Path) -> None:
    dataset = resolve_dataset(
        environment={NAMES_FILE_ENVIRONMENT_VARIABLE: str(names_file)}, cache=empty_cache, download=must_not_download
    )
    assert dataset.origin == NAMES_FILE_ENVIRONMENT_VARIABLE
    assert dataset.standard


def test_environment_variable_with_another_file_is_refused_with_instructions(
    other_names: Path, empty_cache: Path
) -> None:
    with pytest.raises(WorkbenchError) as raised:
        resolve_dataset(
            environment={NAMES_FILE_ENVIRONMENT_VARIABLE: str(other_names)},
            cache=empty_cache,
            download=must_not_download,
        )
    message = str(raised.value)
    assert "not the standard dataset" in message
    assert_says_how_to_provide(message, empty_cache)


def test_environment_variable_naming_a_missing_file_is_an_error(tmp_path: Path, empty_cache: Path) -> None:
    with pytest.raises(WorkbenchError, match="does not exist"):
        resolve_dataset(
            environment={NAMES_FILE_ENVIRONMENT_VARIABLE: str(tmp_path / "nope.txt")},
            cache=empty_cache,
            download=must_not_download,
        )


def test_a_cache_file_with_the_wrong_checksum_is_refused(other_names: Path, empty_cache: Path) -> None:
    cached = cached_names_path(empty_cache)
    cached.parent.mkdir(parents=True)
    shutil.copyfile(other_names, cached)
    with pytest.raises(WorkbenchError) as raised:
        resolve_dataset(environment={}, cache=empty_cache, download=must_not_download)
    assert "not the standard dataset" in str(raised.value)
    assert_says_how_to_provide(str(raised.value), empty_cache)


def test_download_from_a_file_url_fills_the_cache_atomically(names_file: Path, empty_cache: Path) -> None:
    dataset = resolve_dataset(environment={}, cache=empty_cache, url=names_file.resolve().as_uri())
    assert dataset.origin == "download"
    assert dataset.standard
    assert leftovers(empty_cache) == ["names.txt"]
    assert cached_names_path(empty_cache).read_bytes() == names_file.read_bytes()


def test_a_download_with_the_wrong_checksum_leaves_nothing_behind(other_names: Path, empty_cache: Path) -> None:
    with pytest.raises(WorkbenchError) as raised:
        resolve_dataset(environment={}, cache=empty_cache, url=other_names.resolve().as_uri())
    assert "not the standard dataset" in str(raised.value)
    assert "nothing was kept" in str(raised.value)
    assert_says_how_to_provide(str(raised.value), empty_cache)
    assert leftovers(empty_cache) == []


def test_offline_without_a_file_explains_how_to_provide_it(empty_cache: Path) -> None:
    def offline(url: str, destination: Path) -> None:
        raise urllib.error.URLError("no network")

    with pytest.raises(WorkbenchError) as raised:
        resolve_dataset(environment={}, cache=empty_cache, download=offline)
    message = str(raised.value)
    assert "could not be downloaded" in message and "no network" in message
    assert_says_how_to_provide(message, empty_cache)
    assert leftovers(empty_cache) == []


def test_an_interrupted_download_leaves_nothing_half_written(empty_cache: Path) -> None:
    def interrupted(url: str, destination: Path) -> None:
        destination.write_text("emma\nolivia\n", encoding="utf-8")
        raise ConnectionResetError("connection reset by peer")

    with pytest.raises(WorkbenchError, match="connection reset"):
        resolve_dataset(environment={}, cache=empty_cache, download=interrupted)
    assert leftovers(empty_cache) == []


def assert_says_how_to_provide(message: str, cache: Path) -> None:
    assert "--data PATH" in message
    assert NAMES_FILE_ENVIRONMENT_VARIABLE in message
    assert str(cached_names_path(cache)) in message
