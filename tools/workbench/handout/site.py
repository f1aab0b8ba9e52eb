"""Build the handout site into a folder, all or nothing, and tell whether a built one is stale.

The site is written into a temporary folder beside OUT and renamed into place only when
complete. `handout-inputs.json` in the site records the sha256 of every input (the plan,
the original and the steps, every verdict record, the handout's own templates, learners'
reports), the sha256 of every file the build wrote, and the options it was built with
(paths relative to the project, never absolute), so `check_site` can name what changed
since, in the inputs or in the site itself, and say the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from workbench.errors import WorkbenchError
from workbench.files import sha256_of_bytes
from workbench.handout.inputs import (
    ORIGINAL_LABEL,
    PROFILES,
    PlanData,
    file_sha256,
    input_files,
    plan_data,
    relative_to,
)
from workbench.handout.measure import export_commit_hashes, start_measuring
from workbench.handout.pages import (
    NOT_IN_PLAN,
    NOT_YET_RUN,
    debt_chart,
    facilitator_sheet,
    index_groups,
    provenance,
    record_charts,
    source_pages,
    step_pages,
)
from workbench.handout.reports import read_reports, report_paths
from workbench.handout.verdicts import best_profile, verdict_state
from workbench.paths import DEFAULT_PLAN
from workbench.project import Project, open_project

MANIFEST_NAME = "handout-inputs.json"
MANIFEST_FORMAT = 2
"""2: the build's options and the sha256 of every file written, besides the inputs'."""
BUILD_COMMAND = "python tools/handout.py"
PACKAGE_DIRECTORY = Path(__file__).resolve().parent
TEMPLATE_DIRECTORY = PACKAGE_DIRECTORY / "templates"
STYLESHEET = PACKAGE_DIRECTORY / "static" / "style.css"
TEMPLATES_INPUT = "the handout's templates and stylesheet"
REPORTS_INPUT_PREFIX = "learners' report "


class HandoutError(WorkbenchError):
    """The site cannot be built or checked; the message says why in one sentence."""


@dataclass(frozen=True)
class BuildRequest:
    project: Project
    """The project, with the plan to build the site of."""
    out: Path
    force: bool = False
    profile: str | None = None
    """'full' or 'quick'; None picks full when the original has a full record."""
    reports: Path | None = None


@dataclass(frozen=True)
class BuildOptions:
    """The options a site was built with, as the manifest keeps them: paths relative to the
    project root ('..' where outside it), None where the default was used."""

    plan: str | None
    profile: str | None
    reports: str | None

    def arguments(self) -> list[str]:
        """The command-line options that repeat this build."""
        arguments: list[str] = []
        if self.plan is not None:
            arguments += ["--plan", self.plan]
        if self.profile is not None:
            arguments += ["--profile", self.profile]
        if self.reports is not None:
            arguments += ["--reports", self.reports]
        return arguments


def build_options(request: BuildRequest) -> BuildOptions:
    project = request.project
    own_plan = (project.root / DEFAULT_PLAN).resolve() == project.plan.source_file.resolve()
    return BuildOptions(
        plan=None if own_plan else relative_to(project.plan.source_file, project.root),
        profile=request.profile,
        reports=None if request.reports is None else relative_to(request.reports, project.root),
    )


def rebuild_command(out: Path, options: BuildOptions) -> str:
    """The command that rebuilds the site in `out` with the options it was built with."""
    return " ".join(
        [BUILD_COMMAND, _shell_word(str(out)), "--force", *(_shell_word(word) for word in options.arguments())]
    )


def _shell_word(word: str) -> str:
    return shlex.quote(word)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    profile: str
    records: int
    notes: tuple[str, ...]


# --- destination -----------------------------------------------------------------------


def check_destination(out: Path, force: bool) -> None:
    """Refuse, in one sentence, anything but a new folder, an empty one, or (with --force) a site."""
    if out.exists() and not out.is_dir():
        raise HandoutError(f"{out} exists and is not a folder; choose a new folder for the site")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise HandoutError(f"cannot create {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise HandoutError(f"cannot write the site: the folder {parent} is not writable")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise HandoutError(
                f"{out} is not empty; choose a new or empty folder, or pass --force to replace the site in it"
            )
        if not (out / MANIFEST_NAME).is_file():
            raise HandoutError(
                f"{out} is not empty and holds no handout site ({MANIFEST_NAME} is missing), so --force will not replace it"
            )


def _replace_directory(building: Path, out: Path) -> None:
    if out.is_dir():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.resolve().parent))
        os.replace(out, retired / "site")
        try:
            os.replace(building, out)
        except BaseException:
            os.replace(retired / "site", out)
            raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(building, out)


# --- inputs ----------------------------------------------------------------------------


def _templates_sha256() -> str:
    digest = hashlib.sha256()
    for path in sorted([*TEMPLATE_DIRECTORY.glob("*.j2"), STYLESHEET]):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _report_files(reports: Path | None) -> dict[str, Path]:
    if reports is None:
        return {}
    return {f"{REPORTS_INPUT_PREFIX}{path.relative_to(reports).as_posix()}": path for path in report_paths(reports)}


def input_hashes(plan: PlanData, reports: Path | None) -> dict[str, str | None]:
    """Input name -> sha256 of its bytes, or None where the file does not exist."""
    hashes: dict[str, str | None] = {name: file_sha256(path) for name, path in input_files(plan).items()}
    hashes[TEMPLATES_INPUT] = _templates_sha256()
    for name, path in _report_files(reports).items():
        hashes[name] = file_sha256(path)
    return hashes


# --- build -----------------------------------------------------------------------------


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIRECTORY),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(NOT_YET_RUN=NOT_YET_RUN, NOT_IN_PLAN=NOT_IN_PLAN)
    return environment


def build_site(request: BuildRequest) -> BuildResult:
    """Build the whole site into request.out (see the module docstring)."""
    check_destination(request.out, request.force)
    if request.reports is not None and not request.reports.is_dir():
        raise HandoutError(f"the reports folder {request.reports} does not exist")
    if request.profile is not None and request.profile not in PROFILES:
        raise HandoutError(f"the profile must be one of {', '.join(PROFILES)} (got {request.profile!r})")
    plan = plan_data(request.project)
    profile = request.profile or best_profile(plan)
    states = {label: verdict_state(plan, label, profile) for label in plan.labels}
    hashes = input_hashes(plan, request.reports)
    # The diffs and lint counts take most of the time, in worker processes started here,
    # before any thread; meanwhile this process exports the repository and draws the
    # charts of the records.
    pending = start_measuring(plan)
    try:
        export = export_commit_hashes(plan)
        reports = (
            read_reports(request.reports, {story.label for story in plan.steps})
            if request.reports is not None
            else None
        )
        charts_of_records = record_charts(plan, states, profile)
        measurements = pending.result()
    finally:
        pending.close()

    environment = _environment()
    all_charts = (*charts_of_records, debt_chart(plan, measurements))
    pages = step_pages(plan, states, measurements, export)
    common = {"plan": plan, "steps": plan.steps, "profile": profile}
    files: dict[str, bytes] = {
        "index.html": environment.get_template("index.html.j2")
        .render(
            **common,
            groups=index_groups(plan, states, measurements),
            charts=all_charts,
            provenance=provenance(plan, states, profile),
            original_commit=export.hashes.get(ORIGINAL_LABEL),
            missing_files=measurements.missing_files,
            page="index",
        )
        .encode("utf-8"),
        "facilitator.html": environment.get_template("facilitator.html.j2")
        .render(
            **common,
            sheet=facilitator_sheet(plan, reports, states),
            page="facilitator",
        )
        .encode("utf-8"),
        "style.css": STYLESHEET.read_bytes(),
    }
    step_template = environment.get_template("step.html.j2")
    for step_page in pages:
        files[step_page.file_name] = step_template.render(**common, step=step_page, page="step").encode("utf-8")
    source_template = environment.get_template("source.html.j2")
    for source_page in source_pages(plan, measurements):
        files[source_page.file_name] = source_template.render(**common, source=source_page, page="source").encode(
            "utf-8"
        )
    for chart in all_charts:
        if chart.svg is not None:
            files[f"charts/{chart.slug}.svg"] = chart.svg
    options = build_options(request)
    manifest = {
        "format": MANIFEST_FORMAT,
        "profile": profile,
        "options": vars(options),
        "inputs": hashes,
        "outputs": {name: sha256_of_bytes(data) for name, data in sorted(files.items())},
    }
    files[MANIFEST_NAME] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")

    _write_all(request.out, files)
    notes = tuple(reports.skipped) if reports is not None else ()
    return BuildResult(
        out=request.out,
        pages=len(pages) + 2,
        profile=profile,
        records=sum(1 for state in states.values() if state.record),
        notes=notes,
    )


def _write_all(out: Path, files: dict[str, bytes]) -> None:
    parent = out.resolve().parent
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".building", dir=parent))
    except OSError as error:
        raise HandoutError(f"cannot write the site into {parent}: {error.strerror}") from None
    try:
        for name, data in sorted(files.items()):
            path = building / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        building.chmod(0o755)
        _replace_directory(building, out)
    except OSError as error:
        shutil.rmtree(building, ignore_errors=True)
        raise HandoutError(f"cannot write the site to {out}: {error.strerror or error}") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


# --- check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteCheck:
    changes: tuple[str, ...]
    """What changed since the build, one line each: inputs, then the site's own files."""
    rebuild: str
    """The command that rebuilds the site with the options it was built with."""


