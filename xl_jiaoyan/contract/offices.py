"""The office's other records: 常规检查 with its 复查, 材料要求 and 材料上交, 课题 milestones.

All four sheets are optional and quiet: a workbook without them refreshes as if they did
not exist (no tab, no finding), unless a 指标 row asks for what they record.
"""
from __future__ import annotations

from xl_jiaoyan.contract.model import LISTED, RECORD_DATE, ROW, Column, Sheet

CHECKS, MATERIALS, HANDINS, PROJECTS = "常规检查", "材料要求", "材料上交", "课题"

CHECK_GRADES = ("优秀", "良好", "合格", "不合格")          # 设置 检查等第's default, best first
PASS_GRADE = "合格"             # names below it are listed in 检查汇总 (when 检查等第 has it)
# letters and one-character grades read as the four defaults (when 检查等第 holds four)
GRADE_ALIASES = {"A": 0, "B": 1, "C": 2, "D": 3, "优": 0, "良": 1, "中": 2, "差": 3,
                 "甲": 0, "乙": 1, "丙": 2, "丁": 3, "及格": 2}
CHECK_SUBJECTS = ("教案", "作业", "听课笔记", "学习笔记", "业务学习", "二次备课", "教学进度", "试卷分析", "教学反思")

HANDED, PASSED, RETURNED = "已交", "合格", "退回"   # 材料上交 结果 (退回 counts as not handed in)
HANDIN_RESULTS = (HANDED, PASSED, RETURNED)
TERM_END_WORD, MONTHLY_WORD = "期末", "每月"     # 材料要求 截止 beside a date, 第N周 and 培训后N天
DONE, NOT_DUE, OVERDUE = "已交", "未到期", "逾期"   # 材料明细 状态

STAGES = ("申报", "立项", "开题", "中期", "结题")   # 课题 阶段, in order
SCORED_STAGES = ("立项", "结题")                   # the two results of a 课题 (赋分: both score)
ON_TIME, LATE, CONCLUDED = "按期", "逾期", "已结题"  # 课题进度 状态
PROJECT_ROLE = "课题组成员"                         # held by a 课题's 主持人 and 成员
LATE_MATERIALS, LATE_PROJECTS = "材料逾期", "课题逾期"   # 冲突检查 类别, and columns of 学校汇总

OFFICE_SHEETS = (
    Sheet(CHECKS, (
        RECORD_DATE,
        Column("检查项目", "choice", required=True, choices=CHECK_SUBJECTS, strict=False, width=12, key="item",
               help="教案、作业、听课笔记、学习笔记等；也可写其他项目"),
        Column("被检查人", "names", required=True, width=22, key="checked", person=ROW,
               aliases=("被检查教师", "受检人", "受检教师"), help="可写姓名、教研组、备课组或“全体教师”，每人得本行的等第"),
        Column("等第", "grade", required=True, width=8, key="grade", aliases=("等级",),
               help="「设置」中的检查等第之一（也可写 A/B/C/D 或 优/良/中/差）"),
        Column("问题", width=30, key="problem", aliases=("存在问题",)),
        Column("复查日期", "date", width=12, key="recheck_date", help="不合格的须在复查期限内复查"),
        Column("复查等第", "grade", width=8, key="recheck_grade"),
        Column("检查人", "names", width=12, key="checkers", person=LISTED),
    ), help="教学常规检查（教案、作业、听课笔记等）的结果，每次检查每人（或每组）一行；不合格的须复查。",
        who="checked", dedupe=("date", "item", "checked", "grade"), quiet=True,
        missing="不统计常规检查。"),
    Sheet(MATERIALS, (
        Column("材料", required=True, width=16, key="material", help="例如 教学计划、教学总结、试卷分析、培训心得"),
        Column("对象", required=True, width=16, key="owners",
               help="角色（教师、青年教师…）、教研组、备课组、学校，或教师姓名"),
        Column("截止", width=14, key="due", help="日期、第N周（该周星期五）、期末、每月（每月月底）、培训后N天（或 外出培训后N天、校本培训后N天）"),
        Column("备注", width=24, key="note"),
    ), help="教师或教研组要上交的材料和截止时间，一种材料一行。", quiet=True, missing="不统计材料上交。"),
    Sheet(HANDINS, (
        RECORD_DATE,
        Column("材料", required=True, width=16, key="material"),
        Column("提交人", "name", required=True, width=10, key="by", person=ROW, aliases=("上交人", "姓名")),
        Column("结果", "choice", choices=HANDIN_RESULTS, strict=False, fallback=HANDED, width=8, key="result",
               help="已交（默认）、合格或退回（退回算未交）"),
    ), help="每收到一份材料记一行；退回的也记一行，结果写“退回”。", who="by",
        dedupe=("date", "material", "by", "result"), workdays=None, quiet=True, missing="不统计材料上交。"),
    Sheet(PROJECTS, (
        Column("课题名称", required=True, width=30, key="title", help="同一课题的各阶段可合并单元格或留空（表示同上）"),
        Column("级别", "choice", choices=("校级", "区级", "县级", "市级", "省级", "国家级"), strict=False,
               width=8, key="level"),
        Column("主持人", "name", width=10, key="host", person=LISTED, aliases=("负责人",)),
        Column("成员", "names", width=24, key="members", person=LISTED, aliases=("课题组成员",)),
        Column("阶段", "choice", required=True, choices=STAGES, width=8, key="stage"),
        Column("计划日期", "date", width=12, key="planned"),
        Column("完成日期", "date", width=12, key="done"),
    ), help="课题从申报、立项、开题、中期到结题，每个阶段一行。", who="host", quiet=True,
        missing="不统计课题进度。"),
)
