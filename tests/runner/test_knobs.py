"""Knobs: discovered from the original with libcst, rewritten in any snapshot, checked strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.plan import Plan, load_plan
from workbench.runner.knobs import (
    discover_knobs,
    knob_departures,
    parse_assignment,
    resolve_knob_values,
    rewrite_knobs,
)

ORIGINAL_KNOBS = {
    "n_embd": (int, 16),
    "n_head": (int, 4),
    "n_layer": (int, 1),
    "block_size": (int, 8),
    "learning_rate": (float, 1e-2),
    "beta1": (float, 0.9),
    "beta2": (float, 0.95),
    "eps_adam": (float, 1e-8),
    "num_steps": (int, 500),
    "temperature": (float, 0.5),
    "seed": (int, 42),
    "num_samples": (int, 20),
}


@pytest.fixture(scope="module")
def original_source(plan: Plan) -> str:
    return plan.original_path.read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(old line, new line) for each line that changed; the line count must not change."""
    assert len(before.splitlines()) == len(after.splitlines())
    return [(old, new) for old, new in zip(before.splitlines(), after.splitlines()) if old != new]


def test_the_original_knobs_are_discovered_with_their_types(original_source: str) -> None:
    knobs = discover_knobs(original_source)
    assert {name: (knob.kind, knob.default) for name, knob in knobs.items()} == ORIGINAL_KNOBS


def test_the_help_text_lists_every_discovered_knob(original_source: str) -> None:
    from workbench.runner.command import EPILOG

    listed = EPILOG.split("knobs (--set")[1].split("dataset (")[0]
    for name in discover_knobs(original_source):
        assert name in listed


def test_a_tuple_target_rewrites_only_its_own_element(plan: Plan, original_source: str) -> None:
    rewritten = rewrite_knobs(original_source, {"beta2": 0.5}, plan=plan, step_number=None, source_name="original")
    assert changed_lines(original_source, rewritten) == [
        (
            "learning_rate, beta1, beta2, eps_adam = 1e-2, 0.9, 0.95, 1e-8",
            "learning_rate, beta1, beta2, eps_adam = 1e-2, 0.9, 0.5, 1e-8",
        ),
    ]


def test_seed_rewrites_the_argument_of_random_seed(plan: Plan, original_source: str) -> None:
    rewritten = rewrite_knobs(original_source, {"seed": 7}, plan=plan, step_number=None, source_name="original")
    assert changed_lines(original_source, rewritten) == [
        ("random.seed(42) # Let there be order among chaos", "random.seed(7) # Let there be order among chaos"),
    ]


def test_seed_passed_by_name_rewrites_that_names_constant(plan: Plan) -> None:
    source = "import random\nrandom_seed = 42\nrandom.seed(random_seed)\n"
    rewritten = rewrite_knobs(source, {"seed": 3}, plan=plan, step_number=None, source_name="x.py")
    assert rewritten == "import random\nrandom_seed = 3\nrandom.seed(random_seed)\n"


def test_an_annotated_assignment_is_rewritten(plan: Plan) -> None:
    source = "number_of_steps: int = 500  # training steps\n"
    rewritten = rewrite_knobs(source, {"num_steps": 10}, plan=plan, step_number=10, source_name="steps/10.py")
    assert rewritten == "number_of_steps: int = 10  # training steps\n"


def test_float_knobs_take_whole_numbers_and_are_written_as_floats(plan: Plan, original_source: str) -> None:
    values, _ = resolve_knob_values(discover_knobs(original_source), plan, "full", ["temperature=1"])
    assert values == {"temperature": 1.0} and isinstance(values["temperature"], float)
    rewritten = rewrite_knobs(original_source, values, plan=plan, step_number=None, source_name="original")
    assert changed_lines(original_source, rewritten) == [
        (
            'temperature = 0.5 # in (0, 1], control the "creativity" of generated text, low to high',
            'temperature = 1.0 # in (0, 1], control the "creativity" of generated text, low to high',
        ),
    ]


def test_only_module_level_bindings_are_knobs(plan: Plan) -> None:
    source = "def train():\n    num_steps = 500\n    return num_steps\n"
    assert "num_steps" not in discover_knobs(source)
    with pytest.raises(WorkbenchError, match="steps/04_x.py does not bind num_steps to a number at module level"):
        rewrite_knobs(source, {"num_steps": 10}, plan=plan, step_number=4, source_name="steps/04_x.py")


def test_knobs_follow_the_plans_renames(plan: Plan, original_source: str) -> None:
    knobs = discover_knobs(original_source)
    values, overridden = resolve_knob_values(knobs, plan, "quick", ["embedding_dimension=8", "n_layer=2"])
    assert values == {"num_steps": 10, "num_samples": 5, "n_embd": 8, "n_layer": 2}
    assert overridden == ("n_embd", "n_layer")
    step_ten = (
        "embedding_dimension = 16\nnumber_of_heads = 4\nnumber_of_layers = 1\nnumber_of_steps = 500\n"
        "for sample_index in range(20):\n    pass\n"
    )
    rewritten = rewrite_knobs(step_ten, values, plan=plan, step_number=10, source_name="steps/10_full_names.py")
    assert rewritten == (
        "embedding_dimension = 8\nnumber_of_heads = 4\nnumber_of_layers = 2\nnumber_of_steps = 10\n"
        "for sample_index in range(5):\n    pass\n"
    )


def test_a_snapshot_without_the_renamed_knob_names_the_expected_name(plan: Plan) -> None:
    with pytest.raises(WorkbenchError) as raised:
        rewrite_knobs("n_embd = 16\n", {"n_embd": 8}, plan=plan, step_number=10, source_name="steps/10_full_names.py")
    message = str(raised.value)
    assert "steps/10_full_names.py" in message
    assert "embedding_dimension (the knob n_embd)" in message


