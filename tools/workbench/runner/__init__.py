"""The runner: check programs of the plan against the original, in parallel, and record verdicts.

One module per job:

- settings: profile, knobs, dataset and limits, validated before anything runs;
- knobs: the original's numeric constants, found and rewritten with libcst;
- schedule: each program prepared once, each run scheduled once, run in parallel;
- execute (with driver and transcript): one program in its own temporary directory;
- crash: a crash as the driver records it inside the program: exception, suggestion, frames, loops;
- reference: where expected results come from (golden files, the run cache);
- equivalence: comparing output and parameters, as named claims;
- judge: one program's claims and verdict; approve: --approve's golden files;
- results: what a check produced, and the exit code; check: the entry point;
- explain: the one door for "check this file and explain it": the check, then the crash,
  the first differing line, parameter and training step (first_step), and the place at fault, as data;
- records: the verdict record (written and read here only);
- report, table, progress: how results and running programs are shown.
"""
