"""Shared pieces of the workshop's tests: the CLI path, recorded outcomes, digests."""

from __future__ import annotations

import hashlib
import subprocess

from workbench.paths import installed_root
from workbench.workshop.checking import CheckOutcome, ClaimOutcome, Divergence
from workbench.workshop.commands import Session

PROJECT_ROOT = installed_root()
WORKSHOP = PROJECT_ROOT / "tools" / "workshop.py"


def output_of(session: Session) -> str:
    text: str = session.out.file.getvalue()  # type: ignore[attr-defined]
    return text


def fake_outcome(step: int, *, passes: bool) -> CheckOutcome:
    """A made-up check result, for tests of the workshop's own logic (state, watch)."""
    claims = (
        ClaimOutcome("the program runs", "runs", True, ""),
        ClaimOutcome("no class anywhere", "contract", passes, "" if passes else "class defined: Value"),
    )
    divergence = None if passes else Divergence("claim", "no class anywhere: does not hold", ("class defined: Value",))
    return CheckOutcome(
        step=step,
        claims=claims,
        first_divergence=divergence,
        passes=passes,
        proved=None,
        final_parameters_sha256="0" * 64 if passes else None,
        exit_code=0 if passes else 1,
    )


def tracked_files_digest() -> str:
    """One sha256 over every file git tracks in the project (content and name)."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout.split(
        b"\0"
    )
    digest = hashlib.sha256()
    for name in sorted(name for name in names if name):
        path = PROJECT_ROOT / name.decode()
        digest.update(name + b"\0" + (path.read_bytes() if path.is_file() else b"<missing>"))
    return digest.hexdigest()
