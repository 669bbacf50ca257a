"""How the contract describes a sheet: its columns and the rules its records are read by."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"        # text | date | int | name | names | time | periods | weekday | choice | roles | group | prep
    required: bool = False    # the header must be present when the sheet has content
    choices: tuple[str, ...] = ()
    strict: bool = True       # a value off the list is an error, its row left out of counts
    #                           (False: a warning for a near miss; drop-down shows a hint only)
    fallback: str | None = None   # what a value off a non-strict list is taken as (None: as written)
    key: str = ""             # the column's name in the tables the code works with (English)
    percent: bool = False     # may hold a percentage: a number shown as 100% is read as "100%"
    width: float = 12
    help: str = ""
    # names: ROW — the person the row is about (an unknown name is an 错误, the row left
    # out); LISTED — people listed around the row's subject (a 警告: that name gets nothing)
    person: str = ""
    aliases: tuple[str, ...] = ()     # other headers staff write for this column


ROW, LISTED = "row", "listed"          # Column.person
ALL_DAYS = "all"                      # Sheet.workdays: every record must fall on a working day


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help: str = ""
    missing: str = "相关统计和检查已跳过。"   # what happens when the sheet is absent or empty
    # the rules every record sheet is read by (read.records executes them)
    who: str = ""                     # key of the column shown as 人员 in its findings
    dedupe: tuple[str, ...] = ()      # keys whose equal values (read) make a row a duplicate
    future_hint: bool = True          # a record after the as-of date is a 提示 (a schedule: no)
    workdays: object = ALL_DAYS       # which records must fall on a working day: ALL_DAYS,
    #                                   None (none), or (key, value): rows whose column holds value
    # (key, person keys): a row whose column ``key`` names another school (not 学校名称) is a
    # lesson elsewhere: those person columns hold free text, never checked against the roster
    elsewhere: tuple = ()
    quiet: bool = False               # optional, and its absence is said only when a 指标 row needs it

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def label(self, key: str) -> str:
        """The users' name of the column the code calls ``key`` (for messages)."""
        for c in self.columns:
            if c.key == key:
                return c.name
        raise KeyError(key)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


# the date every record sheet starts with (a record is counted in the week of its date)
RECORD_DATE = Column("日期", "date", required=True, width=12, key="date")
