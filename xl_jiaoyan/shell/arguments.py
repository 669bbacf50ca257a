"""An argument parser that speaks Chinese: usage, section titles, -h and every error of
argument parsing.

argparse writes its own words through gettext; rather than change them for the whole
process, this parser sets its own titles and help, and translates the few messages argparse
raises (``error``) by pattern.
"""
from __future__ import annotations

import argparse

from xl_jiaoyan import __version__
import re
import sys

# argparse's messages (Python 3.10-3.13) -> ours; \1… are the parts argparse filled in
MESSAGES = [
    (r"the following arguments are required: (.+)", r"缺少参数：\1。"),
    (r"unrecognized arguments: (.+)", r"不认识的参数：\1。"),
    (r"argument 命令: invalid choice: '?([^' ]*)'? \(choose from (.+)\)", r"没有“\1”这个命令。可用的命令：\2。"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)", r"\1 不能是“\2”，可选：\3。"),
    (r"argument (\S+): expected one argument", r"\1 后面要写一个值。"),
    (r"argument (\S+): invalid int value: '?([^']*)'?", r"\1 的值“\2”不是整数。"),
    (r"argument (\S+): ignored explicit argument '?([^']*)'?", r"\1 不需要写值（写了“\2”）。"),
    (r"ambiguous option: (\S+) could match (.+)", r"\1 不明确，可能是：\2。"),
]


class ChineseFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", ChineseFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示这段说明后退出")

    def error(self, message: str):
        for pattern, chinese in MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, chinese, message).replace("', '", "、").replace("'", "")
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}\n请运行 {self.prog} -h 查看用法和例子。\n")


def _command(sub, name: str, summary: str, examples: list[tuple[str, str]]):
    """A subcommand with its one-line summary and examples (shown by -h)."""
    epilog = "例子：\n" + "\n".join(f"  {cmd}\n      {what}" for cmd, what in examples)
    return sub.add_parser(name, help=summary, description=summary, epilog=epilog)


def _book_and_date(command, as_of_help: str) -> None:
    """The workbook path and --as-of that refresh, check and notice take."""
    command.add_argument("path", metavar="工作簿", help="工作簿路径（.xlsx 或 .xlsm）")
    command.add_argument("--as-of", metavar="截止日期", help="统计截止日期，如 2026-11-20 或 11.20" + as_of_help)


