"""`workshop.py doctor`: before the workshop, say what of a learner's first hour will fail.

One screen, one line per check, and for each check that does not pass one sentence saying
how to fix it:

- Python: 3.11 or newer (3.11 to 3.13 are tested);
- the libraries (libcst, rich), and the checkout the installed workbench comes from;
- the names dataset: present, and the standard one (sha256);
- a first run: the original, on the quick profile, through the runner in a temporary
  folder, timed against what a workshop laptop should manage;
- the terminal: colour, and single keys for `watch` (without a terminal, watch reads one
  key per line);
- free disk space where the cache lives.

Every observation of the machine is gathered first into `Observations`, so that tests can
replace any of them (an old Python, no dataset, a slow run, no terminal).
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from workbench.errors import WorkbenchError
from workbench.programs import original_program
from workbench.project import Project
from workbench.runner.dataset import (
    NAMES_FILE_ENVIRONMENT_VARIABLE,
    STANDARD_NAMES_SHA256,
    Dataset,
    Downloader,
    cached_names_path,
    resolve_dataset,
)
from workbench.runner.execute import OK, TIMEOUT, RunResult, execute
from workbench.runner.schedule import Batch, Preparation
from workbench.runner.settings import make_settings
from workbench.system import KeyReader
from workbench.workshop.render import show

PASSED, WARNING, PROBLEM, SKIPPED = "ok", "warning", "problem", "skipped"
MARKS = {PASSED: ("✔", "identical"), WARNING: ("!", "warning"), PROBLEM: ("✘", "differs"), SKIPPED: ("-", "muted")}

OLDEST_PYTHON = (3, 11)
NEWEST_TESTED_PYTHON = (3, 13)
LIBRARIES = ("libcst", "rich")
DISTRIBUTION = "microgpt-dod-workbench"
"""The project's name in pyproject.toml: `pip install -e .` records where it comes from."""
FIRST_RUN_PROFILE = "quick"
EXPECTED_FIRST_RUN_SECONDS = 30.0
"""The original on the quick profile takes a few seconds on a workshop laptop; slower than
this, every check (a few such runs) keeps the learner waiting."""
FIRST_RUN_TIME_LIMIT = 180.0
"""Past this the run is ended, and the laptop is too slow for the workshop's checks."""
CHECKS_PER_FIRST_RUN = 3
"""A check in the workshop takes about this many times the first run (the learner's file,
its predecessor when it is not cached, the structural claims)."""
MINIMUM_FREE_BYTES = 200 * (1 << 20)
"""The cache holds the dataset, reference runs and verdicts: a few tens of MiB at most."""

