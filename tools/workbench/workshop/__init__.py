"""Workshop mode (tools/workshop.py): a learner walks the eleven commits in their own files.

Modules, one job each:
    checking.py   the runner's explained check (runner/explain.py) in the learner's words:
                  check_file() -> CheckOutcome (claims, first divergence), measurements,
                  reference diffs
    workspace.py  the workspace directory and its versioned state file (schema documented)
    skeleton.py   `start --skeleton`: the step with what it adds cut out (libcst)
    hints.py      the graded ladder of eight hints, from the plan data
    report.py     workspace/report.json for the facilitator (schema documented)
    collect.py    many learners' reports, read defensively, summarized
    render.py     how it looks: checklist, hints, progress list, diffs, tables
    commands.py   start, check, hint, list, next, reset, solution, prove, collect
    watch.py      rerun the check on save; single-key commands; no terminal needed for tests
    checking_state.py  watch's "checking step 07…" with the seconds so far while a check runs
    step_line.py  the step line of a started file's docstring, brought up to its step
"""
