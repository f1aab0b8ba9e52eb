"""Another names file, made deterministically from the standard one.

A program that hard-codes the a-z vocabulary, the number of documents or anything else
true only of the standard dataset must fail somewhere. This file differs in all of
those: fewer documents (every third name), capitals, accented letters and hyphenated
double names, so the vocabulary is larger and in another order. It is derived from the
standard file's text alone, with a fixed seed, so every machine makes the same bytes.
"""

from __future__ import annotations

import random

VARIANT_SEED = 20261203
"""Fixed: the variant must be the same file on every machine and every run."""

ACCENTED = {"a": "á", "e": "é", "o": "ø", "u": "ü", "n": "ñ"}
"""Letters replaced, now and then, by an accented form the standard file never has."""


def variant_names_text(standard_text: str) -> str:
    """The variant names file's text for the standard file's text (LF line ends, final newline)."""
    generator = random.Random(VARIANT_SEED)
    names = [line.strip() for line in standard_text.strip().split("\n") if line.strip()]
    kept = names[::3]
    variant: list[str] = []
    index = 0
    while index < len(kept):
        name = kept[index]
        draw = generator.random()
        if draw < 0.08 and index + 1 < len(kept):
            name = f"{name}-{kept[index + 1]}"
            index += 1
        letters = [ACCENTED.get(letter, letter) if generator.random() < 0.05 else letter for letter in name]
        name = "".join(letters)
        if generator.random() < 0.3:
            name = name[:1].upper() + name[1:]
        variant.append(name)
        index += 1
    return "\n".join(variant) + "\n"
