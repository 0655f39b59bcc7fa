"""The punch time fast path (attendance.ingest.punch_time) against the general parser."""

from __future__ import annotations

import pytest

from attendance import ingest
from attendance.summaries import shanghai_work_date


def general(value):
    punched_at = ingest.parse_punch_time(value)
    return punched_at, int(punched_at.timestamp()), shanghai_work_date(punched_at)


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-20 08:00:00",
        "2026-03-20 00:00:00",
        "2026-03-20 23:59:59",
        "2024-02-29 12:34:56",  # leap day
        "2000-01-01 00:00:00",
        "2026-12-31 23:59:59",
        "2026-03-20T08:00:00",  # other forms take the general path
        "2026-03-20T00:30:00+08:00",
        "2026-03-19T16:30:00Z",  # 00:30 the next day in Beijing
        " 2026-03-20 08:00:00 ",
        "2026-03-20 ０8:00:00",  # a full-width digit: the general parser's (lenient) answer
    ],
)
def test_the_fast_path_gives_what_the_general_parser_gives(value):
    fast = ingest.punch_time(value)
    assert fast == general(value)
    assert fast[0].utcoffset() == general(value)[0].utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30 08:00:00",
        "2026-03-20 24:00:00",
        "2026-03-20 08:60:00",
        "2026-03-20 08:00:60",
        "2026-13-01 08:00:00",
        "2026-03-20 -1:00:00",
        "2026/03/20 08:00:00",
        "",
        None,
        12345,
    ],
)
def test_a_bad_time_is_refused_by_both(value):
    with pytest.raises(ingest.ItemError) as fast:
        ingest.punch_time(value)
    with pytest.raises(ingest.ItemError) as slow:
        general(value)
    assert fast.value.code == slow.value.code == "bad_time" and fast.value.field == "time"
