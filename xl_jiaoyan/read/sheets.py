"""Which sheet of a workbook stands for each sheet of the contract.

A sheet is found by its exact name after trimming spaces (half and full width).  Failing
that, a near name stands for it: the name with 表, 记录, 登记 or 一览 added or dropped
(听课记录表, 听课登记, 培训记录表) or, for names of three characters or more, one
character off (教师名单 for 教师名册).  A near name is read and said in a 警告; two
candidates for one sheet are an 错误 naming both (and neither is read as that sheet).
A name that is itself a sheet of the contract, an output sheet or another sheet the tool
knows is never a candidate for another.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xl_jiaoyan.contract import DISTRICT_SHEETS, HELP_SHEET, OTHER_SHEETS, OUTPUT_SHEETS, SHEETS
from xl_jiaoyan.domain.cells import squash
from xl_jiaoyan.domain.findings import ERROR, WARNING, Finding, finding

SUFFIXES = ("一览", "记录", "登记", "表")


def stem(name: str) -> str:
    s = squash(name)
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if s.endswith(suffix) and len(s) > len(suffix) + 1:
                s = s[: -len(suffix)]
                changed = True
    return s


def one_off(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one character (changed, added or dropped)."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def near(wanted: str, written: str) -> bool:
    w, s = squash(wanted), squash(written)
    return w != s and (stem(w) == stem(s) or one_off(w, s))


@dataclass
class Located:
    names: dict[str, str] = field(default_factory=dict)     # contract name -> the workbook's name
    findings: list[Finding] = field(default_factory=list)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)


def locate(sheet_names: list[str]) -> Located:
    """The workbook's sheet for each contract sheet it has (exactly or by a near name)."""
    out = Located()
    trimmed = {squash(n): n for n in reversed(sheet_names)}          # the first of equal names wins
    known = {squash(s.name) for s in SHEETS} | {squash(n) for n in (*OUTPUT_SHEETS, *DISTRICT_SHEETS,
                                                                     HELP_SHEET, *OTHER_SHEETS)}
    for s in SHEETS:
        if s.name in trimmed:
            out.names[s.name] = trimmed[s.name]
            continue
        candidates = [n for n in sheet_names if squash(n) not in known and near(s.name, n)]
        if len(candidates) == 1:
            out.names[s.name] = candidates[0]
            out.findings.append(finding(WARNING, "sheet.near", candidates[0], name=s.name, actual=candidates[0]))
        elif candidates:
            out.ambiguous[s.name] = tuple(candidates)
            out.findings.append(finding(ERROR, "sheet.two_near", candidates[0], name=s.name, first=candidates[0],
                                        second="」和「".join(candidates[1:])))
    return out
