"""Where expected results come from: committed golden files and the run cache.

The reference for any settings is the ORIGINAL's own output under those same settings.
Results are identified by content: the key of a run is the sha256 of (the runner format,
the program's text after knob rewriting, the dataset's sha256, the parameters expression),
see Runnable.key. So a cached result can never be used for a program, setting or dataset it
was not produced with.

- The run cache, `<cache>/runs/<key>.json`: every successful run, written atomically.
  It serves references and predecessors (step 06's run is step 07's predecessor).
- Golden files, `tests/golden/original.<profile>.json`: the original's result under each
  default profile (standard dataset, no --set), committed so that a fresh clone can check
  itself. They are written only by `--approve`, and are used only when their recorded key
  matches the run they stand for.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from workbench.errors import WorkbenchError
from workbench.files import read_json, sha256_of_bytes, write_json_atomically
from workbench.paths import display_path
from workbench.runner.execute import RUNNER_FORMAT, Runnable, RunResult
from workbench.runner.transcript import split_lines


@dataclass(frozen=True)
class RecordedRun:
    """What a comparison needs from a run: its output and its final parameters."""

    stdout: str
    parameters: tuple[str, ...]
    origin: str
    """Where it came from, for the report: 'golden file tests/golden/original.full.json', 'cached run', 'run now'."""


def recorded_from(result: RunResult, origin: str) -> RecordedRun:
    assert result.parameters is not None, "only successful runs are recorded"
    return RecordedRun(stdout=result.stdout, parameters=result.parameters, origin=origin)


class RunCache:
    """Successful runs by content key, in `<cache>/runs/`."""

    def __init__(self, cache: Path) -> None:
        self.directory = cache / "runs"

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def load(self, key: str) -> RecordedRun | None:
        record = read_json(self.path(key))
        if not isinstance(record, dict) or record.get("key") != key or record.get("status") != "ok":
            return None
        stdout, parameters = record.get("stdout"), record.get("parameters")
        if not _is_text_list(stdout) or not _is_text_list(parameters):
            return None
        return RecordedRun(stdout="\n".join(stdout), parameters=tuple(parameters), origin="cached run")

    def store(self, key: str, program: Runnable, result: RunResult, settings: dict[str, Any]) -> None:
        if not result.ok or result.parameters is None:
            return
        write_json_atomically(
            self.path(key),
            {
                "format": RUNNER_FORMAT,
                "key": key,
                "program": program.display,
                "settings": settings,
                "status": result.status,
                "stdout": split_lines(result.stdout),
                "parameters": list(result.parameters),
            },
        )


@dataclass(frozen=True)
class GoldenFile:
    path: Path
    key: str
    recorded: RecordedRun


def golden_path(golden_directory: Path, profile: str) -> Path:
    return golden_directory / f"original.{profile}.json"


def read_golden(golden_directory: Path, profile: str) -> GoldenFile | None:
    """The golden file for a profile, or None if there is none. A damaged one is an error."""
    path = golden_path(golden_directory, profile)
    if not path.exists():
        return None
    record = read_json(path)
    valid = (
        isinstance(record, dict)
        and isinstance(record.get("key"), str)
        and _is_text_list(record.get("stdout"))
        and _is_text_list(record.get("parameters"))
    )
    if not valid:
        raise WorkbenchError(
            f"the golden file {display_path(path)} is damaged; restore it from git, or record it again with --approve"
        )
    assert isinstance(record, dict)
    recorded = RecordedRun(
        stdout="\n".join(record["stdout"]),
        parameters=tuple(record["parameters"]),
        origin=f"golden file {display_path(path)}",
    )
    return GoldenFile(path=path, key=record["key"], recorded=recorded)


def write_golden(
    golden_directory: Path,
    profile: str,
    *,
    key: str,
    program: Runnable,
    result: RunResult,
    settings: dict[str, Any],
    dataset_sha256: str,
) -> Path:
    """Record the original's run as the golden file for `profile` (only ever for --approve)."""
    assert result.ok and result.parameters is not None
    path = golden_path(golden_directory, profile)
    write_json_atomically(
        path,
        {
            "about": (
                f"The untouched original's output and final parameters under the '{profile}' profile, "
                f"recorded by `python tools/run_step.py original --profile {profile} --approve`. Never edit by hand."
            ),
            "format": RUNNER_FORMAT,
            "key": key,
            "target": "original",
            "profile": profile,
            "settings": settings,
            "dataset_sha256": dataset_sha256,
            "original_sha256": sha256_of_bytes(program.source_path.read_bytes()),
            "parameters_expression": program.parameters_expression,
            "python": platform.python_version(),
            "stdout": split_lines(result.stdout),
            "parameters": list(result.parameters),
        },
        indent=1,
    )
    return path


def _is_text_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
