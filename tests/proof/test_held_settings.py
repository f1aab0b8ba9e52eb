"""The proof matrix touches every knob of the original and the names file."""

from __future__ import annotations

from pathlib import Path

from workbench.proof.held_settings import HELD_SETTINGS, VARIANT_DATASET
from workbench.runner.knobs import discover_knobs


def test_every_knob_of_the_original_is_moved_by_some_held_setting(project_root: Path) -> None:
    knobs = discover_knobs((project_root / "original" / "microgpt.py").read_text(encoding="utf-8"))
    moved: set[str] = set()
    for setting in HELD_SETTINGS:
        for assignment in setting.assignments:
            name, value = assignment.split("=")
            assert name in knobs, f"{setting.name} sets {name}, which is not a knob"
            if float(value) != float(knobs[name].default):
                moved.add(name)
    assert moved == set(knobs), f"no held setting moves {sorted(set(knobs) - moved)}"
    assert any(setting.dataset == VARIANT_DATASET for setting in HELD_SETTINGS)


def test_the_head_width_is_not_the_default_in_some_setting() -> None:
    """A file that hard-codes head_dim = 4 must meet a setting where it is not 4."""
    widths = []
    for setting in HELD_SETTINGS:
        values = dict(assignment.split("=") for assignment in setting.assignments)
        embedding, heads = int(values.get("n_embd", 16)), int(values.get("n_head", 4))
        widths.append(embedding // heads)
    assert any(width != 4 for width in widths)
