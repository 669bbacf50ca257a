"""Command line: xl-jiaoyan refresh | check | notice | restore | init | demo | rollup | setup | doctor | bundle | build-workbook.

Parses arguments and prints what ``service`` returns; messages are Chinese.  Exit codes
(``errors``): 0 done, 1 the check found errors, 2 the workbook or an argument cannot be
used, 3 busy (open elsewhere), 4 an unsafe file refused, 5 a live write failed part way,
70 an internal error."""
from __future__ import annotations

import errno
import gc
import io
import json
import os
import re
import sys
import time
from datetime import date
from pathlib import Path

from typing import NoReturn

from xl_jiaoyan.shell.arguments import parser
from xl_jiaoyan.io.files import safety
from xl_jiaoyan.domain.cells import chinese_week, to_date, to_week_number, year_near
from xl_jiaoyan.domain.findings import ERROR
from xl_jiaoyan.errors import CHECK_FOUND_ERRORS, INTERNAL, WorkbookError, WriteFailed
from xl_jiaoyan.service import reports

from xl_jiaoyan.domain.textsafe import printable


def _commands():
    """The commands module, imported when a command runs: --help and argument errors stay
    fast (it pulls in pandas and the writers)."""
    from xl_jiaoyan.service import commands
    return commands


def say(*parts, file=None, sep=" ", end="\n") -> None:
    """print, with control characters in the text shown escaped (the text holds cell
    values from workbooks anyone may have written)."""
    (file or sys.stdout).write(printable(sep.join(str(p) for p in parts)) + end)


class Progress:
    """A one-line progress display on stderr (only on a terminal)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.tty:
            self.stream.write(f"\r\033[K… {message}（{time.monotonic() - self.start:.1f} 秒）")
            self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _option(text: str | None, parse, problem: str):
    """An option's value read by ``parse``; a Chinese message when it cannot be read."""
    if text is None:
        return None
    value = parse(text)
    if value is None:
        raise WorkbookError(problem.format(text))
    return value


def _as_of(text: str | None) -> date | str | None:
    """A full date as a date; a date without a year (11.20, 11月20号) as the text, which
    the pipeline reads again with the semester's year once the workbook is read."""
    if text is None:
        return None
    day = _option(text, lambda v: to_date(v, year_near(date.today())),
                  "--as-of 的日期“{}”读不出来，请写成 2026-11-20、11.20 或 11月20日 这样的日期。")
    return day if to_date(text) is not None else text


def _week(text: str | None) -> int | None:
    """A week number; one past any term (--week 99) is passed on, for the notice to say
    how many weeks this term has."""
    def week(v):
        n = to_week_number(v)
        if n is None:
            m = re.fullmatch(r"\s*第?\s*(\d{1,4})\s*周?\s*", str(v))
            n = int(m[1]) if m and int(m[1]) > 0 else None
        return n
    return _option(text, week, "--week 的周次“{}”读不出来，请写成 12 或 第十二周。")


def cmd_refresh(args) -> int:
    progress = Progress()
    result, written = _commands().refresh(Path(args.path), _as_of(args.as_of), progress, force=args.force)
    progress.done()
    say(reports.summary(result, Path(args.path), written))
    return 0


def cmd_check(args) -> int:
    progress = Progress()
    result = _commands().check(Path(args.path), _as_of(args.as_of), progress)
    progress.done()
    if args.format == "json":
        say(json.dumps(reports.finding_rows(result), ensure_ascii=False, indent=1))
    elif args.format == "csv":
        # UTF-8 with a BOM, so Excel and WPS on Chinese Windows read the Chinese right
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig", newline="") \
            if hasattr(sys.stdout, "buffer") else sys.stdout
        reports.write_csv(reports.finding_rows(result), out, terminal=sys.stdout.isatty())
        out.flush()
        if out is not sys.stdout:
            out.detach()
    else:
        for line in reports.check_text(result, Path(args.path).name):
            say(line)
    return CHECK_FOUND_ERRORS if result.findings.count(ERROR) else 0


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".et", ".ods", ".csv")


