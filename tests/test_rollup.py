"""District rollup: a folder of school workbooks -> one district workbook.  Every school's
row is checked against that school's own refresh of a copy, on the same as-of date."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from conftest import HEAD, book, read_output, refresh, settings_rows, write_book
from xl_jiaoyan import cli

AS_OF = "2026-04-01"        # week 5 of the spring semester every school below keeps
QUOTAS = [HEAD["指标"], ["教师", "听课", "学期", 20, ""], ["骨干教师", "示范课", "学期", 1, ""],
          ["教研组", "教研活动", "周", 1, ""], ["学校", "校本培训", "月", 1, ""]]


def school(name: str, observed: int, week1: date = date(2026, 3, 2), **sheets) -> dict:
    """A school whose 张三 observed ``observed`` lessons in March; every group met in weeks 1-2."""
    settings = [r if r[0] != "学校名称" else ["学校名称", name] for r in settings_rows(week1=week1)]
    log = [[date(2026, 3, 2) + timedelta(days=k % 20 + 7 * (k // 20)), 1, "张三", "李四", "", "", "", ""]
           for k in range(observed)]
    acts = [[date(2026, 3, 3) + timedelta(days=7 * w), g, "集体备课", "", "", "全组"]
            for w in range(2) for g in ("语文组", "数学组")]
    trainings = [[date(2026, 3, 11), "师德培训", "校本", "全体教师", "是", None]]
    return book(**{"设置": settings, "指标": QUOTAS, "听课记录": log, "教研活动记录": acts, "培训记录": trainings,
                   **sheets})


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def district(tmp_path):
    root = tmp_path / "各校工作台"
    (root / "城关学区").mkdir(parents=True)
    (root / "乡镇学区").mkdir()
    write_book(root / "城关学区" / "一小.xlsx", school("城关一小", observed=6))
    write_book(root / "城关学区" / "二小.xlsm", school("城关二小", observed=1))
    write_book(root / "乡镇学区" / "三小.xlsx", school("乡镇三小", observed=3, 教研活动记录=[]))
    write_book(root / "四小.xlsx", school("四小", observed=2, week1=date(2025, 9, 1)))  # autumn: 4月1日 outside
    (root / "乡镇学区" / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook" * 50)
    (root / "城关学区" / "~$一小.xlsx").write_bytes(b"\x00lock")
    return root


def status_counts(path: Path) -> dict[tuple[str, str], dict[str, int]]:
    d = read_output(path, "指标明细")
    people = d[d["工号"].astype(str) != ""]
    return {k: rows["状态"].value_counts().to_dict() for k, rows in people.groupby(["项目", "周期"])}


def test_rollup_matches_each_schools_own_refresh_and_leaves_their_files_alone(district, tmp_path, capsys):
    before = digest(district)
    out = tmp_path / "全区汇总.xlsx"
    assert cli.main(["rollup", str(district), "-o", str(out), "--as-of", AS_OF]) == 0
    said = capsys.readouterr().out
    assert digest(district) == before                                  # byte-identical, nothing added
    assert "共 5 个工作簿，汇总了 4 所学校，1 个没能汇总" in said

    schools = read_output(out, "学校汇总").set_index("学校名称")
    teachers = read_output(out, "教师明细")
    for file, name in (("城关学区/一小.xlsx", "城关一小"), ("城关学区/二小.xlsm", "城关二小"),
                       ("乡镇学区/三小.xlsx", "乡镇三小")):
        own = tmp_path / f"own-{name}.xlsx"
        shutil.copyfile(district / file, own)
        assert refresh(own, "--as-of", AS_OF) == 0
        row = schools.loc[name]
        assert row["学区"] == file.split("/")[0] and row["文件"] == file and row["当前周次"] == 5
        for (item, period), counts in status_counts(own).items():
            tag = item if period == "学期" else f"{item}（{period}）"
            for status in ("已达标", "正常", "落后", "未达标"):
                assert row[f"{tag} {status}"] == counts.get(status, 0), (name, tag, status)
        mine = teachers[teachers["学校名称"] == name].set_index("姓名")
        detail = read_output(own, "指标明细")
        for r in detail[detail["工号"].astype(str) != ""].to_dict("records"):
            tag = r["项目"] if r["周期"] == "学期" else f"{r['项目']}（{r['周期']}）"
            assert mine.loc[r["姓名"], f"{tag} 状态"] == r["状态"], (name, r["姓名"], tag)
        assert sorted(mine.index) == sorted(set(detail[detail["工号"].astype(str) != ""]["姓名"]))

    # 听课 20 a term, week 5: 应完成 5 each for 4 teachers; 城关一小's 张三 6 (counts 5), others 0
    assert schools.loc["城关一小", "听课进度"] == pytest.approx(5 / 20)
    assert schools.loc["城关二小", "听课 落后"] == 4 and schools.loc["城关一小", "听课 正常"] == 1
    # 教研活动: weeks 1-4 elapsed, met in 2 of 4 by both groups; 乡镇三小 recorded none: not computed
    assert schools.loc["城关一小", "教研活动达标周占比"] == 0.5
    assert schools.loc["乡镇三小", "教研活动达标周占比"] in (None, "")
    assert "「教研活动记录」还是空的" in schools.loc["乡镇三小", "说明"]
    assert schools.loc["城关一小", "校本培训达标月"] == "1/1"           # March elapsed and met
    # the school needing a call first: 城关二小 (all behind), the autumn school last, not guessed
    order = list(schools.index)
    assert order[0] == "城关二小" and order[-1] == "四小"
    assert "不在本校这个学期内" in schools.loc["四小", "说明"] and schools.loc["四小", "当前周次"] in (None, "")
    assert "四小" not in set(teachers["学校名称"])
    unused = read_output(out, "未汇总的文件")
    assert list(unused["文件"]) == ["乡镇学区/坏.xlsx"] and "损坏" in unused.iloc[0]["原因"]


def test_a_second_rollup_keeps_what_the_district_added(district, tmp_path):
    out = tmp_path / "全区汇总.xlsx"
    assert cli.main(["rollup", str(district), "-o", str(out), "--as-of", AS_OF]) == 0
    wb = openpyxl.load_workbook(out)
    wb.create_sheet("区里的备注")["A1"] = "乡镇三小 11月回访"
    wb.save(out)
    write_book(district / "城关学区" / "五小.xlsx", school("城关五小", observed=0))
    assert cli.main(["rollup", str(district), "-o", str(out), "--as-of", AS_OF]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb["区里的备注"]["A1"].value == "乡镇三小 11月回访"
    assert [n for n in wb.sheetnames if n == "学校汇总"] == ["学校汇总"]
    assert "城关五小" in set(read_output(out, "学校汇总")["学校名称"])
    assert wb["学校汇总"]["A1"].value.startswith("统计截至 2026-04-01")
    assert wb["学校汇总"].freeze_panes == "A3"


def test_rollup_of_a_folder_without_workbooks_says_so(tmp_path, capsys):
    (tmp_path / "空").mkdir()
    assert cli.main(["rollup", str(tmp_path / "空")]) == 2
    assert "没有 .xlsx 或 .xlsm 工作簿" in capsys.readouterr().err
