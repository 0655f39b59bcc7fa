"""The repository speaks of the platform only: what the code answers to (a section of docs/requirements.md, an ASVS
requirement, a benchmark row), not of who worked on it when; the README stays a newcomer's guide;
no test is skipped (a missing tool is a failure that says what to install)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Django's own login "session" is fine; numbered or ordinal work sessions and issue numbers are not.
HISTORY = r"session [0-9]|(first|second|third|fourth|fifth|this|last) session|issue [0-9]"
SKIPS = re.compile(r"\bpytest\.(skip|importorskip)\(|\bmark\.(skip|skipif|xfail)\b")


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_speaks_of_work_sessions_or_issue_numbers():
    pattern = re.compile(HISTORY, re.IGNORECASE)
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files (images, fixtures, the compiled catalogue)
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_readme_is_a_newcomers_guide_of_at_most_10_kb():
    readme = (ROOT / "README.md").read_bytes()
    assert len(readme) <= 10_240, f"README.md is {len(readme)} bytes"
    text = readme.decode()
    for heading in ("## The two commands", "## What the machine needs", "## Demo logins", "### Floors"):
        assert heading in text
    assert "bench/README.md" in text


def test_no_test_is_skipped():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tests").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SKIPS.search(line)
    ]
    assert not found, found
