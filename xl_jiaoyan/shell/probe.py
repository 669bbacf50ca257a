"""What doctor runs in the Python Excel will use: ``python -m xl_jiaoyan.shell.probe``.

Imports every module a refresh, a notice and a ribbon click import — the compiled ones
(numpy, pandas, pyarrow, calamine …) are where an environment that was not activated
fails ("DLL load failed") — and prints one line of JSON: the versions, or the first
module that failed and its error.  Nothing is read or written.
"""
from __future__ import annotations

import importlib
import json
import sys

# the package's own entry points first (they import what they need at the top), then
# what they import later, on demand
MODULES = ("numpy", "pandas", "pyarrow", "fastexcel", "python_calamine", "isal", "xlsxwriter", "jinja2",
           "docx", "lxml.etree", "chinese_calendar", "xlwings",
           "xl_jiaoyan.service.commands", "xl_jiaoyan.service.live", "xl_jiaoyan.excel",
           "xl_jiaoyan.notice.template", "xl_jiaoyan.notice.docx", "xl_jiaoyan.io.xlsx.sheet_stream",
           "xl_jiaoyan.io.xlsx.render", "xl_jiaoyan.io.live.book")


def probe() -> dict:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except BaseException as e:       # noqa: BLE001 (what failed is the answer)
            return {"failed": name, "error": f"{type(e).__name__}: {e}"[:400]}
    from xl_jiaoyan import __version__
    from xl_jiaoyan.io.live.version import xlwings_version
    return {"xl_jiaoyan": __version__, "xlwings": xlwings_version(), "python": sys.version.split()[0]}


def main() -> int:
    said = probe()
    print(json.dumps(said, ensure_ascii=True))
    return 0 if "failed" not in said else 1


if __name__ == "__main__":
    raise SystemExit(main())
