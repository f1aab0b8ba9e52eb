"""[tool.lint_style]: additions take effect, and every malformed entry is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_helpers import lint
from workbench.lint.config import STANDARD_ALLOWED_MODULES, load_config
from workbench.lint.errors import ConfigError


def write_pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[project]\nname = 'example'\n\n[tool.lint_style]\n{body}\n", encoding="utf-8")
    return path


def test_the_project_configuration_loads(project_root: Path) -> None:
    config = load_config(project_root / "pyproject.toml")
    assert config.allowed_modules >= STANDARD_ALLOWED_MODULES


def test_no_section_means_no_additions(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'example'\n", encoding="utf-8")
    config = load_config(path)
    assert not config.allowed_words and not config.abbreviations and config.allowed_modules == STANDARD_ALLOWED_MODULES


def test_additions_take_effect(tmp_path: Path) -> None:
    config = load_config(
        write_pyproject(
            tmp_path,
            'allowed-words = ["nout"]\nabbreviations = { hdim = "head_dimension" }\nallowed-modules = ["dataclasses"]',
        )
    )
    assert not lint("nout = 1\n", "full-names", config=config)
    (violation,) = lint("hdim = 1\n", "full-names", config=config)
    assert violation.message.endswith("write 'head_dimension'")
    assert not lint("import dataclasses\n", "allowed-imports", config=config)
    assert lint("import dataclasses\n", "allowed-imports")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('allowed_words = ["x"]', "unknown key 'allowed_words'"),
        ('glossary = ["x"]', "unknown key 'glossary'"),
        ('allowed-words = "nout"', "allowed-words must be a list of strings"),
        ("allowed-words = [1, 2]", "allowed-words must be a list of strings"),
        ('allowed-words = ["Nout"]', "must be one lower-case word"),
        ('allowed-words = ["two words"]', "must be one lower-case word"),
        ('abbreviations = ["hdim"]', "abbreviations must be a table"),
        ("abbreviations = { hdim = 3 }", "must map to a snake_case full form"),
        ('abbreviations = { hdim = "Head Dimension" }', "must map to a snake_case full form"),
        ('allowed-modules = ["numpy.linalg"]', "must be a top-level module name"),
        ("allowed-modules = 3", "allowed-modules must be a list of strings"),
        ('allowed-words = ["max"]', "'max' cannot be both an allowed word and an abbreviation"),
        ('allowed-words = ["hdim"]\nabbreviations = { hdim = "head_dimension" }', "'hdim' cannot be both"),
    ],
)
def test_malformed_configuration_is_a_clear_error(tmp_path: Path, body: str, words: str) -> None:
    path = write_pyproject(tmp_path, body)
    with pytest.raises(ConfigError, match=words) as caught:
        load_config(path)
    assert "[tool.lint_style]" in str(caught.value)


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.lint_style\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_a_named_configuration_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")
