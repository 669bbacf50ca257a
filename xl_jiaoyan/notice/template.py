"""Notice templates: the default, a 通知模板 sheet or a .j2 file; rendering to paragraphs.

A broken template stops the run with a Chinese message naming where it is and what is
wrong (Jinja2's own message is kept in brackets for whoever maintains the template).
"""
from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from importlib import resources

import jinja2

from xl_jiaoyan.domain.cells import chinese_number
from xl_jiaoyan.errors import WorkbookError
from xl_jiaoyan.notice.sandbox import NoticeSandbox, TemplateBound, render_bounded

SHEET = "通知模板"
FILE_NAME = "通知模板.j2"


@dataclass(frozen=True)
class TemplateText:
    text: str
    origin: str          # where it came from, in words: 默认模板, 工作表「通知模板」, 文件 …
    sheet: bool = False  # line n is row n of column A


def default_template() -> TemplateText:
    text = resources.files(__package__).joinpath("default.j2").read_text(encoding="utf-8")
    return TemplateText(text, "默认模板")


def sheet_template(rows: list[tuple[int, object]]) -> TemplateText | None:
    """Column A of the 通知模板 sheet as (Excel row, value) pairs; blank rows stay blank
    lines, so a template line number is the sheet's row number."""
    lines: dict[int, str] = {}
    for row, value in rows:
        if value is not None and str(value).strip():
            lines[row] = str(value).replace("\r\n", "\n")
    if not lines:
        return None
    text = "\n".join(lines.get(r, "") for r in range(1, max(lines) + 1))
    return TemplateText(text, f"工作表「{SHEET}」", sheet=True)


TEMPLATE_BYTES = 256 * 1024     # a notice template is a page of text


def beside(folder: Path) -> TemplateText | None:
    """通知模板.j2 in the workbook's folder, if there is one: a regular file of at most
    TEMPLATE_BYTES, never a link (which could make the notice show any file of the
    computer), opened without following one and without blocking on a FIFO."""
    path = folder / FILE_NAME
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise WorkbookError(f"通知模板 {path.name} 不是普通文件（是链接、快捷方式或设备），为安全起见没有读它。"
                            "请把真正的模板文件放在工作簿旁边。")
    if st.st_size > TEMPLATE_BYTES:
        raise WorkbookError(f"通知模板 {path.name} 有 {st.st_size // 1024} KB，太大了，不像通知模板（应在 "
                            f"{TEMPLATE_BYTES // 1024} KB 以内）。请检查是不是放错了文件。")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise OSError("not a regular file")
            raw = f.read(TEMPLATE_BYTES + 1)
        if len(raw) > TEMPLATE_BYTES:
            raise WorkbookError(f"通知模板 {path.name} 太大了（应在 {TEMPLATE_BYTES // 1024} KB 以内）。")
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise WorkbookError(f"通知模板文件 {path.name} 读不出来（{type(e).__name__}）。"
                            "请用 UTF-8 编码保存（记事本“另存为”时选 UTF-8）。") from None
    return TemplateText(text, f"文件「{path.name}」")


def _where(t: TemplateText, line: int | None) -> str:
    if line is None:
        return t.origin
    return f"{t.origin}第 {line} 行" + ("（A 列）" if t.sheet else "")


_PROBLEMS = [   # Jinja2's message -> what to tell staff ({0}, {1}: the message's groups)
    (r"unexpected end of template.*closed is '(\w+)'",
     "模板到这里就结束了，但 {% {0} %} 还没有配对的 {% end{0} %}。"),
    (r"unexpected end of template", "模板到这里就结束了，有 {% %} 标签没有写完或没有配对。"),
    (r"unexpected '(.*)'", "这里多了或写错了“{0}”，请检查 {{ }} 和 {% %} 是否成对。"),
    (r"unexpected char '(.*?)'", "这里有模板不认识的字符“{0}”。"),
    (r"encountered unknown tag '(\w+)'", "“{0}”不是模板标签；可用 for、if、set 等，写法见使用说明。"),
    (r"expected token '(.*?)', got '(.*?)'", "这里应写“{0}”，却写了“{1}”。"),
    (r"access to attribute '(.*?)' of '(.*?)' object is unsafe",
     "模板不能访问“{0}”：通知模板只能用「使用说明」表里列出的变量，不能碰程序内部的东西。"),
    (r"is not safely callable", "模板不能调用这个函数：通知模板只能用「使用说明」表里列出的变量和函数。"),
    (r"'(\w+)' is undefined", "没有叫“{0}”的变量，请核对变量名（可用的变量见使用说明）。"),
    (r"has no attribute '(\w+)'", "没有“{0}”这一项，请核对写法（可用的变量见使用说明）。"),
]


def _explain(message: str) -> str:
    for pattern, chinese in _PROBLEMS:
        m = re.search(pattern, message, re.IGNORECASE | re.DOTALL)
        if m:
            for k, group in enumerate(m.groups()):
                chinese = chinese.replace("{%d}" % k, group)
            return chinese
    return "模板写法有误。"


def _problem(t: TemplateText, line: int | None, exc: Exception) -> WorkbookError:
    if isinstance(exc, TemplateBound):
        return WorkbookError(f"通知模板超出了允许的范围（{_where(t, line)}）：{exc.chinese}"
                             "请改正模板后再试；本次没有写入任何内容。")
    return WorkbookError(f"通知模板有误（{_where(t, line)}）：{_explain(str(exc))}"
                         f"（{type(exc).__name__}: {exc}）请改正模板后再试；本次没有写入任何内容。")


def compile_template(t: TemplateText) -> jinja2.Template:
    """The template parsed, checked and instrumented in the notice sandbox (``sandbox.py``):
    templates come with workbooks from anyone."""
    env = NoticeSandbox()
    env.globals["中文数字"] = chinese_number
    try:
        return env.from_string(t.text)
    except TemplateBound as exc:
        raise _problem(t, getattr(exc, "lineno", None), exc) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _problem(t, exc.lineno, exc) from None


def _template_line() -> int | None:
    """The template line of the exception being handled (Jinja rewrites tracebacks so
    that template frames carry the template's line numbers)."""
    tb, line = sys.exc_info()[2], None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(t: TemplateText, data: dict) -> list[str]:
    """The notice as paragraphs: trailing spaces gone, at most one blank line in a row,
    none at either end."""
    template = compile_template(t)
    try:
        text = render_bounded(template.environment, template, data)
    except jinja2.TemplateError as exc:
        raise _problem(t, _template_line() or getattr(exc, "lineno", None), exc) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError,
            RecursionError, MemoryError) as exc:
        raise _problem(t, _template_line(), exc) from None
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
