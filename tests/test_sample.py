"""The shipped workbooks are what the code builds, and `demo` works from an installed copy."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import read_output
from package_check import package_problems
from xl_jiaoyan import cli
from xl_jiaoyan.service import commands
from xl_jiaoyan.workbook.sample import build_sample
from xl_jiaoyan.workbook.template import build_workbook, default_rows

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_sample_is_built_by_the_code(tmp_path):
    build_sample(tmp_path / "s.xlsx")
    assert (tmp_path / "s.xlsx").read_bytes() == (ROOT / "workbooks" / commands.SAMPLE_NAME).read_bytes()
    build_workbook(tmp_path / "t.xlsx", default_rows())
    assert (tmp_path / "t.xlsx").read_bytes() == (ROOT / "workbooks" / "教研室工作台模板.xlsx").read_bytes()


def test_sample_has_a_realistic_semester_with_its_mess(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / commands.SAMPLE_NAME
    assert path.exists() and str(path.name) in out and "已达标" in out
    roster = read_output(path, "指标总览")
    assert 35 <= len(roster) <= 45 and 4 <= roster["教研组"].nunique() <= 6
    found = read_output(path, "冲突检查")
    cats = set(found["类别"])
    assert {"未知人员", "姓名重名", "日期无效", "重复记录", "自听自课", "上课冲突", "汇报课"} <= cats
    unknown = found[found["类别"] == "未知人员"].iloc[0]
    assert "刘小红" in unknown["说明"]                    # the misspelt name, with a suggestion
    detail = read_output(path, "指标明细")
    assert {"已达标", "正常", "落后"} <= set(detail["状态"])
    assert package_problems(path) == []
    # a second demo never overwrites the first copy
    assert cli.main(["demo"]) == 0
    assert (tmp_path / "示例-教研室工作台-2.xlsx").exists()


def test_wheel_carries_the_workbooks(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                        str(ROOT)], capture_output=True, text=True)
    if r.returncode != 0 and "hatchling" in r.stderr:
        pytest.skip("the build backend could not be installed here")
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("xl_jiaoyan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert f"xl_jiaoyan/workbooks/{commands.SAMPLE_NAME}" in names
    assert "xl_jiaoyan/workbooks/教研室工作台模板.xlsx" in names


def test_the_readme_shows_what_demo_prints(tmp_path, monkeypatch, capsys):
    from pathlib import Path
    from xl_jiaoyan import cli
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ xl-jiaoyan demo\n", 1)[1].split("```", 1)[0].strip().splitlines()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert [line.replace(str(tmp_path), "…") for line in printed] == block
