"""The sheets the tool writes (school and district), their fixed columns, and the defaults
``init`` writes into a new workbook."""
from __future__ import annotations

from xl_jiaoyan.contract.offices import LATE_MATERIALS, LATE_PROJECTS

# The hidden sheet-scoped defined name that marks a sheet as the tool's own (both modes).
OUTPUT_MARKER = "_xljy_output"
OUTPUT_MARKER_VALUE = '"xl-jiaoyan"'

# Output sheets, in the order they are written.
OUT_DETAIL = "指标明细"
OUT_OVERVIEW = "指标总览"
OUT_FINDINGS = "冲突检查"
OUT_GROUPS = "教研组统计"
OUT_SCORES = "赋分汇总"
OUT_SCORE_ITEMS = "赋分明细"
OUT_NOTICE = "本周通知"
# written only when their input sheet (常规检查, 材料要求, 课题, 成果登记 or 课题) has rows
OUT_CHECKS, OUT_MATERIALS, OUT_PROJECTS, OUT_ACHIEVEMENTS = "检查汇总", "材料明细", "课题进度", "成果统计"
OFFICE_OUTPUTS = (OUT_CHECKS, OUT_MATERIALS, OUT_PROJECTS, OUT_ACHIEVEMENTS)
OUTPUT_SHEETS = (OUT_OVERVIEW, OUT_DETAIL, OUT_GROUPS, *OFFICE_OUTPUTS, OUT_FINDINGS, OUT_SCORES, OUT_SCORE_ITEMS,
                 OUT_NOTICE)

# Columns of the output sheets whose columns are fixed (others depend on the 指标 and 赋分规则).
# The CLI's JSON and CSV findings use the 冲突检查 columns as their field names.
WHO_COLUMNS = ("工号", "姓名", "教研组")      # how every per-teacher output row starts
DETAIL_COLUMNS = (*WHO_COLUMNS, "项目", "周期", "指标", "实际", "应完成", "差额", "状态", "说明")
DETAIL_KEYS = ("staff_id", "name", "team", "item", "period", "quota", "actual", "due", "gap", "status", "note")
TOTAL, RANK = "总分", "排名"                     # the last columns of 赋分汇总
# 指标总览: WHO_COLUMNS, 角色, then per quota "<项目> 完成" and "<项目> 状态", then this
OVERVIEW_ROLES, OVERVIEW_DONE, OVERVIEW_STATUS, OVERVIEW_REMIND = "角色", "完成", "状态", "需要提醒"
# 教研组统计: these, then one column per teaching week ("第N周").  听课进度 is capped per
# teacher: Σ min(实际, 应完成) ÷ Σ 应完成, so one keen observer hides nobody's shortfall.
OBSERVED, ON_TRACK_COUNT, BEHIND_COUNT = "听课进度", "听课正常/已达标", "听课落后/未达标"
GROUP_COLUMNS = ("教研组", "在岗人数", OBSERVED, ON_TRACK_COUNT, BEHIND_COUNT)
FINDING_COLUMNS = ("级别", "类别", "工作表", "行号", "列", "人员", "日期", "说明", "建议")
SCORE_ITEM_COLUMNS = ("工号", "姓名", "教研组", "类型", "级别", "结果", "名称", "日期", "工作表", "行号", "分值",
                      "匹配的规则", "规则行号")
# 检查汇总: per 检查项目 and 教研组 (then 全校): these, one column per 等第 of 设置 检查等第, then the tail
CHECK_LEAD_COLUMNS = ("检查项目", "教研组", "检查次数", "受检人次")
BELOW_PASS, RECHECK_PENDING = "合格以下人员", "待复查人员"
WHOLE_SCHOOL = "全校"
# 材料明细: one row per (owner, 材料, 期次)
MATERIAL_COLUMNS = (*WHO_COLUMNS, "材料", "期次", "截止", "状态", "提交日期", "说明")
# 课题进度: these, then 计划/完成 per 阶段 ("立项计划", "立项完成" …), then the tail
PROJECT_LEAD_COLUMNS = ("课题名称", "级别", "主持人", "成员")
PROJECT_TAIL_COLUMNS = ("当前阶段", "状态", "说明")
PLANNED, COMPLETED = "计划", "完成"
# 成果统计: per 类型 × 级别, then (a second table below) per 教研组 × 类型
ACHIEVEMENT_LEVELS = ("校级", "区级", "市级", "省级", "国家级")   # 县级 is counted with 区级
NO_LEVEL, COUNT_TOTAL = "未填级别", "合计"
BY_KIND, BY_GROUP = "类型", "教研组"          # the first header of each of its tables

