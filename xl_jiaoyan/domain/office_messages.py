"""The words of the findings about the office's other records (常规检查, 材料要求 / 材料上交,
课题): code -> (类别, message, advice), merged into ``messages.CATALOGUE``."""
from __future__ import annotations

from xl_jiaoyan.contract import CHECKS, HANDINS, PROJECTS, SETTING, SETTINGS_SHEET
from xl_jiaoyan.contract.offices import LATE_MATERIALS, LATE_PROJECTS
from xl_jiaoyan.contract.standing import STANDING

_REC = "本行暂不计入统计。"
_GRADES = f"「{SETTINGS_SHEET}」中的“{SETTING['check_grades']}”"

OFFICE_MESSAGES: dict[str, tuple[str, object, object]] = {
    "check.grade_blank": (CHECKS, "「{column}」没有填写。", f"请填写等第（{{allowed}}）。{_REC}"),
    "check.grade": (CHECKS, f"「{{column}}」写的“{{value}}”不在{_GRADES}里（{{allowed}}）。{{suggest}}",
                    f"请改成其中之一，或在{_GRADES}中加上这个等第。{_REC}"),
    "check.recheck_grade": (CHECKS, "「{column}」写的“{value}”不是可用的等第（{allowed}）。{suggest}",
                            "请改成其中之一；在改正前，这次复查不算完成。"),
    "check.recheck_overdue": ("复查逾期", "{item}检查为“{grade}”，应在 {due} 前复查（期限 {weeks} 周），至今没有复查等第。",
                              "请尽快复查，并填写「复查日期」和「复查等第」。"),
    "check.recheck_late": ("复查逾期", "{item}检查不合格后，{when} 才复查，超过了 {weeks} 周的期限（应在 {due} 前）。",
                           "请核对复查日期；以后请在期限内复查。本行照常计入。"),
    "check.failed_again": ("复查不合格", "{item}复查仍为“{grade}”。", "请跟进整改，再安排一次复查（可另记一行检查）。"),
    "material.blank": (HANDINS, "「{column}」没有填写，不知道要交什么材料。", f"请填写材料名称。{_REC}"),
    "material.due": (HANDINS, "「{material}」的「{column}」写的“{value}”读不出截止时间。",
                     "请写成日期（10月9日）、第N周（1 到 {weeks}）、期末、每月 或 培训后7天。" + _REC),
    "material.no_due": (HANDINS, "「{material}」的「{column}」没有填写，按期末（最后一周星期五）截止。",
                        "如有别的截止时间，请填写。"),
    "material.no_owner": (HANDINS, "「{material}」的「{column}」写的“{value}”找不到要交的人。",
                          "请写角色（教师、青年教师…）、教研组、备课组、学校或教师姓名。" + _REC),
    "material.no_requirements": (HANDINS, f"有「{HANDINS}」记录，但没有「{{requirements}}」，不知道谁应交什么。",
                                 "请在「{requirements}」中写上材料、对象和截止时间。"),
    "material.unknown": (HANDINS, "「{column}」写的“{value}”不在「{requirements}」中。{suggest}",
                         "请改成「{requirements}」中的材料名称，或在那里加一行。这一行暂不计入。"),
    "material.not_owed": (HANDINS, "「{material}」不是这位老师要交的材料（「{requirements}」的对象中没有这位老师）。",
                          "如果应由这位老师交，请在「{requirements}」的「对象」中加上。"),
    "material.overdue": (LATE_MATERIALS, "「{material}」已过截止时间还没有交（共 {n} 份）：{dues}。",
                         f"请催交；收到后在「{HANDINS}」中记一行。退回的材料重新收到后也要再记一行。"),
    "project.no_title": (PROJECTS, "「{column}」没有填写，上面也没有课题可以沿用。", f"请填写课题名称。{_REC}"),
    "project.no_stage": (PROJECTS, "课题「{title}」这一行的「{column}」没有填写。",
                         "请填写 申报、立项、开题、中期 或 结题。" + _REC),
    "project.done_future": (PROJECTS, "课题「{title}」的{stage}完成日期 {when} 在统计截止日（{as_of}）之后，暂不算完成。",
                            "到期后刷新即计入；若日期写错请改正。"),
    "project.overdue": (LATE_PROJECTS, "课题「{title}」的{stage}计划在 {planned} 完成，至今没有完成日期。",
                        "请督促课题组完成；完成后填写「完成日期」。计划有变请改「计划日期」。"),
    "project.order": (PROJECTS, "课题「{title}」的{stage}已完成，但在它之前的{earlier}还没有完成或完成得更晚。",
                      "请核对各阶段的完成日期。"),
    "standing.unreadable": (STANDING, "「{column}」没有填写或读不出来（{value}），这一行固定活动不起作用。",
                            "请填写名称和星期（一到五）。"),
    "standing.every": (STANDING, "「{column}」写的“{value}”读不出来，这一行固定活动不起作用。",
                       "请写 每周、隔周 或 每月第N周。"),
    "standing.moved": (STANDING, "「{name}」第{week}周 {on} 是{reason}，{verb}至{to}{merged}。",
                       "如另有安排，请在「遇假」中改为 取消 或 提前，或在「活动安排」中另记一行。"),
    "standing.cancelled": (STANDING, "「{name}」第{week}周 {on} 是{reason}，本次取消。", "如需补上，请在「活动安排」中另记一行。"),
}
