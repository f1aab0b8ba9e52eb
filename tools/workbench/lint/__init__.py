"""A libcst linter for the workbench's data-oriented paradigm and code style invariants.

The rules state the data-oriented paradigm and the code style the step snapshots follow.
Each rule lives in its own module under `rules/`, with its documentation and its valid and
invalid examples as data next to it; the tests run those examples, `lint_style.py
--list-rules` lists the rules and `lint_style.py --explain RULE` shows one.

Modules, one job each:
    rule.py          what a rule is: code, name, documentation, examples, check
    violation.py     one violation at one place
    errors.py        the errors that end in one sentence and exit status 2
    source.py        read a file (regular files only) and parse it once, indexing nodes,
                     parents, positions and scopes
    syntax_check.py  CPython's verdict on the syntax first (compile())
    deep_stack.py    run the analysis in a thread deep enough for any file CPython compiles
    expressions.py   shared questions about expressions (is this a constant? a container?)
    words.py         the English word list, the glossary and the abbreviation table
    config.py        [tool.lint_style] in pyproject.toml, validated
    rules/           one module per rule; rules/__init__.py is the catalogue
    suppressions.py  `# lint: allow[rule] reason` comments, and the two meta rules
    engine.py        lint source texts and files with the selected rules, remembering results
    workers.py       worker processes: parallel, each file bounded in time, ended with the run
    result_cache.py  results kept between runs, keyed by a content hash
    discovery.py     which files, with which configuration (nearest pyproject, excludes, git)
    fixes.py         the provably safe fixes (--fix, --diff)
    report.py        text (rich), JSON, GitHub annotation and Markdown output
    sarif.py         SARIF 2.1.0 output
    command.py       the lint_style.py command line (also `python -m workbench.lint`, microgpt-lint)
    explain.py       --explain and --list-rules
    gate.py          the gate over the original and the steps, as a pure function
    gate_report.py   the debt burn-down table and the list of gate failures
    api.py           the small API other tools use: rule_counts, lint_source
"""
