"""The held settings of a proof: other configurations an attempt must also agree under.

`--prove` runs the attempt under the chosen profile and then under each setting below, on
the quick profile. Together they touch every family of knobs, so a file specialised to the
defaults (one layer, head width 4, a fixed temperature, the a-z alphabet, the default run's
printed output) fails at least one of them:

- architecture: more layers and heads, a wider embedding whose head width is 6, longer blocks;
- an embedding width that the heads do not divide (the original's zip truncates the rest);
- optimizer and sampling: every Adam knob, the temperature, another number of steps, and
  25 samples (the quick profile draws 5, the original 20);
- another seed with more steps, and twenty training steps (the learning-rate schedule);
- another names file (capitals, accents, hyphens, a third of the documents).
"""

from __future__ import annotations

from dataclasses import dataclass

STANDARD_DATASET = "standard"
VARIANT_DATASET = "variant"


@dataclass(frozen=True)
class HeldSetting:
    """One configuration of the proof matrix: knob assignments by the original's names."""

    name: str
    assignments: tuple[str, ...]
    dataset: str = STANDARD_DATASET
    """'standard' (the names file of the run) or 'variant' (see variant_names)."""

    def describe(self) -> str:
        """'architecture (n_layer=2, n_head=2, ...)' for reports."""
        parts = [*self.assignments, *(["the variant names file"] if self.dataset == VARIANT_DATASET else [])]
        return f"{self.name} ({', '.join(parts)})"


HELD_SETTINGS: tuple[HeldSetting, ...] = (
    HeldSetting("architecture", ("n_layer=2", "n_head=2", "n_embd=12", "block_size=16")),
    HeldSetting("uneven head split", ("n_embd=10", "n_head=4", "n_layer=1")),
    HeldSetting(
        "optimizer and sampling",
        (
            "learning_rate=0.02",
            "beta1=0.85",
            "beta2=0.99",
            "eps_adam=1e-06",
            "temperature=0.9",
            "num_steps=6",
            "num_samples=25",
        ),
    ),
    HeldSetting("another seed", ("seed=7", "num_steps=15")),
    # Arithmetic that depends on the number of steps (the learning-rate schedule) is tried at
    # 20 too: `step / num_steps * math.pi` for `math.pi * step / num_steps` gives the same
    # floats at 2, 3, 6, 10 and 15 steps, not at 20.
    HeldSetting("more training steps", ("num_steps=20",)),
    HeldSetting("another names file", ("seed=3",), dataset=VARIANT_DATASET),
)
"""The proof matrix, run on the quick profile. Fixed: a proof means the same everywhere."""
