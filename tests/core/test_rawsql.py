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


@pytest.mark.django_db(transaction=True)  # closes the connection
def test_the_hot_path_cursor_is_kept_with_its_connection():
    def select(value):
        with rawsql.cursor(connection) as cursor:
            cursor.execute("SELECT %s", [value])
            return cursor.fetchone()[0], cursor.cursor

    first, kept = select(1)
    second, again = select(2)
    assert (first, second) == (1, 2)
    if connection.vendor == "postgresql":
        # The same psycopg cursor serves both statements and survives the end of each block.
        assert again is kept and not kept.closed
        connection.close()
        third, fresh = select(3)
        assert third == 3 and fresh is not kept
