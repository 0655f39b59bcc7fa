"""Every document the code cites is in the repository, and has the section cited.

Comments, docstrings, templates and docs cite the rules they answer to: `docs/requirements.md §7.8`,
`docs/architecture.md pattern 5`, `docs/domain.md §6.1`, `docs/deploy.md "Punch partitions"`,
`README "Floors"`. A citation of a document that is not tracked here (the original specification,
design notes, domain notes or user manual the code was first written from) leaves a maintainer
with nothing to follow: cite a docs/ file, or the law's article or the standard's field.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tests.test_repository import ROOT, tracked_files

# The one file that must spell the old forms out to recognise them.
SELF = {"tests/test_citations.py"}

# "SPEC" in capitals only: "spec" is an ordinary word (the permission matrix's expectation specs).
FOREIGN = re.compile(
    r"\bSPEC\b|(?i:SPEC\.md|DESIGN\.md|domain[- ]reference|manual-zh|shared/spec|\bmanual \d+\.\d)"
)

DOC = r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md\b|README\b)"
NUMBER = r"\d+(?:\.\d+)*"
SECTIONS = re.compile(DOC + rf"\s+§({NUMBER}(?:(?:, | and |–)§{NUMBER})*)")
PATTERNS = re.compile(DOC + r"\s+patterns?\s+(\d+(?:(?:, | and )\d+)*)")
QUOTED = re.compile(DOC + r'\s+"([^"\n]+(?:\n[^"\n]*)?)"')
ANY = re.compile(DOC)


def text_files() -> dict[str, str]:
    files = {}
    for path in tracked_files():
        name = path.relative_to(ROOT).as_posix()
        if name in SELF or name.startswith("static/vendor/") or not path.is_file():
            continue
        try:
            files[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, the compiled catalogue
    return files


@cache
def headings(doc: str) -> tuple[set[str], set[str], list[str]]:
    """A document's numbered sections (`## §3`, `## 3.`, or a table row `| §3.1 |`), its patterns
    (`### Pattern 5.`) and its headings' titles."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    titles = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    numbers = {m[1] for t in titles if (m := re.match(rf"§?({NUMBER})\.?(?:\s|$)", t))}
    numbers |= {m[1] for line in lines if (m := re.match(rf"\| §({NUMBER}) \|", line))}
    patterns = {m[1] for t in titles if (m := re.match(r"Pattern (\d+)\.", t))}
    return numbers, patterns, titles


@cache
def tracked() -> frozenset[str]:
    return frozenset(path.relative_to(ROOT).as_posix() for path in tracked_files())


def resolve(m: re.Match[str], citing: str) -> str | None:
    """The tracked path a citation names, or None. A bare `x.md` counts only as a markdown link
    `[…](x.md)`, relative to the citing file; elsewhere it names some other project's file."""
    doc = m[1]
    if doc == "README":
        return "README.md"
    if "/" not in doc and doc != "README.md":
        if m.string[m.start() - 2 : m.start()] != "](":
            return doc  # not a citation of ours: accepted as is
        doc = (Path(citing).parent / doc).as_posix()
    return doc if doc in tracked() else None


def line_of(text: str, match: re.Match[str]) -> int:
    return text.count("\n", 0, match.start()) + 1


def test_no_file_cites_a_document_that_is_not_in_the_repository():
    found = []
    for name, text in text_files().items():
        for number, line in enumerate(text.splitlines(), 1):
            if FOREIGN.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
        found += [
            f"{name}:{line_of(text, m)}: {m[0]} is not in the repository"
            for m in ANY.finditer(text)
            if resolve(m, name) is None
        ]
    assert not found, "cite a docs/ file instead:\n" + "\n".join(found)


def test_every_cited_section_pattern_and_heading_exists():
    missing = []
    for name, text in text_files().items():
        for m in SECTIONS.finditer(text):
            if doc := resolve(m, name):
                numbers = headings(doc)[0]
                missing += [
                    f"{name}:{line_of(text, m)}: {m[1]} has no §{n}"
                    for n in re.findall(NUMBER, m[2])
                    if n not in numbers
                ]
        for m in PATTERNS.finditer(text):
            if doc := resolve(m, name):
                patterns = headings(doc)[1]
                missing += [
                    f"{name}:{line_of(text, m)}: {m[1]} has no pattern {n}"
                    for n in re.findall(r"\d+", m[2])
                    if n not in patterns
                ]
        for m in QUOTED.finditer(text):
            title = re.sub(r"\s*\n\s*(?:#\s*)?", " ", m[2])
            doc = resolve(m, name)
            if doc and not any(title in t for t in headings(doc)[2]):
                missing.append(f'{name}:{line_of(text, m)}: {m[1]} has no heading "{title}"')
    assert not missing, "\n".join(missing)
