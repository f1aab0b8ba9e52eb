"""The real original, end to end, through the command line: golden files, isolation, knobs.

The quick profile takes a few seconds. The full profile's golden file is what the final
step is checked against on the full profile in tests/steps/test_equivalence.py, and it
is compared with a fresh run of the original by that file's whole-chain test (skipped
unless pytest is given --full-profile; the README's first command does the same). Every
run uses a private cache seeded with the dataset.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testkit.cli import run_tool
from testkit.runs import QuickAllRun
from workbench.paths import GOLDEN_FOLDER, installed_root
from workbench.runner.execute import RUNNER_FORMAT
from workbench.runner.records import read_verdict
from workbench.runner.transcript import parse_step_line, sample_lines

PROJECT_ROOT = installed_root()
GOLDEN_DIRECTORY = PROJECT_ROOT / GOLDEN_FOLDER

ORIGINAL_SHA256 = "56fdd34299000abf03e0332c194a9ed305db953b5231f9501bcf89dd97a3a893"
DATASET_NAMES = ("input.txt", "names.txt")


def listed_files(root: Path) -> list[str]:
    """Every tracked file and every untracked file git does not ignore, under `root`."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        .stdout.decode("utf-8")
        .split("\0")
    )
    return [name for name in listed if name and (root / name).is_file()]


def file_hashes(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in listed_files(root)}


def private_copy_of_the_repository(destination: Path) -> Path:
    """The project's files in a fresh git repository of their own.

    The runner finds everything relative to its own file, so the copy behaves exactly like
    the repository, and colleagues editing the shared working tree meanwhile cannot make
    the byte-for-byte comparison fail.
    """
    for name in listed_files(PROJECT_ROOT):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / name, target)
    subprocess.run(["git", "init", "-q", str(destination)], check=True)
    return destination


def dataset_copies(root: Path) -> list[Path]:
    """input.txt / names.txt anywhere under `root` outside the cache (git ignores them)."""
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in (".git", ".cache", ".venv")]
        found += [Path(directory) / name for name in files if name in DATASET_NAMES]
    return found


def run_step(
    cache: Path, *arguments: str, timeout: float = 600, root: Path = PROJECT_ROOT
) -> subprocess.CompletedProcess[str]:
    """`python tools/run_step.py ARGUMENTS` from the root of the project at `root`."""
    environment = {**os.environ, "MICROGPT_WORKBENCH_CACHE": str(cache)}
    environment.pop("MICROGPT_NAMES_FILE", None)
    return run_tool("run_step", *arguments, root=root, environment=environment, timeout=timeout)


class QuickRun:
    def __init__(
        self,
        cache: Path,
        process: subprocess.CompletedProcess[str],
        before: dict[str, str],
        after: dict[str, str],
        copies: list[Path],
    ) -> None:
        self.cache = cache
        self.process = process
        self.before = before
        self.after = after
        self.dataset_copies = copies
        self.record = json.loads(process.stdout) if process.returncode in (0, 1) else {}


@pytest.fixture(scope="module")
def quick_run(
    tmp_path_factory: pytest.TempPathFactory, make_seeded_cache: Callable[[Path], Path]
) -> Iterator[QuickRun]:
    """`run_step.py original --profile quick --json` from the project's root, once for this
    module, in a private copy of the repository hashed before and after."""
    root = tmp_path_factory.mktemp("end-to-end")
    repository = private_copy_of_the_repository(root / "repository")
    cache = make_seeded_cache(root)
    before = file_hashes(repository)
    process = run_step(cache, "original", "--profile", "quick", "--json", root=repository)
    after = file_hashes(repository)
    yield QuickRun(cache, process, before, after, dataset_copies(repository))


