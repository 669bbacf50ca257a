"""Sheet, column and 设置 names are constants of the contract, not literals spread through
the code: a renamed column changes in the contract package alone."""
from __future__ import annotations

import ast
from pathlib import Path

from xl_jiaoyan.contract import (DISTRICT_SHEETS, OUTPUT_SHEETS, PERIODS, SCHOOL_COLUMNS, SCHOOL_TAIL_COLUMNS, SETTINGS, SHEETS,
                                 UNUSED_COLUMNS)

PACKAGE = Path(__file__).resolve().parent.parent / "xl_jiaoyan"
NAMES = ({s.name for s in SHEETS} | set(OUTPUT_SHEETS) | {c.name for s in SHEETS for c in s.columns}
         | {name for name, _, _ in SETTINGS} | set(DISTRICT_SHEETS) | set(SCHOOL_COLUMNS) | set(SCHOOL_TAIL_COLUMNS)
         | set(UNUSED_COLUMNS)) - set(PERIODS)      # 学期 is also a 周期

# where such words are something else: the notice's template vocabulary (a Chinese API staff
# write templates in), the workbook builders' help texts and sample data, words of a
# value rather than a column (星期一, the title 教师, 在岗 as a yes, the 结果 心得上交)
NOT_CORE = {"notice/content.py", "workbook/template.py", "workbook/sample.py", "workbook/sample_offices.py"}
VALUES = {("domain/cells.py", "教师"), ("domain/cells.py", "在岗"), ("domain/cells.py", "星期"),
          ("compute/scoring.py", "心得上交")}


def literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES:
            yield node.value, node.lineno


def test_the_core_names_sheets_and_columns_through_the_contract():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in NOT_CORE or rel.startswith("contract/"):
            continue
        found += [f"{rel}:{line} {value}" for value, line in literals(path) if (rel, value) not in VALUES]
    assert found == []


def test_every_column_has_a_unique_key():
    for sheet in SHEETS:
        keys = [c.key for c in sheet.columns]
        assert all(k.isidentifier() and k.isascii() for k in keys), sheet.name
        assert len(set(keys)) == len(keys), sheet.name
