"""jmzhgd.core.rawsql: the row source the hot-path statements are built on returns exactly its rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from attendance.models import DailySummary
from jmzhgd.core import rawsql
from jmzhgd.core.codes import Direction

US, RS = rawsql.SEPARATOR, rawsql.NULL


@pytest.mark.parametrize(
    "column,joined",
    [
        ((12, 7), f"12{US}7"),
        ((datetime.date(2026, 11, 1), datetime.date(2026, 11, 2)), f"2026-11-01{US}2026-11-02"),
        (("3e86_02-AB", "ff"), f"3e86_02-AB{US}ff"),
        (("a,b", "", "张三"), f"a,b{US}{US}张三"),  # commas and empty texts are values like any other
        ((Direction.IN, Direction.OUT), f"01{US}02"),  # code-table members are their texts
        (("a", None), f"a{US}{RS}"),
        ((1, None), f"1{US}{RS}"),  # NULL
        ((Decimal("22.579123"), None), f"22.579123{US}{RS}"),
        (
            (datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC),),
            "2026-11-01T08:00:00+00:00",
        ),
        (("",), None),  # a single empty text would split into no element at all
        ((f"a{US}b", "c"), None),  # a separator inside a value
        ((f"a{RS}", "c"), None),
        ((True, False), None),
        ((1, "1"), None),
        ((None, None), None),
        ((), None),
    ],
)
def test_only_columns_that_split_back_into_their_values_travel_joined(column, joined):
    assert rawsql._joined(column) == joined


@pytest.mark.django_db
def test_a_row_source_reads_back_as_the_rows_it_was_given():
    rows = [
        [7, datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC), 3, True],
        [8, datetime.date(2026, 11, 2), None, 0, False],  # booleans travel as an array
    ]
    names = ("person", "work_date", "first_in", "punch_count", "is_present")
    source, params = rawsql.rows_source(connection, rawsql.fields(DailySummary, *names), rows)
    with rawsql.cursor(connection) as cursor:
        cursor.execute(f"SELECT * FROM ({source}) AS given", params)
        got = [list(row) for row in cursor.fetchall()]
    got = [
        [person, rawsql.day(day), rawsql.aware(at), count, bool(present)]
        for person, day, at, count, present in got
    ]
    assert got == rows
    if connection.vendor == "postgresql":
        assert "string_to_array(%s, E'\\x1f', E'\\x1e')::timestamp with time zone[]" in source
        assert "%s::boolean[]" in source


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
