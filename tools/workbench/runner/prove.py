"""Prove a program: the chosen check, then the same check under every held setting.

A plain check proves one configuration. `--prove` adds the fixed matrix of
workbench.proof.held_settings on the quick profile, including a names file from another
alphabet made from the standard one, so that a file specialised to the defaults (one
layer, head width 4, the a-z alphabet, the default run's printed output) cannot pass.
Each held setting is one more claim of kind `setting`; the program is proved when its own
check and every setting hold. Reference runs are cached by content, so a second proof of
the same file reruns only the file itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import EXIT_DIFFERS, EXIT_ERROR, EXIT_OK
from workbench.files import sha256_of_bytes, write_bytes_atomically
from workbench.programs import Program
from workbench.project import Project
from workbench.proof.held_settings import HELD_SETTINGS, VARIANT_DATASET, HeldSetting
from workbench.proof.variant_names import variant_names_text
from workbench.runner.check import check_targets
from workbench.runner.dataset import Dataset, resolve_dataset
from workbench.runner.equivalence import SETTING, Claim
from workbench.runner.results import CheckReport, TargetResult
from workbench.runner.schedule import RunObserver
from workbench.runner.settings import CheckSettings, make_settings

PROOF_PROFILE = "quick"


@dataclass(frozen=True)
class SettingResult:
    """One program under one held setting."""

    setting: HeldSetting
    result: TargetResult

    @property
    def holds(self) -> bool:
        return self.result.status == "ok" and self.result.counts_as_identical

    def claim(self) -> Claim:
        return Claim(
            f"identical under {self.setting.describe()}",
            SETTING,
            self.holds,
            "holds" if self.holds else self.result.summary,
        )


@dataclass(frozen=True)
class ProofReport:
    """The chosen check and, per program, its results under the held settings."""

    main: CheckReport
    settings: dict[str, list[SettingResult]]
    """Program label -> its result under each held setting, in the matrix's order."""

    def proved(self, result: TargetResult) -> bool:
        own = result.status == "ok" and result.counts_as_identical
        return own and all(outcome.holds for outcome in self.settings.get(result.target.label, []))

    @property
    def exit_code(self) -> int:
        if self.main.exit_code == EXIT_ERROR:
            return EXIT_ERROR
        if self.main.exit_code == EXIT_DIFFERS or not all(self.proved(result) for result in self.main.results):
            return EXIT_DIFFERS
        return EXIT_OK


def variant_dataset(project: Project) -> Dataset:
    """The variant names file, made from the standard dataset into the cache (once)."""
    standard = resolve_dataset(cache=project.cache)
    text = variant_names_text(standard.path.read_text(encoding="utf-8"))
    data = text.encode("utf-8")
    digest = sha256_of_bytes(data)
    path = project.cache / "data" / f"names-variant-{digest[:16]}.txt"
    if not path.is_file():
        write_bytes_atomically(path, data)
    return Dataset(path=path, sha256=digest, origin="the variant made from the standard names file")


def held_settings(project: Project, base: CheckSettings) -> list[tuple[HeldSetting, CheckSettings]]:
    """Every held setting as validated settings (quick profile, the base's limits)."""
    standard = resolve_dataset(cache=project.cache)
    variant: Dataset | None = None
    made = []
    for setting in HELD_SETTINGS:
        if setting.dataset == VARIANT_DATASET:
            variant = variant or variant_dataset(project)
        dataset = variant if setting.dataset == VARIANT_DATASET and variant is not None else standard
        made.append(
            (
                setting,
                make_settings(
                    project,
                    profile=PROOF_PROFILE,
                    assignments=setting.assignments,
                    dataset=dataset,
                    timeout=base.timeout,
                    jobs=base.jobs,
                ),
            )
        )
    return made


def prove_targets(
    project: Project,
    targets: Sequence[Program],
    settings: CheckSettings,
    observer: RunObserver | None = None,
) -> ProofReport:
    """The check under `settings`, then under every held setting; every result kept."""
    main = check_targets(project, targets, settings, observer)
    by_program: dict[str, list[SettingResult]] = {target.label: [] for target in targets}
    for setting, held in held_settings(project, settings):
        report = check_targets(project, targets, held, observer)
        for result in report.results:
            by_program.setdefault(result.target.label, []).append(SettingResult(setting, result))
    return ProofReport(main=main, settings=by_program)


def proof_record(proof: ProofReport, result: TargetResult) -> dict[str, object]:
    """The proof of one program for its JSON line: `proved`, and one entry per held setting."""
    outcomes = proof.settings.get(result.target.label, [])
    return {
        "proved": proof.proved(result),
        "proof": [
            {
                "setting": outcome.setting.name,
                "assignments": list(outcome.setting.assignments),
                "dataset": outcome.setting.dataset,
                "holds": outcome.holds,
                "summary": outcome.result.summary,
            }
            for outcome in outcomes
        ],
    }