def _file_name(text: str) -> str:
    """``text`` as a file name on every system (no \\ / : * ? " < > |, no spaces at the ends)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", text).strip(" .") or "工作安排"


def free_name(path: Path) -> tuple[Path, Path | None]:
    """``path``, or when a file of that name exists (a notice edited by hand, last term's
    week 11) the next free ``名称（2）.docx``; second: the file that was kept."""
    if not path.exists():
        return path, None
    n = 2
    while path.with_name(f"{path.stem}（{n}）{path.suffix}").exists():
        n += 1
    return path.with_name(f"{path.stem}（{n}）{path.suffix}"), path


def cmd_notice(args) -> int:
    progress = Progress()
    fmt = args.format or ("docx" if args.output and args.output.lower().endswith(".docx") else "txt")
    suffix = Path(args.output).suffix.lower() if args.output else ""
    if suffix in WORKBOOK_SUFFIXES or (args.output and Path(args.output).resolve() == Path(args.path).resolve()):
        raise WorkbookError(f"-o 的文件名“{args.output}”是工作簿，通知不能存进工作簿（那样会把工作簿换成一段文字）。"
                            f"请写 .txt 或 .docx 结尾的文件名，例如 -o 第{args.week or 'N'}周通知.docx。")
    if suffix and (fmt == "docx") != (suffix == ".docx"):
        wanted = ".docx" if fmt == "docx" else ".txt"
        raise WorkbookError(f"-o 的文件名“{args.output}”与格式 {fmt} 不符：{fmt} 格式请用 {wanted} 结尾的文件名"
                            f"（例如 -o {Path(args.output).stem}{wanted}）。")
    made, result = _commands().notice(Path(args.path), _week(args.week), _as_of(args.as_of), progress)
    progress.done()
    label = chinese_week(made.week)
    if made.as_of != result.as_of:
        say(f"{label}已经过去，通知中的提醒按当时（{made.as_of.isoformat()}）的记录计算。", file=sys.stderr)
    if fmt == "docx":
        from xl_jiaoyan.notice.docx import write_docx
        s = result.settings
        out, taken = free_name(Path(args.output or _file_name(f"{s.school}{s.term}{label}工作安排") + ".docx"))
        write_docx(made.paragraphs, out)
        say(f"已生成{label}通知：{out}（{made.origin}）" + (f"。{taken.name} 已经存在，没有覆盖它" if taken else ""))
        return 0
    text = "\n".join(made.paragraphs) + "\n"
    if args.output:
        out, taken = free_name(Path(args.output))
        out.write_text(text, encoding="utf-8")
        say(f"已生成{label}通知：{out}（{made.origin}）" + (f"。{taken.name} 已经存在，没有覆盖它" if taken else ""))
    else:
        say(text, end="")
        say(f"（{label}通知，{made.origin}）", file=sys.stderr)
    return 0


def cmd_restore(args) -> int:
    path = Path(args.path)
    if args.number is None:
        found = _commands().backups(path)
        if not found:
            say(f"{path.name} 还没有备份。每次刷新前，工具都会把原文件备份到同一文件夹的"
                  f"「{safety.BACKUP_DIR}」中（保留最近 {safety.KEEP_BACKUPS} 份）。")
            return 0
        say(f"{path.name} 的备份（最新的在前）：")
        for i, b in enumerate(found, 1):
            problem = b.problem
            state = f"  （不能用：{problem}）" if problem else ""
            before = f"{b.taken_before}前" if b.taken_before else "　　　"
            say(f"  {i}. {b.when:%Y-%m-%d %H:%M:%S}  {before}  {b.size / 1024:,.0f} KB  {b.path.name}{state}")
        say(f"恢复某一份：xl-jiaoyan restore {path.name} 编号（恢复前会先备份当前文件）")
        return 0
    chosen, saved = _commands().restore(path, args.number, force=args.force)
    say(f"已把 {path.name} 恢复为 {chosen.when:%Y-%m-%d %H:%M:%S} 的备份。")
    if saved is not None:
        say(f"恢复前的文件已备份为 {saved.name}，如需撤销可再恢复它。")
    return 0


def cmd_build_workbook(args) -> int:
    from xl_jiaoyan.workbook.macro_book import WORKBOOK_NAME, build
    path = Path(args.path or Path("workbooks") / WORKBOOK_NAME)
    if path.exists() and not args.replace:
        raise WorkbookError(f"{path} 已经存在。要重新生成请加 --replace。")
    if path.exists():
        path.unlink()
    checks = build(path)
    say(f"已生成带「教研室」功能区的工作簿：{path}")
    for c in checks:
        say(f"  ✓ {c}")
    return 0


def cmd_doctor(args) -> int:
    from xl_jiaoyan.shell import doctor
    checks = doctor.environment() + (doctor.workbook(Path(args.path)) if args.path else [])
    for c in checks:
        say(f"{'✓' if c.ok else '✗'} {c.found}")
        if not c.ok and c.fix:
            say(f"    怎么办：{c.fix}")
    bad = sum(not c.ok for c in checks)
    say("全部正常。" if not bad else f"有 {bad} 项需要处理。")
    return 0 if not bad else 1


def cmd_setup(args) -> int:
    from xl_jiaoyan.shell import desktop
    from xl_jiaoyan.shell.setup import Machine, setup
    machine = Machine.this()
    excel = machine.windows or machine.platform == "darwin"
    linux = machine.platform.startswith("linux")
    lines = setup(machine, copy_workbook=args.copy_workbook) if excel or (linux and args.copy_workbook) else []
    lines += desktop.install(machine)
    if not lines:
        setup(machine)          # raises: says what this computer can use instead
    for line in lines:
        say(f"  ✓ {line}")
    if excel:
        say("设置完成。在 Excel 中打开 教研室工作台.xlsm，点「教研室」选项卡里的按钮即可；"
            "如按钮没有反应，请运行 xl-jiaoyan doctor 检查。")
    else:
        say("设置完成。这台电脑上没有 Microsoft Excel 的功能区按钮；用 WPS 保存并关闭工作簿后，"
            f"右键工作簿选「打开方式」→「{desktop.NAME}」，或把它拖到桌面上的「{desktop.NAME}」图标上。")
    return 0


def cmd_bundle(args) -> int:
    from xl_jiaoyan.shell.bundle import bundle
    progress = Progress()
    lines = bundle(Path(args.folder), args.platform, args.python, args.project, args.zip, progress=progress)
    progress.done()
    for line in lines:
        say(f"  ✓ {line}")
    say("把这个文件夹（或 .zip）拷到学校电脑上，按其中的「使用说明.txt」安装，不需要联网。")
    return 0


def cmd_refresh_window(args) -> int:
    """Refresh each workbook and show the outcome in a window (Send To, drop targets)."""
    from xl_jiaoyan.shell import desktop
    from xl_jiaoyan.io.files import safety
    parts, failed = [], False
    for name in args.paths:
        path = Path(name)
        try:
            result, written = _commands().refresh(path)
            kept = safety.backups(path)
            parts.append(reports.summary(result, path, written)
                         + (f"\n刷新前的工作簿已备份在：{kept[0].path}" if kept else ""))
        except WorkbookError as e:
            failed = True
            parts.append(f"「{path.name}」没有刷新：{e}")
        except Exception as e:      # never a traceback: the window says what happened
            failed = True
            parts.append(f"「{path.name}」没有刷新：程序内部错误（{type(e).__name__}: {e}），工作簿未被修改。")
    if not parts:
        parts, failed = ["没有收到工作簿：请把 .xlsx 或 .xlsm 工作簿拖到图标上，或右键工作簿选“发送到”。"], True
    desktop.show(f"教研室：{'没有全部完成' if failed else '刷新完成'}", "\n\n".join(parts), failed)
    return 2 if failed else 0


def cmd_init(args) -> int:
    path = _commands().init(Path(args.path), sample=args.sample)
    say(f"已生成{'示例' if args.sample else '新'}工作簿：{path}")
    if not args.sample:
        say("请先在「设置」中填写学校名称和第一周周一，再在「教师名册」中填写教师名单。")
    return 0


def cmd_demo(args) -> int:
    progress = Progress()
    path, result, written = _commands().demo(Path.cwd(), progress)
    progress.done()
    say(f"已把示例工作簿复制到当前文件夹并刷新。\n{reports.summary(result, path, written)}")
    say("用 Excel 或 WPS 打开它看看；自己的工作簿可用 xl-jiaoyan init 新工作台.xlsx 生成。")
    return 0


def cmd_rollup(args) -> int:
    progress = Progress()
    done = _commands().rollup(Path(args.folder), Path(args.output) if args.output else None, _as_of(args.as_of),
                           progress, force=args.force)
    progress.done()
    say(reports.rollup_summary(done))
    return 0


HANDLERS = {
    "refresh": cmd_refresh, "check": cmd_check, "notice": cmd_notice, "restore": cmd_restore,
    "init": cmd_init, "build_workbook": cmd_build_workbook, "doctor": cmd_doctor, "setup":
    cmd_setup, "bundle": cmd_bundle, "refresh_window": cmd_refresh_window, "rollup": cmd_rollup, "demo": cmd_demo}


def main(argv: list[str] | None = None) -> int:
    p = parser(HANDLERS)
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return 2
    try:
        return args.func(args)
    except WriteFailed as e:
        say(f"无法完成：{e.chinese()}", file=sys.stderr)
        return e.exit_code
    except WorkbookError as e:
        say(f"无法完成：{e}", file=sys.stderr)
        return e.exit_code
    except PermissionError as e:
        say(f"无法写入文件：{e.filename}。文件可能正在 Excel 或 WPS 中打开，请关闭后再试。", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        say("\n已中断，工作簿未被修改。", file=sys.stderr)
        return 2
    except BrokenPipeError:         # xl-jiaoyan check 工作台.xlsx | head: the reader had enough
        _quiet_stdout()
        return 0
    except OSError as e:
        if e.errno == errno.ENOSPC:
            say("无法完成：磁盘空间不足，工作簿未被修改。请清理磁盘空间后再试。", file=sys.stderr)
        else:
            say(f"无法完成：读写文件时出错（{e.strerror or e}{'：' + str(e.filename) if e.filename else ''}），"
                  "工作簿未被修改。", file=sys.stderr)
        return 2
    except Exception as e:   # never a traceback for staff; XLJY_DEBUG=1 shows it to developers
        if os.environ.get("XLJY_DEBUG"):
            raise
        say(f"无法完成：程序内部错误（{type(e).__name__}: {e}），工作簿未被修改。"
              "请把这条信息和工作簿发给维护人员。", file=sys.stderr)
        return INTERNAL


def _quiet_stdout() -> None:
    """After a closed pipe: stdout goes nowhere, so the final flush says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


ONE_WORKBOOK = {"refresh", "check", "notice", "demo"}


def run() -> NoReturn:
    """The console command: ``main``, then the process ends without tearing the
    interpreter down.  Every file is closed and every helper thread joined by the time
    ``main`` returns; what is left is freeing each object of the run and each module one
    by one, which takes a quarter of a second after the smallest refresh.

    A command over one workbook runs without the cyclic garbage collector: its tables make
    few reference cycles (the peak memory of a million-row refresh is the same without it),
    the process ends here, and the collector's passes over the run's objects cost 1 to 4 %
    of a million-row refresh.  The rollup, which reads workbook after workbook, keeps it."""
    if sys.argv[1:2] and sys.argv[1] in ONE_WORKBOOK:
        gc.disable()
    try:
        code = main()
    except SystemExit as e:         # argparse: --help, argument errors (already printed)
        code = 0 if e.code is None else e.code
        if not isinstance(code, int):   # as Python itself does with a message
            print(code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):    # a closed pipe (xl-jiaoyan check | head)
            pass
    os._exit(code)
