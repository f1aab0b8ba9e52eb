"""Shared fixtures. Area-specific fixtures live next to their tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.paths import PROJECT_ROOT
from workbench.plan import Plan, load_plan


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan()
