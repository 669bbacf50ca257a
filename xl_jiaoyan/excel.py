"""Live Excel entry points, called from the 教研室 ribbon tab through xlwings' RunPython.

Each takes an optional ``xw.Book`` (default: ``xw.Book.caller()``), runs ``service.live``
(the same pipeline as file mode), shows progress in Excel's status bar and every problem
as a Chinese alert — never a Python traceback dialog.  This module only talks to the user.
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from datetime import date, datetime

from xl_jiaoyan.contract import HELP_SHEET, OUT_FINDINGS, OUT_NOTICE, OUT_OVERVIEW, RIBBON_BUTTONS
from xl_jiaoyan.errors import Busy, WorkbookError, WriteFailed
from xl_jiaoyan.io.files import safety
from xl_jiaoyan.service import live
from xl_jiaoyan.service.reports import level_counts

TITLE = "教研室"


def _book(book):
    return book if book is not None else live.caller()


def _status(book, message) -> None:
    try:
        book.app.status_bar = message
    except (NotImplementedError, AttributeError):   # engines without a status bar
        pass


class Session:
    """One button's run: progress in the status bar, and the summary it ends with (left
    in the status bar after the wrapper has reset it, so that the user sees it)."""

    def __init__(self, book):
        self.book, self.summary = book, None

    def progress(self, message: str) -> None:
        _status(self.book, f"教研室：{message}…")


def _key(book) -> str:
    try:
        return str(book.fullname)
    except Exception:           # engines without a file name
        return str(book.name)


@contextmanager
def _ui(book):
    """Status-bar progress; errors become an alert; the status bar is reset at the end,
    then shows the run's summary.  Yields None (after saying so) while another run on the
    same workbook is still going: a second click does not start a second writer."""
    lock = ExitStack()
    try:
        lock.enter_context(safety.click_lock(_key(book)))
    except Busy:
        book.app.alert("正在刷新，请稍候：上一次点击的操作还没有完成，完成后状态栏会显示结果。",
                       title=TITLE, buttons="ok", mode="info")
        yield None
        return
    except WorkbookError:       # no temporary folder to lock in: run unlocked, as before
        pass
    session = Session(book)
    try:
        yield session
    except WriteFailed as e:   # something was written: say exactly what
        book.app.alert(e.chinese(), title=f"{TITLE}：出错了", buttons="ok", mode="critical")
    except WorkbookError as e:
        book.app.alert(str(e), title=f"{TITLE}：无法完成", buttons="ok", mode="critical")
    except Exception as e:      # raised before the first write: nothing was changed
        book.app.alert(f"程序内部错误（{type(e).__name__}: {e}），工作簿未被修改。"
                       "请把这条信息和工作簿发给维护人员。", title=f"{TITLE}：出错了", buttons="ok", mode="critical")
    finally:
        lock.close()
        _status(book, False)
        if session.summary:
            _status(book, session.summary)


def refresh(book=None, as_of: date | None = None, now: datetime | None = None):
    """刷新汇总: every output sheet, as ``xl-jiaoyan refresh`` writes them."""
    book = _book(book)
    with _ui(book) as ui:
        if ui is None:
            return None
        result = live.refresh(book, as_of, ui.progress, now)
        book.sheets[OUT_OVERVIEW].activate()          # the results first
        ui.summary = f"教研室：已刷新（统计截至 {result.as_of.isoformat()}；冲突检查：{level_counts(result)}）"
        return result


def check(book=None, as_of: date | None = None, now: datetime | None = None):
    """检查冲突: only the 冲突检查 sheet, then a summary."""
    book = _book(book)
    with _ui(book) as ui:
        if ui is None:
            return None
        result = live.check(book, as_of, ui.progress, now)
        book.sheets[OUT_FINDINGS].activate()
        book.app.alert(f"检查完成：{level_counts(result)}。详见「{OUT_FINDINGS}」工作表，点“行号”可跳到原记录。",
                       title=TITLE, buttons="ok", mode="info")
        return result


def notice(book=None, week: int | None = None, as_of: date | None = None, now: datetime | None = None):
    """生成本周通知: the 本周通知 sheet for the as-of week (or ``week``)."""
    book = _book(book)
    with _ui(book) as ui:
        if ui is None:
            return None
        made = live.notice(book, week, as_of, ui.progress, now)
        book.sheets[OUT_NOTICE].activate()
        book.app.alert(f"已生成第 {made.week} 周通知（{made.origin}），在「{OUT_NOTICE}」工作表中，"
                       "可整列复制到工作群。打印版请用命令 xl-jiaoyan notice 工作簿 --format docx。",
                       title=TITLE, buttons="ok", mode="info")
        return made


def show_help(book=None):
    """使用说明: the help sheet of the workbook."""
    book = _book(book)
    with _ui(book) as ui:
        if ui is None:
            return
        if HELP_SHEET in [s.name for s in book.sheets]:
            book.sheets[HELP_SHEET].activate()
        else:
            book.app.alert("这个工作簿没有「使用说明」工作表。可用命令 xl-jiaoyan init 新工作台.xlsx "
                           "生成一个带使用说明的新工作簿对照。", title=TITLE, buttons="ok", mode="info")


# ribbon control id -> entry point; the build checks every id the ribbon sends is here
RIBBON_ACTIONS = dict(zip(RIBBON_BUTTONS, (refresh, check, notice, show_help)))


def on_ribbon(control_id: str, book=None):
    """The one callback behind every button of the 教研室 tab."""
    action = RIBBON_ACTIONS.get(control_id)
    if action is None:
        book = _book(book)
        book.app.alert(f"未知的按钮“{control_id}”。工作簿与已安装的 xl-jiaoyan 版本可能不一致，"
                       "请运行 xl-jiaoyan doctor 检查。", title=TITLE, buttons="ok", mode="critical")
        return None
    return action(book)
