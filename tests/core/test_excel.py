import io

from openpyxl import load_workbook

from jmzhgd.core.excel import Sheet, write_workbook


def test_formulas_stay_text_and_id_numbers_stay_text():
    buffer = io.BytesIO()
    rows = [['=HYPERLINK("http://x","点我")', "11010519491231002X", 110105194912310021, "+1", "@SUM(A1)"]]
    write_workbook([Sheet("花名册", ["a", "b", "c", "d", "e"], rows, title="标题", text_columns=[2])], buffer)
    buffer.seek(0)
    ws = load_workbook(buffer).active
    assert ws["A1"].value == "标题"
    assert ws.freeze_panes == "A3"
    values = [c.value for c in ws[3]]
    assert values[0] == '=HYPERLINK("http://x","点我")'  # as typed, a string cell: never evaluated
    assert all(c.data_type == "s" for c in ws[3])
    assert values[1] == "11010519491231002X"
    assert values[2] == "110105194912310021"  # forced to text: never 1.1E+17
    assert values[3] == "+1" and values[4] == "@SUM(A1)"
    assert [c.quotePrefix for c in ws[3]] == [True, False, False, True, True]


def test_dates_and_times_arrive_as_dates_without_a_styled_cell_each():
    import datetime

    buffer = io.BytesIO()
    rows = [[datetime.date(2026, 11, 3), datetime.datetime(2026, 11, 3, 7, 58, 12)]]
    write_workbook([Sheet("明细", ["日期", "时间"], rows)], buffer)
    buffer.seek(0)
    ws = load_workbook(buffer).active
    day, moment = ws["A2"], ws["B2"]
    assert day.is_date and day.value == datetime.datetime(2026, 11, 3) and "yy" in day.number_format
    assert (
        moment.is_date
        and moment.value == datetime.datetime(2026, 11, 3, 7, 58, 12)
        and "h" in moment.number_format
    )
