"""A Jiangmen-sized dataset built with bulk paths, one module per stage (plan, organisations, people,
punches, labour_contracts, summaries; build runs them in order), and ten times that (PROVINCE).

Full scale: 200 projects, 100,000 persons, 60,000 of them on site, two punches a day for 31 days for
everybody on site (~3.7 million punches), contracts for 80 % of the stays on site, and the daily
summaries of those days. One project is large (2,000 on site, ~124,000 punches a month): the
page, export and grid scenarios run against it, the worst case a project account can produce.

Rows are written without the ORM's per-object work:

- PostgreSQL: psycopg 3 ``COPY … FROM STDIN`` (``cursor.copy``), streamed from generators, so
  memory stays flat; ids are assigned here (from the table's current maximum) so foreign keys can
  be written without reading anything back, and the sequences are reset afterwards.
- SQLite (the smoke test's second engine): ``executemany`` of the same rows.

Both paths write database values, so the PII trio is computed here: the Fernet token
(``pii.encrypt``), the digest (``pii.id_digest``) and the mask (``pii.mask_id``), once per person.
The punches, all matched, carry the person's digest and mask and no copy of the number, as the
platform stores a matched punch (``Punch.id_number``).

Daily summaries: written from the same random draws as the punches, each row as
``attendance.summaries`` computes it (``summary_values``); tests/bench checks them against the
platform's rebuild. The province scale (``PROVINCE``, ``--scale 10``) adds a year of summaries
before the punch month (``summaries.history_days``). On PostgreSQL the punches and the summaries
go in as COPY text lines, with those two tables' indexes built after the load.

A finished build writes a marker row into ``bench_meta`` (a table of the benchmark's own, not a
Django model); a later run with the same scale finds it and skips the build.
"""

from __future__ import annotations

from .build import build
from .marker import ensure_meta_table, existing_build, read_meta, write_meta
from .plan import (
    FULL,
    MARKER_KEY,
    META_TABLE,
    PROVINCE,
    SCALES,
    TINY,
    UNIT_PLAN,
    BuildResult,
    Scale,
    punch_month,
)
from .summaries import build_summaries

__all__ = [
    "FULL",
    "MARKER_KEY",
    "META_TABLE",
    "PROVINCE",
    "SCALES",
    "TINY",
    "UNIT_PLAN",
    "BuildResult",
    "Scale",
    "build",
    "build_summaries",
    "ensure_meta_table",
    "existing_build",
    "punch_month",
    "read_meta",
    "write_meta",
]