FIX_PYTHON = "install Python 3.11, 3.12 or 3.13 from python.org, then in this folder: `python3 -m venv .venv`, activate it, and `python -m pip install -e .`"
FIX_LIBRARIES = "in this folder, with the Python you run the tools with: `python -m pip install -e .`"
FIX_DATASET = (
    "ask the facilitator for a copy of names.txt (a USB stick works) and copy it to {cache_file}, "
    f"or set {NAMES_FILE_ENVIRONMENT_VARIABLE}=PATH to it (run_step.py also takes --data PATH)"
)
FIX_RUN_FAILED = (
    "run `python tools/run_step.py original --profile quick` to see the whole error, and show it to the facilitator"
)
FIX_SLOW = "close other programs, plug the laptop in (battery saving slows Python down), or pair with a neighbour on a faster laptop"
FIX_NO_TERMINAL = "run `python tools/workshop.py watch` in a terminal window (Terminal, PowerShell, Windows Terminal) to use single keys"
FIX_NO_COLOUR = (
    "nothing is needed: output stays readable without colour (unset NO_COLOR, or use a terminal, for colour)"
)
FIX_DISK = "free some disk space, or set MICROGPT_WORKBENCH_CACHE to a folder on a disk with room"


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it passed, what was found, and how to fix it."""

    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Observations:
    """Everything the doctor looks at on this machine (replaceable in tests)."""

    python_version: tuple[int, int, int]
    python_executable: str
    library_versions: Mapping[str, str | None]
    installed_from: Path | None
    """Where `pip install -e .` points the installed workbench, None when it is not installed."""
    checkout: Path
    """The checkout these tools run from."""
    stdin_is_terminal: bool
    single_keys: bool
    colour_system: str | None
    free_bytes: int | None
    cache: Path
    environment: Mapping[str, str]
    download: Downloader | None = None
    """None: the real download (from the original's URL) when the dataset is not cached."""
    expected_seconds: float = EXPECTED_FIRST_RUN_SECONDS
    time_limit: float = FIRST_RUN_TIME_LIMIT
    run_program: Callable[[Project, Dataset, float], RunResult] | None = field(default=None, compare=False)
    """None: run the original through the runner (run_first_program)."""


def observe(project: Project, console: Console, environment: Mapping[str, str]) -> Observations:
    """This machine, as the doctor sees it."""
    return Observations(
        python_version=(sys.version_info.major, sys.version_info.minor, sys.version_info.micro),
        python_executable=sys.executable,
        library_versions={name: _version_of(name) for name in LIBRARIES},
        installed_from=_installed_from(),
        checkout=project.root,
        stdin_is_terminal=bool(getattr(sys.stdin, "isatty", lambda: False)()),
        single_keys=KeyReader.available(),
        colour_system=console.color_system if console.is_terminal else None,
        free_bytes=_free_bytes(project.cache),
        cache=project.cache,
        environment=environment,
    )


def _version_of(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _installed_from() -> Path | None:
    """The folder an editable install of the workbench points at (its direct_url.json).

    Every distribution of that name is asked, not only the first: `python tools/X.py` puts
    the checkout's `tools/` first on the import path, and there setuptools leaves an
    `.egg-info` of the build, which has no direct_url.json and would hide the installed one."""
    records = (found.read_text("direct_url.json") for found in importlib.metadata.distributions(name=DISTRIBUTION))
    record = next((text for text in records if text), None)
    if record is None:
        return None
    try:
        url = str(json.loads(record).get("url", ""))
    except (ValueError, AttributeError):
        return None
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/... on Windows
        path = path[1:]
    return Path(path)


def _free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding `folder` (or its nearest existing parent)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


# --- the checks ----------------------------------------------------------------------------


def diagnose(project: Project, seen: Observations) -> list[Finding]:
    """Every check, in the order a learner meets them."""
    findings = [check_python(seen), check_libraries(seen)]
    dataset_finding, dataset = check_dataset(seen)
    findings.append(dataset_finding)
    findings.append(check_first_run(project, seen, dataset))
    findings.append(check_terminal(seen))
    findings.append(check_disk(seen))
    return findings


def check_python(seen: Observations) -> Finding:
    version = ".".join(str(part) for part in seen.python_version)
    detail = f"{version} ({seen.python_executable})"
    if seen.python_version[:2] < OLDEST_PYTHON:
        return Finding("Python", PROBLEM, f"{detail}: the workbench needs 3.11 or newer", FIX_PYTHON)
    if seen.python_version[:2] > NEWEST_TESTED_PYTHON:
        return Finding(
            "Python", WARNING, f"{detail}: newer than the tested 3.11 to 3.13; it will probably work", FIX_PYTHON
        )
    return Finding("Python", PASSED, detail)


def check_libraries(seen: Observations) -> Finding:
    missing = [name for name in LIBRARIES if seen.library_versions.get(name) is None]
    found = ", ".join(f"{name} {seen.library_versions[name]}" for name in LIBRARIES if name not in missing)
    if missing:
        return Finding(
            "libraries",
            PROBLEM,
            f"missing: {', '.join(missing)}" + (f" (found {found})" if found else ""),
            FIX_LIBRARIES,
        )
    if seen.installed_from is None:
        return Finding(
            "libraries",
            WARNING,
            f"{found}; the workbench is not installed as a package (the tools still run from {seen.checkout})",
            FIX_LIBRARIES,
        )
    if not _same_folder(seen.installed_from, seen.checkout):
        return Finding(
            "libraries",
            WARNING,
            f"{found}; but the installed workbench is the checkout {seen.installed_from}, not this one ({seen.checkout}): "
            "the tools here use their own copy, anything else imports the other",
            FIX_LIBRARIES,
        )
    return Finding("libraries", PASSED, f"{found}; the workbench installed from this checkout")


def _same_folder(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return first == second


def check_dataset(seen: Observations) -> tuple[Finding, Dataset | None]:
    cache_file = cached_names_path(seen.cache)
    fix = FIX_DATASET.format(cache_file=cache_file)
    try:
        dataset = resolve_dataset(environment=seen.environment, cache=seen.cache, download=seen.download)
    except WorkbenchError as error:
        reason = str(error).split(" To provide the names file")[0]
        return Finding("dataset", PROBLEM, reason, fix), None
    where = f"{dataset.path} ({dataset.origin})"
    return Finding(
        "dataset", PASSED, f"the standard names file, sha256 {STANDARD_NAMES_SHA256[:12]}…, at {where}"
    ), dataset


def run_first_program(project: Project, dataset: Dataset, time_limit: float) -> RunResult:
    """The original on the quick profile, prepared and run exactly as a check runs it, in
    a temporary folder of its own."""
    settings = make_settings(
        project, profile=FIRST_RUN_PROFILE, assignments=[], dataset=dataset, timeout=time_limit, jobs=1
    )
    try:
        runnable = Batch(project, settings).prepare(original_program(project.plan))
    except Preparation as failure:
        raise WorkbenchError(failure.message) from None
    return execute(runnable, dataset.path, timeout=time_limit)


def check_first_run(project: Project, seen: Observations, dataset: Dataset | None) -> Finding:
    name = "a first run"
    if dataset is None:
        return Finding(name, SKIPPED, "not tried: it needs the dataset")
    run = seen.run_program or run_first_program
    try:
        result = run(project, dataset, seen.time_limit)
    except WorkbenchError as error:
        return Finding(name, PROBLEM, f"the original could not be prepared: {error}", FIX_RUN_FAILED)
    what = f"the original on the {FIRST_RUN_PROFILE} profile"
    if result.status == TIMEOUT:
        return Finding(
            name,
            PROBLEM,
            f"{what} did not finish within {seen.time_limit:g} s: this laptop is too slow for the workshop's checks",
            FIX_SLOW,
        )
    if result.status != OK:
        return Finding(name, PROBLEM, f"{what} failed: {result.error or result.status}", FIX_RUN_FAILED)
    seconds = result.seconds_total
    check = f"a workshop check will take about {seconds * CHECKS_PER_FIRST_RUN:.0f} s"
    if seconds > seen.expected_seconds:
        return Finding(
            name,
            WARNING,
            f"{what} took {seconds:.1f} s, slower than the {seen.expected_seconds:g} s expected: {check}",
            FIX_SLOW,
        )
    return Finding(
        name,
        PASSED,
        f"{what} ran in {seconds:.1f} s in a temporary folder (expected under {seen.expected_seconds:g} s): {check}",
    )


def check_terminal(seen: Observations) -> Finding:
    name = "terminal"
    colour = f"colour: {seen.colour_system}" if seen.colour_system else "no colour (plain text)"
    if not seen.stdin_is_terminal:
        return Finding(
            name,
            WARNING,
            f"{colour}; input is not a terminal, so `watch` reads keys one per line (type h, then Enter)",
            FIX_NO_TERMINAL,
        )
    if not seen.single_keys:
        return Finding(
            name,
            WARNING,
            f"{colour}; this system offers no single-key input, so `watch` reads keys one per line",
            FIX_NO_TERMINAL,
        )
    if not seen.colour_system:
        return Finding(name, WARNING, f"{colour}; `watch` reacts to single keys", FIX_NO_COLOUR)
    return Finding(name, PASSED, f"{colour}; `watch` reacts to single keys (h c l n r q)")


def check_disk(seen: Observations) -> Finding:
    name = "disk space"
    if seen.free_bytes is None:
        return Finding(name, WARNING, f"could not tell how much space is free for the cache ({seen.cache})", FIX_DISK)
    free = f"{seen.free_bytes / (1 << 30):.1f} GiB free for the cache ({seen.cache})"
    if seen.free_bytes < MINIMUM_FREE_BYTES:
        return Finding(
            name,
            PROBLEM,
            f"only {seen.free_bytes / (1 << 20):.0f} MiB free for the cache ({seen.cache}); it needs {MINIMUM_FREE_BYTES >> 20} MiB",
            FIX_DISK,
        )
    return Finding(name, PASSED, free)


# --- the verdict and its forms -------------------------------------------------------------


def exit_code(findings: Sequence[Finding]) -> int:
    """0 ready (warnings allowed), 1 when something will fail."""
    return 1 if any(finding.status == PROBLEM for finding in findings) else 0


def summary(findings: Sequence[Finding]) -> str:
    problems = sum(1 for finding in findings if finding.status == PROBLEM)
    warnings = sum(1 for finding in findings if finding.status == WARNING)
    if problems:
        noun, pronoun = ("problem", "it") if problems == 1 else ("problems", "them")
        return f"Not ready: {problems} {noun} will stop the workshop; fix {pronoun}, then run doctor again."
    if warnings:
        noun = "warning" if warnings == 1 else "warnings"
        return f"Ready for the workshop, with {warnings} {noun} above. Next: python tools/workshop.py start 01"
    return "Ready for the workshop. Next: python tools/workshop.py start 01"


def render(findings: Sequence[Finding]) -> RenderableType:
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True)
    rows.add_column()
    for finding in findings:
        mark, style = MARKS[finding.status]
        line = Text.assemble((finding.name, "bold"), ": ", finding.detail)
        if finding.fix:
            line.append("\nfix: ", style="warning" if finding.status == WARNING else "error")
            line.append(finding.fix)
        rows.add_row(Text(mark, style=style), line)
    verdict_style = "differs" if exit_code(findings) else "identical"
    return Group(
        Text("Is this laptop ready for the workshop?", style="bold"),
        Text(""),
        rows,
        Text(""),
        Text(summary(findings), style=verdict_style),
    )


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps(
        {"ready": exit_code(findings) == 0, "findings": [asdict(finding) for finding in findings]}, indent=2
    )


def run_doctor(project: Project, out: Console, output_format: str, environment: Mapping[str, str]) -> int:
    """The command: look, check, print one screen (or JSON), and the exit status."""
    findings = diagnose(project, observe(project, out, environment))
    if output_format == "json":
        out.file.write(as_json(findings) + "\n")
    else:
        show(out, render(findings))
    return exit_code(findings)
