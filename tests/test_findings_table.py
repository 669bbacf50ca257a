"""Findings held as columns: batches and single findings keep their order, sort as
Finding.sort_key does, and count by level."""
from __future__ import annotations

from datetime import date

from xl_jiaoyan.domain.findings import ERROR, HINT, WARNING, Finding, Findings


def test_batches_and_singles_sort_count_and_iterate_like_a_list():
    singles = [Finding(HINT, "缺少工作表", "赋分规则", None, "", None, "没有。", "补上。"),
               Finding(ERROR, "未知人员", "听课记录", 9, "王某", date(2026, 9, 7), "不在名册。", "改正。")]
    table = Findings(singles[:1])
    table.add(WARNING, "节假日", "听课记录", [12, 5], ["张三", "李四"], [date(2026, 10, 1), date(2026, 10, 2)],
              ["10月1日是休息日。", "10月2日是休息日。"], "请核对。")
    table.append(singles[1])
    other = Findings()
    other.add(WARNING, "上课冲突", "听课记录", [5], "李四", date(2026, 9, 8), ["第 3 节有课。"], "请核对。")
    table += other
    table.add(HINT, "未来日期", "听课记录", [], [], [], [], "")          # an empty batch adds nothing
    as_list = singles[:1] + [
        Finding(WARNING, "节假日", "听课记录", 12, "张三", date(2026, 10, 1), "10月1日是休息日。", "请核对。"),
        Finding(WARNING, "节假日", "听课记录", 5, "李四", date(2026, 10, 2), "10月2日是休息日。", "请核对。"),
        singles[1],
        Finding(WARNING, "上课冲突", "听课记录", 5, "李四", date(2026, 9, 8), "第 3 节有课。", "请核对。")]
    assert list(table) == as_list and len(table) == 5
    # errors first, then warnings by sheet and row (row 5: 上课冲突 before 节假日), the hint last
    assert table.sorted() == sorted(as_list, key=Finding.sort_key)
    assert [f.category for f in table.sorted()] == ["未知人员", "上课冲突", "节假日", "节假日", "缺少工作表"]
    assert (table.count(ERROR), table.count(WARNING), table.count(HINT)) == (1, 3, 1)
    assert table.columns(sorted=True)["row"] == [9, 5, 5, 12, None]
