"""xlwings' remote engine made to behave like the desktop engines staff really run.

Live mode is tested on xlwings' remote engine (it runs on Linux and records every write
as an action).  But a staff PC runs the Windows engine (``_xlwindows.py``, COM) or the
macOS engine (``_xlmac.py``, AppleScript), and the remote engine has members those lack:
code that works in the tests could fail on every PC.  This module reads the two desktop
engines' sources with ``ast`` and lists the members each of their classes defines (a
member whose whole body is ``raise NotImplementedError`` counts as missing).  ``Recorder``
patches the remote engine's classes so that every member reached from outside the engine
(from ``xlwings.main`` on behalf of the tool) is recorded and, when ``desktop`` is set,
raises NotImplementedError unless both desktop engines define it — as the base class
does on desktop.
"""
from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

# the remote engine needs a licence key at import; the noncommercial one covers tests
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings  # noqa: E402

ENGINES = Path(xlwings.__file__).parent
REMOTE_MODULE = "xlwings.pro._xlremote"
INTERNAL = {REMOTE_MODULE, "xlwings.base_classes"}


def _raises_not_implemented(fn: ast.FunctionDef) -> bool:
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc
    name = exc.func if isinstance(exc, ast.Call) else exc
    return isinstance(name, ast.Name) and name.id == "NotImplementedError"


def _setter_of(fn: ast.FunctionDef) -> str | None:
    for d in fn.decorator_list:
        if isinstance(d, ast.Attribute) and d.attr == "setter" and isinstance(d.value, ast.Name):
            return d.value.id
    return None


@dataclass
class Members:
    get: set[str] = field(default_factory=set)     # readable attributes and methods
    set: set[str] = field(default_factory=set)     # properties with a setter


def engine_members(path: Path) -> dict[str, Members]:
    """Class name -> members that the engine module at ``path`` really implements,
    including those inherited from classes of the same module and those
    ``base_classes`` implements itself (rather than raising NotImplementedError)."""
    bases: dict[str, list[str]] = {}
    own = _classes(ENGINES / "base_classes.py", bases, prefix="base_classes.")
    own.update(_classes(path, bases))

    def resolved(name: str, seen=()) -> Members:
        out = Members(set(own[name].get), set(own[name].set))
        for b in bases.get(name, []):
            if b in own and b not in seen:
                inherited = resolved(b, seen + (name,))
                out.get |= inherited.get
                out.set |= inherited.set
        return out

    return {name: resolved(name) for name in own if not name.startswith("base_classes.")}


def _classes(path: Path, bases: dict[str, list[str]], prefix: str = "") -> dict[str, Members]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own: dict[str, Members] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        m = own[prefix + node.name] = Members()
        bases[prefix + node.name] = [prefix + b.id if isinstance(b, ast.Name) else "base_classes." + b.attr
                                     for b in node.bases if isinstance(b, (ast.Name, ast.Attribute))]
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _raises_not_implemented(item):
                    continue
                target = _setter_of(item)
                (m.set.add(target) if target else m.get.add(item.name))
                for sub in ast.walk(item):          # attributes set on the instance
                    if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) \
                            and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                        m.get.add(sub.attr)
                        m.set.add(sub.attr)
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                m.get |= {t.id for t in targets if isinstance(t, ast.Name)}
                m.set |= {t.id for t in targets if isinstance(t, ast.Name)}
    return own


def desktop_members() -> dict[str, Members]:
    """Members both desktop engines (Windows and macOS) implement, per class."""
    win = engine_members(ENGINES / "_xlwindows.py")
    mac = engine_members(ENGINES / "_xlmac.py")
    return {name: Members(win[name].get & mac[name].get, win[name].set & mac[name].set)
            for name in win.keys() & mac.keys()}


class Recorder:
    """Patches the remote engine's classes (undone by ``monkeypatch``); ``used`` holds
    (class, member, "get"/"set") reached from outside the engine, ``refused`` those a
    desktop engine lacks (raised as NotImplementedError when ``desktop``)."""

    def __init__(self, monkeypatch, desktop: bool = True):
        from xlwings.pro import _xlremote
        self.desktop = desktop
        self.known = desktop_members()
        self.used: set[tuple[str, str, str]] = set()
        self.refused: set[tuple[str, str, str]] = set()
        self.status_bar: list = []        # every write to the status bar, in order
        for cls in vars(_xlremote).values():
            if isinstance(cls, type) and cls.__module__ == REMOTE_MODULE and cls.__name__ != "Engine":
                monkeypatch.setattr(cls, "__getattribute__", self._getter(), raising=False)
                monkeypatch.setattr(cls, "__setattr__", self._setter(), raising=False)
        # desktop Excel has a status bar (the remote engine has none): its writes are kept
        writes = self.status_bar
        monkeypatch.setattr(_xlremote.App, "status_bar",
                            property(lambda app: writes[-1] if writes else False,
                                     lambda app, value: writes.append(value)), raising=False)

    def _check(self, obj, name: str, kind: str) -> None:
        if name.startswith("_") or sys._getframe(2).f_globals.get("__name__") in INTERNAL:
            return
        frame = sys._getframe(2)
        while frame is not None and not frame.f_globals.get("__name__", "").startswith("xl_jiaoyan"):
            frame = frame.f_back
        if frame is None:               # the test itself (e.g. reading the action log)
            return
        cls = type(obj).__name__
        self.used.add((cls, name, kind))
        members = self.known.get(cls, Members())
        lacking = name not in members.get if kind == "get" else (name in members.get and name not in members.set)
        if lacking:
            self.refused.add((cls, name, kind))
            if self.desktop:
                raise NotImplementedError(f"{cls}.{name} ({kind}) is not implemented by the desktop engines")

    def _getter(self):
        def __getattribute__(obj, name):
            self._check(obj, name, "get")
            return object.__getattribute__(obj, name)
        return __getattribute__

    def _setter(self):
        def __setattr__(obj, name, value):
            self._check(obj, name, "set")
            object.__setattr__(obj, name, value)
        return __setattr__


def _json_value(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, date):
        return v.isoformat() + "T00:00:00.000Z"
    return v


def remote_book(path, names=()):
    """An in-memory xlwings book holding the cell values of the workbook at ``path``."""
    import python_calamine as pc
    wb = pc.CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python() or [[None]]
        width = max(len(r) for r in rows)
        values = [[_json_value(v) if v != "" else None for v in r] + [None] * (width - len(r)) for r in rows]
        sheets.append({"name": name, "values": values, "pictures": [], "tables": [], "charts": []})
    return xlwings.Book(json={"client": "Office.js", "version": xlwings.__version__,
                              "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
                              "names": list(names), "sheets": sheets})