def check_site(project: Project, out: Path) -> SiteCheck:
    """What changed since the site in `out` was built (empty when current), in its inputs
    and in its own files, and the command that rebuilds it."""
    manifest_path = out / MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HandoutError(
            f"{out} holds no handout site ({MANIFEST_NAME} is missing); build one with {BUILD_COMMAND} {out}"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HandoutError(f"{manifest_path} cannot be read ({error}); rebuild the site with --force") from None
    options = _manifest_options(manifest)
    if options is None:
        raise HandoutError(f"{manifest_path} is not a manifest this handout understands; rebuild the site with --force")
    plan_project = project
    if options.plan is not None:
        plan_file = project.root / options.plan
        if not plan_file.is_file():
            raise HandoutError(
                f"the plan {options.plan} the site was built from does not exist; rebuild the site with --force"
            )
        plan_project = open_project(project.root, plan_file, cache=project.cache)
    reports = project.root / options.reports if options.reports is not None else None
    plan = plan_data(plan_project)
    recorded: dict[str, str | None] = manifest["inputs"]
    current = input_hashes(plan, reports if reports is not None and reports.is_dir() else None)
    changes: list[str] = []
    for name in sorted(set(recorded) | set(current)):
        before, after = recorded.get(name), current.get(name)
        if before == after:
            continue
        if before is None:
            changes.append(f"{name}: new since the site was built")
        elif after is None:
            changes.append(f"{name}: gone since the site was built")
        else:
            changes.append(f"{name}: changed")
    outputs: dict[str, str] = manifest["outputs"]
    for name, digest in sorted(outputs.items()):
        written = file_sha256(out / name)
        if written is None:
            changes.append(f"site file {name}: deleted since the site was built")
        elif written != digest:
            changes.append(f"site file {name}: edited since the site was built")
    return SiteCheck(tuple(changes), rebuild_command(out, options))


def _manifest_options(manifest: object) -> BuildOptions | None:
    """The build options of a manifest this handout wrote, None for anything else."""
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return None
    inputs, outputs, options = manifest.get("inputs"), manifest.get("outputs"), manifest.get("options")
    if not isinstance(inputs, dict) or not isinstance(outputs, dict) or not isinstance(options, dict):
        return None
    if not all(
        isinstance(name, str)
        and isinstance(digest, str)
        and not Path(name).is_absolute()
        and ".." not in Path(name).parts
        for name, digest in outputs.items()
    ):
        return None
    values = {key: options.get(key) for key in ("plan", "profile", "reports")}
    if not all(value is None or isinstance(value, str) for value in values.values()):
        return None
    return BuildOptions(plan=values["plan"], profile=values["profile"], reports=values["reports"])
