"""The variant names file differs from the standard one in every way a specialised file could depend on."""

from __future__ import annotations

from pathlib import Path

from workbench.proof.variant_names import variant_names_text


def test_the_variant_has_another_alphabet_and_another_document_count(names_file: Path) -> None:
    standard = names_file.read_text(encoding="utf-8")
    variant = variant_names_text(standard)
    standard_documents = [line for line in standard.split("\n") if line]
    variant_documents = [line for line in variant.split("\n") if line]
    assert 0 < len(variant_documents) < len(standard_documents) // 2
    standard_alphabet = set("".join(standard_documents))
    variant_alphabet = set("".join(variant_documents))
    assert any(character.isupper() for character in variant_alphabet)
    assert "-" in variant_alphabet
    assert {"é", "ø"} <= variant_alphabet
    assert variant_alphabet - standard_alphabet
    assert variant.endswith("\n") and "\n\n" not in variant


def test_the_variant_is_the_same_every_time(names_file: Path) -> None:
    standard = names_file.read_text(encoding="utf-8")
    assert variant_names_text(standard) == variant_names_text(standard)
    assert variant_names_text(standard) != variant_names_text(standard.replace("emma", "emmy", 1))
