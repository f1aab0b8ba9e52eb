"""The proof in the terminal: one line per held setting, then proved or not, and why."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from workbench.proof.wording import claims_summary
from workbench.runner.prove import ProofReport
from workbench.runner.report import emit
from workbench.runner.results import TargetResult


def render_proof(console: Console, proof: ProofReport, result: TargetResult) -> None:
    """'proof of step 07: 5 held settings on the quick profile', a ✔/✘ line each, the verdict."""
    outcomes = proof.settings.get(result.target.label, [])
    failed = [outcome for outcome in outcomes if not outcome.holds]
    emit(
        console,
        Text(
            f"proof of {result.target.title}: the check above, then {len(outcomes)} held settings on the quick profile",
            style="step",
        ),
    )
    for outcome in outcomes:
        mark, style = ("✔", "identical") if outcome.holds else ("✘", "differs")
        line = Text.assemble((f"  {mark} ", style), outcome.setting.describe())
        if not outcome.holds:
            line.append(f"\n      {outcome.result.summary}", style="differs")
        emit(console, line)
    if proof.proved(result):
        emit(
            console,
            Text(
                f"PROVED: {result.target.title} is identical under its own settings and every held setting",
                style="identical",
            ),
        )
        return
    own = "" if result.status == "ok" and result.counts_as_identical else "its own check fails; "
    verdict = claims_summary(len(failed), len(outcomes), "held setting")
    hint = (
        " A file that passes the default run but fails a held setting depends on something the"
        " defaults hide (a hard-coded size, the alphabet, the printed output): make it follow the knobs."
        if failed and not own
        else ""
    )
    emit(console, Text(f"NOT PROVED: {own}{verdict}.{hint}", style="differs"))
