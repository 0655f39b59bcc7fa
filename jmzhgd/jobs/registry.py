"""Exporters by name, so one job function can run any export (docs/architecture.md pattern 5).

An app registers `prepare(project, params, user) -> Prepared` under a stable name ("app:report", apart from the audit codes) when it loads
(its AppConfig.ready). The page calls the same function: what the job writes is what the page would
have streamed. `prepare` builds lazy sheets (row generators) and counts the rows; it raises
ValidationError with a Chinese message for filters it cannot read.

An export that is not one workbook (the project dossier, a .zip of many files) gives `write`
instead of sheets: `write(target, count)` writes the whole file to the binary file `target`, passing
its parts through `count` (an iterable wrapper that counts them and writes the job's progress);
`rows` is then the number of parts, and the file name's extension is the stored file's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.http import QueryDict

from jmzhgd.core.excel import Sheet


@dataclass
class Prepared:
    label: str  # what is exported, as 【我的导出】 lists it
    filename: str
    sheets: Sequence[Sheet]
    rows: int
    write: Callable[[BinaryIO, Callable[[Iterable], Iterator]], None] | None = None


Prepare = Callable[[object, QueryDict, object], Prepared]
_EXPORTERS: dict[str, Prepare] = {}


def exporter(name: str) -> Callable[[Prepare], Prepare]:
    def register(prepare: Prepare) -> Prepare:
        _EXPORTERS[name] = prepare
        return prepare

    return register


def get(name: str) -> Prepare:
    try:
        return _EXPORTERS[name]
    except KeyError:
        raise LookupError(f"unknown exporter {name!r}") from None


def names() -> list[str]:
    return sorted(_EXPORTERS)
