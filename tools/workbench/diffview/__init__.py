"""Walking the plan's commits: what changed between two snapshots, as data, then as text.

- semantic: the libcst summary (definitions and module-level names added, removed,
  changed; renames confirmed in the code with their site counts).
- textdiff: line diffs with token-level highlights inside replaced lines, as data.
- run_records: the runner's cached verdicts; style_debt: the linter's rule counts.
- comparison: one pair of snapshots with everything above, ready to render.
- selection: turning command-line names ("07", "03..07", "original 11") into pairs.
- render: rich renderables for the header, summary, diff and step list.
- export: writing what was shown as HTML or SVG, never overwriting silently.
"""
