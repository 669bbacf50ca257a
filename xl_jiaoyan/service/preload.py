"""Modules a command will need later, imported on a second thread while the first one
reads the workbook.

Reading is mostly work done by python-calamine, fastexcel and ISA-L, which release the
GIL while they parse and inflate; importing the sheet writer, XlsxWriter and Jinja2 (about
40 ms on the 2-core benchmark machine) then costs little wall time.  Nothing
depends on the thread: a module it has not finished is imported where it is needed, as
before, and an import that fails on the thread fails again there, with its message.
"""
from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def preloading(*modules: str) -> Iterator[None]:
    """Import ``modules`` on a second thread during the block; the thread is done when
    the block is left (however it is left)."""
    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:        # noqa: BLE001 (the block's own import reports it)
                continue
    thread = threading.Thread(target=load, name="xl-jiaoyan-preload", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