def golden(profile: str) -> dict[str, object]:
    return json.loads((GOLDEN_DIRECTORY / f"original.{profile}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("profile", ["quick", "full"])
def test_the_golden_files_were_recorded_from_the_untouched_original(profile: str) -> None:
    record = golden(profile)
    stdout = record["stdout"]
    parameters = record["parameters"]
    assert isinstance(stdout, list) and isinstance(parameters, list)
    steps, samples = (500, 20) if profile == "full" else (10, 5)
    assert record["format"] == RUNNER_FORMAT and record["original_sha256"] == ORIGINAL_SHA256
    assert record["dataset_sha256"] == "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
    assert stdout[:4] == [
        "num docs: 32033",
        "vocab size: 27",
        "num params: 4064",
        f"step    1 / {steps:4d} | loss 3.3630",
    ]
    assert [parse_step_line(line) is not None for line in stdout].count(True) == steps
    assert stdout[3 + steps : 5 + steps] == ["", "--- inference ---"]
    assert len(sample_lines(stdout)) == samples and stdout[-1] == ""
    assert len(parameters) == 4064 and all(float.fromhex(text).hex() == text for text in parameters)
    if profile == "full":
        assert stdout[2 + steps] == "step  500 /  500 | loss 2.0859"
        assert stdout[-3:-1] == ["sample 19: jaylie", "sample 20: karli"] and stdout[5 + steps] == "sample  1: kalia"


def test_the_original_matches_the_quick_golden_file(quick_run: QuickRun) -> None:
    assert quick_run.process.returncode == 0, quick_run.process.stdout + quick_run.process.stderr
    record = quick_run.record
    assert record["identical"] is True and record["status"] == "ok" and record["verdict"] == "identical at bit level"
    assert record["output_reference"] == "the reference (golden file tests/golden/original.quick.json)"
    assert record["parameter_count"] == 4064 and record["max_parameter_difference"] == 0.0
    assert record["seconds_training"] > 0 and record["seconds_inference"] > 0
    assert 10_000_000 < record["peak_memory_bytes"] < 500_000_000


def test_a_run_leaves_the_repository_byte_for_byte_unchanged(quick_run: QuickRun) -> None:
    assert quick_run.process.returncode == 0
    changed = sorted(
        name
        for name in quick_run.before.keys() | quick_run.after.keys()
        if quick_run.before.get(name) != quick_run.after.get(name)
    )
    assert changed == []
    assert len(quick_run.before) > 20, "the copy holds the project's files"
    assert quick_run.dataset_copies == []


def test_a_run_records_its_verdict_for_other_tools(quick_run: QuickRun) -> None:
    record = read_verdict(quick_run.cache, "original", "quick", PROJECT_ROOT / "original" / "microgpt.py")
    assert record is not None and record.identical is True and record.level == "bit"
    assert record.losses is not None and len(record.losses) == 10 and record.losses[0] == 3.363
    assert record.samples is not None and len(record.samples) == 5
    assert record.relative_to_original is None, "a run of one program has nothing to compare side by side"
    assert [claim.kind for claim in record.claims] == ["output", "parameters"] and all(
        claim.holds for claim in record.claims
    )


def test_a_run_is_cached_by_content(quick_run: QuickRun) -> None:
    [entry] = list((quick_run.cache / "runs").glob("*.json"))
    cached = json.loads(entry.read_text(encoding="utf-8"))
    assert entry.stem == golden("quick")["key"] == cached["key"]
    assert cached["stdout"] == golden("quick")["stdout"] and cached["parameters"] == golden("quick")["parameters"]


def test_knobs_compute_the_reference_on_demand(tmp_path: Path, make_seeded_cache: Callable[[Path], Path]) -> None:
    """No golden file applies to --set: a reference run of the original is computed now, in
    its own directory, and the live run must equal it bit for bit; the live run is cached."""
    cache = make_seeded_cache(tmp_path)
    process = run_step(
        cache,
        "original",
        "--profile",
        "quick",
        "--set",
        "n_layer=2",
        "--set",
        "seed=7",
        "--set",
        "num_steps=3",
        "--json",
    )
    assert process.returncode == 0, process.stdout + process.stderr
    record = json.loads(process.stdout)
    assert record["settings"] == {"num_steps": 3, "num_samples": 5, "n_layer": 2, "seed": 7}
    assert record["identical"] is True and record["verdict"] == "identical at bit level"
    assert record["output_reference"] == "a reference run of the original, computed now in its own directory"
    assert record["parameter_count"] == 4064 + 3072
    [entry] = list((cache / "runs").glob("*.json"))
    cached = json.loads(entry.read_text(encoding="utf-8"))
    assert cached["settings"]["knobs"] == {"num_steps": 3, "num_samples": 5, "n_layer": 2, "seed": 7}
    assert cached["stdout"][2] == "num params: 7136" and cached["stdout"] != golden("quick")["stdout"]
    assert not (cache / "verdicts").exists(), "runs with --set must not record verdicts"


# The full profile's golden file is proven against a fresh run of the original by
# tests/steps/test_equivalence.py::test_full_profile_every_step_identical_at_its_level
# (with --full-profile), which runs the original live beside every step.


def test_every_step_is_identical_to_the_original_under_the_quick_profile(quick_all_run: QuickAllRun) -> None:
    """`run_step.py all --profile quick --json` (the session's one quick run of every program)."""
    process, records = quick_all_run.process, quick_all_run.records
    failures = [(record["target"], record["verdict"]) for record in records if not record["identical"]]
    assert process.returncode == 0 and failures == [], f"{failures}\n{process.stderr[-2000:]}"
    assert records[0]["target"] == "original"
    assert len(records) == 12
