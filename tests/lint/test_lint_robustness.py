"""The linter on varied real-world syntax: it must never crash, and it must still see."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from lint_helpers import DEFAULT_SETTINGS, counts, lint
from workbench.lint.engine import lint_file, lint_text, lint_texts
from workbench.lint.errors import SourceError
from workbench.plan import Plan
from workbench.programs import existing_programs

VARIED_SYNTAX = Path(__file__).parent / "data" / "varied_syntax.txt"
"""Python source kept as .txt: it uses Python 3.12 syntax that 3.11 cannot compile."""


def test_varied_syntax_is_linted_without_crashing() -> None:
    """async def/for/with, match, nested f-strings, decorators, nested classes, PEP 695,
    non-ASCII names, star-expressions, try/except*/finally, global/nonlocal, one-liners."""
    result = lint_file(VARIED_SYNTAX, DEFAULT_SETTINGS)
    found = Counter(violation.name for violation in result.violations)
    assert found["no-class"] == 2  # Outer and the nested Inner
    assert found["no-global"] == 2  # nonlocal total, global counter
    assert found["no-with"] == 2  # async with, with
    assert found["no-decorator"] == 2
    assert found["no-generator"] == 2  # yield, yield from
    assert found["no-walrus"] == 1
    assert found["no-nested-conditional"] == 1
    assert found["allowed-imports"] == 2  # asyncio, the relative import
    assert found["one-statement-per-line"] == 6
    names = {violation.message.split("'")[1] for violation in result.violations if violation.name == "full-names"}
    assert {"größe", "π", "T", "args", "kwargs", "x", "y"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "type Alias = int\n",
        "def first[T](items: list[T]) -> T:\n    return items[0]\n",
        "class Box[T]:\n    pass\n",
        "text = f\"{'a' if True else f'{1:>{2}}'}\"\n",
        'value = {"a": 1}\ntext = f"{value["a"]}"\n',
        "try:\n    pass\nexcept* (ValueError, TypeError) as group:\n    pass\n",
        "async def main() -> None:\n    async for item in source():\n        pass\n",
        "match command:\n    case ['go', direction]:\n        pass\n    case {'x': 0, **rest}:\n        pass\n",
        "first, *middle, last = range(5)\nprint(*middle, **{})\n",
        "if True: pass\n",
        "\ufeffvalue = 1\n",
        "# only a comment\n",
        "",
        "lambda: (yield)\n",
        "def outer() -> None:\n    def inner() -> None:\n        nonlocal_value = 1\n    global shared\n",
        "x: int\nx = 1\n",
        "del registry[0], other\n",
        "print(*[1], *(2,), **{'sep': ''})\n",
        "import a.b.c as d\nfrom e import (f as g, h)\n",
        "résumé = 1\nclass Größe:\n    pass\n",
    ],
)
def test_snippets_do_not_crash(source: str) -> None:
    lint(source)


def test_pep_695_names_are_judged_per_binding() -> None:
    source = "def first[T](items: list[T]) -> T:\n    return items[0]\n\n\ndef last[T](items: list[T]) -> T:\n    return items[-1]\n"
    assert counts(source, "full-names") == {"full-names": 2}


def test_deeply_nested_code_is_a_clear_error_not_a_crash() -> None:
    source = "x = " + " + ".join(["1"] * 3000) + "\n"
    with pytest.raises(SourceError, match="nested too deeply"):
        lint_text(source, "deep.py", DEFAULT_SETTINGS)


def test_all_snapshots_lint_in_a_few_seconds(plan: Plan) -> None:
    """Twelve files of a few hundred lines. The bound is generous (CI machines are shared);
    on an idle two-core machine this takes about three seconds."""
    sources = [
        (snapshot.path.read_text(encoding="utf-8"), f"timed/{snapshot.label}.py")
        for snapshot in existing_programs(plan)
    ]
    start = time.perf_counter()
    results = lint_texts(sources, DEFAULT_SETTINGS)
    elapsed = time.perf_counter() - start
    assert len(results) == len(sources)
    assert elapsed < 60, f"linting {len(sources)} files took {elapsed:.1f} s"
