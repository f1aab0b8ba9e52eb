"""Each step's structural contract (from the plan) holds on its snapshot, and means something."""

from __future__ import annotations

import pytest

from workbench.contracts import ContractItem, check_contract
from workbench.paths import installed_root
from workbench.plan import Plan, load_plan

PLAN = load_plan(root=installed_root())


def _step_ids() -> list[str]:
    return [step.label for step in PLAN.steps]


@pytest.mark.parametrize("label", _step_ids())
def test_contract_holds_on_the_snapshot(plan: Plan, label: str) -> None:
    step = plan.step(int(label))
    results = check_contract(plan.step_path(step).read_text(encoding="utf-8"), step.contract)
    failures = [f"{result.description}: {result.detail}" for result in results if not result.passed]
    assert not failures, f"step {label} breaks its contract: {failures}"


@pytest.mark.parametrize("label", _step_ids())
def test_contract_is_not_already_true_of_the_predecessor(plan: Plan, label: str) -> None:
    """A contract that the previous snapshot already satisfied would prove nothing about this commit."""
    step = plan.step(int(label))
    previous = plan.predecessor(step.number)
    previous_path = plan.original_path if previous is None else plan.step_path(previous)
    results = check_contract(previous_path.read_text(encoding="utf-8"), step.contract)
    assert any(not result.passed for result in results), f"step {label}'s contract already holds for its predecessor"


SAMPLE = '''
import math
from typing import TypeAlias

Index: TypeAlias = int
table = {}
count, total = 0, 0.0
for row in range(3):
    table[row] = row

class Node:
    def grow(self, amount: int) -> int:
        return amount

def kernel(values: list[float], scale) -> float:
    return helper(values) * math.exp(scale)

def helper(values):
    return sum(values)

kernel([1.0], 2.0)
'''


@pytest.mark.parametrize(
    ("item", "passes", "detail_fragment"),
    [
        (ContractItem("defines", names=("kernel", "helper")), True, ""),
        (ContractItem("defines", names=("kernel", "grow")), False, "grow"),  # a method is not module level
        (ContractItem("binds", names=("table", "count", "total", "row")), True, ""),
        (ContractItem("binds", names=("amount",)), False, "amount"),
        (ContractItem("absent", names=("Value", "state_dict")), True, ""),
        (ContractItem("absent", names=("helper",)), False, "helper"),
        (ContractItem("defines-class", names=("Node",)), True, ""),
        (ContractItem("defines-class", names=("Value",)), False, "Value"),
        (ContractItem("no-class"), False, "Node"),
        (ContractItem("defines-alias", names=("Index",)), True, ""),
        (ContractItem("defines-alias", names=("table",)), False, "table"),
        (ContractItem("fully-annotated"), False, "scale"),
        (ContractItem("calls", function="kernel", names=("helper", "math.exp")), True, ""),
        (ContractItem("calls", function="helper", names=("math.exp",)), False, "math.exp"),
        (ContractItem("calls", function="<module>", names=("kernel", "range")), True, ""),
        (ContractItem("calls", function="missing", names=("helper",)), False, "no function missing"),
        (ContractItem("calls-none", function="kernel", patterns=("tape_*",)), True, ""),
        (ContractItem("calls-none", function="kernel", patterns=("math.*",)), False, "math.exp"),
        (ContractItem("calls-none", function="<module>", patterns=("helper",)), True, ""),
    ],
)
def test_each_check_can_pass_and_fail(item: ContractItem, passes: bool, detail_fragment: str) -> None:
    [result] = check_contract(SAMPLE, (item,))
    assert result.passed is passes
    assert detail_fragment in result.detail


def test_names_in_comments_and_docstrings_do_not_count() -> None:
    source = '"""The Value class is gone."""\n# Value used to live here\nx = 1\n'
    [result] = check_contract(source, (ContractItem("absent", names=("Value",)),))
    assert result.passed


def test_fully_annotated_passes_when_everything_is_annotated() -> None:
    source = "def f(a: int, *rest: int, key: str = '', **options: str) -> None:\n    pass\n"
    [result] = check_contract(source, (ContractItem("fully-annotated"),))
    assert result.passed, result.detail
