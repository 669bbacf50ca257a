"""The notice template's sandbox: wording, variables, loops and conditions — nothing else.

A template arrives with a workbook from anyone (a 通知模板 sheet, a 通知模板.j2 beside it),
so it is treated as hostile code:

* It is parsed first and every node of its syntax tree checked against a short list of
  what a notice needs (text, variables, ``for``/``if``/``set``, filters from a list,
  arithmetic); ``include``, ``import``, ``extends``, ``macro``, ``call``, ``filter``
  blocks and recursive loops are refused before anything runs.
* It renders in Jinja2's immutable sandbox, narrowed further: attributes are reachable
  only on the notice's own data (dict keys), on ``loop`` and ``namespace``, and a few
  harmless string/dict methods; the globals are ``range`` (bounded), ``namespace``,
  ``dict`` and ``中文数字``; the filters are a list of harmless ones, each wrapped.
* Every value a template builds (an assignment, a ``~`` join, an operator's result, a
  filter's result) is weighed — characters plus elements — and refused above
  ``VALUE_LIMIT``; operators and filters that could multiply sizes (``*``, ``**``, ``%``,
  ``join``, ``replace``, ``format``) are checked *before* they run, so no single step can
  allocate much.  Everything written out is counted against ``OUTPUT_LIMIT``, whether it
  goes to the notice or into a ``{% set %}`` block.
* The work is bounded in steps and time: a trace hook on the template's own frames counts
  executed lines and stops at ``STEP_LIMIT`` or ``TIME_LIMIT`` seconds.

A template that hits any of these stops with ``TemplateBound``, which the caller turns into
a Chinese message naming the template's origin and line.
"""
from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from functools import wraps

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

VALUE_LIMIT = 200_000      # weight (characters + elements) of any one value
OUTPUT_LIMIT = 500_000     # characters written in all, notice and set-blocks together
RANGE_LIMIT = 10_000       # items of range()
STEP_LIMIT = 2_000_000     # template lines executed
TIME_LIMIT = 10.0          # seconds
TEXT_LIMIT = 100_000       # characters of template source
INT_BITS = 4_096           # largest integer a template may make (about 1,200 digits)
WIDTH_LIMIT = 200          # widths and precisions in % and format strings


class TemplateBound(SecurityError):
    """The template tried something outside what a notice template may do."""

    def __init__(self, chinese: str):
        super().__init__(chinese)
        self.chinese = chinese


_ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.Getattr,
    nodes.Getitem, nodes.Slice, nodes.For, nodes.If, nodes.Assign, nodes.AssignBlock,
    nodes.NSRef, nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Neg,
    nodes.Pos, nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod,
    nodes.Pow, nodes.Concat, nodes.CondExpr, nodes.Filter, nodes.Test, nodes.Call,
    nodes.Keyword, nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair, nodes.With,
)
_REFUSED_WORDS = {
    "Macro": "macro（宏）", "CallBlock": "call", "FilterBlock": "filter 块", "Extends": "extends",
    "Block": "block", "Include": "include", "Import": "import", "FromImport": "from … import",
    "ExprStmt": "do",
}

_STR_METHODS = frozenset({"startswith", "endswith", "strip", "lstrip", "rstrip", "upper", "lower",
                          "title", "capitalize", "split", "rsplit", "splitlines", "isdigit",
                          "isspace", "count", "find", "rfind"})
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_LOOP_ATTRS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length",
                         "depth", "depth0", "previtem", "nextitem", "cycle", "changed"})
_FILTERS = ("default", "d", "length", "count", "first", "last", "upper", "lower", "title",
            "capitalize", "trim", "truncate", "round", "int", "float", "abs", "string",
            "wordcount", "reverse", "sort", "unique", "min", "max", "list", "select", "reject",
            "selectattr", "rejectattr", "map", "groupby", "dictsort", "items", "attr", "join",
            "replace", "format", "sum")


def weight(value, limit: int = VALUE_LIMIT) -> int:
    """Characters plus elements of ``value``, counted up to just past ``limit`` (so the
    count itself never takes long)."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v) + 1
        elif isinstance(v, Mapping):
            total += len(v) + 1
            if total <= limit:
                stack.extend(v.keys())
                stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += len(v) + 1
            if total <= limit:
                stack.extend(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            total += v.bit_length() // 3 + 1
        elif isinstance(v, Namespace):          # its attributes print with it (namespace chains)
            held = dict.items(getattr(v, "_Namespace__attrs", {}))
            total += len(held) + 1
            if total <= limit:
                stack.extend(x for pair in held for x in pair)
        else:
            total += 1
    return total


def _checked(value, what: str = "这个值"):
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > INT_BITS:
        raise TemplateBound(f"{what}算出的数字太大（超过 {INT_BITS * 3 // 10} 位）。")
    if isinstance(value, (str, list, tuple, dict, set, frozenset)) and weight(value) > VALUE_LIMIT:
        raise TemplateBound(f"{what}太长（超过 {VALUE_LIMIT:,} 个字或项）。通知模板里的一个值用不到这么长。")
    return value


def _take(items) -> list:
    """An iterator's items as a list, refused as soon as they weigh too much."""
    out, total = [], 0
    for x in items:
        total += weight(x) + 1
        if total > VALUE_LIMIT:
            raise TemplateBound(f"列表太长（超过 {VALUE_LIMIT:,} 个字或项）。")
        out.append(x)
    return out