def parser(handlers: dict) -> argparse.ArgumentParser:
    """The command line's grammar; ``handlers``: command name -> the function that runs it."""
    p = ChineseParser(prog="xl-jiaoyan", description="教研室工作台：统计指标、检查冲突、生成汇总表和本周通知。",
                      epilog="每个命令的用法和例子：xl-jiaoyan 命令 -h，例如 xl-jiaoyan refresh -h")
    p.add_argument("--version", action="version", version=f"xl-jiaoyan {__version__}", help="显示版本号后退出")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    book = "工作簿"
    r = _command(sub, "refresh", "读取工作簿，刷新「指标总览」「冲突检查」「本周通知」等汇总表",
                 [("xl-jiaoyan refresh 教研室工作台.xlsx", "刷新汇总表，统计截至「设置」中的当前日期（没填则为今天）"),
                  ("xl-jiaoyan refresh 教研室工作台.xlsx --as-of 11.20", "按 11月20日 统计")])
    _book_and_date(r, "（默认取「设置」中的当前日期，再默认今天）")
    r.add_argument("--force", action="store_true", help="即使发现 Excel/WPS 的锁定文件也继续（确定文件没有打开时用）")
    r.set_defaults(func=handlers["refresh"])
    c = _command(sub, "check", "只检查，不写回：列出冲突和数据问题（有“错误”时退出码为 1）",
                 [("xl-jiaoyan check 教研室工作台.xlsx", "在屏幕上按类别列出问题"),
                  ("xl-jiaoyan check 教研室工作台.xlsx --format csv > 问题.csv", "存成 Excel 能打开的 CSV")])
    _book_and_date(c, "")
    c.add_argument("--format", choices=["text", "csv", "json"], default="text", help="输出格式：text（默认）、csv 或 json")
    c.set_defaults(func=handlers["check"])
    n = _command(sub, "notice", "生成本周工作安排通知（文字或 Word 文档），不改动工作簿",
                 [("xl-jiaoyan notice 教研室工作台.xlsx", "本周通知的文字，可直接复制到工作群"),
                  ("xl-jiaoyan notice 教研室工作台.xlsx --week 12 --format docx", "第十二周的通知，存为 Word 文档")])
    _book_and_date(n, "（提醒按这一天统计）")
    n.add_argument("--week", metavar="第几周", help="第几周，如 12 或 第十二周（默认：当前日期所在的周）")
    n.add_argument("--format", choices=["txt", "docx"], help="txt：可直接粘贴到工作群的文字（默认）；docx：打印用的 Word 文档")
    n.add_argument("-o", "--output", metavar="文件名", help="保存到文件（不写时文字输出到屏幕，Word 文档存为“学校名称＋学期＋第N周工作安排.docx”；同名文件已存在时另存为“…（2）”，不覆盖）")
    n.set_defaults(func=handlers["notice"])
    b = _command(sub, "restore", "列出或恢复刷新前自动保存的备份",
                 [("xl-jiaoyan restore 教研室工作台.xlsx", "列出备份"),
                  ("xl-jiaoyan restore 教研室工作台.xlsx 1", "恢复最新的一份备份")])
    b.add_argument("path", metavar=book, help="工作簿路径")
    b.add_argument("number", metavar="编号", nargs="?", type=int, help="要恢复的备份编号（1 为最新；不写则列出全部备份）")
    b.add_argument("--force", action="store_true", help="即使发现 Excel/WPS 的锁定文件也继续")
    b.set_defaults(func=handlers["restore"])
    i = _command(sub, "init", "生成一个新的空白工作簿",
                 [("xl-jiaoyan init 新工作台.xlsx", "空白工作簿，带表头、下拉列表和使用说明"),
                  ("xl-jiaoyan init 练习.xlsx --sample", "填好一个学期示例数据的工作簿")])
    i.add_argument("path", metavar=book, help="新工作簿路径，如 新工作台.xlsx")
    i.add_argument("--sample", action="store_true", help="填入一个学期的示例数据")
    i.set_defaults(func=handlers["init"])
    w = _command(sub, "build-workbook", "生成带「教研室」功能区的 教研室工作台.xlsm（维护人员用）",
                 [("xl-jiaoyan build-workbook --replace", "重新生成 workbooks/教研室工作台.xlsm")])
    w.add_argument("path", metavar="保存位置", nargs="?", help="保存位置（默认 workbooks/教研室工作台.xlsm）")
    w.add_argument("--replace", action="store_true", help="已存在时重新生成")
    w.set_defaults(func=handlers["build_workbook"])
    dr = _command(sub, "doctor", "检查 Python、xlwings 和工作簿是否配套，并说明怎么改",
                  [("xl-jiaoyan doctor", "检查这台电脑的设置"),
                   ("xl-jiaoyan doctor 教研室工作台.xlsm", "同时检查这个工作簿")])
    dr.add_argument("path", metavar=book, nargs="?", help="要检查的工作簿（可不写）")
    dr.set_defaults(func=handlers["doctor"])
    st = _command(sub, "setup", "让 Excel 里「教研室」选项卡的按钮找到这个 Python（每台电脑做一次）",
                  [("xl-jiaoyan setup --copy-workbook", "设置好，并把 教研室工作台.xlsm 放到“文档”文件夹")])
    st.add_argument("--copy-workbook", action="store_true",
                    help="同时把带功能区的 教研室工作台.xlsm 复制到“文档”文件夹（已有同名文件时不覆盖）")
    st.set_defaults(func=handlers["setup"])
    rw = _command(sub, "refresh-window", "刷新工作簿，并在窗口中显示结果（供右键“发送到”、“打开方式”和桌面图标使用）",
                  [("xl-jiaoyan refresh-window 教研室工作台.xlsx 语文组.xlsx", "刷新两个工作簿，结果显示在一个窗口里")])
    rw.add_argument("paths", metavar=book, nargs="*", help="一个或多个工作簿")
    rw.set_defaults(func=handlers["refresh_window"])
    ru = _command(sub, "rollup", "区（县）教研室用：汇总一个文件夹里各校的工作台，生成全区汇总工作簿（各校文件只读不改）",
                  [("xl-jiaoyan rollup 各校工作台", "汇总文件夹（含子文件夹，子文件夹名记为学区）中的所有工作簿，"
                                                   "结果存为文件夹旁边的 全区汇总.xlsx"),
                   ("xl-jiaoyan rollup 各校工作台 -o 11月汇总.xlsx --as-of 11.20", "各校都按 11月20日 统计，存为 11月汇总.xlsx")])
    ru.add_argument("folder", metavar="文件夹", help="各校工作簿所在的文件夹")
    ru.add_argument("-o", "--output", metavar="汇总工作簿", help="汇总结果保存到哪里（默认：文件夹旁边的 全区汇总.xlsx；"
                                                              "已存在时只重写汇总表，区里自己加的工作表保留）")
    ru.add_argument("--as-of", metavar="截止日期", help="各校统一的统计截止日期，如 2026-11-20 或 11.20"
                                                     "（默认取各校「设置」中的当前日期，再默认今天）")
    ru.add_argument("--force", action="store_true", help="即使发现汇总工作簿的 Excel/WPS 锁定文件也继续")
    ru.set_defaults(func=handlers["rollup"])
    bu = _command(sub, "bundle", "制作离线安装包：本工具和它用到的全部安装包放进一个文件夹，"
                  "用 U 盘拷到不能上网的学校电脑上安装（在能上网的电脑上、本项目文件夹中运行）",
                  [("xl-jiaoyan bundle 离线安装包 --platform windows --python 3.11 --zip",
                    "给 Windows、Python 3.11 的电脑做安装包，并打包成 离线安装包.zip"),
                   ("xl-jiaoyan bundle 离线安装包", "给与这台电脑相同的系统和 Python 版本做安装包")])
    bu.add_argument("folder", metavar="文件夹", help="安装包放在哪个新文件夹里")
    bu.add_argument("--platform", choices=["windows", "macos", "macos-intel", "linux"],
                    help="学校电脑的系统：windows、macos（Apple 芯片）、macos-intel、linux（默认与这台电脑相同）")
    bu.add_argument("--python", metavar="版本", help="学校电脑上 Python 的版本，如 3.11（默认与这台电脑相同）")
    bu.add_argument("--project", metavar="项目文件夹", help="xl-jiaoyan 的项目文件夹（默认：当前安装所在的项目文件夹或当前文件夹）")
    bu.add_argument("--zip", action="store_true", help="另外打包成一个 .zip 文件")
    bu.set_defaults(func=handlers["bundle"])
    d = _command(sub, "demo", "在当前文件夹放一份示例工作簿并刷新，看看效果",
                 [("xl-jiaoyan demo", "复制示例工作簿到当前文件夹并刷新")])
    d.set_defaults(func=handlers["demo"])
    return p