def test_an_unknown_knob_lists_the_valid_ones(plan: Plan, original_source: str) -> None:
    with pytest.raises(WorkbenchError) as raised:
        resolve_knob_values(discover_knobs(original_source), plan, "full", ["n_emb=8"])
    message = str(raised.value)
    assert "no knob 'n_emb'" in message
    for name in ORIGINAL_KNOBS:
        assert name in message


@pytest.mark.parametrize(
    ("assignment", "expected_message"),
    [
        ("n_layer=1.5", "n_layer takes a whole number"),
        ("n_layer=two", "n_layer takes a whole number"),
        ("n_layer=True", "n_layer takes a whole number"),
        ("learning_rate=fast", "learning_rate takes a number"),
        ("learning_rate=nan", "learning_rate takes a finite number"),
        ("seed=1e3", "seed takes a whole number"),
        ("n_layer", "--set takes NAME=VALUE"),
        ("=3", "--set takes NAME=VALUE"),
        ("n_layer=", "--set takes NAME=VALUE"),
    ],
)
def test_bad_values_are_refused_clearly(
    plan: Plan, original_source: str, assignment: str, expected_message: str
) -> None:
    with pytest.raises(WorkbenchError, match=expected_message):
        resolve_knob_values(discover_knobs(original_source), plan, "full", [assignment])


def test_set_overrides_the_profile(plan: Plan, original_source: str) -> None:
    values, overridden = resolve_knob_values(discover_knobs(original_source), plan, "quick", ["num_steps=3"])
    assert values == {"num_steps": 3, "num_samples": 5}
    assert overridden == ("num_steps",)


def test_an_unknown_profile_lists_the_profiles(plan: Plan, original_source: str) -> None:
    with pytest.raises(WorkbenchError, match="no profile 'fast'; the profiles are full, quick"):
        resolve_knob_values(discover_knobs(original_source), plan, "fast", [])


def test_parse_assignment_trims_spaces() -> None:
    assert parse_assignment(" n_layer = 2 ") == ("n_layer", "2")


def test_every_step_file_that_exists_binds_every_knob(plan: Plan, original_source: str) -> None:
    """The quick profile and --set must work on every snapshot written so far."""
    values = {name: knob.default for name, knob in discover_knobs(original_source).items()}
    for step in plan.steps:
        if plan.step_path(step).is_file():
            source = plan.step_path(step).read_text(encoding="utf-8")
            rewritten = rewrite_knobs(source, values, plan=plan, step_number=step.number, source_name=step.file_name)
            assert len(rewritten.splitlines()) == len(source.splitlines())


def test_num_samples_sets_the_count_of_the_sampling_loop_at_every_step(plan: Plan, project_root: Path) -> None:
    """The sampling loop is the only line that changes, in every snapshot of both plans."""
    beyond_plan = load_plan(project_root / "plans" / "beyond_plan.toml", root=project_root)
    for each_plan in (plan, beyond_plan):
        for step in each_plan.steps:
            source = each_plan.step_path(step).read_text(encoding="utf-8")
            rewritten = rewrite_knobs(
                source, {"num_samples": 3}, plan=each_plan, step_number=step.number, source_name=step.file_name
            )
            [(old, new)] = changed_lines(source, rewritten)
            assert old.endswith(" in range(20):") and new == old.replace("range(20)", "range(3)"), step.file_name


def test_a_file_without_a_sampling_loop_says_so(plan: Plan, original_source: str) -> None:
    source = original_source.replace("for sample_idx in range(20):", "for sample_idx in range(len(docs[:20])):")
    with pytest.raises(
        WorkbenchError, match=r"attempt.py has no module-level loop `for \.\.\. in range\(N\)`.*num_samples"
    ):
        rewrite_knobs(source, {"num_samples": 5}, plan=plan, step_number=None, source_name="attempt.py")
    with pytest.raises(
        WorkbenchError, match=r"^the quick profile sets num_samples to 5, but attempt.py has no .*--profile"
    ):
        rewrite_knobs(
            source, {"num_samples": 5}, plan=plan, step_number=None, source_name="attempt.py", profile="quick"
        )


def test_the_plan_own_steps_keep_every_knob_as_the_original(plan: Plan, original_source: str) -> None:
    knobs = discover_knobs(original_source)
    for step in plan.steps:
        source = plan.step_path(step).read_text(encoding="utf-8")
        assert knob_departures(source, knobs, plan=plan, step_number=step.number) == [], step.file_name


def test_a_changed_knob_is_named_with_the_original_value(plan: Plan, original_source: str) -> None:
    """What a profile's rewriting would hide: fewer training steps, no samples, another seed."""
    step = plan.step(10)
    source = plan.step_path(step).read_text(encoding="utf-8")
    changed = (
        source.replace("number_of_steps = 500", "number_of_steps = 9")
        .replace("for sample_index in range(20):", "for sample_index in range(0):")
        .replace("random.seed(42)", "random.seed(43)")
        .replace("embedding_dimension = 16", "embedding_dimension = 12")
    )
    assert changed.count("\n") == source.count("\n") and changed != source
    departures = knob_departures(changed, discover_knobs(original_source), plan=plan, step_number=10)
    assert departures == [
        "embedding_dimension = 12 (the original: 16)",
        "number_of_steps = 9 (the original: 500)",
        "random.seed(...) = 43 (the original: 42)",
        "the samples loop's range(...) = 0 (the original: 20)",
    ]
