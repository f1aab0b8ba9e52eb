"""The verdict on syntax is CPython's: a file the running Python cannot compile is refused.

One exception: syntax newer than the running Python (PEP 695 generics on 3.11, say) that
libcst's grammar knows is still linted, because the style rules do not depend on which
Python runs the linter. Limits of CPython itself (too many nested parentheses, nesting
the compiler cannot recurse through) and errors found after parsing (`return` outside a
function) are always refused.
"""

from __future__ import annotations

import ast
import warnings

from workbench.lint.errors import SourceError

LIMIT_MESSAGE_PREFIX = "too many"
"""CPython's limits speak this way: 'too many nested parentheses', 'too many levels of
indentation', 'too many statically nested blocks'."""


def compile_error(text: str, path: str) -> SourceError | None:
    """None when CPython compiles `text`; otherwise the error to report, in one sentence."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not our business
            compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        return SourceError(_describe(path, error))
    except (RecursionError, MemoryError):
        return SourceError(f"{path}: Python itself cannot compile this file: it is nested too deeply")
    except ValueError as error:  # e.g. "source code string cannot contain null bytes"
        return SourceError(f"{path}: Python itself cannot compile this file: {error}")
    return None


def is_newer_syntax(text: str, path: str, error: SourceError) -> bool:
    """True when CPython's parser (not its later stages, not its limits) rejected the text:
    then libcst, which knows newer grammar, is allowed to decide."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text, filename=path)
    except SyntaxError as parser_error:
        return not (parser_error.msg or "").startswith(LIMIT_MESSAGE_PREFIX)
    except (RecursionError, MemoryError, ValueError):
        return False
    return False  # the parser accepted it: a later stage of compile() refused it


def _describe(path: str, error: SyntaxError) -> str:
    line = error.lineno or 1
    column = error.offset or 1
    return f"{path}:{line}:{column}: cannot parse this file: {error.msg}"
