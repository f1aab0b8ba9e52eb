"""DOD110 hidden-state judges a module-level value by what it is at run time: every way of
making a mutable container, crossed with every way a function changes it, is reported
once; values chosen once and only read are not."""

from __future__ import annotations

import pytest

from lint_helpers import lint

CREATIONS = {
    "list display": "DATA = [1, 2]",
    "dict display": "DATA = {0: 1, 1: 2}",
    "annotated list": "DATA: list[int] = [1, 2]",
    "repeated display": "DATA = [0] * 3",
    "list()": "DATA = list(range(3))",
    "dict()": "DATA = dict.fromkeys(range(3), 0)",
    "empty list()": "DATA = list()",
    "bytearray()": "DATA = bytearray(3)",
    "collections.defaultdict": "import collections\nDATA = collections.defaultdict(int)",
    "from collections import deque": "from collections import deque\nDATA = deque([1, 2, 3])",
    "collections.OrderedDict": "import collections\nDATA = collections.OrderedDict.fromkeys(range(3), 0)",
    "collections.Counter": "import collections\nDATA = collections.Counter('abc')",
    "list comprehension": "DATA = [number for number in range(3)]",
    "dict comprehension": "DATA = {number: number for number in range(3)}",
    "str method split": "DATA = 'a b c'.split()",
    "str.split on the type": "DATA = str.split('a b c')",
    "rsplit": "DATA = 'a,b,c'.rsplit(',')",
    "splitlines": "DATA = 'a b c'.replace(' ', chr(10)).splitlines()",
    "sorted": "DATA = sorted('cab')",
    "copy of a display": "DATA = [1, 2, 3].copy()",
    "copy.deepcopy": "import copy\nDATA = copy.deepcopy([1, 2, 3])",
    "typing.cast": "import typing\nDATA = typing.cast(list[str], 'a b'.split())",
    "max of lists": "DATA = max([1, 2], [3])",
    "sum of lists": "DATA = sum([[1], [2]], [])",
}

CHANGES = {
    "append": "DATA.append(1)",
    "pop": "DATA.pop()",
    "clear": "DATA.clear()",
    "item assignment": "DATA[0] = 1",
    "slice assignment": "DATA[0:1] = [1]",
    "augmented item": "DATA[0] += 1",
    "augmented name": "DATA += [1]",
    "del item": "del DATA[0]",
    "del slice": "del DATA[:]",
}


@pytest.mark.parametrize("creation", sorted(CREATIONS))
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_function_that_changes_a_module_level_container_is_reported_once(creation: str, change: str) -> None:
    source = f"{CREATIONS[creation]}\n\n\ndef change() -> None:\n    {CHANGES[change]}\n"
    found = [violation for violation in lint(source, "hidden-state")]
    assert len(found) == 1, [violation.message for violation in found]
    assert found[0].line == source.count("\n") and "change" in found[0].message and "'DATA'" in found[0].message


@pytest.mark.parametrize(
    "source",
    [
        "ORDER = tuple('c a b'.split())",
        "ORDER = frozenset(sorted('cab'))",
        "ORDER = max('c a b'.split())",
        "ORDER = sum([1, 2, 3])",
        "ORDER = min(3, 4)",
        "import typing\nORDER = typing.cast(str, 'abc')",
        "ORDER = tuple(range(3))",
        "ORDER = str.upper('abc')",
    ],
)
def test_an_immutable_value_built_through_a_list_and_only_read_is_not_reported(source: str) -> None:
    assert lint(f"{source}\n\n\ndef size() -> int:\n    return len(ORDER)\n", "hidden-state") == []


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("DATA = 'a b'.split()", "a new list from 'a b'.split(...)"),
        ("DATA = str.split('a b')", "a new list from str.split(...)"),
        ("import collections\nDATA = collections.deque()", "a new deque from collections.deque(...)"),
        ("DATA = dict.fromkeys('ab')", "a new dict from dict.fromkeys(...)"),
    ],
)
def test_the_message_says_what_made_the_container(source: str, words: str) -> None:
    messages = [
        violation.message
        for violation in lint(f"{source}\n\n\ndef grow() -> None:\n    DATA.append(1)\n", "hidden-state")
    ]
    assert len(messages) == 1 and words in messages[0] and "calls .append() on module-level 'DATA'" in messages[0]


def test_augmented_assignment_on_the_name_says_why_it_fails() -> None:
    messages = [
        violation.message for violation in lint("DATA = []\n\n\ndef grow() -> None:\n    DATA += [1]\n", "hidden-state")
    ]
    assert messages == [
        "grow changes module-level 'DATA' with +=, which makes 'DATA' local to grow (UnboundLocalError when it runs): pass it in as an argument"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "DATA = []\n\n\ndef total(values: list[int]) -> int:\n    DATA = 0\n    for value in values:\n        DATA += value\n    return DATA\n",
        "DATA = []\n\n\ndef grow(DATA: list[int]) -> None:\n    DATA += [1]\n",
        "def outer() -> list[int]:\n    DATA = [0]\n\n    def inner() -> None:\n        nonlocal DATA\n        DATA += [1]\n\n    inner()\n    return DATA\n",
        "def grow() -> None:\n    DATA += [1]\n",
    ],
    ids=["bound locally first", "a parameter", "a closure's nonlocal", "no module-level name"],
)
def test_augmented_assignment_on_a_local_name_is_not_hidden_state(source: str) -> None:
    assert lint(source, "hidden-state") == []
