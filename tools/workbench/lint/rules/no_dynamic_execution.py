"""DOD601 no-dynamic-execution: no code run or loaded at run time, no reading Python source."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import Assignment

from workbench.lint.rule import Finding, invalid, make_rule, valid
from workbench.lint.source import SourceContext

DYNAMIC_BUILTINS: frozenset[str] = frozenset(
    ("builtins.exec", "builtins.eval", "builtins.compile", "builtins.__import__")
)
DYNAMIC_MODULES: frozenset[str] = frozenset(("importlib", "runpy"))
OPENING_FUNCTIONS: frozenset[str] = frozenset(("builtins.open", "io.open", "codecs.open", "tokenize.open", "os.open"))
PATH_CONSTRUCTORS: frozenset[str] = frozenset(
    ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath", "os.path.join")
)
READING_METHODS: frozenset[str] = frozenset(("read_text", "read_bytes", "open"))
SOURCE_SUFFIXES: tuple[str, ...] = (".py", ".pyw", ".pyi")


def check(context: SourceContext) -> Iterator[Finding]:
    for node in context.nodes_of(cst.Name, cst.Attribute):
        assert isinstance(node, cst.Name | cst.Attribute)
        names = context.qualified_names(node) & DYNAMIC_BUILTINS
        if names:
            function = min(names).removeprefix("builtins.")
            yield Finding(
                node,
                f"{function}(): code built or loaded at run time hides what the program does; write the code itself",
            )
    for statement in context.nodes_of(cst.Import, cst.ImportFrom):
        module = _imported_module(statement)
        if module is not None and module.split(".")[0] in DYNAMIC_MODULES:
            yield Finding(
                statement,
                f"import of {module}: loading or running modules by name hides what the program does; import what you use",
            )
    for call in context.nodes_of(cst.Call):
        assert isinstance(call, cst.Call)
        if _opens_python_source(call, context):
            yield Finding(
                call, "reads a Python source file: code is imported, never read as data or executed from text"
            )


def _imported_module(statement: cst.CSTNode) -> str | None:
    if isinstance(statement, cst.ImportFrom):
        if statement.module is None or statement.relative:
            return None
        return get_full_name_for_node(statement.module)
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            name = get_full_name_for_node(alias.name)
            if name is not None and name.split(".")[0] in DYNAMIC_MODULES:
                return name
    return None


def _opens_python_source(call: cst.Call, context: SourceContext) -> bool:
    """open('x.py'), io.open(__file__), Path('x.py').read_text(), (folder / 'x.py').open()."""
    if context.qualified_names(call.func) & OPENING_FUNCTIONS:
        return len(call.args) > 0 and names_python_source(call.args[0].value, context)
    function = call.func
    if isinstance(function, cst.Attribute) and function.attr.value in READING_METHODS:
        return names_python_source(function.value, context)
    return False


def names_python_source(expression: cst.BaseExpression, context: SourceContext, depth: int = 0) -> bool:
    """True when the expression visibly names a .py file: a string ending in .py, the
    module's own `__file__`, a path built from one, or a name bound only to such a value."""
    if depth > 8:
        return False
    match expression:
        case cst.SimpleString():
            value = expression.evaluated_value
            return isinstance(value, str) and value.endswith(SOURCE_SUFFIXES)
        case cst.FormattedString():
            last = expression.parts[-1] if expression.parts else None
            return isinstance(last, cst.FormattedStringText) and last.value.endswith(SOURCE_SUFFIXES)
        case cst.ConcatenatedString():
            return names_python_source(expression.right, context, depth + 1)
        case cst.BinaryOperation():
            return isinstance(expression.operator, cst.Divide | cst.Add) and names_python_source(
                expression.right, context, depth + 1
            )
        case cst.Call():
            if context.qualified_names(expression.func) & PATH_CONSTRUCTORS:
                return any(names_python_source(argument.value, context, depth + 1) for argument in expression.args[-1:])
            return False
        case cst.Name():
            if expression.value == "__file__":
                return True
            return _bound_only_to_source(expression, context, depth)
    return False


