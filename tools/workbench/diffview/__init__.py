"""Walking the plan's commits: what changed between two programs of the plan, as data, then as text.

- fingerprint: syntax trees without layout, compared up to renames.
- semantic: the libcst summary (definitions and module-level names added, removed,
  changed; renames confirmed in the code with their site counts).
- textdiff: line diffs with token-level highlights inside replaced lines, as data.
- style_debt: the linter's rule counts (the runner's verdicts are read through
  workbench.runner.records, the record's one owner).
- comparison: one pair of programs with everything above, ready to render.
- selection: turning command-line names ("07", "03..07", "original 11") into pairs.
- render: rich renderables for the header, summary and step list; diff_render: the diff.
- data: the same comparison as JSON or Markdown.
- export: writing what was shown as HTML or SVG, never overwriting silently.
"""
