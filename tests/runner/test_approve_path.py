"""Judging a run writes nothing: with --approve, the golden file is written afterwards, by
the approve path (runner/approve.py), from the judged result."""

from __future__ import annotations

from testkit.world import FakeWorld
from workbench.runner.approve import record_approval
from workbench.runner.judge import judge_target
from workbench.runner.reference import golden_path
from workbench.runner.schedule import Batch, SilentObserver, plan_expectations, plan_target


def test_judging_writes_no_golden_file_and_the_approval_does(world: FakeWorld) -> None:
    assert world.project.golden_directory is not None
    golden = golden_path(world.project.golden_directory, "quick")
    batch = Batch(world.project, world.settings("quick", approve=True))
    plan = plan_expectations(batch, plan_target(batch, world.original()))
    batch.run_all(SilentObserver())
    judged = judge_target(batch, plan)
    assert judged.approved is None and not golden.exists()
    approved = record_approval(batch, plan, judged)
    assert approved.approved == golden and golden.is_file() and "(new)" in approved.summary


def test_without_approve_the_approval_leaves_the_result_as_it_is(world: FakeWorld) -> None:
    assert world.project.golden_directory is not None
    batch = Batch(world.project, world.settings("quick"))
    plan = plan_expectations(batch, plan_target(batch, world.original()))
    batch.run_all(SilentObserver())
    judged = judge_target(batch, plan)
    assert record_approval(batch, plan, judged) is judged
    assert not golden_path(world.project.golden_directory, "quick").exists()
