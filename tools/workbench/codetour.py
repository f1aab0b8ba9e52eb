"""CodeTour files for the exported repository: one guided tour per commit, in plan order.

VS Code's CodeTour extension reads `.tours/*.tour` (JSON). Each tour here belongs to one
commit of the `export_git.py` repository: `ref` pins it to that commit's hash, `nextTour`
names the next commit's tour, and its steps walk the commit's changed hunks in
`microgpt.py` (`file`, `line`), told with the plan's story (what, why, the reviewers'
notes, the layout change, the renames, the equivalence): each sentence on the hunk whose
changed lines hold the names it mentions, the rest on the commit's first hunk. A hunk that
only removes code sits on the last line before where the code was; titles name the
functions a hunk changes; hunks and line counts are git's own.

The tours change no commit hash: they are written into the working tree after the last
commit and left untracked, listed in `.git/info/exclude` so `git status` stays clean.
Anyone who wants them in the history can `git add -f .tours && git commit` on top.
"""

from __future__ import annotations

import ast
import io
import json
import keyword
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.diffview.gitdiff import git_diff_lines
from workbench.diffview.textdiff import Hunk, LineKind
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


@dataclass(frozen=True)
class Prose:
    """One piece of the plan's story: a sentence of a section, under the section's heading."""

    heading: str
    """'What', 'Why', 'Data layout', 'Renames', 'Reviewers', 'Equivalence (bit level)'."""
    text: str


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*])")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BACKTICKED = re.compile(r"`([^`]+)`")


def _sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in _SENTENCE_END.split(" ".join(text.split())) if sentence.strip()]


def _story(program: Program) -> tuple[str, list[Prose]]:
    """The commit's headline and the plan's story of it, sentence by sentence, in telling order."""
    step = program.step
    if step is None:
        return (
            "**The untouched original** by Andrej Karpathy: a tiny GPT trained and sampled in about 200 lines of "
            "dependency-free Python, with a scalar autograd `Value` class. Every later tour is one step of the "
            "refactoring, and each keeps the printed output identical.",
            [],
        )
    pieces = [Prose("What", sentence) for sentence in _sentences(step.what)]
    pieces += [Prose("Why", sentence) for sentence in _sentences(step.why)]
    if step.layout:
        pieces.append(Prose("Data layout", f"`{step.layout}`"))
    for old, new in step.renames.items():
        pieces.append(Prose("Renames", f"`{old}` → `{new}`"))
    for note in step.reviewers:
        pieces.append(Prose("Reviewers", f"*{note.reviewer}*: {note.note}"))
    pieces += [Prose(f"Equivalence ({step.level} level)", sentence) for sentence in _sentences(step.equivalence)]
    return f"**{step.commit}**", pieces


@dataclass(frozen=True)
class SourceMap:
    """What each line of a file holds, for naming and placing hunks."""

    lines: tuple[str, ...]
    definitions: tuple[tuple[str, int, int], ...]
    """Module-level functions and classes as (name, first line, last line), 1-based."""
    statements: tuple[tuple[int, int], ...]
    """Every other module-level statement as (first line, last line)."""
    docstring: tuple[int, int] | None
    """The module docstring's lines."""
    names: dict[int, frozenset[str]]
    """Line -> the names of code on it (not those in comments or strings)."""


def source_map(lines: Sequence[str]) -> SourceMap:
    source = "\n".join(lines) + "\n"
    definitions: list[tuple[str, int, int]] = []
    statements: list[tuple[int, int]] = []
    docstring: tuple[int, int] | None = None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    for index, node in enumerate(tree.body if tree is not None else []):
        last = node.end_lineno or node.lineno
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            definitions.append((node.name, first, last))
        elif (
            index == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            docstring = (node.lineno, last)
        else:
            statements.append((node.lineno, last))
    names: dict[int, set[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                names.setdefault(token.start[0], set()).add(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    return SourceMap(
        lines=tuple(lines),
        definitions=tuple(definitions),
        statements=tuple(statements),
        docstring=docstring,
        names={number: frozenset(found) for number, found in names.items()},
    )


@dataclass(frozen=True)
class HunkFacts:
    """What one hunk changes, for placing prose and naming the step."""

    hunk: Hunk
    line: int
    """Where the step goes in the newer file."""
    removal_only: bool
    functions: tuple[str, ...]
    """The module-level functions and classes whose lines it changes, in file order."""
    removed_functions: tuple[str, ...]
    """Those it deletes whole (their `def` or `class` line is removed and not added back)."""
    words: frozenset[str]
    """Every name of code (not of a comment or string) on its changed lines."""
    module_subject: str | None = None
    """What it changes outside functions and classes ('the module docstring', '`for step in range(num_steps)`')."""

    @property
    def added(self) -> int:
        return sum(1 for line in self.hunk.lines if line.kind == LineKind.ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for line in self.hunk.lines if line.kind == LineKind.REMOVED)

    @property
    def subject(self) -> str:
        """'`gpt_value` removed', '`gpt`, `softmax`', 'the module docstring', '`for step in range(num_steps)`'."""
        parts = [f"`{name}` removed" if name in self.removed_functions else f"`{name}`" for name in self.functions]
        if self.module_subject is not None:
            parts.append(self.module_subject)
        return ", ".join(parts) or "module-level code"


def _touched(definitions: Sequence[tuple[str, int, int]], numbers: Sequence[int]) -> list[str]:
    return [name for name, first, last in definitions if any(first <= number <= last for number in numbers)]


def _module_subject(source: SourceMap, numbers: Sequence[int]) -> str | None:
    """'the module docstring', or the first line of the module-level statement changed."""
    for number in numbers:
        if source.docstring is not None and source.docstring[0] <= number <= source.docstring[1]:
            return "the module docstring"
        for first, last in source.statements:
            if first <= number <= last:
                code = source.lines[first - 1].split(" #")[0].strip().rstrip(":")
                return f"`{code if len(code) <= 50 else code[:49] + '…'}`"
    return None


def hunk_facts(hunk: Hunk, old: SourceMap, new: SourceMap) -> HunkFacts:
    removed = [line.old_number for line in hunk.lines if line.kind == LineKind.REMOVED and line.old_number is not None]
    added = [line.new_number for line in hunk.lines if line.kind == LineKind.ADDED and line.new_number is not None]
    old_touched = _touched(old.definitions, removed)
    new_touched = _touched(new.definitions, added)
    functions = list(dict.fromkeys([*old_touched, *new_touched]))
    new_names = {name for name, _, _ in new.definitions}
    removed_whole = tuple(name for name in old_touched if name not in new_names)
    words = frozenset().union(
        *(old.names.get(number, frozenset()) for number in removed),
        *(new.names.get(number, frozenset()) for number in added),
    )
    outside = [number for number in added if not _touched(new.definitions, [number])]
    outside_old = [number for number in removed if not _touched(old.definitions, [number])]
    module = _module_subject(new, outside) or _module_subject(old, outside_old)
    return HunkFacts(
        hunk=hunk,
        line=_hunk_line(hunk, new.lines),
        removal_only=not added,
        functions=tuple(functions),
        removed_functions=removed_whole,
        words=words,
        module_subject=module,
    )


def _hunk_line(hunk: Hunk, new_lines: Sequence[str]) -> int:
    """The first added line of the hunk in the newer file; for a hunk that only removes code,
    the last line of code before the place the removed lines were (line 1 at the very top)."""
    for line in hunk.lines:
        if line.kind == LineKind.ADDED and line.new_number is not None:
            return line.new_number
    for index, line in enumerate(hunk.lines):
        if line.kind == LineKind.REMOVED:
            before = next(
                (earlier.new_number for earlier in reversed(hunk.lines[:index]) if earlier.new_number is not None),
                hunk.new_start - 1,
            )
            while before > 1 and not new_lines[before - 1].strip():
                before -= 1
            return max(1, before)
    return max(1, hunk.new_start)


def mentioned_names(text: str, known: frozenset[str]) -> set[str]:
    """The code names a piece of prose speaks of: anything in backticks, and every word of
    it that is a name in `known` (identifiers of the changed lines, module-level definitions)."""
    names = {word for quoted in _BACKTICKED.findall(text) for word in _WORD.findall(quoted)}
    names |= {word for word in _WORD.findall(text) if word in known and (len(word) > 2 or "_" in word)}
    return names & known


def _weight(name: str, facts: Sequence[HunkFacts], definitions: frozenset[str]) -> float:
    """How much naming `name` tells where the prose belongs: a definition or a compound
    identifier counts fully, a plain word by how few hunks share it."""
    holders = sum(1 for fact in facts if name in fact.words or name in fact.functions)
    if holders == 0:
        return 0.0
    if name in definitions or "_" in name or any(character.isupper() for character in name[1:]):
        return 3.0 / holders
    return 1.0 / holders


def place_prose(pieces: Sequence[Prose], facts: Sequence[HunkFacts], definitions: frozenset[str]) -> list[int | None]:
    """For each piece: the index of the hunk it speaks of most (None: no hunk in particular)."""
    known = frozenset().union(*(fact.words | set(fact.functions) for fact in facts)) if facts else frozenset()
    placements: list[int | None] = []
    for piece in pieces:
        names = mentioned_names(piece.text, known)
        scores = [
            sum(
                _weight(name, facts, definitions) * (2.0 if name in fact.functions else 1.0)
                for name in names
                if name in fact.words or name in fact.functions
            )
            for fact in facts
        ]
        best = max(range(len(facts)), key=lambda index: (scores[index], -index), default=None)
        placements.append(best if best is not None and scores[best] >= 1.0 else None)
    return placements


def _told(pieces: Sequence[Prose]) -> list[str]:
    """Pieces as Markdown paragraphs, one per heading, in telling order."""
    by_heading: dict[str, list[str]] = {}
    for piece in pieces:
        by_heading.setdefault(piece.heading, []).append(piece.text)
    paragraphs = []
    for heading, texts in by_heading.items():
        if heading == "Reviewers":
            paragraphs.append("**Reviewers.**\n\n" + "\n".join(f"- {text}" for text in texts))
        else:
            paragraphs.append(f"**{heading}.** " + (", " if heading == "Renames" else " ").join(texts))
    return paragraphs


def _hunk_summary(facts: HunkFacts, position: int, count: int) -> str:
    where = "removed below this line" if facts.removal_only else "starting on this line"
    return f"*Change {position} of {count}, {where}: {facts.subject}; +{facts.added} −{facts.removed} lines.*"


def build_tour(program: Program, previous: Program | None, commit_hash: str, next_title: str | None) -> Tour:
    """One commit's tour: a step per changed hunk, each told with the prose that speaks of it.

    Every sentence of the plan's story goes to the hunk whose changed lines hold the names
    it mentions; the rest, with the commit's headline, go to the commit's first hunk. Hunks
    and line counts are git's (workbench.diffview.gitdiff): they match `git diff` on the
    exported repository."""
    new_lines = program.path.read_text(encoding="utf-8").splitlines()
    old_lines = previous.path.read_text(encoding="utf-8").splitlines() if previous is not None else []
    diff = git_diff_lines(old_lines, new_lines, context=3).diff if previous is not None else None
    hunks = diff.hunks if diff is not None else ()
    headline, pieces = _story(program)
    old_map, new_map = source_map(old_lines), source_map(new_lines)
    facts = [hunk_facts(hunk, old_map, new_map) for hunk in hunks]
    steps: list[dict[str, Any]] = []
    if not facts:
        steps.append(
            {
                "file": EXPORTED_FILE,
                "line": 1,
                "title": tour_title(program),
                "description": "\n\n".join([headline, *_told(pieces)]),
            }
        )
    definitions = frozenset(name for name, _, _ in (*old_map.definitions, *new_map.definitions))
    placements = place_prose(pieces, facts, definitions)
    for index, fact in enumerate(facts):
        told = [piece for piece, place in zip(pieces, placements) if place == index or (index == 0 and place is None)]
        paragraphs = _told(told)
        if index == 0 and diff is not None:
            paragraphs = [
                headline,
                *paragraphs,
                f"*This commit: {len(facts)} change{'s' if len(facts) != 1 else ''}, +{diff.lines_added} −{diff.lines_removed} lines.*",
            ]
        description = "\n\n".join([*paragraphs, _hunk_summary(fact, index + 1, len(facts))])
        title = f"{index + 1}/{len(facts)} · {fact.subject.replace('`', '')}"
        steps.append({"file": EXPORTED_FILE, "line": fact.line, "title": title, "description": description})
    document: dict[str, Any] = {
        "$schema": SCHEMA,
        "title": tour_title(program),
        "description": program.commit,
        "ref": commit_hash,
    }
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
            exclude.write_text(
                existing + ("" if existing.endswith("\n") or not existing else "\n") + EXCLUDE_LINE + "\n",
                encoding="utf-8",
            )
    return written
