"""Which files to lint, and with which configuration: found the way ruff finds them.

- Configuration: each file gets the nearest `pyproject.toml` with a [tool.lint_style]
  table in its folder or above (or the one named by --config, for every file). Without
  one, the built-in defaults apply.
- Folders are searched for `*.py`, skipping hidden folders, folders matching `exclude`
  (ruff's default list: .git, .venv, venv, site-packages, build, ...) or `extend-exclude`,
  any folder holding a virtual environment (`pyvenv.cfg`), and, inside a git work tree,
  everything git ignores (.gitignore, .git/info/exclude, the global excludes file).
- Files named explicitly are always linted (unless --force-exclude), as in ruff.
- `per-file-ignores` switch rules off for the files their patterns match.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.lint.config import LintConfig, has_section, load_config
from workbench.lint.engine import LintSettings
from workbench.lint.errors import LintError, SourceError
from workbench.lint.rules import select_rules

STANDARD_INPUT = Path("-")
VIRTUAL_ENVIRONMENT_MARKER = "pyvenv.cfg"


@dataclass
class ConfigFinder:
    """The configuration of each folder, found once and remembered."""

    explicit: LintConfig | None = None
    """--config: one configuration for every file."""
    _by_folder: dict[Path, LintConfig] = field(default_factory=dict)

    def config_for(self, path: Path) -> LintConfig:
        if self.explicit is not None:
            return self.explicit
        folder = Path.cwd() if path == STANDARD_INPUT else path.absolute().parent
        return self.config_of_folder(folder)

    def config_of_folder(self, folder: Path) -> LintConfig:
        if folder not in self._by_folder:
            candidate = folder / "pyproject.toml"
            if candidate.is_file() and has_section(candidate):
                self._by_folder[folder] = load_config(candidate)
            elif folder.parent == folder:
                self._by_folder[folder] = LintConfig()
            else:
                self._by_folder[folder] = self.config_of_folder(folder.parent)
        return self._by_folder[folder]


def nearest_config(folder: Path) -> LintConfig:
    """The configuration of the nearest pyproject.toml with [tool.lint_style] at or above
    `folder`; the built-in defaults when there is none."""
    return ConfigFinder().config_of_folder(folder.absolute())


def settings_for(
    path: Path, config: LintConfig, base: LintSettings, select: Sequence[str] | None, ignore: Sequence[str] | None
) -> LintSettings:
    """The rules for one file: --select/--ignore over the configuration's select/ignore,
    minus the per-file ignores whose pattern matches the file."""
    try:
        chosen = select if select is not None else config.select
        ignored = [*config.ignore, *(ignore or ())]
        for pattern, names in config.per_file_ignores:
            if path != STANDARD_INPUT and matches(path, pattern, config.root):
                ignored.extend(names)
        rules = select_rules(chosen, ignored)
    except LintError as error:
        raise LintError(f"{config.source}: {error}") from None
    return replace(base, rules=rules, config=config)


def matches(path: Path, pattern: str, root: Path | None) -> bool:
    """ruff's exclusion patterns: without a `/`, a glob on any name along the path; with
    one, a glob on the path relative to the configuration's folder."""
    absolute = path.absolute()
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in absolute.parts)
    base = root if root is not None else Path.cwd()
    try:
        relative = absolute.relative_to(base.absolute()).as_posix()
    except ValueError:
        return False
    return fnmatch.fnmatchcase(relative, pattern.removeprefix("./"))


def is_excluded(path: Path, config: LintConfig) -> bool:
    return any(matches(path, pattern, config.root) for pattern in (*config.exclude, *config.extend_exclude))


def collect_files(
    paths: Iterable[Path], finder: ConfigFinder, *, force_exclude: bool = False, respect_gitignore: bool = True
) -> tuple[list[Path], list[SourceError]]:
    """The files to lint, in a stable order without repeats, and an error for each path
    that does not exist. `-` (standard input) is passed through."""
    files: list[Path] = []
    errors: list[SourceError] = []
    for path in paths:
        if path == STANDARD_INPUT:
            files.append(path)
        elif path.is_dir():
            files.extend(_walk(path, finder, respect_gitignore))
        elif os.path.lexists(path):  # a file, or a link the reader will explain (loop, dangling)
            if not (force_exclude and is_excluded(path, finder.config_for(path))):
                files.append(path)
        else:
            errors.append(SourceError(f"{path}: no such file or folder"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for file in files:
        key = file if file == STANDARD_INPUT else Path(os.path.abspath(file))
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, errors


def _walk(folder: Path, finder: ConfigFinder, respect_gitignore: bool) -> list[Path]:
    """Every regular *.py file under `folder` that is neither excluded nor ignored by git."""
    kept_by_git = _files_git_keeps(folder) if respect_gitignore else None
    found: list[Path] = []
    for current, folders, names in os.walk(folder):
        here = Path(current)
        config = finder.config_for(here / "__init__.py")
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and not is_excluded(here / name, config)
            and not (here / name / VIRTUAL_ENVIRONMENT_MARKER).exists()
        )
        for name in sorted(names):
            candidate = here / name
            if not name.endswith(".py") or is_excluded(candidate, config):
                continue
            if kept_by_git is not None and os.path.relpath(candidate, folder) not in kept_by_git:
                continue
            if candidate.is_file():  # not a FIFO, socket or dangling link
                found.append(candidate)
    return found


def _files_git_keeps(folder: Path) -> set[str] | None:
    """Paths (relative to `folder`) that git tracks or would add, or None outside a work
    tree or without git."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(
            [git, "-C", str(folder), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return {
        os.path.normpath(entry) for entry in completed.stdout.decode("utf-8", "surrogateescape").split("\0") if entry
    }
