"""Build a real git repository with one commit per step, for `git log -p`, bisect and difftool.

The repository holds one file, `microgpt.py`, at its root. The first commit is Andrej
Karpathy's original, unmodified; each later commit replaces the file with the next
step's snapshot. Subjects are the plan's one-line commit messages; bodies carry the
plan's story (what, why, reviewer notes, equivalence), wrapped at 72 columns. Every
commit is tagged: `original`, `step-01` ... `step-11`.

The export is reproducible: a fixed author and committer, fixed dates one hour apart,
no signing, no hooks, no user or system git configuration, so the same plan and files
always give the same commit hashes.

The repository is built in a temporary directory beside the destination and moved
into place only when complete, so a failure leaves nothing half-built behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.codetour import write_tours
from workbench.errors import WorkbenchError
from workbench.files import sha256_of_bytes
from workbench.paths import display_path
from workbench.plan import Plan, Step
from workbench.programs import Program, original_program, step_program

EXPORTED_FILE_NAME = "microgpt.py"
AUTHOR_NAME = "microgpt DOD workbench"
AUTHOR_EMAIL = "workbench@microgpt-dod-workbench.invalid"
FIRST_COMMIT_TIME = 1735689600  # 2025-01-01 00:00:00 UTC: fixed, not the real date of any step
SECONDS_BETWEEN_COMMITS = 3600
BRANCH = "main"
BODY_WIDTH = 72
ORIGINAL_TAG = "original"


@dataclass(frozen=True)
class ExportEntry:
    """One commit to make: which file becomes microgpt.py, with which message and tag."""

    snapshot: Program
    tag: str
    message: str


@dataclass(frozen=True)
class ExportedCommit:
    tag: str
    commit_hash: str
    subject: str


@dataclass(frozen=True)
class ExportResult:
    destination: Path
    commits: tuple[ExportedCommit, ...]
    stopped_before: Step | None
    """With --allow-missing: the first step that had no file (the export ends before it)."""


def tag_for(snapshot: Program) -> str:
    return ORIGINAL_TAG if snapshot.step is None else f"step-{snapshot.step.label}"


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
    return "\n\n".join(
        textwrap.fill(
            " ".join(paragraph.split()),
            width=BODY_WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        for paragraph in paragraphs
    )


def _bullet(text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=BODY_WIDTH,
        initial_indent="- ",
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def original_message(plan: Plan, source: bytes) -> str:
    digest = sha256_of_bytes(source)
    body = [
        _wrap(
            "This is microgpt.py by Andrej Karpathy, unmodified: byte for byte the "
            "author's program, the starting point of the workshop. It trains a tiny "
            "GPT with a scalar autograd Value class, in about 200 lines of "
            "dependency-free Python."
        ),
        f"sha256 {digest}",
        _wrap(_plans_sentence(plan)),
    ]
    return "Add Andrej Karpathy's microgpt.py, unmodified\n\n" + "\n\n".join(body) + "\n"


def _plans_sentence(plan: Plan) -> str:
    """'Each later commit is one step of the plan "..." (11 steps), ...', naming the plans it continues."""
    if plan.predecessor_plan is None:
        return f'Each later commit is one step of the plan "{plan.title}" ({len(plan.steps)} steps), and each keeps the program\'s output identical.'
    earlier = _plans_sentence(plan.predecessor_plan).removesuffix(", and each keeps the program's output identical.")
    return (
        f"{earlier} up to step {plan.predecessor_step.number if plan.predecessor_step else 0:02d}, then of its continuation "
        f'"{plan.title}" (steps {plan.steps[0].label} to {plan.last_step.label}), and each keeps the program\'s output identical.'
    )


def history(plan: Plan) -> list[tuple[Program, Plan]]:
    """The original, then every step from the first on, each with the plan it belongs to: for a
    plan that continues another, the predecessor plan's steps up to `predecessor_step` first."""
    if plan.predecessor_plan is None or plan.predecessor_step is None:
        earlier: list[tuple[Program, Plan]] = [(original_program(plan), plan)]
    else:
        last = plan.predecessor_step.number
        earlier = [(program, owner) for program, owner in history(plan.predecessor_plan) if program.number <= last]
    return earlier + [(step_program(plan, step), plan) for step in plan.steps]


def step_message(plan: Plan, step: Step) -> str:
    """Subject: the plan's commit message. Body: the story of the step, wrapped at 72 columns."""
    sections = [_wrap(f"Step {step.label} of {plan.last_step.label}, phase {step.phase}.")]
    sections.append("What:\n" + _wrap(step.what))
    sections.append("Why:\n" + _wrap(step.why))
    if step.layout:
        sections.append("Data layout:\n" + _wrap(step.layout))
    if step.renames:
        sections.append("Renames:\n" + _wrap(", ".join(f"{old} -> {new}" for old, new in step.renames.items())))
    if step.reviewers:
        sections.append("Reviewers:\n" + "\n".join(_bullet(f"{note.reviewer}: {note.note}") for note in step.reviewers))
    sections.append(f"Equivalence ({step.level} level):\n" + _wrap(step.equivalence))
    if step.refinement:
        sections.append("Refinement of the seed plan:\n" + _wrap(step.refinement))
    return f"{step.commit}\n\n" + "\n\n".join(sections) + "\n"


