"""Fixtures for blame: projects of both plans on a private cache whose recordings are the
session's (tests/conftest.py's shared_blame), and a function that blames a file as a step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.programs import attempt_program
from workbench.project import Project, open_project
from workbench.runner.blame.engine import FunctionReplay, module_blame, replay_functions
from workbench.runner.blame.model import Blame
from workbench.runner.dataset import resolve_dataset
from workbench.runner.explain import Explanation, check_and_explain
from workbench.runner.settings import make_settings

from .mistakes import BEYOND, REVISED, ROOT

Blamer = Callable[[Path, int], tuple[FunctionReplay, Blame | None]]
Checker = Callable[[Path, int], Explanation]


@pytest.fixture(scope="session")
def blame_projects(
    tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[..., Path]
) -> dict[str, Project]:
    cache = make_seeded_cache(tmp_path_factory.mktemp("blame"), share_runs=True)
    return {plan: open_project(ROOT, ROOT / plan, cache=cache) for plan in (REVISED, BEYOND)}


@pytest.fixture(scope="session")
def blame_file(blame_projects: dict[str, Project]) -> Blamer:
    """blame_file(path, step) -> (the replay of its functions, the place at fault), as a check
    of `path --as step` on the quick profile finds them (the module's phase only when every
    function agrees, as the judge asks for it after a run that differs)."""

    def blame(path: Path, step: int) -> tuple[FunctionReplay, Blame | None]:
        project = blame_projects[BEYOND if step >= 12 else REVISED]
        program = attempt_program(project.plan, path, f"{step:02d}")
        settings = make_settings(project, profile="quick", assignments=[], dataset=resolve_dataset(cache=project.cache))
        replay = replay_functions(project, program, settings)
        return replay, replay.blame or module_blame(project, program, settings)

    return blame


@pytest.fixture(scope="session")
def check_file(blame_projects: dict[str, Project]) -> Checker:
    """check_file(path, step) -> the explained check of `path --as step` on the quick profile,
    as run_step.py shows it: the first differing training step searched, the place at fault."""

    def check(path: Path, step: int) -> Explanation:
        project = blame_projects[BEYOND if step >= 12 else REVISED]
        program = attempt_program(project.plan, path, f"{step:02d}")
        settings = make_settings(project, profile="quick", assignments=[], dataset=resolve_dataset(cache=project.cache))
        [explanation] = check_and_explain(project, [program], settings).explanations
        return explanation

    return check
