"""The words of every finding, in one catalogue, and the one place findings become text.

Each code has a category (the 类别 column), a message and advice.  A text is either a
``str.format`` template or a function of the parameters (for texts with a part that
depends on them).  Every template may use ``{column}`` (the finding's column, the
contract's name), ``{who}`` (the people, named through the roster's label) and the
finding's own parameters.  Sheet and column names come from the contract.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from string import Formatter
from datetime import date
from typing import Callable

from xl_jiaoyan.contract import (CALENDAR, CALENDAR_TYPES, EVENTS, OBSERVATIONS, QUOTAS, SCORING, SHEET,
                                 TIMETABLE, TRAININGS)
from xl_jiaoyan.domain.findings import LEVEL_ORDER, Findings
from xl_jiaoyan.domain.office_messages import OFFICE_MESSAGES

MAX_NAMED = 5          # more people than this: the first five and 等 N 人


@dataclass(frozen=True)
class Message:
    category: str
    text: object          # a str.format template, or a function of the parameters
    advice: object = ""   # the same


_OBS, _TR, _TT = SHEET[OBSERVATIONS].label, SHEET[TRAININGS].label, SHEET[TIMETABLE].label
_REC = "本行暂不计入统计。"
_LISTED = "这个名字不计入，本行其余照常计入。"
_DATE_ADVICE = "请写成 2026-09-15、9月15日 或 9.15 这样的日期。" + _REC
_ON_CALENDAR = f"若当天确实上课，请在「{CALENDAR}」中加一行“{CALENDAR_TYPES[1]}”。"


def _unknown_name(p: dict) -> str:
    hint = f"是否应为“{p['suggestion']}”？" if p.get("suggestion") else ""
    return f"「{p['column']}」写的“{p['value']}”不在教师名册中。{hint}"


def _missing_sheet(p: dict) -> str:
    said = f"没有「{p['name']}」工作表或表中没有内容，{p['missing']}"
    if p.get("rules"):
        said += f"还没有记录不等于一次也没做，所以这些指标暂不统计（不显示落后，也不提醒）：{p['rules']}。"
    return said


def _no_holiday_data(p: dict) -> str:
    return (f"本工具没有 {p['year']} 年的国家节假日数据，{p['year']} 年的放假和调休只按「{CALENDAR}」工作表"
            + ("中填写的日期计算。" if p["has_rows"] else f"计算，而「{CALENDAR}」中还没有该年的日期。"))


CATALOGUE: dict[str, Message] = {
    # a cell's value, by the kind the contract declares for its column
    "date.blank": Message("日期无效", "「{column}」为空（或是 #N/A 这类错误值）。", _DATE_ADVICE),
    "date.unreadable": Message("日期无效", "「{column}」写的“{value}”读不出日期。", _DATE_ADVICE),
    "date.other_unreadable": Message("日期无效", "「{column}」写的“{value}”读不出日期。", "请写成 2026-10-20 这样的日期。"),
    "date.outside": Message("日期超出学期", "日期 {when} 不在本学期（{start} 至 {end}）内。",
                            "请核对年份和月份；不属于本学期的记录请移走。" + _REC),
    "date.future": Message("未来日期", "日期 {when} 在统计截止日 {as_of} 之后，暂不计入。", "如果是预先登记的安排，可以不用处理。"),
    "date.rest_day": Message("节假日", "{rest}，不是调休上课日。", "请核对日期；" + _ON_CALENDAR),
    "date.twofold": Message(
        "日期两可", "「{column}」是数字 {value}，可以是 {first}，也可以是 {second}（Excel 把 {typed} 存成 {value}）。"
        "按学期和前后几行的日期，取 {chosen}，已照此计入。",
        "如果应是 {other}，请改写成 {other_iso}；以后可先把这一列设为“日期”格式再输入。"),
    "name.blank": Message("未知人员", "「{column}」为空。", "请填写姓名。" + _REC),
    "name.unknown": Message("未知人员", _unknown_name, "请改正姓名，或先把此人加入「教师名册」。" + _REC),
    "name.unknown.listed": Message("未知人员", _unknown_name, "请改正姓名，或先把此人加入「教师名册」。" + _LISTED),
    "name.ambiguous": Message("姓名重名", "「{column}」写的“{value}”在名册中有多人同名：{candidates}。",
                              "请写成 姓名(工号) 或 姓名(教研组)，例如 {example}。"),
    "name.ambiguous.listed": Message("姓名重名", "「{column}」写的“{value}”在名册中有多人同名：{candidates}。",
                                     "请写成 姓名(工号) 或 姓名(教研组)，例如 {example}。" + _LISTED),
    "name.mismatch": Message("未知人员", "「{column}」写的“{value}”与名册不符：{detail}。", "请核对姓名和工号。"),
    "name.mismatch.listed": Message("未知人员", "「{column}」写的“{value}”与名册不符：{detail}。", "请核对姓名和工号。" + _LISTED),
    "value.off_list": Message("取值不在列表中", "「{column}」写的“{value}”不是可选的值（{allowed}）。{suggest}",
                              "请从下拉列表中选一个。本行暂不计入任何统计。"),
    "value.fallback": Message("取值不在列表中", "「{column}」应填{allowed}中的一个，现在是“{value}”，按“{fallback}”处理。",
                              "请改为{allowed}中的一个。"),
    "value.near": Message("取值不在列表中", "「{column}」写的“{value}”不是常用的值，是不是“{near}”？按写的“{value}”计。",
                          "如果是“{near}”请改过来；确实是另一种，可以不用处理。"),
    "role.near": Message("取值不在列表中", "「{column}」写的“{value}”不是常用的角色名，是不是“{near}”？按写的“{value}”计。",
                         f"如果是“{{near}}”请改过来，否则「{QUOTAS}」中给“{{near}}”定的指标不会用到这位老师。"),
    "group.unknown": Message("未知教研组", "「{column}」写的“{value}”不是名册中的教研组（{groups}）。{suggest}",
                             "请改成名册中的教研组名称。" + _REC),
    "group.unknown.counted": Message("未知教研组", "「{column}」写的“{value}”不是名册中的教研组（{groups}）。{suggest}"
                                     "这一行照常计入，只是“全组”找不到是哪些人。", "请改成名册中的教研组名称。"),
    # the rules that span rows
    "duplicate": Message("重复记录", "与第 {first} 行完全相同。", "请删除重复的一行。本行不重复计入。"),
    "own_lesson": Message("自听自课", f"{_OBS('observer')}和{_OBS('teacher')}是同一人。",
                          f"请核对{_OBS('observer')}或{_OBS('teacher')}。本行不计入听课次数。"),
    "bunching": Message("补记录", "{who} 在 {when} 一天记了 {n} 节听课（第 {first}–{last} 行之间），"
                        "超过单日上限 {cap} 节，可能是集中补记。", "请核对这些记录的日期。"),
    "lesson_clash.observation": Message("上课冲突", "{who} 在 {day_text}第 {period} 节听课，但课表上这一节要给 {klass} 上课。",
                                        "请核对听课的日期和节次，或课表是否已调整。"),
    "report.overdue": Message("汇报课", "{when} 的外出培训「{title}」已过 {weeks} 周（应在 {due} 前），还没有登记汇报课日期。",
                              f"请安排回校汇报课或专题讲座：在「{EVENTS}」中记一行类型“汇报课”或“讲座”（执教写本人），"
                              f"或在「{_TR('report_date')}」列填写日期。"),
    "activity.no_group": Message("未知教研组", "「{column}」和「备课组」都没有填写，不知道是哪个组的活动。",
                                 "请填写教研组；集体备课请填写备课组。" + _REC),
    "activity.blank": Message("记录不完整", "「{blanks}」没有填写（「设置」中的“教研活动必填”要求填写）。",
                              "请补上；本行照常计入。"),
    "prep.late": Message("集体备课", "集体备课在授课日期 {lesson} 前 {gap} 天才进行，应至少提前 {ahead} 天。",
                         "请核对日期；以后请提前备课。本行照常计入。"),
    "prep.unknown": Message("未知备课组", "「{column}」写的“{value}”不是名册中的备课组（{groups}）。{suggest}",
                            f"请在「教师名册」的「备课组」列写上这个组，或改成已有的备课组。{_REC}"),
    "timetable.unreadable": Message(TIMETABLE, "「{column}」写的“{value}”读不出来，这一行课表不起作用。",
                                    f"{_TT('weekday')}写 一 至 五（或 周一、1），{_TT('period')}写 3 或 3-4。"),
    # 活动安排
    "judge_own": Message("评委冲突", "{who} 既是这节「{event}」的执教，又是评委。", "请另请评委，执教者不评自己的课。"),
    "lesson_clash.event": Message("上课冲突", "「{event}」（{when} {clock}）与 {who} 课表上的课时间重叠。",
                                  "请调课，或调整活动时间、参加人员。"),
    "clash.person": Message("人员冲突", "第 {this_row} 行「{event}」（{clock}）与第 {other_row} 行「{other}」（{other_clock}）"
                            "时间重叠，{who} 同时被安排。", "请调整其中一项的时间、地点或人员。"),
    "clash.room": Message("场地冲突", "第 {this_row} 行「{event}」（{clock}）与第 {other_row} 行「{other}」（{other_clock}）"
                          "时间重叠，「{room}」被重复预约。", "请调整其中一项的时间、地点或人员。"),
    # 工作进度
    "plan.week_unreadable": Message("周历", "「{column}」写的“{value}”读不出是第几周（也不是月份或截止日期）。",
                                    "请写成 第十一周、第11周、11，或 九月份、10月底前。"),
    "plan.date_unreadable": Message("周历", "「{column}」写的“{value}”读不出日期，按周次推算。",
                                    "请写成 3月9日至3月13日 或 3.9-3.13 这样的完整日期。"),
    "plan.date_incomplete": Message("周历", "「{column}」写的“{value}”日期不完整，按周次推算。",
                                    "请写成 3月9日至3月13日 或 3.9-3.13 这样的完整日期。"),
    "plan.rest_day": Message("节假日", "安排在 {rest}，那天不上课。", "请核对日期；" + _ON_CALENDAR),
    "plan.shifted": Message("周历", "从{week}起连续 {n} 周（第 {rows} 行），所写日期都比周次{direction} {by} 周："
                            "{week}写的是 {span}，那是{belongs}。通知按所写日期安排这几周的事项（{week}的事项排在{belongs}）。",
                            "请检查这几周的周次或日期是否整体错位，一并改正。"),
    "plan.wrong_week": Message("周历", "{week}写的日期 {span} 属于{belongs}（{week}应为 {expected}）。通知按周次把事项排在{week}。",
                               "请核对周次和日期。"),
    "plan.numbering_gap": Message("周历", "编号跳过了 {missing}，仍按编号拆成 {n} 项。", "请核对是否漏写了一项。"),
    "plan.month_outside": Message("周历", "{month}月不在本学期（{start} 至 {end}）内，这一项不会出现在任何通知中。",
                                  "请核对月份。"),
    "plan.undated": Message("周历", "这一行没有周次、月份或日期，上面也没有可以沿用的，这一项不会出现在任何通知中。",
                            "请填写周次（第3周）、月份（九月份）或日期（9月15日、10月底前）。"),
    "plan.overlap": Message("周历", "{week}的日期 {span} 与{other}（第 {other_row} 行，{other_span}）重叠。",
                            "两周的日期不应重复，请改正其中一周。"),
    # 教师名册
    "roster.no_name": Message("名册", "这一行没有填写姓名，已跳过。", "请补上姓名，或删除这一行。"),
    "roster.duplicate_id": Message("名册", "工号 {staff_id} 与第 {first} 行重复。", "工号用来区分教师，请给每人一个不同的工号。"),
    "roster.no_mentor": Message("名册", "青年教师没有填写「{column}」，师徒互听无法统计。", "请在「{column}」列填写指导教师的姓名。"),
    "roster.namesakes": Message("名册", "名册中有 {n} 位教师同名（{rows}），且没有都填写工号。",
                                "请给同名教师都填上工号；记录中写 姓名(工号) 或 姓名(教研组)。"),
    "roster.own_mentor": Message("名册", "「{column}」填的是本人。", "请填写指导教师的姓名。"),
    # 指标
    "quota.no_sheet": Message("缺少工作表", f"没有「{QUOTAS}」工作表或表中没有内容，不统计指标完成情况。",
                              "可用 xl-jiaoyan init 生成的模板中的默认指标。"),
    "quota.blank": Message("指标设置", "「{column}」为空。这一行指标不统计。", "请从下拉列表中选一个。"),
    "quota.share_form": Message("指标设置", "「{item}」要写成 对象“{school}”、周期“{term}”、最低次数为百分比（如 10%）。"
                                "这一行指标不统计。", "请按这个格式改写这一行。"),
    "quota.minimum": Message("指标设置", "「{column}」写的“{value}”不是整数。这一行指标不统计。", "请填 0 或正整数。"),
    "quota.no_target": Message("指标设置", "「{column}」为空。这一行指标不统计。", "请填角色（如 教师、中层）、教研组 或 学校。"),
    "quota.no_holder": Message("指标设置", "名册中没有人担任“{target}”，这一行指标对谁都不适用。",
                               "请核对「{column}」与「教师名册」的「角色」写法是否一致。"),
    "quota.unknown_item": Message("指标设置", "「{column}」写的“{value}”无法统计：它不是常用项目，「活动安排」和「成果登记」"
                                  "的类型中也没有它。{suggest}这一行指标不统计。",
                                  "可以统计的项目有：{items}。若是新的活动或成果类型，请先在「活动安排」或「成果登记」中记下一行。"),
    "quota.later": Message("指标设置", "“{item}”要从「{sheet_name}」工作表统计，本版本还不读这张表。这一行指标不统计。",
                           "请先删去这一行，或等待支持「{sheet_name}」的版本。"),
    "quota.object": Message("指标设置", "“{item}”不能按对象“{target}”统计。这一行指标不统计。",
                            "“{item}”可以按这些对象统计：{objects}。"),
    "quota.kind": Message("指标设置", "“{item}”不能再按类型“{value}”筛选（项目本身就是类型）。这一行指标不统计。",
                          "「类型」只用于 听课（课型，如 推门课）和 教研活动（如 联片教研、集体备课）；请清空这一格。"),
    "quota.level": Message("指标设置", "「{column}」写的“{value}”不是级别。这一行指标不统计。",
                           "请写 {allowed} 之一（可加“以上”）。"),
    "quota.level_item": Message("指标设置", "“{item}”没有级别，不能按「{column}」筛选。这一行指标不统计。",
                                "「最低级别」只用于成果登记中的项目（论文、竞赛、课题等）；请清空这一格。"),
    "quota.due_week": Message("指标设置", "「{column}」写的“{value}”不是 1 到 {weeks} 之间的周次。这一行指标不统计。",
                              "请填一个教学周的数字，如 8；不限期就留空。"),
    "quota.due_period": Message("指标设置", "周期为“{period}”的指标不能设「{column}」。这一行指标不统计。",
                                "「截止周」只用于周期为“{term}”的指标；请清空这一格，或把周期改为“{term}”。"),
    "quota.no_prep": Message("指标设置", "名册中没有填写任何「备课组」，这一行指标对谁都不适用。",
                             "请在「教师名册」的「备课组」列填写每位教师的备课组。"),
    "quota.overridden": Message("指标设置", "“{target}”的{item}（{period}）{minimum} 次对谁都不起作用：担任“{target}”的老师"
                                "都还有更高的要求（例如“{top}” {top_minimum} 次），一人多个角色时取最高的一个。",
                                "如果想让这个角色要求更高，请把最低次数改得比其他角色大；否则可以删掉这一行。"),
    # 赋分
    "score.rule_kind": Message(SCORING, "「{column}」为空。", "请填写类型和分值（可以是小数），这一行暂不使用。"),
    "score.rule_points": Message(SCORING, "「{column}」写的“{value}”不是数字。", "请填写类型和分值（可以是小数），这一行暂不使用。"),
    "score.no_rule_kind": Message("赋分", "「{kind}」类的成果没有赋分规则，这一项不计分。",
                                  f"要计分，请在「{SCORING}」中加上类型“{{kind}}”的规则。"),
    "score.again": Message("赋分", "「{title}」已在第 {first} 行计分，这一行不重复计分。",
                           "同一成果只计一次；如是不同成果，请写明不同的名称。"),
    "score.no_match": Message("赋分", "「{kind}」{grade}{result} 没有对应的赋分规则，未计分。",
                              f"请在「{SCORING}」中补上这一类，或核对级别、结果的写法。"),
    # sheets and reading
    "sheet.missing": Message("缺少工作表", _missing_sheet,
                             lambda p: (f"在「{p['name']}」中记下第一条后，下次刷新就会统计这些指标。" if p.get("rules")
                                        else p["help"])),
    "sheet.near": Message("工作表名称", "没有名为「{name}」的工作表，按「{actual}」读取{name}。",
                          "如果这张表就是{name}，可以改名为「{name}」；如果不是，请把它改成别的名字。"),
    "sheet.two_near": Message("工作表名称", "没有名为「{name}」的工作表，而「{first}」和「{second}」都像是它，"
                              "不知道该读哪一张，两张都没有按{name}读取。", "请把真正的{name}改名为「{name}」。"),
    "calendar.date_unreadable": Message("日期无效", "「{column}」写的“{value}”读不出日期，这一行校历不起作用。",
                                        "请写成 2027-01-01 这样的日期。"),
    "calendar.kind": Message(CALENDAR, "「{column}」写的“{value}”不认识，这一行校历不起作用。",
                             f"请填“{CALENDAR_TYPES[0]}”或“{CALENDAR_TYPES[1]}”。"),
    "calendar.no_data": Message("节假日数据", _no_holiday_data,
                                f"请在「{CALENDAR}」中逐日填写 {{year}} 年学期内的放假日（如元旦、春节）和调休上课日。"),
    "read.used_range": Message("读取范围", "工作表「{name}」的已用区域一直到第 {used:,} 行，但第 {last:,} 行以后都是空的，"
                               "已只读到第 {last:,} 行。",
                               "下面的空行可能带着格式（例如整列设了边框或底色）。选中这些空行删除（不是清除内容）"
                               "并保存，刷新会更快。"),
    "read.slow": Message("读取速度", "工作表「{name}」有 {rows:,} 行，已照常读完。",
                         "这台电脑上缺少随本工具安装的 fastexcel 或 pyarrow（安装不完整）。重新安装本工具"
                         "（或 pip install fastexcel pyarrow）后，这样大的工作表读取会快几倍、内存也省一半。"),
}

def category(code: str) -> str:
    return CATALOGUE[code].category


CATALOGUE.update({code: Message(*words) for code, words in OFFICE_MESSAGES.items()})


def _say(text, params: dict) -> str:
    if callable(text):
        return text(params)
    return text.format_map(params) if text else ""


def _iso(v):
    return v.isoformat() if isinstance(v, date) else v


def people_text(people: tuple, label: Callable[[int], str]) -> str:
    """The people of a finding as text: teachers by their roster label, other texts as written."""
    names = [label(int(p)) if isinstance(p, Integral) and not isinstance(p, bool) else str(p) for p in people]
    if len(names) > MAX_NAMED:
        return "、".join(names[:MAX_NAMED]) + f" 等 {len(names)} 人"
    return "、".join(names)


RENDERED = ("level", "category", "sheet", "row", "column", "person", "day", "message", "advice")


def render(findings: Findings, label: Callable[[int], str]) -> dict[str, list]:
    """The findings as the 冲突检查 columns (``RENDERED``, contract.FINDING_COLUMNS order),
    sorted by level, sheet, row and category.  Each distinct message is worded once."""
    cols: dict[str, list] = {c: [] for c in RENDERED}
    names: dict = {}

    def who(p) -> str:
        key = p if isinstance(p, tuple) else (p,) if p not in (None, "") else ()
        if key not in names:
            names[key] = people_text(key, label)
        return names[key]

    for n, part in findings.flushed():
        if "singles" in part:
            for f in part["singles"]:
                m = CATALOGUE[f.code]
                params = {k: _iso(v) for k, v in f.params}
                params.update(column=f.column, who=who(f.people))
                cols["level"].append(f.level)
                cols["category"].append(m.category)
                cols["sheet"].append(f.sheet)
                cols["row"].append(f.row)
                cols["column"].append(f.column)
                cols["person"].append(params["who"])
                cols["day"].append(f.day)
                cols["message"].append(_say(m.text, params))
                cols["advice"].append(_say(m.advice, params))
            continue
        m = CATALOGUE[part["code"]]
        for c in ("level", "sheet", "column"):
            cols[c].extend([part[c]] * n)
        cols["category"].extend([m.category] * n)
        cols["row"].extend(part["row"])
        cols["day"].extend(part["day"] if isinstance(part["day"], list) else [part["day"]] * n)
        people = _Column([part["people"]], n) if part["one_people"] else _Column(part["people"])
        people.uniques = [who(p) for p in people.uniques]
        cols["person"].extend(people.values())
        _worded(part, m, n, people, cols)
    order = _order(cols)
    if order is not None:
        cols = {c: list(map(v.__getitem__, order)) for c, v in cols.items()}
    return cols


def _fields(text) -> set[str] | None:
    """The parameters a template uses (None: a function, which may use any)."""
    if callable(text):
        return None
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in Formatter().parse(text or "") if f}


class _Column:
    """A batch's column as integer codes and its distinct values (each worded once);
    ``repeat``: one value standing for that many rows."""

    def __init__(self, values: list, repeat: int | None = None):
        import numpy as np
        from xl_jiaoyan.domain.frames import pd
        held = pd.Series(values, dtype=object).to_numpy()        # tuples stay whole (no 2-D array)
        codes, uniques = pd.factorize(held, use_na_sentinel=False)
        self.codes = codes if repeat is None else np.zeros(repeat, dtype=np.int64)
        self.uniques = list(uniques)

    def values(self, at=None, shown=None) -> list:
        """The value of each row (or of the rows at positions ``at``), each distinct value
        passed through ``shown`` once."""
        import numpy as np
        held = np.empty(len(self.uniques), dtype=object)
        held[:] = self.uniques if shown is None else [shown(v) for v in self.uniques]
        return held[self.codes if at is None else self.codes[at]].tolist()


def _positional(template: str, names: list[str]) -> str:
    """``template`` with its named fields numbered by their place in ``names`` (so each
    message is one ``str.format`` call on a row of values, no dict per message)."""
    out = []
    for literal, field, spec, conversion in Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + str(names.index(field)) + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def _worded(part: dict, m: Message, n: int, people: _Column, cols: dict) -> None:
    """A batch's messages and advice, each distinct combination of the parameters its
    words use worded once (a holiday's words are the same for every observer); the
    combinations found on integer codes, not per row in Python."""
    import numpy as np
    from xl_jiaoyan.domain.frames import pd
    text, advice = _fields(m.text), _fields(m.advice)
    used = None if text is None or advice is None else text | advice
    names = [k for k in part["params"] if used is None or k in used]
    columns = [_Column(v) if isinstance(v, list) else _Column([v], n) for v in (part["params"][k] for k in names)]
    keyed = columns + ([people] if used is None or "who" in used else [])
    names, columns = ["who", "column"] + names, [people, _Column([part["column"]], n)] + columns
    key = np.zeros(n, dtype=np.int64)
    for c in keyed:       # one integer per distinct combination, kept small by re-factorizing
        key, _ = pd.factorize(key * (len(c.uniques) + 1) + c.codes)
    first = np.full(int(key.max(initial=-1)) + 1, n, dtype=np.int64)
    np.minimum.at(first, key, np.arange(n, dtype=np.int64))        # where each combination first occurs
    rows = list(zip(*(c.values(first, _iso) for c in columns)))
    worded = []
    for words in (m.text, m.advice):
        if callable(words):
            worded.append([words(dict(zip(names, r))) for r in rows])
        elif _fields(words):
            fmt = _positional(words, names).format
            worded.append([fmt(*r) for r in rows])
        else:
            worded.append([words] * len(rows))
    for column, said in zip(("message", "advice"), worded):
        shown = np.empty(len(said), dtype=object)
        shown[:] = said
        cols[column].extend(shown[key].tolist())


def _order(cols: dict[str, list]) -> list[int] | None:
    """The stable order by level, sheet, row and category, on integer keys (None: already in order)."""
    if not cols["row"]:
        return None
    import numpy as np        # not at import: the CLI starts without numpy
    row = np.array([r or 0 for r in cols["row"]], dtype=np.int64)
    level = _ranks(cols["level"], key=lambda v: LEVEL_ORDER.get(v, 9))
    order = np.lexsort((_ranks(cols["category"]), row, _ranks(cols["sheet"]), level))
    if (order[1:] > order[:-1]).all():
        return None
    return order.tolist()


def _ranks(values: list, key=None):
    """Each value's rank among the distinct values (few: levels, sheets, categories) in
    the order of ``key`` (default: the values'); hashed, not compared per element."""
    import numpy as np
    from xl_jiaoyan.domain.frames import pd
    codes, uniques = pd.factorize(np.array(values, dtype=object))      # None: code -1, ranked last
    keys = [u if key is None else key(u) for u in uniques]
    dense = {k: i for i, k in enumerate(sorted(set(keys)))}              # equal keys, equal ranks
    return np.array([dense[k] for k in keys] + [len(dense)], dtype=np.int64)[codes]
