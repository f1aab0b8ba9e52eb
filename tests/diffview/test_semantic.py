"""The libcst summary on hand-made pairs of programs."""

from __future__ import annotations

import textwrap

import pytest

from workbench.diffview.semantic import DefinitionChange, Kind, Status, UnparsableSource, summarize


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip()


def change_named(changes: tuple[DefinitionChange, ...], name: str) -> DefinitionChange:
    matches = [change for change in changes if change.name == name]
    assert len(matches) == 1, f"expected one change named {name}, got {changes}"
    return matches[0]


BEFORE = code(
    """
    import math

    n_embd = 16
    head_dim = n_embd // 4

    class Value:
        def __init__(self, data):
            self.data = data

        def log(self):
            return Value(math.log(self.data))

    def linear(x, w):
        return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]

    def softmax(logits):
        total = sum(logits)
        return [value / total for value in logits]

    def unused(a):
        return a

    print(n_embd, head_dim)
    """
)


def test_a_rename_is_confirmed_with_its_number_of_sites() -> None:
    after = BEFORE.replace("n_embd", "embedding_dimension")
    summary = summarize(BEFORE, after, {"n_embd": "embedding_dimension"})
    (evidence,) = summary.renames
    assert (evidence.old, evidence.new, evidence.sites) == ("n_embd", "embedding_dimension", 3)
    assert evidence.confirmed
    renamed = change_named(summary.changes, "embedding_dimension")
    assert (renamed.kind, renamed.status, renamed.old_name) == (Kind.NAME, Status.RENAMED, "n_embd")
    # head_dim's binding only differs by the planned rename: not reported as changed.
    assert change_named(summary.changes, "head_dim").status is Status.IDENTIFIERS_RENAMED


def test_attribute_names_and_comments_are_not_identifier_sites() -> None:
    before = "n_embd = 1\nconfig.n_embd = n_embd  # n_embd\n"
    after = "embedding_dimension = 1\nconfig.n_embd = embedding_dimension  # n_embd\n"
    (evidence,) = summarize(before, after, {"n_embd": "embedding_dimension"}).renames
    assert (evidence.old_sites_before, evidence.new_sites_after, evidence.old_sites_after) == (2, 2, 0)


def test_a_planned_rename_the_code_does_not_show_is_a_warning() -> None:
    after = BEFORE.replace("def unused(a)", "def unused_too(a)")
    summary = summarize(BEFORE, after, {"n_embd": "embedding_dimension", "ghost": "spirit"})
    by_old = {evidence.old: evidence for evidence in summary.renames}
    still_there = by_old["n_embd"].problems("step 01", "step 02")
    assert not by_old["n_embd"].confirmed
    assert "embedding_dimension does not occur in step 02" in still_there
    assert by_old["ghost"].problems("step 01", "step 02") == (
        "ghost does not occur in step 01",
        "spirit does not occur in step 02",
    )


def test_old_name_left_at_every_site_is_reported_even_if_the_new_name_appears() -> None:
    after = BEFORE + "embedding_dimension = 32\n"
    (evidence,) = summarize(BEFORE, after, {"n_embd": "embedding_dimension"}).renames
    assert evidence.problems("before", "after") == ("n_embd is still at all 3 of its sites in after",)


def test_a_partial_rename_is_confirmed_and_counts_the_sites_left() -> None:
    # Like m/v in step 01: the module-level v is renamed, a local v elsewhere stays.
    before = "v = [0.0]\nv[0] = 1.0\ndef f(x):\n    v = x\n    return v\n"
    after = "second_moment = [0.0]\nsecond_moment[0] = 1.0\ndef f(x):\n    v = x\n    return v\n"
    (evidence,) = summarize(before, after, {"v": "second_moment"}).renames
    assert evidence.confirmed
    assert (evidence.sites, evidence.old_sites_after) == (2, 2)


def test_added_and_removed_functions() -> None:
    after = BEFORE.replace("def unused(a):\n    return a\n", "def tape_add(tape, a, b):\n    return a + b\n")
    changes = summarize(BEFORE, after, {}).changes
    assert change_named(changes, "unused").status is Status.REMOVED
    added = change_named(changes, "tape_add")
    assert (added.kind, added.status) == (Kind.FUNCTION, Status.ADDED)
    assert {change.name for change in changes} == {"unused", "tape_add"}


