"""DOD900 suppression-without-reason and DOD901 unused-suppression: the meta rules.

Their checks live in workbench.lint.suppressions, which runs after every other rule;
this module holds their documentation and examples.
"""

from __future__ import annotations

from workbench.lint.rule import invalid, make_rule, valid

SUPPRESSION_WITHOUT_REASON = make_rule(
    code="DOD900",
    name="suppression-without-reason",
    summary="a suppression comment must name its rules and give a reason",
    flags="""
        A `# lint: allow[...]`, `allow-block[...]` or `allow-file[...]` comment with
        nothing after the closing bracket (no reason), and any comment starting `# lint:`
        that is not of one of those forms. A suppression without a reason still suppresses
        the rules it names, so the only thing to fix is the missing reason.
    """,
    why="""
        A suppression is a deliberate exception to the paradigm, and the workbench is about
        explaining decisions. The reason is what lets the next reader (or the instructor)
        judge the exception instead of inheriting it.
    """,
    fix="""
        Write why the exception is deliberate after the bracket:
        `# lint: allow[no-lambda] the key function is one comparison`. Rules may be named by
        code or name: `allow[DOD404]`, `allow[no-lambda, no-chained-calls]`.
    """,
    example="""
        key_of = lambda pair: pair[1]  # lint: allow[no-lambda]
    """,
    fixed_example="""
        key_of = lambda pair: pair[1]  # lint: allow[no-lambda] sorting needs a key function here
    """,
    valid_examples=(
        valid(
            "key_of = lambda pair: pair[1]  # lint: allow[no-lambda] sorting needs a key\n", "a named rule and a reason"
        ),
        valid("key_of = lambda pair: pair[1]  # lint: allow[DOD404] sorting needs a key\n", "a rule named by its code"),
        valid("total = 1  # an ordinary comment\n", "not a lint directive"),
        valid("total = 1  # linting: later\n", "only '# lint:' starts a directive"),
        valid(
            "text = open('a').read()  # lint: allow[no-chained-calls, no-with] a one-off read in a test helper\n",
            "two rules and one reason (the unused no-with is DOD901's business)",
        ),
    ),
    invalid_examples=(
        invalid("key_of = lambda pair: pair[1]  # lint: allow[no-lambda]\n", "no reason"),
        invalid("key_of = lambda pair: pair[1]  # lint: allow[no-lambda]   \n", "only spaces after the bracket"),
        invalid("key_of = lambda pair: pair[1]  # lint: allow no-lambda because\n", "no brackets: malformed"),
        invalid("key_of = lambda pair: pair[1]  # lint: allow[no-lambda] ...\n", "punctuation is not a reason"),
        invalid("total = 1  # lint: ignore everything\n", "an unknown directive"),
    ),
    check=None,
)

UNUSED_SUPPRESSION = make_rule(
    code="DOD901",
    name="unused-suppression",
    summary="a suppression comment must suppress something",
    flags="""
        A rule named in a suppression that reports nothing in its reach (its line; for
        allow-block the next statement and its block; for allow-file the file), and a
        name that is not a rule at all. Only rules that ran are judged: with
        `--select no-lambda`, a suppression of no-class is not reported as unused.
    """,
    why="""
        A stale suppression claims an exception that no longer exists; as the debt burns
        down step by step, it would hide the next real violation on that line.
    """,
    fix="Remove the suppression (or the rule's name from it), or fix the rule name.",
    example="""
        total = 1  # lint: allow[no-lambda] left over from an older version
    """,
    fixed_example="""
        total = 1
    """,
    valid_examples=(
        valid(
            "double = lambda value: value * 2  # lint: allow[no-lambda] a one-line demo\n", "the suppression is used"
        ),
        valid("total = 1\n", "no suppression at all"),
        valid(
            "double = lambda value: value * 2  # lint: allow[no-lambda]\n",
            "no reason is DOD900's business, and it is used",
        ),
        valid("key_of = lambda pair: pair[1]  # lint: allow[DOD404] needed\n", "used, named by code"),
        valid(
            "words = text.strip().split()  # lint: allow[no-chained-calls] a one-off\n",
            "a chain suppressed where it is reported",
        ),
        valid(
            """
            # lint: allow-block[no-class, no-dunder] a record type kept for the comparison
            class Record:
                def __init__(self, value: int) -> None:
                    self.value = value
            """,
            "a block suppression: the next statement with its whole block",
        ),
        valid(
            """
            # lint: allow-file[no-lambda] generated code keeps the upstream shape
            double = lambda value: value * 2
            triple = lambda value: value * 3
            """,
            "a file suppression",
        ),
    ),
    invalid_examples=(
        invalid("total = 1  # lint: allow[no-lambda] nothing to suppress here\n", "nothing to suppress"),
        invalid("total = 1  # lint: allow[no-lamda] typo\n", "an unknown rule name"),
        invalid(
            "double = lambda value: value * 2  # lint: allow[no-lambda, no-class] one used, one not\n",
            "one of two names is unused",
        ),
        invalid("total = 1  # lint: allow[no-lambda, no-class] neither is used\n", "each unused name counts", count=2),
        invalid(
            """
            double = lambda value: value * 2
            # lint: allow[no-lambda] on the wrong line
            """,
            "a suppression applies to its own line only",
        ),
        invalid(
            """
            # lint: allow-block[no-class] a record type for the tests
            def double(value: int) -> int:
                return value * 2
            """,
            "a block suppression over a block where the rule reports nothing",
        ),
    ),
    check=None,
)
