"""jmzhgd.core.rawsql: the row source the hot-path statements are built on returns exactly its rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from attendance.models import DailySummary
from jmzhgd.core import rawsql


@pytest.mark.parametrize(
    "column,joined",
    [
        ((12, 7), "12,7"),
        ((datetime.date(2026, 11, 1), datetime.date(2026, 11, 2)), "2026-11-01,2026-11-02"),
        (("3e86_02-AB", "ff"), "3e86_02-AB,ff"),
        (("a", ""), None),  # an empty text would split into no element at all
        (("a,b", "c"), None),  # a comma into two
        ((1, None), None),
        ((True, False), None),
        ((1, "1"), None),
        ((datetime.datetime(2026, 11, 1, 8, 0),), None),
        ((), None),
    ],
)
def test_only_plain_columns_travel_comma_joined(column, joined):
    assert rawsql._joined(column) == joined


@pytest.mark.django_db
def test_a_row_source_reads_back_as_the_rows_it_was_given():
    rows = [
        [7, datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC), 3],
        [8, datetime.date(2026, 11, 2), None, 0],  # a NULL sends that column as an array instead
    ]
    names = ("person", "work_date", "first_in", "punch_count")
    source, params = rawsql.rows_source(connection, DailySummary, names, rows)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(f"SELECT * FROM ({source}) AS given", params)
        got = [list(row) for row in cursor.fetchall()]
    got = [[person, rawsql.day(day), rawsql.aware(at), count] for person, day, at, count in got]
    assert got == rows
    if connection.vendor == "postgresql":
        assert "string_to_array" in source and "::timestamp with time zone[]" in source
