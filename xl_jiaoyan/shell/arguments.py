"""An argument parser that speaks Chinese: usage, section titles, -h and every error of
argument parsing.

argparse writes its own words through gettext; rather than change them for the whole
process, this parser sets its own titles and help, and translates the few messages argparse
raises (``error``) by pattern.
"""
from __future__ import annotations

import argparse
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
