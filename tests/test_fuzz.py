"""Property-based: workbooks with junk in every input cell and random structural damage.

Whatever is in the workbook: no traceback and no internal error, exit code 0, 1 or 2 with
a message, input sheets unchanged, and a second refresh writes the same outputs as the
first.  XLJY_FUZZ_EXAMPLES sets how many workbooks to try (default 25 in CI).
"""
from __future__ import annotations

import os
import re
import zipfile
from datetime import date, datetime, time

import python_calamine as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HEAD, TEACHERS, settings_rows, write_book
from xl_jiaoyan import cli
from xl_jiaoyan.contract import OUTPUT_SHEETS

EXAMPLES = int(os.environ.get("XLJY_FUZZ_EXAMPLES", "25"))

junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**18, 10**18), st.floats(allow_nan=False),
    st.text(max_size=40).map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", s)),
    st.sampled_from(["#N/A", "#DIV/0!", "#VALUE!", "=1/0", "=NA()", "=A1", "😀👩‍🏫", "x" * 5000, "第十一周", "全体教师",
                     "张三", "张三老师", "李 四", "王五(1003)", "语文组", "9月31日", "2026-02-30", "3.9-3.11", "十五",
                     "１５", "是", "否", "放假", "上课", "3-4节", "08:00", "示范课", "市级", "一等奖", "校本", "区外",
                     "教师", "中层", "学期", "周", "10%", "-1", "0"]),
    st.dates(date(1899, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
    st.times().map(lambda t: time(t.hour, t.minute)))


@st.composite
def damaged_workbook(draw):
    sheets = {"设置": [list(r) for r in settings_rows(as_of=date(2026, 4, 1))],
              "教师名册": [HEAD["教师名册"]] + [list(t) for t in TEACHERS]}
    for name, head in HEAD.items():
        if name != "教师名册":
            sheets[name] = [list(head)] + [[draw(junk) for _ in head] for _ in range(draw(st.integers(0, 6)))]
    for r in sheets["教师名册"][1:]:                          # junk in the roster too
        if draw(st.sampled_from([False, False, True])):
            r[draw(st.integers(0, 7))] = draw(junk)
    if draw(st.sampled_from([False] * 9 + [True])):          # now and then a damaged setting
        sheets["设置"][draw(st.integers(1, 4))][1] = draw(junk)
    merges, hidden = {}, {}
    for name in list(sheets):
        # mostly damage the tool should work through; now and then damage that stops it
        # (a merge over the header row or a dropped required column), rarely in 设置 / 教师名册
        mild = ["none", "title_rows", "header_twice", "hide", "extra_columns"]
        damage = draw(st.sampled_from(mild * 6 + ["merge", "drop_column"]
                                      if name in ("设置", "教师名册") else
                                      mild * 3 + ["drop", "empty"] * 2 + ["merge", "drop_column"]))
        rows = sheets[name]
        if damage == "drop" and name not in ("设置", "教师名册"):
            del sheets[name]
        elif damage == "drop_column" and rows and rows[0]:
            k = draw(st.integers(0, len(rows[0]) - 1))
            sheets[name] = [r[:k] + r[k + 1:] for r in rows]
        elif damage == "title_rows":
            sheets[name] = [[draw(junk)], []] + rows
        elif damage == "header_twice" and rows:
            sheets[name] = rows[:1] + rows
        elif damage == "merge" and len(rows) > 2:
            merges[name] = f"A{draw(st.integers(1, len(rows)))}:B{len(rows) + 1}"
        elif damage == "hide":
            hidden[name] = draw(st.integers(1, max(len(rows), 1)))
        elif damage == "empty":
            sheets[name] = []
        elif damage == "extra_columns":
            sheets[name] = [r + [draw(junk), draw(junk)] for r in rows]
    return sheets, merges, hidden


def sheet_values(path, names):
    book = pc.CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python() for n in names}


def sheet_parts(path, names):
    """The raw XML of each named sheet's part."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        out = {}
        for name, rid in re.findall(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"', wb):
            if name in names:
                target = re.search(r'Id="%s"[^>]*Target="([^"]*)"' % rid, rels) or \
                    re.search(r'Target="([^"]*)"[^>]*Id="%s"' % rid, rels)
                out[name] = z.read("xl/" + target.group(1).lstrip("/").removeprefix("xl/"))
        return out


def outputs(path):
    book = pc.CalamineWorkbook.from_path(str(path))
    found = {}
    for n in book.sheet_names:
        if n in OUTPUT_SHEETS:
            rows = book.get_sheet_by_name(n).to_python()
            rows[0] = [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "", str(c)) for c in rows[0]]   # when it was made
            found[n] = rows
    return found


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=damaged_workbook())
def test_junk_and_damage_never_crash_and_never_touch_inputs(spec, tmp_path_factory, capsys):
    path = tmp_path_factory.mktemp("fuzz") / "工作台.xlsx"
    sheets, merges, hidden = spec
    write_book(path, sheets, {n: [m] for n, m in merges.items()}, hidden)
    inputs = list(spec[0])
    values, parts = sheet_values(path, inputs), sheet_parts(path, inputs)
    before = path.read_bytes()
    capsys.readouterr()
    code = cli.main(["refresh", str(path)])
    out = capsys.readouterr()
    if os.environ.get("XLJY_FUZZ_LOG"):
        with open(os.environ["XLJY_FUZZ_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{code}\t{out.err.strip()[:120]}\n")
    assert code in (0, 2), out.err
    assert "内部错误" not in out.err and "Traceback" not in out.err
    if code == 2:
        assert out.err.startswith("无法完成：") and path.read_bytes() == before
        return
    assert sheet_values(path, inputs) == values and sheet_parts(path, inputs) == parts
    first = outputs(path)
    assert cli.main(["refresh", str(path)]) == 0
    assert outputs(path) == first                             # idempotent
    capsys.readouterr()
    check = cli.main(["check", str(path)])
    assert check in (0, 1) and "内部错误" not in capsys.readouterr().err