def test_a_deleted_class() -> None:
    start = BEFORE.index("class Value:")
    end = BEFORE.index("def linear")
    after = BEFORE[:start] + BEFORE[end:]
    changes = summarize(BEFORE, after, {}).changes
    deleted = change_named(changes, "Value")
    assert (deleted.kind, deleted.status) == (Kind.CLASS, Status.REMOVED)
    # Its methods go with it: not listed one by one.
    assert not [change for change in changes if change.name.startswith("Value.")]


def test_a_changed_signature_shows_old_and_new_parameters() -> None:
    after = BEFORE.replace("def linear(x, w):", "def linear(x, parameters, matrix_offset):")
    change = change_named(summarize(BEFORE, after, {}).changes, "linear")
    assert change.status is Status.CHANGED
    assert change.signature_changed and not change.body_changed
    assert change.old_signature == "linear(x, w)"
    assert change.new_signature == "linear(x, parameters, matrix_offset)"


def test_a_changed_body_keeps_the_signature() -> None:
    after = BEFORE.replace(
        "return [value / total for value in logits]", "return [value * total ** -1 for value in logits]"
    )
    change = change_named(summarize(BEFORE, after, {}).changes, "softmax")
    assert change.status is Status.CHANGED
    assert change.body_changed and not change.signature_changed
    assert change.old_signature is None


def test_a_changed_method_is_named_with_its_class() -> None:
    after = BEFORE.replace("return Value(math.log(self.data))", "return Value(math.log(self.data) + 0)")
    changes = summarize(BEFORE, after, {}).changes
    assert change_named(changes, "Value").status is Status.CHANGED
    assert change_named(changes, "Value.log").body_changed


def test_an_added_module_level_name() -> None:
    after = BEFORE.replace("head_dim = n_embd // 4\n", "head_dim = n_embd // 4\nparameter_data: list[float] = []\n")
    changes = summarize(BEFORE, after, {}).changes
    added = change_named(changes, "parameter_data")
    assert (added.kind, added.status) == (Kind.NAME, Status.ADDED)
    assert len(changes) == 1


def test_a_changed_module_level_binding() -> None:
    after = BEFORE.replace("n_embd = 16", "n_embd = 32")
    change = change_named(summarize(BEFORE, after, {}).changes, "n_embd")
    assert (change.kind, change.status) == (Kind.NAME, Status.CHANGED)


def test_comments_and_spacing_are_not_a_change_of_code() -> None:
    after = BEFORE.replace("    total = sum(logits)\n", "    # the sum of the logits\n    total = sum( logits )\n")
    change = change_named(summarize(BEFORE, after, {}).changes, "softmax")
    assert change.status is Status.FORMATTING_ONLY


def test_a_function_renamed_beside_a_new_one_of_the_old_name() -> None:
    # Step 04's shape: linear becomes linear_value, and a new linear is written beside it.
    after = (
        BEFORE.replace("def linear(x, w):", "def linear_value(x, w):")
        + "\ndef linear(tape, x, offset):\n    return []\n"
    )
    changes = summarize(BEFORE, after, {"linear": "linear_value"}).changes
    renamed = change_named(changes, "linear_value")
    assert (renamed.status, renamed.old_name) == (Status.RENAMED, "linear")
    assert change_named(changes, "linear").status is Status.ADDED


def test_a_rename_inside_a_body_is_not_a_change_of_that_body() -> None:
    after = BEFORE.replace("zip(row, x)", "zip(row, input_vector)").replace(
        "def linear(x, w)", "def linear(input_vector, w)"
    )
    change = change_named(summarize(BEFORE, after, {"x": "input_vector"}).changes, "linear")
    assert change.status is Status.IDENTIFIERS_RENAMED
    assert not change.signature_changed and not change.body_changed


def test_a_file_that_does_not_parse_is_named() -> None:
    with pytest.raises(UnparsableSource, match="steps/03_x.py is not valid Python"):
        summarize(BEFORE, "def broken(:\n", {}, new_label="steps/03_x.py")
