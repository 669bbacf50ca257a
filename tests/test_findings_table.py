"""Findings held as data: batches and single findings keep their order, count by level,
and are worded once — sorted by level, sheet, row and category, people named by the
roster's label."""
from __future__ import annotations

from datetime import date

from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, Findings, finding
from xl_jiaoyan.domain.messages import CATALOGUE, RENDERED, render

NAMES = {0: "张三", 1: "李四", 2: "王芳(语文组)"}


def test_batches_and_singles_keep_order_count_and_render_sorted():
    table = Findings([finding(HINT, "sheet.missing", "赋分规则", name="赋分规则", missing="不计算量化赋分。",
                              help="补上。", rules="")])
    table.add(WARNING, "date.rest_day", "听课记录", [12, 5], "日期", [0, 1], [date(2026, 10, 1), date(2026, 10, 2)],
              rest=["10月1日 国庆节", "10月2日 国庆节"])
    table.append(finding(ERROR, "name.unknown", "听课记录", 9, "听课人", "王某", date(2026, 9, 7), value="王某",
                         suggestion="王芳"))
    other = Findings()
    other.add(WARNING, "lesson_clash.observation", "听课记录", [5], "节次", 2, date(2026, 9, 8),
              day_text="2026-09-08（星期二）", period=3, klass="初一(2)班")
    table += other
    table.add(HINT, "date.future", "听课记录", [], "日期")          # an empty batch adds nothing
    assert len(table) == 5 and (table.count(ERROR), table.count(WARNING), table.count(HINT)) == (1, 3, 1)
    assert [f.code for f in table] == ["sheet.missing", "date.rest_day", "date.rest_day", "name.unknown",
                                       "lesson_clash.observation"]
    assert list(table)[1] == Finding(WARNING, "date.rest_day", "听课记录", 12, "日期", (0,), date(2026, 10, 1),
                                     (("rest", "10月1日 国庆节"),))
    cols = render(table, NAMES.__getitem__)
    rows = list(zip(*(cols[c] for c in RENDERED)))
    # errors first; then warnings by sheet and row (row 5: 上课冲突 before 节假日); the hint last
    assert rows == [
        (ERROR, "未知人员", "听课记录", 9, "听课人", "王某", date(2026, 9, 7),
         "「听课人」写的“王某”不在教师名册中。是否应为“王芳”？", "请改正姓名，或先把此人加入「教师名册」。本行暂不计入统计。"),
        (WARNING, "上课冲突", "听课记录", 5, "节次", "王芳(语文组)", date(2026, 9, 8),
         "王芳(语文组) 在 2026-09-08（星期二）第 3 节听课，但课表上这一节要给 初一(2)班 上课。",
         "请核对听课的日期和节次，或课表是否已调整。"),
        (WARNING, "节假日", "听课记录", 5, "日期", "李四", date(2026, 10, 2), "10月2日 国庆节，不是调休上课日。",
         "请核对日期；若当天确实上课，请在「校历」中加一行“上课”。"),
        (WARNING, "节假日", "听课记录", 12, "日期", "张三", date(2026, 10, 1), "10月1日 国庆节，不是调休上课日。",
         "请核对日期；若当天确实上课，请在「校历」中加一行“上课”。"),
        (HINT, "缺少工作表", "赋分规则", None, "", "", None, "没有「赋分规则」工作表或表中没有内容，不计算量化赋分。", "补上。")]


def test_more_than_five_people_are_named_five_and_counted():
    table = Findings([finding(WARNING, "judge_own", "活动安排", 4, "评委", range(7), event="公开课")])
    person = render(table, lambda t: f"教师{t}")["person"]
    assert person == ["教师0、教师1、教师2、教师3、教师4 等 7 人"]


def test_every_code_has_words_and_a_category():
    for code, m in CATALOGUE.items():
        assert m.category and m.text, code
