"""A path without a terminal: refresh a workbook from the file manager or the desktop.

``xl-jiaoyan setup`` writes, next to the Excel setup:

- Linux: a desktop entry (``xl-jiaoyan-refresh.desktop`` in ~/.local/share/applications,
  so 「打开方式」 offers it for .xlsx/.xlsm), the same entry on the desktop (the XDG
  desktop folder: ~/桌面 on a Chinese desktop; drop workbooks onto it), and a
  file-manager script (Nautilus/Caja 「脚本」 menu).
- Windows: ``教研室工作台刷新.cmd`` in the Send To folder (right-click → 发送到) and on
  the desktop (the known folder, which OneDrive may have moved; drop workbooks onto it).  It is written in the ANSI code page cmd reads,
  with the interpreter under %LOCALAPPDATA% where it lies there.

Each runs ``xl-jiaoyan refresh-window 工作簿…``: every workbook is refreshed and the
result — what was refreshed, the counts, where the backup is — or the error is shown in
a window (Tk), or as a notification where there is no Tk, in Chinese.
"""
from __future__ import annotations

import os
import shutil
import subprocess

from xl_jiaoyan.shell.setup import Machine, interpreter

NAME = "教研室工作台刷新"
ENTRY = "xl-jiaoyan-refresh.desktop"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;application/vnd.ms-excel.sheet.macroEnabled.12;"


def desktop_entry(python: str) -> str:
    """A freedesktop.org desktop entry that refreshes the workbooks it is given."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        f"Name={NAME}",
        "Comment=刷新教研室工作台：统计指标、检查冲突、写回汇总表",
        f'Exec="{python}" -m xl_jiaoyan refresh-window %F',
        "Icon=x-office-spreadsheet",
        "Terminal=false",
        f"MimeType={MIME}",
        "Categories=Office;Spreadsheet;",
        "",
    ])


def file_manager_script(python: str) -> str:
    """A Nautilus/Caja script: the selected files arrive as arguments."""
    return f'#!/bin/sh\nexec "{python}" -m xl_jiaoyan refresh-window "$@"\n'


def windows_cmd(python: str) -> str:
    """Send To / drop target for Windows: the files arrive as %*."""
    return "\r\n".join(["@echo off", f'start "" "{python}" -m xl_jiaoyan refresh-window %*', ""])


def install(m: Machine) -> list[str]:
    """Write the entries for this machine; one Chinese line per thing done."""
    done = []
    if m.windows:
        python = interpreter(m)                   # pythonw.exe: no console window
        data = windows_cmd(python).encode(m.codepage)
        appdata = m.env.get("APPDATA") or str(m.path(m.home, "AppData", "Roaming"))
        for folder, what in ((m.path(appdata, "Microsoft", "Windows", "SendTo"), "右键菜单「发送到」"),
                             (m.folder("desktop"), "桌面（把工作簿拖到它上面）")):
            target = m.local(folder / f"{NAME}.cmd")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            done.append(f"已在{what}加上「{NAME}」：{folder / (NAME + '.cmd')}")
        return done
    if m.platform.startswith("linux"):
        python = m.executable
        entry = desktop_entry(python)
        apps = m.path(m.env.get("XDG_DATA_HOME") or str(m.path(m.home, ".local", "share")), "applications")
        for folder, what in ((apps, "「打开方式」菜单"), (m.folder("desktop"), "桌面（把工作簿拖到它上面）")):
            target = m.local(folder / ENTRY)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(entry, encoding="utf-8")
            target.chmod(0o755)
            done.append(f"已在{what}加上「{NAME}」：{folder / ENTRY}")
        for fm in ("nautilus", "caja"):
            script = m.local(m.path(m.home, ".local", "share", fm, "scripts", NAME))
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(file_manager_script(python), encoding="utf-8")
            script.chmod(0o755)
        done.append(f"已在文件管理器的「脚本」菜单加上「{NAME}」")
    return done


def show(title: str, text: str, error: bool) -> None:
    """The result in a window (Tk), else a notification, else on stdout."""
    if os.environ.get("XLJY_NO_WINDOW"):
        print(f"{title}\n{text}")
        return
    try:
        import tkinter
        window(tkinter, title, text, error)
        return
    except Exception:
        pass
    if shutil.which("notify-send"):
        subprocess.run(["notify-send", "--urgency=" + ("critical" if error else "normal"), title, text[:1500]],
                       check=False, timeout=20)
    else:
        print(f"{title}\n{text}")


def window(tk, title: str, text: str, error: bool) -> None:
    """A window of its own rather than Tk's message box, whose button says "OK" on Linux
    and which cannot scroll a long result: the text (selectable, to copy), a scroll bar
    when it is long, and a 确定 button (Enter or Esc close it too)."""
    root = tk.Tk()
    root.title(title)
    lines = text.count("\n") + 1
    frame = tk.Frame(root, padx=16, pady=12)
    frame.pack(fill="both", expand=True)
    tk.Label(frame, text="出了问题，工作簿保持原样：" if error else "完成：", fg="#C00000" if error else "#006100",
             anchor="w").pack(fill="x")
    body = tk.Text(frame, wrap="word", width=72, height=min(max(lines, 4), 24), relief="flat")
    body.insert("1.0", text)
    body.configure(state="disabled")
    if lines > 24:
        bar = tk.Scrollbar(frame, command=body.yview)
        body.configure(yscrollcommand=bar.set)
        bar.pack(side="right", fill="y")
    body.pack(fill="both", expand=True, pady=(6, 10))
    ok = tk.Button(frame, text="确定", width=10, command=root.destroy)
    ok.pack(side="right")
    root.bind("<Return>", lambda _e: root.destroy())
    root.bind("<Escape>", lambda _e: root.destroy())
    ok.focus_set()
    root.mainloop()