ROUND_DIGITS = 20          # round's precision: a notice rounds to a few places
_WIDTH = re.compile(r"(\d+)")


def _check_format_string(fmt: str) -> None:
    """% and format() strings: no width or precision beyond WIDTH_LIMIT, no ``*``."""
    if not isinstance(fmt, str):
        return
    for spec in re.findall(r"%[-#0 +(\w)]*[\d.*]*[a-zA-Z%]|\{[^{}]*\}", fmt):
        if "*" in spec or any(int(n) > WIDTH_LIMIT for n in _WIDTH.findall(spec)):
            raise TemplateBound(f"格式“{spec[:20]}”里的宽度太大（最多 {WIDTH_LIMIT}）。")


def _safe_range(*args):
    r = range(*args)
    if len(r) > RANGE_LIMIT:
        raise TemplateBound(f"range 最多 {RANGE_LIMIT:,} 项，这里要 {len(r):,} 项。")
    return r


def _guard_filter(name: str, func):
    @wraps(func)   # keeps jinja's pass_context / pass_environment marks
    def guarded(*args, **kwargs):
        args = list(args)
        # the filtered value is the first argument after a context/environment, if any
        first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        if len(args) > first and isinstance(args[first], Iterator):
            args[first] = _take(args[first])
        value = args[first] if len(args) > first else None
        rest = args[first + 1:]
        # whatever the filter makes of its value and arguments (str() of a namespace chain …)
        if weight(value) > VALUE_LIMIT or weight(list(rest) + list(kwargs.values())) > VALUE_LIMIT:
            raise TemplateBound(f"过滤器 {name} 收到的值太长（超过 {VALUE_LIMIT:,} 个字或项）。")
        if name == "join":
            sep = rest[0] if rest else kwargs.get("d", "")
            if not isinstance(value, (list, tuple, str)) and isinstance(value, Iterable):
                args[first] = value = _take(iter(value))          # a dict, a set, a namespace's items
            items = value if isinstance(value, (list, tuple, str)) else []
            if weight(items) + len(items) * len(str(sep)) > VALUE_LIMIT:
                raise TemplateBound(f"join 的结果太长（超过 {VALUE_LIMIT:,} 个字）。")
        elif name == "round":
            digits = rest[0] if rest else kwargs.get("precision", 0)
            if not isinstance(digits, int) or isinstance(digits, bool) or not -ROUND_DIGITS <= digits <= ROUND_DIGITS:
                raise TemplateBound(f"round 的位数只能是 -{ROUND_DIGITS} 到 {ROUND_DIGITS} 之间的整数。")
        elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
            old, new = str(rest[0]), str(rest[1])
            hits = value.count(old) if old else len(value) + 1
            if len(value) + hits * max(len(new) - len(old), 0) > VALUE_LIMIT:
                raise TemplateBound(f"replace 的结果太长（超过 {VALUE_LIMIT:,} 个字）。")
        elif name == "format":
            _check_format_string(value)
        elif name == "sum":
            items = value if isinstance(value, (list, tuple)) else []
            if any(not isinstance(x, (int, float)) for x in items) or "start" in kwargs:
                raise TemplateBound("sum 只能用来加数字。")
        try:
            made = func(*args, **kwargs)
        except (OverflowError, AssertionError, ValueError, TypeError, ZeroDivisionError) as e:
            # 'inf'|float|int, truncate(-1), a wrong kind of argument: the template's mistake
            raise TemplateBound(f"过滤器 {name} 用不了这样的值或参数（{type(e).__name__}）。") from None
        return _checked(made, f"过滤器 {name} ")
    return guarded


class NoticeSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, narrowed to what a notice template needs."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self):
        # optimized=False: Jinja2 would otherwise fold constant expressions while compiling,
        # outside every guard below ({{ 5|round(-999999999) }} ran for hours; 'inf'|float|int
        # compiled to Python code naming an undefined inf)
        super().__init__(trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                         autoescape=False, keep_trailing_newline=False, optimized=False)
        self.globals = {"range": _safe_range, "namespace": Namespace, "dict": dict,
                        "_xljy_value": _checked, "_xljy_out": self._out}
        builtin = self.filters
        self.filters = {name: _guard_filter(name, builtin[name]) for name in _FILTERS}
        self.filters["_xljy_value"] = _checked
        self.written = 0

    # ---- what a template may reach ----------------------------------------------------
    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, str):
            return attr in _STR_METHODS
        if isinstance(obj, Mapping):
            return attr in _DICT_METHODS
        if isinstance(obj, LoopContext):
            return attr in _LOOP_ATTRS
        return isinstance(obj, Namespace)

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                if weight(seq) * max(n, 0) > VALUE_LIMIT:
                    raise TemplateBound(f"“*”的结果太长（超过 {VALUE_LIMIT:,} 个字或项）。")
            elif isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > INT_BITS:
                    raise TemplateBound("“*”算出的数字太大。")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right * max(left.bit_length(), 1) > INT_BITS:
                raise TemplateBound("“**”算出的数字太大。")
        elif operator == "%" and isinstance(left, str):
            _check_format_string(left)
        return _checked(self.binop_table[operator](left, right), f"“{operator}”")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's signature)
        name = getattr(__obj, "__name__", "")
        if name in ("format", "format_map"):     # str.format, as jinja's sandbox wraps it
            raise TemplateBound("模板里请用 |format 过滤器代替 .format()。")
        return _checked(super().call(__context, __obj, *args, **kwargs), f"{name or '函数'} ")

    def _out(self, value) -> str:
        _checked(value, "输出的内容")
        text = "" if value is None else str(value)
        self.written += len(text)
        if self.written > OUTPUT_LIMIT:
            raise TemplateBound(f"模板写出的文字太多（超过 {OUTPUT_LIMIT:,} 个字）。一份通知用不到这么长，"
                                "请检查循环是否写错。")
        return text

    # ---- parsing: refuse, then instrument -----------------------------------------------
    def compile_checked(self, source: str) -> jinja2.Template:
        if len(source) > TEXT_LIMIT:
            raise TemplateBound(f"模板太长（{len(source):,} 个字，最多 {TEXT_LIMIT:,}）。")
        tree = self.parse(source)
        _instrument(tree)
        return self.from_string(tree)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if isinstance(source, nodes.Template):   # already checked and instrumented
            code = self.compile(source)
            return (template_class or self.template_class).from_code(
                self, code, self.make_globals(globals), None)
        return self.compile_checked(source)


def _refuse(node: nodes.Node) -> None:
    kind = type(node).__name__
    word = _REFUSED_WORDS.get(kind)
    what = f"“{word}”" if word else f"这种写法（{kind}）"
    raise _located(TemplateBound(f"通知模板里不能用{what}；只能用文字、变量、for、if、set 和常用过滤器。"), node)


def _located(exc: TemplateBound, node: nodes.Node) -> TemplateBound:
    exc.lineno = getattr(node, "lineno", None)
    return exc


def _call(name: str, node: nodes.Expr) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load", lineno=node.lineno), [node], [], None, None,
                      lineno=node.lineno)


def _instrument(node: nodes.Node) -> None:
    """Refuse what a notice template may not contain; route every output piece and every
    built value through the guards."""
    if not isinstance(node, _ALLOWED_NODES):
        _refuse(node)
    if isinstance(node, nodes.For) and node.recursive:
        raise _located(TemplateBound("通知模板里不能用 recursive（递归）循环。"), node)
    if isinstance(node, nodes.Filter) and node.name not in _FILTERS:
        raise _located(TemplateBound(f"通知模板里不能用过滤器“{node.name}”；可用的有："
                                     + "、".join(sorted(set(_FILTERS))) + "。"), node)
    for child in node.iter_child_nodes():
        _instrument(child)
    if isinstance(node, nodes.Output):
        node.nodes = [_call("_xljy_out", n) for n in node.nodes]
    elif isinstance(node, nodes.Assign):
        node.node = _call("_xljy_value", node.node)
    elif isinstance(node, nodes.AssignBlock):
        guard = nodes.Filter(node.filter, "_xljy_value", [], [], None, None, lineno=node.lineno)
        node.filter = guard
    for field in node.fields:               # a ~ join, wherever it stands, is weighed
        value = getattr(node, field, None)
        if isinstance(value, nodes.Concat):
            setattr(node, field, _call("_xljy_value", value))
        elif isinstance(value, list):
            setattr(node, field, [_call("_xljy_value", v) if isinstance(v, nodes.Concat) else v
                                  for v in value])


def render_bounded(env: NoticeSandbox, template: jinja2.Template, data: dict) -> str:
    """Render with the step and time bounds enforced on the template's own frames."""
    env.written = 0
    steps = 0
    deadline = time.monotonic() + TIME_LIMIT
    monotonic = time.monotonic
    previous = sys.gettrace()

    def local(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > STEP_LIMIT:
                raise TemplateBound(f"模板执行的步骤太多（超过 {STEP_LIMIT:,} 步），多半是循环套得太深。")
            if monotonic() > deadline:      # every line: one line may take milliseconds ([0] * 50000)
                raise TemplateBound(f"模板运行超过 {TIME_LIMIT:.0f} 秒还没完成，多半是循环套得太深。")
        return local

    def calls(frame, event, arg):
        if event == "call" and frame.f_code.co_filename == "<template>":
            return local
        return None

    sys.settrace(calls)
    try:
        return template.render(**data)
    finally:
        sys.settrace(previous)