def _bound_only_to_source(name: cst.Name, context: SourceContext, depth: int) -> bool:
    referents = context.referents(name)
    if not referents:
        return False
    for referent in referents:
        if not isinstance(referent, Assignment) or not isinstance(referent.node, cst.Name):
            return False
        holder = context.parent(referent.node)
        statement = context.parent(holder) if isinstance(holder, cst.AssignTarget) else holder
        value = statement.value if isinstance(statement, cst.Assign | cst.AnnAssign) else None
        if value is None or not names_python_source(value, context, depth + 1):
            return False
    return True


RULE = make_rule(
    code="DOD601",
    name="no-dynamic-execution",
    summary="no exec, eval, compile, __import__, importlib or runpy, and no reading .py files",
    flags="""
        Any use of the builtins `exec`, `eval`, `compile` and `__import__` (called or passed
        around, also as `builtins.eval`); any import of `importlib` or `runpy` (or their
        submodules); and any call that opens a Python source file: `open(...)`,
        `io.open(...)`, `Path(...).read_text()`, `.read_bytes()` or `.open()` on a path
        that visibly names a `.py` file (a string ending in .py, `__file__`, a path built
        from one with `/` or `Path(...)`, or a name bound only to such a value).
    """,
    why="""
        A snapshot is read top to bottom: every statement that runs is on the page. Code
        built from text, modules loaded by name, and source files read as data break that:
        what runs depends on strings and on other files, which neither the reader nor
        the linter can see. A step that reads another step's source (to reuse a function,
        say) couples two snapshots that must each stand alone.
    """,
    fix="""
        Write the code that should run; import what you use with a plain import
        statement; copy the function you need into the snapshot instead of reading
        another file.
    """,
    example="""
        source = open('shared_code.py').read()
        exec(source)
    """,
    fixed_example="""
        def softmax(logits: list[float]) -> list[float]:
            total = 0.0
            for value in logits:
                total += value
            return [value / total for value in logits]
    """,
    valid_examples=(
        valid("import re\npattern = re.compile('a+')\n", "re.compile is not the builtin compile"),
        valid("names = open('input.txt').read()\n", "opening a data file"),
        valid("text = 'eval(expression)'\n", "the word inside a string"),
        valid(
            "def evaluate(model: int) -> int:\n    return model\n\nloss = evaluate(3)\n",
            "a function whose name contains eval",
        ),
        valid(
            "from pathlib import Path\nexists = Path('setup.py').exists()\n",
            "asking whether a .py file exists does not read it",
        ),
        valid("import json\ntable = json.loads('{}')\n", "parsing data is not running code"),
    ),
    invalid_examples=(
        invalid("result = eval('1 + 2')\n", "eval of a string"),
        invalid("exec('total = 1')\n", "exec"),
        invalid("code = compile('1', 'x', 'eval')\n", "the builtin compile"),
        invalid("math = __import__('math')\n", "__import__"),
        invalid("import importlib\nmodule = importlib.import_module('math')\n", "importlib"),
        invalid("from importlib.util import spec_from_file_location\n", "a submodule of importlib"),
        invalid("import runpy\n", "runpy"),
        invalid("source = open('shared_code.py').read()\n", "open of a .py file"),
        invalid(
            "from pathlib import Path\nsource = Path('steps/01_flatten.py').read_text()\n",
            "Path(...).read_text() of a .py file",
        ),
        invalid(
            "from pathlib import Path\nfolder = Path('steps')\nsource = (folder / 'step.py').read_bytes()\n",
            "a path joined with /",
        ),
        invalid("own_source = open(__file__).read()\n", "the module's own source"),
        invalid(
            "module_path = 'tape.py'\nsource = open(module_path, encoding='utf-8').read()\n",
            "a name bound to a .py path",
        ),
        invalid("import builtins\nrun = builtins.exec\n", "exec passed around, not called"),
    ),
    check=check,
)
