"""The layout is the architecture: each folder a layer, imports only downward, the file
formats and Excel behind io/, no module over 400 lines."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xl_jiaoyan"
# lowest first; a module may import its own layer and those below it
LAYERS = [("errors", "contract", "__init__"), ("domain",), ("read",), ("compute",),
          ("outputs", "notice"), ("io", "workbook"), ("service",), ("shell", "cli", "excel", "__main__")]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}
FILE_FORMATS = {"zipfile", "python_calamine", "openpyxl", "xlsxwriter", "xlwings", "fastexcel"}
BEHIND_THE_SEAMS = {"io", "workbook"}        # the adapters, and the builders of the shipped workbooks
MAX_LINES = 400


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        yield rel.parts[0].removesuffix(".py"), rel.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            if node.module == "xl_jiaoyan":
                yield from (f"xl_jiaoyan.{a.name}" for a in node.names)


def test_every_module_belongs_to_a_layer():
    assert {top for top, _, _ in modules()} <= set(RANK)


def test_imports_go_downward_only():
    upward = []
    for top, rel, tree in modules():
        for name in imports(tree):
            parts = name.split(".")
            if parts[0] == "xl_jiaoyan" and len(parts) > 1 and parts[1] in RANK and RANK[parts[1]] > RANK[top]:
                upward.append(f"{rel} imports {name}")
    assert upward == []


def test_only_the_adapters_touch_file_formats_and_excel():
    found = [f"{rel} imports {name}" for top, rel, tree in modules() for name in imports(tree)
             if name.split(".")[0] in FILE_FORMATS and top not in BEHIND_THE_SEAMS]
    assert found == []


def test_no_module_is_long():
    long = [f"{p.relative_to(PACKAGE)}: {n}" for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def test_pandas_is_configured_in_one_place():
    """Every module takes pandas from domain/frames.py, which sets how it stores text
    before any table exists (so a module imported first cannot make Arrow-backed tables)."""
    direct = [rel for _, rel, tree in modules() if rel != "domain/frames.py"
              and any(name == "pandas" or name.startswith("pandas.") for name in imports(tree))]
    assert direct == []


def test_text_in_tables_is_stored_as_python_objects():
    from xl_jiaoyan.domain.frames import pd
    frame = pd.DataFrame({"姓名": ["赵雪", "王芳"]})
    assert frame["姓名"].array.dtype.storage == "python"
    assert frame.columns.dtype == object or frame.columns.array.dtype.storage == "python"
