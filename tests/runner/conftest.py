"""Fixtures for the runner's tests: a private cache seeded with the dataset, no network,
and a small world of fake programs around a three-step plan (testkit.world)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from testkit.world import FakeWorld, make_world


@pytest.fixture(autouse=True)
def seeded_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, make_seeded_cache: Callable[[Path], Path]
) -> Path:
    """Every test gets its own cache, seeded with the dataset: nothing is written into the
    repository and nothing is downloaded."""
    cache = make_seeded_cache(tmp_path_factory.mktemp("isolated"))
    monkeypatch.setenv("MICROGPT_WORKBENCH_CACHE", str(cache))
    monkeypatch.delenv("MICROGPT_NAMES_FILE", raising=False)
    return cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the network: any attempt to connect a socket fails loudly."""

    def refuse(*arguments: object, **keywords: object) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def world(tmp_path: Path, names_file: Path, seeded_cache: Path) -> FakeWorld:
    return make_world(tmp_path, names_file, seeded_cache)


@pytest.fixture
def print_level_world(tmp_path: Path, names_file: Path, seeded_cache: Path) -> FakeWorld:
    """The same world, but step 01 is declared at the print level."""
    return make_world(tmp_path, names_file, seeded_cache, levels=("print", "print", "bit"))
