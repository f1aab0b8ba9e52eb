"""CodeTour files for the exported repository: one guided tour per commit, in plan order.

VS Code's CodeTour extension reads `.tours/*.tour` (JSON). Each tour here belongs to one
commit of the `export_git.py` repository: `ref` pins it to that commit's hash, `nextTour`
names the next commit's tour, and its steps walk the commit's changed hunks in
`microgpt.py` (`file`, `line`), told with the plan's story (what, why, the reviewers'
notes, the layout change, the renames, the equivalence).

The tours change no commit hash: they are written into the working tree after the last
commit and left untracked, listed in `.git/info/exclude` so `git status` stays clean.
Anyone who wants them in the history can `git add -f .tours && git commit` on top.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.diffview.textdiff import Hunk, diff_lines
from workbench.programs import Program

TOURS_DIRECTORY = ".tours"
EXPORTED_FILE = "microgpt.py"
SCHEMA = "https://aka.ms/codetour-schema"
EXCLUDE_LINE = f"/{TOURS_DIRECTORY}/"


@dataclass(frozen=True)
class Tour:
    file_name: str
    """'07-delete_value_class.tour'."""
    document: dict[str, Any]


def tour_file_name(program: Program) -> str:
    return "00-original.tour" if program.step is None else f"{program.step.label}-{program.step.slug}.tour"


def tour_title(program: Program) -> str:
    return f"00 · {program.commit}" if program.step is None else f"{program.step.label} · {program.step.commit}"


def _story_sections(program: Program) -> list[str]:
    """The plan's story of the step as Markdown paragraphs, in telling order."""
    step = program.step
    if step is None:
        return [
            "**The untouched original** by Andrej Karpathy: a tiny GPT trained and sampled in about 200 lines of "
            "dependency-free Python, with a scalar autograd `Value` class. Every later tour is one step of the "
            "refactoring, and each keeps the printed output identical."
        ]
    sections = [f"**{step.commit}**\n\n**What.** {step.what}", f"**Why.** {step.why}"]
    if step.layout:
        sections.append(f"**Data layout.** `{step.layout}`")
    if step.renames:
        sections.append("**Renames.** " + ", ".join(f"`{old}` → `{new}`" for old, new in step.renames.items()))
    if step.reviewers:
        sections.append("**Reviewers.**\n\n" + "\n".join(f"- *{note.reviewer}*: {note.note}" for note in step.reviewers))
    sections.append(f"**Equivalence ({step.level} level).** {step.equivalence}")
    return sections


def _hunk_line(hunk: Hunk) -> int:
    """The first changed line of the hunk in the newer file (where a removal happened, for a pure removal)."""
    for line in hunk.lines:
        if line.new_number is not None and line.old_number is None:
            return line.new_number
    for index, line in enumerate(hunk.lines):
        if line.new_number is None:
            previous = next((earlier.new_number for earlier in reversed(hunk.lines[:index]) if earlier.new_number is not None), None)
            return max(1, (previous or hunk.new_start) + (1 if previous else 0))
    return max(1, hunk.new_start)


def _hunk_summary(hunk: Hunk, position: int, count: int) -> str:
    added = sum(1 for line in hunk.lines if line.old_number is None)
    removed = sum(1 for line in hunk.lines if line.new_number is None)
    where = f" in `{hunk.enclosing}`" if hunk.enclosing else ""
    return f"*Change {position} of {count}{where}: +{added} −{removed} lines.*"


def build_tour(program: Program, previous: Program | None, commit_hash: str, next_title: str | None) -> Tour:
    """One commit's tour: its changed hunks, told with the plan's story."""
    new_lines = program.path.read_text(encoding="utf-8").splitlines()
    old_lines = previous.path.read_text(encoding="utf-8").splitlines() if previous is not None else []
    hunks = diff_lines(old_lines, new_lines, context=3).hunks if previous is not None else ()
    sections = _story_sections(program)
    steps: list[dict[str, Any]] = []
    if not hunks:
        steps.append({"file": EXPORTED_FILE, "line": 1, "title": tour_title(program), "description": "\n\n".join(sections)})
    for index, hunk in enumerate(hunks):
        told = [sections[index]] if index < len(sections) else []
        if index == len(hunks) - 1 and len(sections) > len(hunks):
            told.extend(sections[len(hunks) :])
        description = "\n\n".join([*told, _hunk_summary(hunk, index + 1, len(hunks))])
        steps.append({"file": EXPORTED_FILE, "line": _hunk_line(hunk), "title": f"{index + 1}/{len(hunks)}", "description": description})
    document: dict[str, Any] = {"$schema": SCHEMA, "title": tour_title(program), "description": program.commit, "ref": commit_hash}
    if previous is None:
        document["isPrimary"] = True
    if next_title is not None:
        document["nextTour"] = next_title
    document["steps"] = steps
    return Tour(file_name=tour_file_name(program), document=document)


def build_tours(programs: Sequence[Program], commit_hashes: Sequence[str]) -> list[Tour]:
    """One tour per exported commit (`programs[i]` was committed as `commit_hashes[i]`)."""
    tours: list[Tour] = []
    for index, (program, commit_hash) in enumerate(zip(programs, commit_hashes)):
        previous = programs[index - 1] if index > 0 else None
        next_title = tour_title(programs[index + 1]) if index + 1 < len(commit_hashes) else None
        tours.append(build_tour(program, previous, commit_hash, next_title))
    return tours


def write_tours(repository: Path, programs: Sequence[Program], commit_hashes: Sequence[str]) -> list[Path]:
    """Write `.tours/NN-slug.tour` into the repository's working tree, untracked and excluded."""
    directory = repository / TOURS_DIRECTORY
    directory.mkdir(exist_ok=True)
    written: list[Path] = []
    for tour in build_tours(programs, commit_hashes):
        path = directory / tour.file_name
        path.write_text(json.dumps(tour.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    exclude = repository / ".git" / "info" / "exclude"
    if exclude.parent.is_dir():
        existing = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
        if EXCLUDE_LINE not in existing.splitlines():
            exclude.write_text(existing + ("" if existing.endswith("\n") or not existing else "\n") + EXCLUDE_LINE + "\n", encoding="utf-8")
    return written