def plan_entries(
    plan: Plan, snapshots: Sequence[Program] | None = None, *, allow_missing: bool = False
) -> tuple[list[ExportEntry], Step | None]:
    """The commits to make, in order, and the step the export stops before (if any).

    `snapshots` defaults to the original and every step of the plan (for a plan that
    continues another, the predecessor plan's history first, see `history`). Without
    `allow_missing`, a snapshot without a file is an error naming it.
    """
    chosen = [(snapshot, plan) for snapshot in snapshots] if snapshots is not None else history(plan)
    entries: list[ExportEntry] = []
    for snapshot, owner in chosen:
        if not snapshot.exists():
            if snapshot.step is None:
                raise WorkbenchError(f"the original is missing: {display_path(snapshot.path)} does not exist")
            if not allow_missing:
                last = entries[-1].snapshot.title if entries else "the original"
                raise WorkbenchError(
                    f"{snapshot.title} has no snapshot file yet ({display_path(snapshot.path)} does not exist); "
                    f"pass --allow-missing to export up to {last} only"
                )
            return entries, snapshot.step
        source = snapshot.path.read_bytes()
        message = original_message(plan, source) if snapshot.step is None else step_message(owner, snapshot.step)
        entries.append(ExportEntry(snapshot=snapshot, tag=tag_for(snapshot), message=message))
    return entries, None


def git_environment() -> dict[str, str]:
    """The environment for git: no user or system config, fixed identity, English messages."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update(
        {
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": AUTHOR_NAME,
            "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
            "GIT_COMMITTER_NAME": AUTHOR_NAME,
            "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL,
            "LC_ALL": "C",
        }
    )
    return environment


_SAFE_OPTIONS = (
    "-c",
    "core.hooksPath=" + os.devnull,
    "-c",
    "commit.gpgSign=false",
    "-c",
    "tag.gpgSign=false",
    "-c",
    "core.autocrlf=false",
    "-c",
    "core.fileMode=true",
)


def run_git(
    repository: Path, *arguments: str, environment: dict[str, str] | None = None, stdin: str | None = None
) -> str:
    """Run one git command in `repository`; a failure becomes a WorkbenchError quoting git."""
    command = ["git", *_SAFE_OPTIONS, *arguments]
    try:
        completed = subprocess.run(
            command,
            cwd=repository,
            env=environment if environment is not None else git_environment(),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise WorkbenchError("the git command is not installed (or not on PATH); export_git needs it") from None
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise WorkbenchError(
            f"git {arguments[0]} failed: {detail[-1] if detail else f'exit status {completed.returncode}'}"
        )
    return completed.stdout


def check_destination(destination: Path) -> None:
    if destination.exists() and not destination.is_dir():
        raise WorkbenchError(f"{destination} exists and is not a directory; choose a new directory for the repository")
    if destination.is_dir() and any(destination.iterdir()):
        raise WorkbenchError(f"{destination} is not empty; choose a new or empty directory for the repository")
    if not destination.parent.is_dir():
        raise WorkbenchError(f"cannot create {destination}: the directory {destination.parent} does not exist")


def _commit_all(repository: Path, entries: Sequence[ExportEntry]) -> list[ExportedCommit]:
    run_git(repository, "init", "--quiet", f"--initial-branch={BRANCH}")
    commits: list[ExportedCommit] = []
    for index, entry in enumerate(entries):
        shutil.copyfile(entry.snapshot.path, repository / EXPORTED_FILE_NAME)
        (repository / EXPORTED_FILE_NAME).chmod(0o644)
        environment = git_environment()
        moment = f"{FIRST_COMMIT_TIME + index * SECONDS_BETWEEN_COMMITS} +0000"
        environment["GIT_AUTHOR_DATE"] = moment
        environment["GIT_COMMITTER_DATE"] = moment
        run_git(repository, "add", "--", EXPORTED_FILE_NAME, environment=environment)
        run_git(
            repository,
            "commit",
            "--quiet",
            "--no-verify",
            "--allow-empty",
            "--cleanup=verbatim",
            "--file=-",
            environment=environment,
            stdin=entry.message,
        )
        run_git(repository, "tag", entry.tag, environment=environment)
        commit_hash = run_git(repository, "rev-parse", "HEAD", environment=environment).strip()
        commits.append(ExportedCommit(tag=entry.tag, commit_hash=commit_hash, subject=entry.message.splitlines()[0]))
    return commits


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_repository(
    destination: Path, entries: Sequence[ExportEntry], stopped_before: Step | None = None
) -> ExportResult:
    """Build the repository at `destination` (new, or an empty directory) from `entries`."""
    check_destination(destination)
    if not entries:
        raise WorkbenchError("there is nothing to export")
    building = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".building", dir=destination.parent))
    try:
        commits = _commit_all(building, entries)
        # CodeTour files after the last commit, untracked: no commit hash changes.
        write_tours(building, [entry.snapshot for entry in entries], [commit.commit_hash for commit in commits])
        building.chmod(0o777 & ~_current_umask())  # mkdtemp made it private; a repository is not
        if destination.is_dir():
            destination.rmdir()  # empty, checked above; os.replace needs the name free
        os.replace(building, destination)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return ExportResult(destination=destination, commits=tuple(commits), stopped_before=stopped_before)


def export_plan(
    plan: Plan, destination: Path, *, allow_missing: bool = False, snapshots: Sequence[Program] | None = None
) -> ExportResult:
    """Check the destination and the files, then export the original and every step."""
    check_destination(destination)
    entries, stopped_before = plan_entries(plan, snapshots, allow_missing=allow_missing)
    return export_repository(destination, entries, stopped_before)
