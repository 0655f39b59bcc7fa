"""Rewrite citations of documents that are not in the repository into citations of the ones that are.

The code once cited the original specification ("SPEC §8", "SPEC.md"), the design notes
("DESIGN.md pattern 5"), the domain notes ("domain-reference §3.2") and the user manual's chapters
("manual 2.7.2"). Their content now lives in docs/requirements.md, docs/architecture.md and
docs/domain.md under the same numbers, so each citation maps one to one:

    SPEC §8                 -> docs/requirements.md §8
    SPEC §7 item 3          -> docs/requirements.md §7.8
    manual 2.6              -> docs/requirements.md §6.3
    DESIGN.md pattern 5     -> docs/architecture.md pattern 5
    DESIGN.md "Tests"       -> docs/architecture.md §5
    domain-reference §3.2   -> docs/domain.md §3.2

Idempotent: a rewritten citation matches none of the patterns, so a second run changes nothing.
`tests/test_citations.py` fails on any citation this script would still rewrite.

    python scripts/fix_citations.py          # rewrite in place, list the files changed
    python scripts/fix_citations.py --check  # list what would change; exit 1 if anything would
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Files that must name the old forms to do their work, and the documents themselves.
SKIPPED = {
    "scripts/fix_citations.py",
    "tests/test_citations.py",
    "docs/requirements.md",
    "docs/architecture.md",
    "docs/domain.md",
}
SKIPPED_DIRS = ("static/vendor/",)

REQ = "docs/requirements.md"
ARCH = "docs/architecture.md"
DOMAIN = "docs/domain.md"

# The user manual's chapters, by the section of docs/requirements.md that states their rules.
MANUAL = {
    "2.1": "3",
    "2.3": "4",
    "2.4": "5",
    "2.5": "6.1",
    "2.6": "6.3",
    "2.7": "7",
    "2.7.1": "7.6",
    "2.7.2": "7.7",
    "2.7.3": "7.8",
    "2.8": "8",
    "2.9": "9",
}
# "SPEC §7 item 3": the numbered items of a section, now sub-sections of their own.
ITEMS = {("7", "3"): "7.8"}

# Citations whose wording needs more than the general rules (a bare § of the domain notes, a section
# number or heading that was wrong, a sentence that described the old document).
LITERALS = [
    ('SPEC §7 "Legacy data" and manual 2.7.3', f"{REQ} §7.9"),
    ("SPEC §7 item 3, manual 2.7.3", f"{REQ} §7.8"),
    ("(SPEC §10, manual 2.7.2): the project account", f"({REQ} §10.3): the project account"),
    ("are the SPEC's §1 and", f"are {REQ} §1 and"),
    (
        "# G1 refuses a worker without a mobile number; G8 requires 民族 and 住址 (domain-reference §2.2).",
        f"# The national platform refuses a worker without a mobile number; uploads require 民族 and 住址 ({DOMAIN} §2.2).",
    ),
    ("(SPEC §2, §6)", f"({REQ} §3.3, §6.2)"),
    ("(SPEC §2: project, units and account", f"({REQ} §3.3: project, units and account"),
    (
        "and not in projects/ and workforce/ as DESIGN.md sketches:",
        f"and not split between projects/ and workforce/ ({ARCH} §2):",
    ),
    ("contractPeriodType (§3.8)", f"contractPeriodType ({DOMAIN} §3.8)"),
    ("# §3.15: managers", f"# {DOMAIN} §3.15: managers"),
    ("进退场 type (§3.12)", f"进退场 type ({DOMAIN} §3.12)"),
    ('DESIGN.md "Tests"', f"{ARCH} §5"),
    ("DESIGN.md: timing targets", f"{ARCH} §5: timing targets"),
    ("DESIGN.md: they live in `make bench`", f"{ARCH} §5: they live in `make bench`"),
    ("the field rules are in code and SPEC,", f"the field rules are in code and {REQ},"),
    ("a table in SPEC listing", f"a table in {REQ} listing"),
    ("(a SPEC section,", f"(a section of {REQ},"),
    ("§ numbers below cite SPEC.md.", f"§ numbers below cite [{REQ}]({REQ})."),
    # a heading that never existed: the run it means is recorded under this one
    (
        'the run recorded in README.md "Latest runs"',
        'the run recorded in bench/README.md "The full run of 2026-11-24"',
    ),
]

SPEC = r"\bSPEC(?:\.md)?(?:'s)?"
NUM = r"\d+(?:\.\d+)*"


def _manual_sections(m: re.Match[str], first: int) -> list[str] | None:
    chapters = [c for c in (m[first], m[first + 1]) if c]
    sections = [MANUAL.get(c) for c in chapters]
    return None if None in sections else sections


def _manual(m: re.Match[str]) -> str | None:
    sections = _manual_sections(m, 1)
    return f"{REQ} " + "–".join(f"§{s}" for s in sections) if sections else None


def _spec_and_manual(m: re.Match[str]) -> str:
    sections = _manual_sections(m, 2)
    if not sections:
        return f"{REQ} §{m[1]}, {m[0].split(', ', 1)[1]}"
    chapter = "–".join(f"§{s}" for s in sections)
    if all(s.split(".")[0] == m[1] for s in sections):
        return f"{REQ} {chapter}"
    return f"{REQ} §{m[1]}, {chapter}"


RULES: list[tuple[re.Pattern[str], object]] = [
    # SPEC §7 item 3
    (
        re.compile(rf"{SPEC} §(\d+) item (\d+)"),
        lambda m: f"{REQ} §{ITEMS[(m[1], m[2])]}" if (m[1], m[2]) in ITEMS else m[0],
    ),
    # SPEC §6, manual 2.6 -> the manual chapter's sub-section when it lies in the same section
    (
        re.compile(rf"{SPEC} §(\d+), manual ({NUM})(?:–({NUM}))?"),
        _spec_and_manual,
    ),
    # manual 2.7.1–2.7.2
    (re.compile(rf"\bmanual ({NUM})(?:–({NUM}))?(?!\d)"), lambda m: _manual(m) or m[0]),
    (re.compile(rf"{SPEC} ?§"), f"{REQ} §"),
    (re.compile(SPEC + r"\b"), REQ),
    (re.compile(r"\bDESIGN\.md\b"), ARCH),
    (
        re.compile(r"(?:the spec's )?(?:\S*shared/spec/)?\bdomain[- ]reference(?:\.md)?", re.IGNORECASE),
        DOMAIN,
    ),
]


def rewrite(text: str) -> str:
    for old, new in LITERALS:
        text = text.replace(old, new)
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def candidate_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout
    names = [n for n in listed.split("\0") if n and n not in SKIPPED and not n.startswith(SKIPPED_DIRS)]
    return [ROOT / n for n in names if (ROOT / n).is_file()]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for path in candidate_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, the compiled catalogue
        new = rewrite(text)
        if new != text:
            changed.append(path.relative_to(ROOT).as_posix())
            if not check:
                path.write_text(new, encoding="utf-8")
    for name in changed:
        print(name)
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
