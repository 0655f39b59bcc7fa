"""Reading an uploaded worksheet within bounds the platform sets, not the file (ASVS 5.2.1).

openpyxl's read-only sheets trust the file: the declared `<dimension ref="A1:XFD1048576"/>` makes
every row 16,384 cells wide, and a single cell in the last row makes the reader produce a million
empty rows before it (a 6 KB upload kept a worker busy until gunicorn killed it). Here the width is
the caller's column count, the declared dimension is ignored, reading stops after a run of blank
rows, and never goes past a last row.
"""

from __future__ import annotations

from collections.abc import Iterator

# Rows with nothing in them that may follow one another before the rest of the sheet is taken to
# be empty. The platform's template formats its 5000 rows, so Excel keeps them as styled blank
# rows; real lists have no gap this long.
MAX_BLANK_RUN = 1000


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def bounded_rows(
    sheet, *, columns: int, last_row: int, max_blank_run: int = MAX_BLANK_RUN
) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the sheet's non-blank rows, each `columns` values wide.

    Stops after `max_blank_run` blank rows in a row and at `last_row`. Parse errors of a damaged
    worksheet (cut short, entities) surface here, while rows are read: callers catch them.
    """
    sheet.reset_dimensions()  # the file's own claim of its size is not a bound
    blank_run = 0
    rows = sheet.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=columns, values_only=True)
    for number, values in enumerate(rows, start=1):
        if all(is_blank(v) for v in values):
            blank_run += 1
            if blank_run >= max_blank_run:
                return
            continue
        blank_run = 0
        yield number, values