# Default 赋分规则 (类型, 级别, 结果, 分值): common practice, for staff to edit.  A blank 级别
# or 结果 matches any; the most specific matching row wins.
DEFAULT_SCORING = (
    ("论文", "校级", "", 1), ("论文", "区级", "", 2), ("论文", "市级", "", 3), ("论文", "省级", "", 5),
    ("论文", "国家级", "", 8),
    ("课题", "校级", "", 2), ("课题", "区级", "", 3), ("课题", "市级", "", 5), ("课题", "省级", "", 8),
    ("课题", "国家级", "", 10), ("课题", "", "结题", 2),
    ("竞赛", "校级", "", 1), ("竞赛", "区级", "一等奖", 4), ("竞赛", "区级", "二等奖", 3),
    ("竞赛", "区级", "三等奖", 2), ("竞赛", "市级", "一等奖", 6), ("竞赛", "市级", "二等奖", 5),
    ("竞赛", "市级", "三等奖", 4), ("竞赛", "省级", "", 8), ("竞赛", "国家级", "", 10),
    ("示范课", "", "", 2), ("公开课", "", "", 1), ("汇报课", "", "", 1),
    ("读书心得", "", "", 0.5), ("教学反思", "", "", 0.5),
    ("教研活动", "", "主持", 0.5), ("校本培训", "", "心得上交", 0.2),
    ("常规检查", "", "优秀", 1), ("常规检查", "", "良好", 0.5), ("常规检查", "", "", 0),
)
HELP_SHEET = "使用说明"
# the 教研室 ribbon tab's buttons (customUI14.xml ids); excel.RIBBON_ACTIONS has one entry point each
RIBBON_BUTTONS = ("xljy_refresh", "xljy_check", "xljy_notice", "xljy_help")

DEFAULT_QUOTAS = (
    ("教师", "听课", "学期", 15, "教师听课每学期不少于15节"),
    ("中层", "听课", "学期", 20, "中层听课20节以上"),
    ("教研组长", "听课", "学期", 30, "教研组长听课30节以上"),
    ("教务教研主任", "听课", "学期", 30, "教务教研主任听课30节以上"),
    ("骨干教师", "示范课", "学期", 1, "每学期每位骨干教师主讲一节示范课"),
    ("教研组", "教研活动", "周", 1, "各教研组认真做好每周一次的教研活动"),
    ("学校", "校本培训", "月", 1, "每月至少集中培训一次"),
    ("青年教师", "师徒互听", "周", 1, "指导教师及被指导的青年教师每周互听一节课"),
    ("师傅", "师徒互听", "周", 1, "指导教师及被指导的青年教师每周互听一节课"),
    ("青年教师", "论文", "学期", 1, "每位青年老师撰写论文一至二篇"),
    ("学校", "竞赛参赛率", "学期", "10%", "参赛人数不低于教师总数的10%"),
)

DEFAULT_PERIODS = ((1, "08:00", "08:40"), (2, "08:50", "09:30"), (3, "10:00", "10:40"),
                   (4, "10:50", "11:30"), (5, "14:00", "14:40"), (6, "14:50", "15:30"),
                   (7, "15:40", "16:20"), (8, "16:30", "17:10"))

# District rollup (xl-jiaoyan rollup): the district workbook's output sheets and columns.
OUT_SCHOOLS, OUT_TEACHERS, OUT_UNUSED = "学校汇总", "教师明细", "未汇总的文件"
DISTRICT_SHEETS = (OUT_SCHOOLS, OUT_TEACHERS, OUT_UNUSED)
DISTRICT_NOTE_SHEET = "说明"          # the first sheet of a new district workbook (the district's own)
TERM, ON_TRACK, CONCERNS = "学期", "按进度占比", "需要关注"
SCHOOL_COLUMNS = ("学校名称", "学区", TERM, "当前周次", "在岗教师数", ON_TRACK, CONCERNS)
SCHOOL_ITEM_COLUMNS = ("已达标", "正常", "落后", "未达标", "落后占比")     # per 项目, after its name
ACTIVITY_WEEKS, MODIFIED = "教研活动达标周占比", "文件修改时间"
SCHOOL_TAIL_COLUMNS = (OBSERVED, "教研组数", ACTIVITY_WEEKS, "校本培训达标月", "汇报课逾期人数",
                       "竞赛参赛率", "竞赛参赛率指标", "常规检查待复查", LATE_MATERIALS, LATE_PROJECTS,
                       "冲突检查错误", "冲突检查警告", "最近听课日期",
                       MODIFIED, "文件", "说明")
TEACHER_LEAD_COLUMNS = ("学校名称", "学区")     # then WHO_COLUMNS, 角色, per quota 完成 and 状态
UNUSED_COLUMNS = ("文件", "学区", "原因", "文件修改时间")
