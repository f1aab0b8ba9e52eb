"""Blame: the place at fault in a learner's file, found by replaying the reference's calls.

`engine.blame_attempt` is the one entry point. It records calls of the plan's own snapshot
(`recording`, in a subprocess, cached by content), replays them against the learner's
functions of the same names (`replay`, in a subprocess with a time limit), and when every
function agrees but the program does not, compares phase snapshots of the two programs to
name the module-level lines of the phase where they first depart (`phases`, `probes`).
"""
